#!/usr/bin/env python3
"""Durability of the feedback bank: `vigil mcp` recording verdicts (record_verdict) is killed with
SIGKILL at a random moment, round after round, while a second `vigil mcp` keeps writing verdicts to
the same database. Every verdict acknowledged to a client (a tool result received) must be in the
bank afterwards, and `PRAGMA integrity_check` must say ok.

Usage: sigkill_verdicts.py VIGIL [ROUNDS]   (default 50 rounds; a fifth of them, with longer waits,
under ASan + UBSan: VIGIL_SANITIZED=1, set by scripts/sanitize)
"""
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

VIGIL = os.path.abspath(sys.argv[1])
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 50
# Under the sanitizers each server start and write is several times slower: fewer rounds (still
# one killed at once), longer waits, the same assertions.
SANITIZED = os.environ.get("VIGIL_SANITIZED") == "1"
if SANITIZED:
    ROUNDS = max(10, ROUNDS // 5)
WAIT = 4.0 if SANITIZED else 1.0
RULE = "py-subprocess-shell-injection"

root = tempfile.mkdtemp(prefix="vigil-durability-")
os.makedirs(os.path.join(root, ".vigil"))
home = os.path.join(root, "home")
os.makedirs(home)
env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"))


def start():
    p = subprocess.Popen([VIGIL, "mcp", "--root", root, "--log-level", "error"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    send(p, {"jsonrpc": "2.0", "id": 0, "method": "initialize",
             "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "durability", "version": "1"}}})
    line = p.stdout.readline()
    assert line and json.loads(line).get("id") == 0, line
    send(p, {"jsonrpc": "2.0", "method": "notifications/initialized"})
    return p


def send(p, msg):
    p.stdin.write((json.dumps(msg) + "\n").encode())
    p.stdin.flush()


def verdict_call(rid, fingerprint):
    return {"jsonrpc": "2.0", "id": rid, "method": "tools/call",
            "params": {"name": "record_verdict",
                       "arguments": {"fingerprint": fingerprint, "ruleId": RULE, "verdict": "false_positive", "reason": "r"}}}


def acknowledged(line, pending):
    """The fingerprint a response line acknowledges, or None."""
    try:
        msg = json.loads(line)
    except ValueError:
        return None
    result = msg.get("result")
    if not isinstance(result, dict) or result.get("isError"):
        return None
    return pending.get(msg.get("id"))


failures = []

# The other writer: its own server, writing for the whole run.
other_acked = []
stop = threading.Event()


def other_writer():
    p = start()
    n = 0
    while not stop.is_set():
        n += 1
        fp = f"other-{n:06d}"
        send(p, verdict_call(n, fp))
        line = p.stdout.readline()
        if acknowledged(line, {n: fp}):
            other_acked.append(fp)
        else:
            failures.append(f"the other writer's verdict {n} was refused: {line!r}")
            break
    p.stdin.close()
    p.wait(timeout=10 * WAIT)


writer = threading.Thread(target=other_writer, daemon=True)
writer.start()

acked = []
t0 = time.monotonic()
for round_no in range(ROUNDS):
    p = start()
    pending = {}
    # Requests stream in while the reader collects acknowledgements; the kill lands mid-stream.
    for i in range(1, 200):
        fp = f"round{round_no:03d}-{i:04d}"
        pending[i] = fp
        send(p, verdict_call(i, fp))
    got = []
    first = threading.Event()

    def reader():
        for line in p.stdout:
            fp = acknowledged(line, pending)
            if fp:
                got.append(fp)
                first.set()

    r = threading.Thread(target=reader, daemon=True)
    r.start()
    # The kill lands at a random moment after the first acknowledgement (or at once in one round
    # of ten), not at a fixed time: on a loaded machine a fixed delay can end every round before
    # any write, and the test would prove nothing.
    if round_no % 10 != 9:
        first.wait(timeout=20 * WAIT)
    time.sleep(random.uniform(0, 0.1))
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    r.join(timeout=5 * WAIT)
    acked.extend(got)  # read before the process died: acknowledged
    try:
        p.stdin.close()
    except OSError:
        pass
stop.set()
writer.join(timeout=30 * WAIT)
elapsed = time.monotonic() - t0

db = sqlite3.connect(os.path.join(root, ".vigil", "feedback.db"))
stored = {row[0] for row in db.execute("SELECT fingerprint FROM feedback_verdict")}
integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
db.close()
lost = [fp for fp in acked + other_acked if fp not in stored]
if lost:
    failures.append(f"{len(lost)} acknowledged verdicts lost, e.g. {lost[:5]}")
if integrity != "ok":
    failures.append(f"integrity_check: {integrity}")
if not acked:
    failures.append("no verdict was acknowledged before a kill: the test proves nothing")
print(f"{ROUNDS} rounds in {elapsed:.1f}s: {len(acked)} verdicts acknowledged by the killed servers, "
      f"{len(other_acked)} by the concurrent writer, {len(stored)} stored, integrity {integrity}")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
