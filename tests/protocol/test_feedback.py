#!/usr/bin/env python3
"""The feedback bank over the protocol, through the real binary: "Mark as false positive…" and
"Confirm finding" on every Vigil diagnostic; a marked false positive disappears, stays hidden after
an edit that moves it 30 lines down, and an equivalent finding in another file is hidden too; a
confirmation updates the rule's precision shown on hover; a second server on the same workspace
(another editor window) sees the marks; the verdicts are in .vigil/feedback.db with their author,
context and provenance."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Client  # noqa: E402

BINARY = os.path.abspath(sys.argv[1])
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


APP = '''import os
import subprocess


def run(cmd):
    subprocess.call(cmd, shell=True)


def other(path):
    os.system("ls " + path)
'''
# The same call, in another file, elsewhere in its file.
OTHER = '''# another module


def helper(x):
    return x


def run(cmd):
    subprocess.call(cmd, shell=True)
'''

root = tempfile.mkdtemp(prefix="vigil-feedback-protocol-")
home = os.path.join(root, "home")
os.makedirs(home)
# The author comes from the user's global git config (HOME), never the repository's.
with open(os.path.join(home, ".gitconfig"), "w") as fh:
    fh.write("[user]\n\tname = Ada Reviewer\n\temail = ada@example.com\n")
ws = os.path.join(root, "ws")
os.makedirs(os.path.join(ws, ".vigil"))
env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"))
env.pop("GIT_CONFIG_GLOBAL", None)
uri = "file://" + os.path.join(ws, "app.py")
uri2 = "file://" + os.path.join(ws, "other.py")
for name, text in (("app.py", APP), ("other.py", OTHER)):
    with open(os.path.join(ws, name), "w") as fh:
        fh.write(text)


def start():
    client = Client([BINARY, "lsp"], env=env)
    seen = []

    def wait(pred, timeout=10.0):
        for i, m in enumerate(seen):
            if pred(m):
                return seen.pop(i)
        return client.wait_for(pred, timeout, skipped=seen)

    rid = client.request("initialize", {
        "rootUri": "file://" + ws,
        "clientInfo": {"name": "test-editor"},
        "capabilities": {"textDocument": {"codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
                                          "hover": {"contentFormat": ["markdown"]}}},
        "initializationOptions": {"scope": "all", "validation": {"auto": "off"}, "feedback": {"minVotes": 2, "precisionThreshold": 0.5}},
    })
    init = wait(lambda m: m.get("id") == rid)
    client.notify("initialized")
    return client, wait, init


def publish_for(u, version=None, pred=None):
    def match(m):
        if m.get("method") != "textDocument/publishDiagnostics" or m["params"]["uri"] != u:
            return False
        if version is not None and m["params"].get("version") != version:
            return False
        return pred is None or pred(m["params"]["diagnostics"])
    return match


SHELL = "py-subprocess-shell-injection"


def of_rule(diags, rule=SHELL):
    return [d for d in diags if d.get("code") == rule]


client, wait, init = start()
commands = init["result"]["capabilities"]["executeCommandProvider"]["commands"]
check("vigil.markFalsePositive" in commands and "vigil.confirmFinding" in commands, f"commands: {commands}")
client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": APP}})
diags = wait(publish_for(uri, 1))["params"]["diagnostics"]
shell = of_rule(diags)
check(len(shell) == 1, f"expected one {SHELL} finding: {diags}")
if not shell:
    print("rules seen:", [d.get("code") for d in diags])
    sys.exit(1)
fingerprint = shell[0]["data"]["fingerprint"]
check(shell[0]["data"].get("feedback", {}).get("votes") == 0, f"no votes yet: {shell[0]['data']}")

# 1. The two actions on the diagnostic.
rid = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": shell[0]["range"],
                                                 "context": {"diagnostics": shell}})
actions = wait(lambda m: m.get("id") == rid)["result"]
titles = [a["title"] for a in actions]
mark = next((a for a in actions if a["title"].startswith("Mark as false positive")), None)
confirm = next((a for a in actions if a["title"].startswith("Confirm finding")), None)
check(mark and confirm, f"actions: {titles}")

# 2. Mark it a false positive, with a reason: the reply is the acknowledgement, and it disappears.
args = dict(mark["command"]["arguments"][0], reason="cmd is a constant built by our CLI")
rid = client.request("workspace/executeCommand", {"command": "vigil.markFalsePositive", "arguments": [args]})
reply = wait(lambda m: m.get("id") == rid)
check(reply.get("result", {}).get("verdict") == "false_positive" and reply["result"].get("falsePositives") == 1, f"mark: {reply}")
upd = wait(publish_for(uri, 1, lambda ds: not of_rule(ds)))
check(any(d.get("code") == "py-os-command-injection" for d in upd["params"]["diagnostics"]), "the other findings stay")

# 3. An edit that moves it 30 lines down: still hidden.
client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                         "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
                                                             "text": "\n" * 30}]})
upd = wait(publish_for(uri, 2))
check(not of_rule(upd["params"]["diagnostics"]), f"moved 30 lines down, still hidden: {upd['params']['diagnostics']}")

# 4. The equivalent finding in another file is hidden too.
client.notify("textDocument/didOpen", {"textDocument": {"uri": uri2, "languageId": "python", "version": 1, "text": OTHER}})
upd = wait(publish_for(uri2, 1))
check(not of_rule(upd["params"]["diagnostics"]), f"same code in other.py hidden: {upd['params']['diagnostics']}")

# 5. Confirm a finding of another rule: the precision shown on hover moves from no votes to 100%.
# (A hidden finding is not in the analysis: it cannot be confirmed from the editor by line.)
rid = client.request("workspace/executeCommand", {"command": "vigil.confirmFinding", "arguments": [dict(args, uri=uri, line=35)]})
reply = wait(lambda m: m.get("id") == rid)
check("error" in reply, f"confirming a hidden finding: {reply}")
client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                         "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                                                             "text": ""}]})
cur = wait(publish_for(uri, 3))["params"]["diagnostics"]
target = [d for d in cur if d["data"].get("ruleId") not in (SHELL,) and d.get("code") != "vigil-parse-error"]
check(target, f"another finding to confirm: {cur}")
if target:
    t = target[0]
    rule = t["data"]["ruleId"]
    before = t["data"].get("feedback", {})
    check(before.get("votes") == 0, f"no votes on {rule} yet: {before}")
    rid = client.request("workspace/executeCommand", {"command": "vigil.confirmFinding", "arguments": [
        {"uri": uri, "fingerprint": t["data"]["fingerprint"], "ruleId": rule, "line": t["range"]["start"]["line"]}]})
    reply = wait(lambda m: m.get("id") == rid)
    check(reply.get("result", {}).get("confirmed") == 1 and reply["result"].get("precision") == 1.0, f"confirm: {reply}")
    upd = wait(publish_for(uri, 3, lambda ds: any(d["data"].get("feedback", {}).get("confirmed") == 1 for d in ds)))
    t2 = [d for d in upd["params"]["diagnostics"] if d["data"].get("fingerprint") == t["data"]["fingerprint"]][0]
    rid = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": t2["range"]["start"]})
    hov = json.dumps(wait(lambda m: m.get("id") == rid)["result"])
    check("precision 100% over 1 vote" in hov and "this finding: confirmed" in hov, f"hover after confirm: {hov}")

# 6. Hover on a rule with a false positive: precision 0% over 1 vote (the shell rule, in a new file).
NEW = "import subprocess\n\ndef go(c):\n    subprocess.call(c + ' -x', shell=True)\n"
uri3 = "file://" + os.path.join(ws, "third.py")
client.notify("textDocument/didOpen", {"textDocument": {"uri": uri3, "languageId": "python", "version": 1, "text": NEW}})
d3 = of_rule(wait(publish_for(uri3, 1))["params"]["diagnostics"])
check(d3, "a different shell=True call is not hidden (different fingerprint)")
if d3:
    rid = client.request("textDocument/hover", {"textDocument": {"uri": uri3}, "position": d3[0]["range"]["start"]})
    hov = json.dumps(wait(lambda m: m.get("id") == rid)["result"])
    check("precision 0% over 1 vote" in hov, f"hover shows the rule's precision: {hov}")
    # A second false positive: 2 votes, precision 0% < 50%: the rule is lowered one level, saying why.
    sev = d3[0]["severity"]
    rid = client.request("workspace/executeCommand", {"command": "vigil.markFalsePositive", "arguments": [
        {"uri": uri3, "fingerprint": d3[0]["data"]["fingerprint"], "ruleId": SHELL, "line": 3}]})
    wait(lambda m: m.get("id") == rid)
    NEW2 = NEW + "\ndef again(c):\n    subprocess.run(c, shell=True)\n"
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri3, "version": 2}, "contentChanges": [{"text": NEW2}]})
    ds = of_rule(wait(publish_for(uri3, 2))["params"]["diagnostics"])
    check(ds and ds[0]["severity"] == sev + 1 and "severity lowered" in ds[0]["message"], f"lowered rule: {ds} (was {sev})")

code = client.shutdown_and_exit()
check(code == 0, f"exit code {code}")

# 7. The bank: every verdict with author, tool, context and provenance.
db = sqlite3.connect(os.path.join(ws, ".vigil", "feedback.db"))
rows = db.execute("SELECT verdict, source, tool, author, reason, path, context, provenance FROM feedback_verdict ORDER BY id").fetchall()
check(len(rows) == 3, f"three verdicts stored: {rows}")
if rows:
    v = rows[0]
    check(v[0] == "false_positive" and v[1] == "user" and v[2] == "test-editor", f"first verdict: {v}")
    check(v[3] == "Ada Reviewer <ada@example.com>", f"author from the global git config: {v[3]!r}")
    check(v[4] == "cmd is a constant built by our CLI" and v[5] == "app.py" and "shell=True" in v[6] and v[7] in ("ai", "human"), f"{v}")
check(db.execute("PRAGMA journal_mode").fetchone()[0] == "wal", "WAL")
db.close()

# 8. Another window opened later sees the marks: the finding stays hidden there too.
client, wait, init = start()
client.notify("textDocument/didOpen", {"textDocument": {"uri": uri2, "languageId": "python", "version": 1, "text": OTHER}})
upd = wait(publish_for(uri2, 1))
check(not of_rule(upd["params"]["diagnostics"]), "hidden in a new session")
client.shutdown_and_exit()

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("feedback protocol: ok")
