#!/usr/bin/env python3
"""Secondary validation over the protocol, through the real binary: the "Validate this finding"
actions are listed, vigil.validateFinding runs with work-done progress, the verdict comes back and
updates the diagnostic in place (refuted -> hint saying who and why, confirmed -> suffix and
data.validation), follows the finding across an edit, shows on hover; a slow model endpoint times
out while typing still gets diagnostics at once; $/cancelRequest cancels a validation; and
validation.auto validates new findings in AI-written code by itself."""
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Client  # noqa: E402

BINARY = os.path.abspath(sys.argv[1])
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


class Slow(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(8)
        body = json.dumps({"choices": [{"message": {"content": '{"status": "confirmed", "explanation": "late"}'}}]}).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


http = Server(("127.0.0.1", 0), Slow)
threading.Thread(target=http.serve_forever, daemon=True).start()

# Line 11 is a decoy the fast pass reports and the deep analyzer refutes: a fixed choice from a
# module-level map. (A literal-only guard such as `if name not in ("alpha", "beta"): return` is
# understood by the fast pass itself, which then reports nothing there.)
APP = '''import os
from flask import request
MODES = {"alpha": "a", "beta": "b"}

def handler():
    host = request.args.get("host")
    os.system("ping " + host)
    name = request.args.get("name")
    mode = MODES.get(name, "a")

    os.system("run " + mode)
    os.system("echo " + request.args.get("q"))
'''

root = tempfile.mkdtemp(prefix="vigil-validation-protocol-")
home = os.path.join(root, "home")
os.makedirs(home)
os.makedirs(os.path.join(root, "ws", ".vigil"))
ws = os.path.join(root, "ws")
env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"))
uri = "file://" + os.path.join(ws, "app.py")
with open(os.path.join(ws, "app.py"), "w") as fh:
    fh.write(APP)

client = Client([BINARY, "lsp"], env=env)
seen = []


def wait(pred, timeout=10.0):
    """The first message matching `pred`, among those already received and skipped, or the next."""
    for i, m in enumerate(seen):
        if pred(m):
            return seen.pop(i)
    return client.wait_for(pred, timeout, skipped=seen)


def publish_for(version=None, pred=None):
    def match(m):
        if m.get("method") != "textDocument/publishDiagnostics" or m["params"]["uri"] != uri:
            return False
        if version is not None and m["params"].get("version") != version:
            return False
        return pred is None or pred(m["params"]["diagnostics"])
    return match


def by_rule_line(diags, line):
    return [d for d in diags if d.get("code") == "py-os-command-injection" and d["range"]["start"]["line"] == line]


rid = client.request("initialize", {
    "rootUri": "file://" + ws,
    "capabilities": {"window": {"workDoneProgress": True},
                     "textDocument": {"codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
                                      "hover": {"contentFormat": ["markdown"]}}},
    "initializationOptions": {"scope": "all", "validation": {
        "auto": "off",
        "endpoint": {"url": f"http://127.0.0.1:{http.server_address[1]}/v1", "model": "slow-model", "timeoutMs": 1500, "retries": 0}}},
})
init = wait(lambda m: m.get("id") == rid)
commands = init["result"]["capabilities"]["executeCommandProvider"]["commands"]
check("vigil.validateFinding" in commands, f"vigil.validateFinding not among the commands: {commands}")
client.notify("initialized")
client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": APP}})
diags = wait(publish_for(1))["params"]["diagnostics"]
confirmed_diag = by_rule_line(diags, 6)
refuted_diag = by_rule_line(diags, 10)
check(confirmed_diag and refuted_diag, f"expected findings on lines 7 and 11: {diags}")

# 1. The actions: one per configured validator on each Vigil diagnostic.
rid = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": refuted_diag[0]["range"],
                                                 "context": {"diagnostics": refuted_diag}})
actions = wait(lambda m: m.get("id") == rid)["result"]
titles = [a["title"] for a in actions]
check("Validate this finding (deep)" in titles and "Validate this finding (endpoint)" in titles, f"actions: {titles}")
deep_action = next(a for a in actions if a["title"] == "Validate this finding (deep)")

# 2. Run it with a work-done token: progress begins and ends, the verdict comes back, and the
# diagnostic drops to a hint that says who refuted it and why.
cmd = deep_action["command"]
rid = client.request("workspace/executeCommand", {"command": cmd["command"], "arguments": cmd["arguments"], "workDoneToken": "tok-1"})
begin = wait(lambda m: m.get("method") == "$/progress" and m["params"]["token"] == "tok-1")
check(begin["params"]["value"]["kind"] == "begin", f"progress: {begin}")
reply = wait(lambda m: m.get("id") == rid, timeout=15)
check(reply.get("result", {}).get("status") == "refuted", f"deep verdict: {reply}")
end = wait(lambda m: m.get("method") == "$/progress" and m["params"]["token"] == "tok-1" and m["params"]["value"].get("kind") == "end", 5)
check(end["params"]["value"].get("message") == "refuted", f"progress end: {end}")
upd = wait(publish_for(1, lambda ds: any(d.get("severity") == 4 and d["message"].startswith("Refuted by deep") for d in ds)))
d = by_rule_line(upd["params"]["diagnostics"], 10)[0]
check(d["data"]["validation"]["status"] == "refuted" and "fixed choice" in d["message"], f"refuted diagnostic: {d}")

# 3. Hover shows the explanation.
rid = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": d["range"]["start"]})
hov = wait(lambda m: m.get("id") == rid)["result"]
check(hov and "Validation: refuted" in json.dumps(hov) and "fixed choice" in json.dumps(hov), f"hover: {hov}")

# 4. Confirm the other one.
args = dict(cmd["arguments"][0], fingerprint=confirmed_diag[0]["data"]["fingerprint"], line=6)
rid = client.request("workspace/executeCommand", {"command": "vigil.validateFinding", "arguments": [args]})
reply = wait(lambda m: m.get("id") == rid, timeout=15)
check(reply.get("result", {}).get("status") == "confirmed" and reply["result"].get("path"), f"confirmed verdict: {reply}")
upd = wait(publish_for(1, lambda ds: any("[confirmed by deep]" in x["message"] for x in ds)))

# 5. The verdict follows its finding across an edit that moves it (fingerprint, not line).
client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                         "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                                                             "text": "# moved\n"}]})
upd = wait(publish_for(2))
moved = by_rule_line(upd["params"]["diagnostics"], 11)
check(moved and moved[0].get("severity") == 4 and moved[0]["data"].get("validation", {}).get("status") == "refuted",
      f"after the edit: {moved}")

# 6. A slow endpoint: the validation times out with an error verdict while typing is never held up.
third = by_rule_line(diags, 11)
check(third, f"expected a finding on line 12: {diags}")
args = dict(cmd["arguments"][0], validator="endpoint", fingerprint=third[0]["data"]["fingerprint"], line=13)
t0 = time.monotonic()
rid = client.request("workspace/executeCommand", {"command": "vigil.validateFinding", "arguments": [args]})
time.sleep(0.2)
t_edit = time.monotonic()
client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                         "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                                                             "text": "#\n"}]})
wait(publish_for(3))
typing_latency = time.monotonic() - t_edit
check(typing_latency < 1.0, f"diagnostics waited for the validator: {typing_latency:.2f}s")
reply = wait(lambda m: m.get("id") == rid, timeout=15)
elapsed = time.monotonic() - t0
check(reply.get("result", {}).get("status") == "error" and "in time" in reply["result"].get("explanation", ""),
      f"slow endpoint: {reply}")
check(elapsed < 5, f"the timeout took {elapsed:.1f}s")
upd = wait(publish_for(None, lambda ds: any("validation failed (endpoint (slow-model))" in x["message"] for x in ds)))
failed = [x for x in upd["params"]["diagnostics"] if "validation failed" in x["message"]][0]
check(failed.get("severity") == 1, f"an error verdict must leave the severity alone: {failed}")

# 7. $/cancelRequest cancels a running validation.
rid = client.request("workspace/executeCommand", {"command": "vigil.validateFinding", "arguments": [args]})
time.sleep(0.2)
t0 = time.monotonic()
client.notify("$/cancelRequest", {"id": rid})
reply = wait(lambda m: m.get("id") == rid, timeout=10)
check(reply.get("error", {}).get("code") == -32800 and time.monotonic() - t0 < 1.0, f"cancel: {reply}")

code = client.shutdown_and_exit()
check(code == 0, f"exit code {code}")

# 8. validation.auto (default `ai`): a bulk insert (AI-written) with a finding is validated by itself,
# after the fast result was published.
client = Client([BINARY, "lsp"], env=env)
seen = []
uri = "file://" + os.path.join(ws, "auto.py")
rid = client.request("initialize", {"rootUri": "file://" + ws, "capabilities": {}})
wait(lambda m: m.get("id") == rid)
client.notify("initialized")
client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                        "text": "import os\nfrom flask import request\n"}})
wait(publish_for(1))
block = "\n\ndef h():\n    cmd = request.args.get('c')\n    os.system('x ' + cmd)\n"
client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                         "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
                                                             "text": block}]})
fast = wait(publish_for(2, lambda ds: any(x.get("code") == "py-os-command-injection" for x in ds)))
first = [x for x in fast["params"]["diagnostics"] if x.get("code") == "py-os-command-injection"][0]
check("validation" not in first.get("data", {}), "the fast result must not wait for validation")
later = wait(publish_for(2, lambda ds: any(x.get("data", {}).get("validation", {}).get("validator") == "deep" for x in ds)), timeout=10)
check(True, "")
code = client.shutdown_and_exit()
check(code == 0, f"exit code {code}")

http.shutdown()
shutil.rmtree(root, ignore_errors=True)
print(f"typing latency during a slow validation: {typing_latency * 1000:.0f} ms")
if failures:
    print(f"{len(failures)} failures")
    sys.exit(1)
print("ok")
