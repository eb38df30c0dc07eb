#!/usr/bin/env python3
"""Provenance over the protocol: every source of evidence produces exactly the expected ranges
(vigil/provenance), typing produces none, scope turns findings outside AI ranges into hints or hides
them, code actions mark regions, settings come from every layer, and ranges survive a restart."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Client  # noqa: E402

from session import Session, failures, pos, rng, scenario, uri_of, write  # noqa: E402,F401

BINARY = os.path.abspath(sys.argv[1])


AI_CODE = "def run(cmd):\n    return eval(cmd)\n"


@scenario("bulk insert: one change of 2 lines is AI, the finding keeps its severity and says so")
def _(root):
    s = Session(root)
    try:
        uri = s.open("a.py", "x = 1\n")
        s.change(uri, [{"range": rng(1, 0, 1, 0), "text": AI_CODE}])
        assert s.provenance(uri) == [{"range": rng(1, 0, 3, 0), "origin": "ai", "evidence": "bulk-insert"}], s.provenance(uri)
        diags = s.latest_diagnostics(uri)
        assert len(diags) == 1 and diags[0]["severity"] == 1, diags
        assert diags[0]["message"].endswith("(AI-suggested: bulk-insert)"), diags[0]["message"]
        assert diags[0]["data"]["provenance"] == {"origin": "ai", "evidence": "bulk-insert", "tool": ""}, diags[0]
        # 60 characters on one line also count; 59 do not; thresholds are settings.
        s.change(uri, [{"range": rng(3, 0, 3, 0), "text": "y" * 59}])
        s.change(uri, [{"range": rng(3, 59, 3, 59), "text": "\n" + "z" * 60}])
        assert s.provenance(uri) == [{"range": rng(1, 0, 3, 0), "origin": "ai", "evidence": "bulk-insert"},
                                     {"range": rng(3, 59, 4, 60), "origin": "ai", "evidence": "bulk-insert"}], s.provenance(uri)
        s.close()
    finally:
        s.kill()


@scenario("typing the same code a character at a time yields no AI range; its finding is a hint")
def _(root):
    s = Session(root)
    try:
        uri = s.open("a.py", "x = 1\n")
        line, col = 1, 0
        for ch in AI_CODE:
            s.change(uri, [{"range": rng(line, col, line, col), "text": ch}])
            line, col = (line + 1, 0) if ch == "\n" else (line, col + 1)
        assert s.provenance(uri) == [], s.provenance(uri)
        diags = s.latest_diagnostics(uri)
        assert len(diags) == 1 and diags[0]["severity"] == 4, diags
        assert "AI-suggested" not in diags[0]["message"] and diags[0]["data"]["provenance"] == {"origin": "human"}, diags[0]
        s.close()
    finally:
        s.kill()


@scenario("thresholds and scope from initializationOptions; showHumanFindings=false hides human findings")
def _(root):
    s = Session(root, {"provenance": {"bulkInsert": {"minLines": 5, "minChars": 500}}, "showHumanFindings": False})
    try:
        uri = s.open("a.py", "x = 1\n")
        s.change(uri, [{"range": rng(1, 0, 1, 0), "text": AI_CODE}])
        assert s.provenance(uri) == [], s.provenance(uri)
        assert s.latest_diagnostics(uri) == []
        s.client.notify("workspace/didChangeConfiguration", {"settings": {"vigil": {"scope": "all"}}})
        diags = s.diagnostics(uri)
        assert len(diags) == 1 and diags[0]["severity"] == 1, diags
        s.close()
    finally:
        s.kill()


@scenario("a whole-document replacement marks only the changed hunks as external-edit")
def _(root):
    s = Session(root)
    try:
        before = "import os\n\ndef a():\n    return 1\n\ndef b():\n    return 2\n"
        after = "import os\n\ndef a():\n    return eval(input())\n\ndef b():\n    return 2\n\ndef c():\n    pass\n"
        uri = s.open("a.py", before)
        s.change(uri, [{"text": after}])
        assert s.provenance(uri) == [{"range": rng(3, 0, 4, 0), "origin": "ai", "evidence": "external-edit"},
                                     {"range": rng(7, 0, 10, 0), "origin": "ai", "evidence": "external-edit"}], s.provenance(uri)
        # A ranged change spanning the whole text counts the same.
        after2 = after.replace("return 2", "return 3")
        s.change(uri, [{"range": rng(0, 0, 10, 0), "text": after2}])
        assert s.provenance(uri) == [{"range": rng(3, 0, 4, 0), "origin": "ai", "evidence": "external-edit"},
                                     {"range": rng(6, 0, 10, 0), "origin": "ai", "evidence": "external-edit"}], s.provenance(uri)
        s.close()
    finally:
        s.kill()


@scenario("vigil/markProvenance labels exactly the given ranges with origin and tool")
def _(root):
    s = Session(root)
    try:
        uri = s.open("a.py", "a = 1\nb = 2\nc = 3\nd = 4\n")
        s.client.notify("vigil/markProvenance", {"uri": uri, "ranges": [rng(1, 0, 2, 0), rng(3, 2, 3, 5)], "origin": "ai", "tool": "claude-code"})
        s.client.notify("vigil/markProvenance", {"uri": uri, "ranges": [rng(0, 0, 0, 5)], "origin": "human"})
        s.client.notify("vigil/markProvenance", {"uri": uri, "ranges": [rng(0, 0, 1, 0)], "origin": "robot"})  # ignored
        assert s.provenance(uri) == [{"range": rng(0, 0, 0, 5), "origin": "human", "evidence": "declared"},
                                     {"range": rng(1, 0, 2, 0), "origin": "ai", "evidence": "declared", "tool": "claude-code"},
                                     {"range": rng(3, 2, 3, 5), "origin": "ai", "evidence": "declared", "tool": "claude-code"}], s.provenance(uri)
        # Ranges move with edits: two lines inserted above by typing shift them down.
        s.change(uri, [{"range": rng(0, 0, 0, 0), "text": "\n"}])
        s.change(uri, [{"range": rng(0, 0, 0, 0), "text": "\n"}])
        assert s.provenance(uri)[1]["range"] == rng(3, 0, 4, 0), s.provenance(uri)
        s.close()
    finally:
        s.kill()


@scenario("markers and configured globs")
def _(root):
    s = Session(root, {"provenance": {"aiGlobs": ["generated/**", "*_pb2.py"]}})
    try:
        uri = s.open("a.py", "a = 1\n# vigil: ai-begin copilot\nb = eval(a)\n# vigil: ai-end\nc = 3\n")
        assert s.provenance(uri) == [{"range": rng(1, 0, 4, 0), "origin": "ai", "evidence": "marker", "tool": "copilot"}], s.provenance(uri)
        gen = s.open("generated/x.py", "a = 1\nb = 2\n")
        assert s.provenance(gen) == [{"range": rng(0, 0, 2, 0), "origin": "ai", "evidence": "glob"}], s.provenance(gen)
        pb = s.open("deep/dir/m_pb2.py", "a = 1\n")
        assert s.provenance(pb) == [{"range": rng(0, 0, 1, 0), "origin": "ai", "evidence": "glob"}], s.provenance(pb)
        assert s.provenance(s.open("b.py", "# @generated by a tool\nx = 1\n")) == [
            {"range": rng(0, 0, 2, 0), "origin": "ai", "evidence": "marker"}]
        s.close()
    finally:
        s.kill()


@scenario("code actions: mark an AI region reviewed (finding becomes a hint), treat a human region as AI")
def _(root):
    s = Session(root)
    try:
        uri = s.open("a.py", "x = eval(input())\n")
        s.change(uri, [{"range": rng(1, 0, 1, 0), "text": AI_CODE}])
        r = s.client.response(s.client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": rng(2, 4, 2, 4), "context": {"diagnostics": []}}))
        titles = [a["title"] for a in r["result"]]
        assert titles == ["Mark region as reviewed"], titles
        # Without codeActionLiteralSupport the actions are Commands themselves.
        cmd = r["result"][0]
        assert cmd["command"] == "vigil.markReviewed" and cmd["arguments"][0]["range"] == rng(1, 0, 3, 0), cmd
        r = s.client.response(s.client.request("workspace/executeCommand", {"command": cmd["command"], "arguments": cmd["arguments"]}))
        assert r.get("result", "missing") is None, r
        assert s.provenance(uri) == [{"range": rng(1, 0, 3, 0), "origin": "reviewed", "evidence": "user"}], s.provenance(uri)
        r = s.client.response(s.client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": rng(0, 2, 0, 2), "context": {"diagnostics": []}}))
        act = [a for a in r["result"] if a["title"] == "Treat region as AI-written"]
        assert len(act) == 1 and act[0]["command"] == "vigil.markAiWritten" and act[0]["arguments"][0]["range"] == rng(0, 0, 1, 0), r["result"]
        s.client.response(s.client.request("workspace/executeCommand", {"command": "vigil.markAiWritten", "arguments": act[0]["arguments"]}))
        assert s.provenance(uri) == [{"range": rng(0, 0, 1, 0), "origin": "ai", "evidence": "user"},
                                     {"range": rng(1, 0, 3, 0), "origin": "reviewed", "evidence": "user"}], s.provenance(uri)
        # The findings under the latest ranges: line 0 AI (error), line 2 reviewed (hint). A pull
        # waits for the analysis that follows the commands.
        diags = s.client.response(s.client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}))["result"]["items"]
        sev = sorted((d["range"]["start"]["line"], d["severity"], d["data"]["provenance"]["origin"]) for d in diags)
        assert sev == [(0, 1, "ai"), (2, 4, "reviewed")], sev
        r = s.client.response(s.client.request("workspace/executeCommand", {"command": "vigil.nope", "arguments": []}))
        assert r["error"]["code"] == -32602, r
        s.close()
    finally:
        s.kill()


@scenario("watched files that are not open: changed hunks and new files are external-edit")
def _(root):
    s = Session(root)
    try:
        path = os.path.join(root, "b.py")
        text = "a = 1\nb = 2\nc = 3\n"
        write(path, text)
        uri = s.open("b.py", text)
        s.client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        s.client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        assert s.provenance(uri) == []  # a round trip: the server has seen the file before it changes
        write(path, "a = 1\nb = eval(x)\nc = 3\nd = 4\n")
        new_path = os.path.join(root, "pkg", "new.py")
        write(new_path, "import os\nos.system(x)\n")
        s.client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri, "type": 2}, {"uri": uri_of(new_path), "type": 1}]})
        assert s.provenance(uri) == [{"range": rng(1, 0, 2, 0), "origin": "ai", "evidence": "external-edit"},
                                     {"range": rng(3, 0, 4, 0), "origin": "ai", "evidence": "external-edit"}], s.provenance(uri)
        assert s.provenance(uri_of(new_path)) == [{"range": rng(0, 0, 2, 0), "origin": "ai", "evidence": "external-edit"}]
        # Opened afterwards, the file keeps them.
        s.open("b.py", "a = 1\nb = eval(x)\nc = 3\nd = 4\n")
        assert s.provenance(uri)[0] == {"range": rng(1, 0, 2, 0), "origin": "ai", "evidence": "external-edit"}, s.provenance(uri)
        s.close()
    finally:
        s.kill()


@scenario("provenance survives a server restart, and a change made while closed is external-edit")
def _(root):
    path = os.path.join(root, "a.py")
    text = "x = 1\n"
    write(path, text)
    s = Session(root)
    try:
        uri = s.open("a.py", text)
        s.change(uri, [{"range": rng(1, 0, 1, 0), "text": AI_CODE}])
        s.client.notify("vigil/markProvenance", {"uri": uri, "ranges": [rng(0, 0, 0, 5)], "origin": "ai", "tool": "codex"})
        write(path, text + AI_CODE)
        s.client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        expected = [{"range": rng(0, 0, 0, 5), "origin": "ai", "evidence": "declared", "tool": "codex"},
                    {"range": rng(1, 0, 3, 0), "origin": "ai", "evidence": "bulk-insert"}]
        assert s.provenance(uri) == expected, s.provenance(uri)
        s.close()
    finally:
        s.kill()
    assert os.path.exists(os.path.join(root, ".vigil", "feedback.db")), "no database"
    s = Session(root)
    try:
        uri = s.open("a.py", text + AI_CODE)
        assert s.provenance(uri) == expected, s.provenance(uri)
        s.client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        s.close()
    finally:
        s.kill()
    # Edited on disk while no server ran: the edited line becomes external-edit on the next open.
    write(path, "y = 2\n" + AI_CODE)
    s = Session(root)
    try:
        uri = s.open("a.py", "y = 2\n" + AI_CODE)
        assert s.provenance(uri) == [{"range": rng(0, 0, 1, 0), "origin": "ai", "evidence": "external-edit"},
                                     {"range": rng(1, 0, 3, 0), "origin": "ai", "evidence": "bulk-insert"}], s.provenance(uri)
        s.close()
    finally:
        s.kill()


def git(root, *args, env=None):
    subprocess.run(["git", "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "-c", "commit.gpgsign=false"] + list(args),
                   cwd=root, check=True, capture_output=True, env=env)


@scenario("git: trailered commits, agent authors, uncommitted lines on first sight, human commits drop ranges")
def _(root):
    if not shutil.which("git"):
        print("SKIP git not installed")
        return
    path = os.path.join(root, "app.py")
    git(root, "init", "-q")
    write(path, "a = 1\nb = 2\n")
    git(root, "add", "app.py")
    git(root, "commit", "-q", "-m", "human start")
    write(path, "a = 1\nb = 2\nc = eval(x)\nd = 4\n")
    git(root, "commit", "-q", "-a", "-m", "agent work\n\nCo-authored-by: Claude <noreply@anthropic.com>")
    write(path, "a = 1\nb = 2\nc = eval(x)\nd = 4\ne = 5\n")
    s = Session(root)
    try:
        uri = s.open("app.py", "a = 1\nb = 2\nc = eval(x)\nd = 4\ne = 5\n")
        s.wait_provenance(uri, [{"range": rng(2, 0, 4, 0), "origin": "ai", "evidence": "git-trailer", "tool": "claude"},
                                {"range": rng(4, 0, 5, 0), "origin": "ai", "evidence": "git-uncommitted"}])
        s.client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        # Committed by a human: the uncommitted line loses its AI range at the next look.
        git(root, "commit", "-q", "-a", "-m", "human edit")
        uri = s.open("app.py", "a = 1\nb = 2\nc = eval(x)\nd = 4\ne = 5\n")
        s.wait_provenance(uri, [{"range": rng(2, 0, 4, 0), "origin": "ai", "evidence": "git-trailer", "tool": "claude"}])
        s.close()
    finally:
        s.kill()


@scenario("settings: .vigil/config.yaml problems are warnings and diagnostics, never a crash; reload on change")
def _(root):
    cfg = os.path.join(root, ".vigil", "config.yaml")
    write(cfg, "scope: everything\nshowHumanFindings: false\ncolour: blue\n")
    s = Session(root)
    try:
        msg = s.wait(lambda m: m.get("method") == "window/showMessage")
        assert msg["params"]["type"] == 2 and "`scope` must be `ai` or `all`" in msg["params"]["message"], msg
        diags = s.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"].endswith("config.yaml"))
        got = [(d["range"]["start"]["line"], d["severity"]) for d in diags["params"]["diagnostics"]]
        assert got == [(0, 1), (2, 2)], diags
        uri = s.open("a.py", "x = eval(y)\n")
        assert s.latest_diagnostics(uri) == []  # showHumanFindings: false still applied
        write(cfg, "scope: all\n")
        s.client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri_of(cfg), "type": 2}]})
        cleared = s.client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"].endswith("config.yaml"))
        assert cleared["params"]["diagnostics"] == [], cleared
        diags = s.diagnostics(uri)
        assert len(diags) == 1 and diags[0]["severity"] == 1, diags
        s.close()
    finally:
        s.kill()


@scenario("settings: workspace/configuration `vigil` wins over the project file; watchers are registered")
def _(root):
    write(os.path.join(root, ".vigil", "config.yaml"), "scope: ai\nshowHumanFindings: false\n")
    caps = {"workspace": {"configuration": True, "didChangeWatchedFiles": {"dynamicRegistration": True}}}
    s = Session(root, capabilities=caps)
    try:
        seen = {}
        for _ in range(2):
            m = s.wait(lambda m: m.get("method") in ("workspace/configuration", "client/registerCapability"))
            seen[m["method"]] = m
        conf = seen["workspace/configuration"]
        assert conf["params"]["items"][0]["section"] == "vigil", conf
        globs = [w["globPattern"] for w in seen["client/registerCapability"]["params"]["registrations"][0]["registerOptions"]["watchers"]]
        assert "**/.vigil/config.yaml" in globs, globs
        s.client.send({"jsonrpc": "2.0", "id": seen["client/registerCapability"]["id"], "result": None})
        s.client.send({"jsonrpc": "2.0", "id": conf["id"], "result": [{"scope": "all", "showHumanFindings": True}]})
        uri = s.open("a.py", "x = eval(y)\n")
        diags = s.latest_diagnostics(uri)
        assert len(diags) == 1 and diags[0]["severity"] == 1, diags
        s.close()
    finally:
        s.kill()


@scenario("pull diagnostics follow provenance: a new result id after markProvenance, and a refresh request")
def _(root):
    caps = {"textDocument": {"diagnostic": {}}, "workspace": {"diagnostics": {"refreshSupport": True}}}
    s = Session(root, capabilities=caps)
    try:
        uri = s.open("a.py", "x = eval(y)\n")
        r = s.client.response(s.client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}))["result"]
        assert [d["severity"] for d in r["items"]] == [4], r
        s.client.notify("vigil/markProvenance", {"uri": uri, "ranges": [rng(0, 0, 1, 0)], "origin": "ai", "tool": "aider"})
        refresh = s.client.wait_for(lambda m: m.get("method") == "workspace/diagnostic/refresh")
        s.client.send({"jsonrpc": "2.0", "id": refresh["id"], "result": None})
        r2 = s.client.response(s.client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}, "previousResultId": r["resultId"]}))["result"]
        assert r2["kind"] == "full" and r2["resultId"] != r["resultId"], r2
        assert [(d["severity"], d["message"].endswith("(AI-suggested: declared, aider)")) for d in r2["items"]] == [(1, True)], r2
        s.close()
    finally:
        s.kill()


print("%d failed" % len(failures) if failures else "all passed")
sys.exit(1 if failures else 0)
