#!/usr/bin/env python3
"""`vigil check --validate=endpoint` against a real chat-completions server on loopback started
here: a good structured answer, a verdict in prose, a server without JSON-schema support, HTTP
errors (retried, bounded), malformed JSON, a slow server (timeout), plain HTTP to a remote host
(refused), the API key from the environment variable the user's settings name, and secrets
redacted from what is sent.

Usage: test_validate_endpoint.py VIGIL
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VIGIL = sys.argv[1]
failures = []
requests = []  # (mode, headers, body)


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def answer(content):
    return {"id": "x", "object": "chat.completion", "model": "judge-1",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        mode = self.path.strip("/").split("/")[0]
        requests.append((mode, dict(self.headers), body))
        req = json.loads(body)
        status, payload = 200, None
        if mode == "good":
            payload = answer(json.dumps({"status": "confirmed", "explanation": "request.args reaches os.system",
                                         "confidence": 0.9, "suggestedFix": "subprocess.run([...])"}))
        elif mode == "prose":
            payload = answer("Looking at the code, the value is checked first. This is a false positive: "
                             "the host is validated.")
        elif mode == "noschema":
            if "response_format" in req:
                status, payload = 400, {"error": {"message": "response_format json_schema is not supported"}}
            else:
                payload = answer("```json\n{\"verdict\": \"refuted\", \"reason\": \"fenced\", \"confidence\": \"high\"}\n```")
        elif mode == "error":
            status, payload = 503, {"error": {"message": "overloaded"}}
        elif mode == "malformed":
            raw = b"{not json"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
            return
        elif mode == "slow":
            time.sleep(20)
            payload = answer(json.dumps({"status": "confirmed", "explanation": "late", "confidence": 1}))
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the slow case's client hangs up on purpose


server = Server(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
port = server.server_address[1]

work = tempfile.mkdtemp(prefix="vigil-endpoint-")
proj = os.path.join(work, "proj")
os.makedirs(os.path.join(proj, ".vigil"))
with open(os.path.join(proj, "app.py"), "w") as fh:
    fh.write('import os\nfrom flask import request\n'
             'DB_URL = "postgres://admin:hunter2secret@db.internal:5432/app"\n\n'
             'def h():\n    password = "correct-horse-battery"\n    os.system("ping " + request.args["host"])\n')


def run(mode, timeout_ms=3000, retries=2, url=None, env_extra=None):
    home = os.path.join(work, "home-" + mode)
    cfg = os.path.join(home, ".config", "vigil")
    os.makedirs(cfg, exist_ok=True)
    url = url or f"http://127.0.0.1:{port}/{mode}/v1"
    with open(os.path.join(cfg, "config.yaml"), "w") as fh:
        fh.write("validation:\n  endpoint:\n"
                 f"    url: {url}\n    model: judge-1\n    apiKeyEnv: JUDGE_KEY\n"
                 f"    timeoutMs: {timeout_ms}\n    retries: {retries}\n")
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"), JUDGE_KEY="sk-test-key-123")
    env.update(env_extra or {})
    shutil.rmtree(os.path.join(proj, ".vigil"), ignore_errors=True)  # no remembered verdicts between cases
    t0 = time.monotonic()
    r = subprocess.run([VIGIL, "check", "--validate=endpoint", "--format", "json", "app.py"], cwd=proj, env=env,
                       capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - t0
    try:
        findings = json.loads(r.stdout)["findings"]
    except Exception:
        fail(f"{mode}: no JSON report (exit {r.returncode}): {r.stderr}")
        return None, elapsed, r
    v = [f["validation"] for f in findings if f["rule"] == "py-os-command-injection"]
    return (v[0] if v else None), elapsed, r


v, _, r = run("good")
if not v or v["status"] != "confirmed" or v["validator"] != "endpoint" or v.get("model") != "judge-1" \
        or v.get("suggestedFix") != "subprocess.run([...])":
    fail(f"good: {v} {r.stderr}")
good = [req for req in requests if req[0] == "good" and "py-os-command-injection" in req[2]]
if good:
    headers, body = good[0][1], good[0][2]
    if headers.get("Authorization") != "Bearer sk-test-key-123":
        fail(f"good: the API key was not sent from JUDGE_KEY: {headers.get('Authorization')}")
    sent = json.loads(body)
    if sent.get("response_format", {}).get("type") != "json_schema":
        fail("good: no JSON-schema response_format")
    if "hunter2secret" in body or "correct-horse-battery" in body:
        fail("good: a secret was sent to the endpoint")
    if "<redacted:" not in body:
        fail("good: no redaction marker in what was sent")
    if "Never" not in body and "constraint" not in body.lower():
        fail("good: the prompt does not carry the rule's constraint")

v, _, r = run("prose")
if not v or v["status"] != "refuted" or "false positive" not in v["explanation"]:
    fail(f"prose: {v} {r.stderr}")

v, _, r = run("noschema")
if not v or v["status"] != "refuted" or v["explanation"] != "fenced" or abs(v["confidence"] - 0.9) > 0.01:
    fail(f"noschema: {v} {r.stderr}")
def about_injection(q):
    return "py-os-command-injection" in q[2]


if len([q for q in requests if q[0] == "noschema" and about_injection(q)]) != 2:
    fail("noschema: expected one refused structured request and one plain request")

before = len(requests)
v, _, r = run("error", retries=2)
attempts = len([q for q in requests[before:] if q[0] == "error" and about_injection(q)])
if not v or v["status"] != "error" or "503" not in v["explanation"] or attempts != 3:
    fail(f"error: {v} after {attempts} attempts (want 3) {r.stderr}")
# An error verdict is not a refutation: the finding still fails the build.
if r.returncode != 1:
    fail(f"error: exit {r.returncode}, a failed validation must not hide the finding")

v, _, r = run("malformed")
if not v or v["status"] != "error" or "not JSON" not in v["explanation"]:
    fail(f"malformed: {v} {r.stderr}")

v, elapsed, r = run("slow", timeout_ms=1000)
if not v or v["status"] != "error" or "in time" not in v["explanation"] or elapsed > 15:
    fail(f"slow: {v} after {elapsed:.1f}s {r.stderr}")

v, _, r = run("remote", url="http://example.invalid/v1")
if not v or v["status"] != "error" or "loopback" not in v["explanation"]:
    fail(f"plain http to a remote host: {v} {r.stderr}")

# The key's variable is not set: a configuration error, not a silent unauthenticated request.
home = os.path.join(work, "home-good")
env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"))
env.pop("JUDGE_KEY", None)
r = subprocess.run([VIGIL, "check", "--validate=endpoint", "app.py"], cwd=proj, env=env, capture_output=True, text=True)
if r.returncode != 2 or "JUDGE_KEY" not in r.stderr:
    fail(f"missing key variable: exit {r.returncode} {r.stderr}")

server.shutdown()
shutil.rmtree(work, ignore_errors=True)
if failures:
    print(f"{len(failures)} failures")
    sys.exit(1)
print("ok")
