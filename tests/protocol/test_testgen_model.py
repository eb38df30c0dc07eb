#!/usr/bin/env python3
""""Generate security tests for <function> with the model" over the real server.

Usage: test_testgen_model.py VIGIL_BIN

The user's settings (XDG_CONFIG_HOME) configure a chat-completions endpoint on loopback, started
here. The action is offered beside the plain one, as a command; executing it answers only after the
model did (the server keeps answering other requests meanwhile), then sends workspace/applyEdit with
the generated tests and the model's test. Applied and run, both fail against the vulnerable function.
A model that is down still gives the generated tests, with the reason in the result.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Client, run_scenario  # noqa: E402
from test_testgen import VULNERABLE, apply_edit  # noqa: E402

VIGIL = os.path.abspath(sys.argv[1])

MODEL_TEST = '''def test_export_report_command_injection_model_1():
    mod = importlib.import_module("app.jobs")
    undo = []
    sink = vigil_spy(mod, "subprocess.run", undo)
    try:
        VIGIL_CALLS.clear()
        vigil_invoke(mod.export_report, [("report_id", "", False)], "report_id", "1\\nid")
        calls = vigil_calls(sink)
        assert calls, "the report id never reached subprocess.run"
        for args, kwargs in calls:
            assert not (kwargs.get("shell") and "1\\nid" in str(args[0])), "a newline reached a shell"
    finally:
        vigil_undo(undo)
'''
mode = {"now": "good"}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(0.5)  # a model takes its time: the server must not wait for it on the IO thread
        if mode["now"] == "down":
            status, payload = 503, {"error": {"message": "overloaded"}}
        else:
            status = 200
            payload = {"model": "tester-2",
                       "choices": [{"index": 0, "message": {"role": "assistant", "content": "```python\n" + MODEL_TEST + "```"}}]}
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()

home = tempfile.mkdtemp(prefix="vigil-testgen-model-home-")
os.makedirs(os.path.join(home, "vigil"))
with open(os.path.join(home, "vigil", "config.yaml"), "w") as f:
    f.write("validation:\n  endpoint:\n"
            f"    url: http://127.0.0.1:{server.server_address[1]}/v1\n    model: tester-1\n    timeoutMs: 5000\n    retries: 0\n")
os.environ["XDG_CONFIG_HOME"] = home


def scenario(client):
    root = tempfile.mkdtemp(prefix="vigil-testgen-model-")
    os.makedirs(os.path.join(root, "app"))
    os.makedirs(os.path.join(root, "tests"))
    open(os.path.join(root, "pytest.ini"), "w").write("[pytest]\n")
    open(os.path.join(root, "app", "__init__.py"), "w").write("")
    source = os.path.join(root, "app", "jobs.py")
    open(source, "w").write(VULNERABLE)
    uri = "file://" + source
    rid = client.request("initialize", {
        "processId": None, "rootUri": "file://" + root, "initializationOptions": {"scope": "all"},
        "capabilities": {
            "textDocument": {"codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}}},
            "workspace": {"applyEdit": True, "workspaceEdit": {"documentChanges": True, "resourceOperations": ["create"]}},
        }})
    client.response(rid)
    client.notify("initialized", {})
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": VULNERABLE}})
    published = client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                and m["params"]["uri"] == uri and m["params"]["diagnostics"], timeout=20)
    diags = [d for d in published["params"]["diagnostics"] if d.get("code") == "py-subprocess-shell-injection"]
    assert diags, "no py-subprocess-shell-injection diagnostic"

    def model_action():
        rid = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": diags[0]["range"],
                                                          "context": {"diagnostics": diags}})
        result = client.response(rid, timeout=20)["result"] or []
        titles = [a["title"] for a in result if a["title"].startswith("Generate security tests")]
        assert titles == ["Generate security tests for export_report",
                          "Generate security tests for export_report with the model"], titles
        action = [a for a in result if a["title"].endswith("with the model")][0]
        assert "edit" not in action and action["command"]["arguments"][0]["withModel"] is True, action
        return action["command"]

    def execute(command):
        rid = client.request("workspace/executeCommand", {"command": command["command"], "arguments": command["arguments"]})
        # The IO thread is free while the model thinks: a hover is answered before the edit comes.
        hid = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": diags[0]["range"]["start"]})
        first = client.wait_for(lambda m: m.get("id") in (hid, rid) or m.get("method") == "workspace/applyEdit", timeout=20)
        assert first.get("id") == hid, "the server waited for the model before answering a hover: %r" % first
        apply = client.wait_for(lambda m: m.get("method") == "workspace/applyEdit", timeout=20)
        client.send({"jsonrpc": "2.0", "id": apply["id"], "result": {"applied": True}})
        return apply, client.response(rid, timeout=20)["result"]

    apply, info = execute(model_action())
    assert info["model"]["kept"] and info["model"]["tests"] == ["test_export_report_command_injection_model_1"], info
    apply_edit(apply["params"]["edit"])
    test_file = os.path.join(root, "tests", "test_jobs_security.py")
    content = open(test_file).read()
    assert "def test_export_report_command_injection(" in content and "Added by the model tester-2" in content, content[-800:]
    p = subprocess.run(info["argv"][0], cwd=info["cwd"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 1 and "2 failed" in p.stdout, "expected both tests to fail:\n" + p.stdout[-2000:]

    # A model that is down: the generated tests alone, and why.
    os.remove(test_file)
    mode["now"] = "down"
    apply, info = execute(model_action())
    assert not info["model"]["kept"] and "gave no tests" in info["model"]["message"], info
    apply_edit(apply["params"]["edit"])
    content = open(test_file).read()
    assert "def test_export_report_command_injection(" in content and "Added by the model" not in content, "model code written"
    return "offered as a command, IO thread free while asking, model test kept and failing; endpoint down: generated tests alone"


code = run_scenario("testgen/model-action", VIGIL, scenario)
server.shutdown()
sys.exit(code)
