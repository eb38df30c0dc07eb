"""A minimal LSP client over pipes for protocol tests: frames, a reader thread, and waits with timeouts."""
import json
import os
import queue
import subprocess
import threading
import time

# Under ASan + UBSan (scripts/sanitize sets VIGIL_SANITIZED=1) the server runs several times slower:
# every wait is longer there; none is skipped and no assertion changes.
TIME_SCALE = 4.0 if os.environ.get("VIGIL_SANITIZED") == "1" else 1.0


class Client:
    def __init__(self, argv, cwd=None, env=None):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=cwd, env=env)
        self.messages = queue.Queue()
        self.stderr_lines = []
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            line = out.readline()
            if not line:
                self.messages.put(None)
                return
            while line not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
                line = out.readline()
            body = out.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def _drain_stderr(self):
        for line in self.proc.stderr:
            self.stderr_lines.append(line.decode("utf-8", "replace"))

    def send_raw(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params or {}})
        return rid

    def notify(self, method, params=None):
        self.send({"jsonrpc": "2.0", "method": method, "params": params or {}})

    def recv(self, timeout=10.0):
        """The next message, or None at end of output; raises TimeoutError."""
        return self._next(timeout * TIME_SCALE)

    def _next(self, timeout):
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError("no message from the server within %.1fs" % timeout)

    def wait_for(self, predicate, timeout=10.0, skipped=None):
        deadline = time.monotonic() + timeout * TIME_SCALE
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("expected message did not arrive")
            msg = self._next(left)
            if msg is None:
                raise EOFError("server closed its output")
            if predicate(msg):
                return msg
            if skipped is not None:
                skipped.append(msg)

    def response(self, rid, timeout=10.0):
        return self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout)

    def close_stdin(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass

    def wait_exit(self, timeout=10.0):
        return self.proc.wait(timeout=timeout * TIME_SCALE)

    def shutdown_and_exit(self):
        """The orderly end: shutdown, exit; returns the server's exit code."""
        self.response(self.request("shutdown"))
        self.notify("exit")
        return self.wait_exit()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def subset(expected, actual):
    """True when `actual` holds everything in `expected`: dict keys recursively, lists element by
    element (same length unless the expected list ends with "..."), "<any>" matches anything."""
    if expected == "<any>":
        return True
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and subset(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return False
        if expected and expected[-1] == "...":
            items = expected[:-1]
            return len(actual) >= len(items) and all(subset(e, a) for e, a in zip(items, actual))
        return len(expected) == len(actual) and all(subset(e, a) for e, a in zip(expected, actual))
    return expected == actual


def run_scenario(name, binary, scenario):
    """Runs `scenario(client)` against a fresh server: it returns a PASS detail or raises. Prints
    PASS/FAIL (with the server's stderr tail) and returns the process exit code for the test."""
    client = Client([binary, "lsp"])
    try:
        detail = scenario(client)
        code = client.shutdown_and_exit()
        assert code == 0, "exit code %d after shutdown and exit" % code
        print("PASS %s: %s" % (name, detail))
        return 0
    except (AssertionError, TimeoutError, EOFError) as e:
        print("FAIL %s: %r" % (name, e))
        print("".join(client.stderr_lines[-30:]))
        return 1
    finally:
        client.kill()
