#!/usr/bin/env python3
"""What users of VS Code, Neovim and Emacs hit, over the protocol: pull result ids that change with
provenance and settings at the same version (and a refresh once the new result exists), the
suppress placeholder is no reason, Vigil's own edits and trimmed whole-line replacements are not
AI-written, client-side setting keys are accepted silently, `.vigil/.gitignore`, and the one-time
notice about findings shown as hints because the code is not AI-written."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from session import Session, failures, rng, scenario, write  # noqa: E402

PULL = {"textDocument": {"diagnostic": {}}, "workspace": {"diagnostics": {"refreshSupport": True}}}
# Neovim 0.7: code action literals, no snippets, no documentChanges, no resolve.
NVIM07 = {"textDocument": {"codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source"]}}}},
          "workspace": {"applyEdit": True}}
SOURCE = "import os\n\n\ndef f(y):\n    return eval(y)\n"   # the finding is on line 4


def pull(s, uri, previous=None):
    params = {"textDocument": {"uri": uri}}
    if previous is not None:
        params["previousResultId"] = previous
    r = s.client.response(s.client.request("textDocument/diagnostic", params))
    assert "result" in r, r
    return r["result"]


def answer_refresh(s):
    refresh = s.wait(lambda m: m.get("method") == "workspace/diagnostic/refresh")
    s.client.send({"jsonrpc": "2.0", "id": refresh["id"], "result": None})


def no_message_until(s, predicate, what):
    """Skips to the message matching `predicate`; fails when a window/showMessage about `what` comes first."""
    seen = []
    msg = s.client.wait_for(predicate, timeout=10, skipped=seen)
    shown = [m for m in seen + s.backlog if m.get("method") == "window/showMessage" and what in m["params"]["message"]]
    assert not shown, shown
    return msg


@scenario("pull: the result id changes exactly when the items change at the same version; refresh after the new result")
def _(root):
    s = Session(root, capabilities=PULL)
    try:
        uri = s.open("a.py", "x = eval(y)\n")
        first = pull(s, uri)
        assert [d["severity"] for d in first["items"]] == [4], first
        s.client.notify("vigil/markProvenance", {"uri": uri, "ranges": [rng(0, 0, 1, 0)], "origin": "ai", "tool": "copilot"})
        answer_refresh(s)
        second = pull(s, uri, first["resultId"])
        assert second["kind"] == "full" and second["resultId"] != first["resultId"], second
        assert [d["severity"] for d in second["items"]] == [1], second
        assert pull(s, uri, second["resultId"]) == {"kind": "unchanged", "resultId": second["resultId"]}
        # A setting that changes nothing this document shows: same id, no refresh needed.
        s.client.notify("workspace/didChangeConfiguration", {"settings": {"vigil": {"showHumanFindings": False}}})
        assert pull(s, uri, second["resultId"]) == {"kind": "unchanged", "resultId": second["resultId"]}
        # Reviewed code is human: hidden now (showHumanFindings false), announced by a refresh.
        s.client.notify("vigil/markProvenance", {"uri": uri, "ranges": [rng(0, 0, 1, 0)], "origin": "reviewed"})
        answer_refresh(s)
        third = pull(s, uri, second["resultId"])
        assert third["kind"] == "full" and third["items"] == [] and third["resultId"] != second["resultId"], third
        s.close()
    finally:
        s.kill()


@scenario("suppress: the placeholder word is no reason; the snippet's reason is an empty tab stop")
def _(root):
    s = Session(root)
    try:
        uri = s.open("a.py", "# vigil-ignore: py-eval-injection -- reason\nx = eval(y)\n")
        codes = sorted(d["code"] for d in s.latest_diagnostics(uri))
        assert "vigil-suppression-no-reason" in codes, codes
        uri2 = s.open("b.py", "# vigil-ignore: py-eval-injection -- input is a literal in tests\nx = eval(y)\n")
        codes2 = [d["code"] for d in s.latest_diagnostics(uri2)]
        assert "vigil-suppression-no-reason" not in codes2, codes2
        s.close()
    finally:
        s.kill()


def suppress_edit(s, uri, diags):
    r = s.client.response(s.client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diags[0]["range"], "context": {"diagnostics": diags}}))
    sup = [a for a in r["result"] if a.get("title", "").startswith("Suppress ")]
    assert len(sup) == 1 and "edit" in sup[0], r["result"]
    (edit,) = sup[0]["edit"]["changes"][uri]
    return edit


@scenario("Vigil's own edit, sent back as a whole-text change (Neovim 0.7 style), is not AI-written")
def _(root):
    s = Session(root, capabilities=NVIM07)
    try:
        uri = s.open("a.py", SOURCE)
        diags = s.latest_diagnostics(uri)
        edit = suppress_edit(s, uri, diags)
        assert edit["range"]["start"] == {"line": 4, "character": 0}, edit
        lines = SOURCE.splitlines(True)
        applied = "".join(lines[:4]) + edit["newText"] + "".join(lines[4:])
        s.change(uri, [{"text": applied}])
        s.latest_diagnostics(uri)
        assert s.provenance(uri) == [], s.provenance(uri)
        # The same kind of change that Vigil did not offer: an external rewrite of that line.
        other = "".join(lines[:4]) + "    print('not from vigil')  # pasted\n" + "".join(lines[4:])
        s.change(uri, [{"text": SOURCE}])
        s.change(uri, [{"text": other}])
        assert [r["evidence"] for r in s.provenance(uri)] == ["external-edit"], s.provenance(uri)
        s.close()
    finally:
        s.kill()


@scenario("a whole-line replacement that inserts one short line is trimmed to that line: not a bulk insert")
def _(root):
    s = Session(root, capabilities=NVIM07)
    try:
        uri = s.open("a.py", SOURCE)
        # Line 4 replaced by a new short line plus itself: two lines sent, one line typed.
        s.change(uri, [{"range": rng(4, 0, 5, 0), "text": "    z = 1\n    return eval(y)\n"}])
        s.latest_diagnostics(uri)
        assert s.provenance(uri) == [], s.provenance(uri)
        # Two new lines in the same shape are a bulk insert, of exactly those lines.
        s.change(uri, [{"range": rng(4, 0, 5, 0), "text": "    a = 1\n    b = 2\n    z = 1\n"}])
        assert s.provenance(uri) == [{"range": rng(4, 4, 6, 4), "origin": "ai", "evidence": "bulk-insert"}], s.provenance(uri)
        s.close()
    finally:
        s.kill()


@scenario("client-side keys under `vigil` (trace.server, server.path, decorations) are accepted silently")
def _(root):
    caps = {"workspace": {"configuration": True}}
    s = Session(root, capabilities=caps,
                init_options={"trace": {"server": "verbose"}, "server": {"path": "/opt/vigil"}, "scope": "ai"})
    try:
        conf = s.wait(lambda m: m.get("method") == "workspace/configuration")
        s.client.send({"jsonrpc": "2.0", "id": conf["id"], "result": [
            {"trace": {"server": "messages"}, "decorations": {"aiRanges": True}, "showHumanFindings": True}]})
        uri = s.open("a.py", "x = 1\n")
        no_message_until(s, lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri,
                         "unknown key")
        # A key Vigil does not know is still reported.
        s.client.notify("workspace/didChangeConfiguration", {"settings": {"vigil": {"bogus": 1}}})
        msg = s.wait(lambda m: m.get("method") == "window/showMessage")
        assert "unknown key `bogus`" in msg["params"]["message"], msg
        s.close()
    finally:
        s.kill()


@scenario(".vigil/.gitignore keeps the database out of git status, not config.yaml; an existing one is kept")
def _(root):
    if not shutil.which("git"):
        print("(git missing: only the file is checked)")
    else:
        subprocess.run(["git", "init", "-q", root], check=True)
    write(os.path.join(root, ".vigil", "config.yaml"), "scope: ai\n")
    s = Session(root)
    try:
        uri = s.open("a.py", "x = 1\n")
        s.latest_diagnostics(uri)
        s.close()
    finally:
        s.kill()
    ignore = os.path.join(root, ".vigil", ".gitignore")
    assert os.path.isfile(ignore), os.listdir(os.path.join(root, ".vigil"))
    assert os.path.isfile(os.path.join(root, ".vigil", "feedback.db"))
    if shutil.which("git"):
        out = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=all"],
                             capture_output=True, text=True, check=True).stdout.split("\n")
        vigil = sorted(line[3:] for line in out if ".vigil" in line)
        assert vigil == [".vigil/config.yaml"], out
    with open(ignore, "w") as f:
        f.write("# mine\n")
    s = Session(root)
    s.close()
    with open(ignore) as f:
        assert f.read() == "# mine\n"


@scenario("scope ai: one notice per session says how many findings are hints because the code is not AI-written")
def _(root):
    s = Session(root)
    try:
        uri = s.open("a.py", "x = eval(y)\ny = eval(x)\n")
        msg = s.wait(lambda m: m.get("method") == "window/showMessage")
        text = msg["params"]["message"]
        assert msg["params"]["type"] == 3, msg
        assert "2 findings in a.py shown as hints" in text and "scope: all" in text, text
        s.latest_diagnostics(uri)
        uri2 = s.open("b.py", "z = eval(y)\n")
        no_message_until(s, lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri2,
                         "shown as hints")
        s.close()
    finally:
        s.kill()
    # Under scope all nothing is demoted: no notice.
    s = Session(root, init_options={"scope": "all"})
    try:
        uri = s.open("c.py", "x = eval(y)\n")
        no_message_until(s, lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri,
                         "shown as hints")
        s.close()
    finally:
        s.kill()


print("%d failed" % len(failures) if failures else "all passed")
sys.exit(1 if failures else 0)
