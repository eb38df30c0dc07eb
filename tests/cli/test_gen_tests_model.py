#!/usr/bin/env python3
"""`vigil gen-tests --with-model` against a chat-completions server on loopback started here.

- A model test that is real code: it is added beside the generated one, fails (with it) against the
  vulnerable function under pytest and passes once the function is fixed.
- A model answer that does not parse, one that runs code at import time, and an endpoint that
  fails: the generated tests are written unchanged and the reason is printed.
- Secrets in the function never reach the endpoint; the API key comes from the user's variable.
- No endpoint in the user's settings (or one set only by the workspace): exit 2, nothing asked.

Usage: test_gen_tests_model.py VIGIL
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, failures, write  # noqa: E402

VIGIL = sys.argv[1]
requests = []  # (mode, headers, body)

MODEL_TEST = '''import shlex


def test_export_command_injection_model_1():
    """A newline and a command substitution are shell syntax too."""
    mod = importlib.import_module("app.jobs")
    undo = []
    sink = vigil_spy(mod, "subprocess.run", undo)
    try:
        for payload in ["a\\nid", "$(id)"]:
            VIGIL_CALLS.clear()
            vigil_invoke(mod.export, [("rid", "", False)], "rid", payload)
            for args, kwargs in vigil_calls(sink):
                cmd = args[0] if args else kwargs.get("args", "")
                if kwargs.get("shell") and isinstance(cmd, str) and payload in cmd:
                    assert shlex.quote(payload) in cmd, f"{payload!r} reached a shell unquoted: {cmd!r}"
        VIGIL_CALLS.clear()
        vigil_invoke(mod.export, [("rid", "", False)], "rid", "report")
        assert vigil_calls(sink), "an ordinary input never reached subprocess.run"
    finally:
        vigil_undo(undo)
'''

ANSWERS = {
    "good": "Two more cases:\n```python\n" + MODEL_TEST + "```\n",
    "broken": "```python\ndef test_export_command_injection_model_1(:\n    pass\n```",
    "import-time": "```python\nimport os\nos.system('touch /tmp/vigil-model-ran')\n\ndef test_x():\n    pass\n```",
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        mode = self.path.strip("/").split("/")[0]
        requests.append((mode, dict(self.headers), body))
        if mode == "down":
            status, payload = 503, {"error": {"message": "overloaded"}}
        else:
            status = 200
            payload = {"model": "tester-2", "choices": [{"index": 0, "message": {"role": "assistant", "content": ANSWERS[mode]}}]}
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
port = server.server_address[1]

work = tempfile.mkdtemp(prefix="vigil-gen-model-")
TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
VULNERABLE = ('import subprocess\n\n\ndef export(rid):\n    """Renders one report."""\n'
              f'    token = "{TOKEN}"\n'
              '    return subprocess.run("render --token " + token + " " + rid, shell=True)\n')
FIXED = ('import subprocess\n\n\ndef export(rid):\n    """Renders one report."""\n'
         f'    token = "{TOKEN}"\n'
         '    return subprocess.run(["render", "--token", token, rid])\n')


def project(name):
    proj = os.path.join(work, name)
    write(proj, "app/__init__.py", "")
    write(proj, "app/jobs.py", VULNERABLE)
    write(proj, "pytest.ini", "[pytest]\n")
    os.makedirs(os.path.join(proj, "tests"), exist_ok=True)
    os.makedirs(os.path.join(proj, ".vigil"), exist_ok=True)  # the project root
    return proj


def env_for(mode, configured=True):
    home = os.path.join(work, "home-" + mode)
    os.makedirs(os.path.join(home, ".config", "vigil"), exist_ok=True)
    if configured:
        write(home, ".config/vigil/config.yaml",
              "validation:\n  endpoint:\n"
              f"    url: http://127.0.0.1:{port}/{mode}/v1\n    model: tester-1\n    apiKeyEnv: TESTER_KEY\n"
              "    timeoutMs: 5000\n    retries: 0\n")
    return dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"), TESTER_KEY="sk-tester-key")


def gen(proj, mode, *extra, configured=True):
    return subprocess.run([VIGIL, "gen-tests", "app/jobs.py", *extra], cwd=proj, env=env_for(mode, configured),
                          capture_output=True, text=True, timeout=60)


def pytest(proj):
    # The generated run command (Debian's pytest, the one the suite uses).
    return subprocess.run(["pytest", "-q", "-p", "no:cacheprovider", test_file], cwd=proj,
                          capture_output=True, text=True, timeout=120)


test_file = os.path.join("tests", "test_jobs_security.py")

# Without the model: the reference content.
plain = project("plain")
r = gen(plain, "none", configured=False)
check(r.returncode == 0, f"plain gen-tests exit {r.returncode}: {r.stderr}")
reference = open(os.path.join(plain, test_file)).read()

# good: the model's test is added, fails against the vulnerable function, passes on the fixed one.
proj = project("good")
r = gen(proj, "good", "--with-model")
check(r.returncode == 0, f"good: exit {r.returncode}: {r.stderr}")
check("tester-2 added 1 test" in r.stderr, f"good: no report of the model's test: {r.stderr}")
content = open(os.path.join(proj, test_file)).read()
check(content.startswith(reference), "good: the generated tests changed")
check("def test_export_command_injection_model_1" in content and "Added by the model tester-2" in content,
      "good: the model's test is not in the file, marked")
sent = [req for req in requests if req[0] == "good"]
check(len(sent) == 1, f"good: {len(sent)} requests")
if sent:
    headers, body = sent[0][1], sent[0][2]
    check(headers.get("Authorization") == "Bearer sk-tester-key", "good: the user's API key was not sent")
    check("A1b2C3d4E5f6G7h8" not in body, "good: a secret of the function reached the endpoint")
    check("<redacted:" in body, "good: no redaction marker in the prompt")
    check("def export(rid)" in body and "test_export_command_injection_model_1" in body, "good: the prompt lacks the function or the naming")
t = pytest(proj)
check(t.returncode == 1 and "2 failed" in t.stdout, f"good: vulnerable: expected 2 failed tests:\n{t.stdout[-1500:]}")
check("model_1" in t.stdout, "good: the model's test did not fail against the vulnerable function")
write(proj, "app/jobs.py", FIXED)
t = pytest(proj)
check(t.returncode == 0 and "2 passed" in t.stdout, f"good: fixed: expected 2 passed:\n{t.stdout[-1500:]}{t.stderr[-500:]}")

# A second run does not add the model's test twice.
write(proj, "app/jobs.py", VULNERABLE)
r = gen(proj, "good", "--with-model")
check(open(os.path.join(proj, test_file)).read() == content, "good: a second run changed the file")
check("not kept" in r.stderr and "redefines" in r.stderr, f"good again: {r.stderr}")

# Answers that are refused, and an endpoint that fails: the generated tests alone.
for mode, why in [("broken", "does not parse"), ("import-time", "runs when the test file is imported"),
                  ("down", "gave no tests")]:
    proj = project(mode)
    r = gen(proj, mode, "--with-model")
    check(r.returncode == 0, f"{mode}: exit {r.returncode}: {r.stderr}")
    check(why in r.stderr, f"{mode}: the reason ({why}) is not printed: {r.stderr}")
    check(open(os.path.join(proj, test_file)).read() == reference, f"{mode}: the file is not the generated tests alone")
check(not os.path.exists("/tmp/vigil-model-ran"), "import-time: the model's code ran")

# No endpoint in the user's settings; one in the workspace's config only is not the user's.
proj = project("unset")
r = gen(proj, "unset", "--with-model", configured=False)
check(r.returncode == 2 and "no model endpoint configured" in r.stderr, f"unset: {r.returncode} {r.stderr}")
check(not os.path.exists(os.path.join(proj, test_file)), "unset: tests were written")
write(proj, ".vigil/config.yaml", f"validation:\n  endpoint:\n    url: http://127.0.0.1:{port}/good/v1\n    model: m\n")
before = len(requests)
r = gen(proj, "unset", "--with-model", configured=False)
check(r.returncode == 2, f"workspace endpoint: exit {r.returncode}: {r.stderr}")
check(len(requests) == before, "workspace endpoint: the workspace's endpoint was asked")

server.shutdown()
shutil.rmtree(work, ignore_errors=True)
print("FAILED" if failures else "ok", len(failures))
sys.exit(1 if failures else 0)
