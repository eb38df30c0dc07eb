"""The hostile-workspace harness: each case builds a workspace an attacker controls in a temporary
directory, next to an `outside/` directory that holds a canary secret and canary files, then runs
`vigil check` and `vigil lsp` on it and asserts what must hold whatever the workspace contains:

- nothing outside is read: the canary secret never appears in any output, log or database;
- nothing outside is written: the canary files are unchanged and no file appears outside;
- git runs nothing the repository names: no `pwned-*` marker file is created;
- no hang: every run ends within its bound;
- memory stays under a bound (peak RSS of the child, from wait4);
- the exit status is 0, 1 or 2 (check) or 0 after shutdown/exit (lsp), never a signal.

VIGIL_SANITIZED=1 (scripts/sanitize) relaxes the time and memory bounds for ASan and skips
RLIMIT_AS, which ASan's shadow memory cannot live under."""
import hashlib
import json
import os
import queue
import resource
import shutil
import signal
import subprocess
import tempfile
import threading
import time

SANITIZED = os.environ.get("VIGIL_SANITIZED") == "1"
CANARY = "CANARY-SECRET-7f3a9c1e-do-not-leak"
TIME_BOUND = 90.0 if SANITIZED else 30.0  # seconds per run
RSS_BOUND_MB = 3000 if SANITIZED else 1024
# Address space: enough for the threads' stacks (256 MiB each, cli/main.cpp; `check` runs one
# thread per core), small enough to stop a runaway.
AS_LIMIT = (6 << 30) + (os.cpu_count() or 1) * (256 << 20)


class Failure(Exception):
    pass


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


def git(cwd, *args, env=None, check=True):
    e = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=cwd, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.com",
             GIT_COMMITTER_NAME="T", GIT_COMMITTER_EMAIL="t@example.com")
    e.update(env or {})
    return subprocess.run(["git", *args], cwd=cwd, env=e, check=check, capture_output=True)


def _limit():
    if not SANITIZED:
        resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class Run:
    """One child process: output collected by threads, waited with wait4 for its peak RSS."""

    def __init__(self, argv, cwd, env, stdin_data=None, user=None):
        self.argv = argv
        ids = dict(user=user, group=user, extra_groups=[]) if user is not None else {}
        self.proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, preexec_fn=_limit, **ids)
        self.out, self.err = bytearray(), bytearray()
        self.status = None
        self.rss_mb = 0.0
        self.t0 = time.monotonic()
        self._threads = [threading.Thread(target=self._drain, args=(self.proc.stdout, self.out), daemon=True),
                         threading.Thread(target=self._drain, args=(self.proc.stderr, self.err), daemon=True)]
        for t in self._threads:
            t.start()
        if stdin_data is not None:
            try:
                self.proc.stdin.write(stdin_data)
                self.proc.stdin.close()
            except BrokenPipeError:
                pass

    @staticmethod
    def _drain(stream, into):
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                return
            into.extend(chunk)

    def reap(self, block=False):
        """Collects the exit status and peak RSS once the process has ended; True when it has."""
        if self.status is not None:
            return True
        pid, status, usage = os.wait4(self.proc.pid, 0 if block else os.WNOHANG)
        if not pid:
            return False
        self.status = status
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        self.rss_mb = usage.ru_maxrss / 1024.0
        return True

    def wait(self, bound=TIME_BOUND):
        """Waits until the process ends or `bound` passes (then kills it and fails)."""
        deadline = self.t0 + bound
        while not self.reap():
            if time.monotonic() > deadline:
                self.proc.kill()
                self.reap(block=True)
                raise Failure("%s did not end within %.0fs" % (" ".join(self.argv[1:3]), bound))
            time.sleep(0.02)
        for t in self._threads:
            t.join(5)
        return self.proc.returncode

    def kill(self):
        if self.status is None:
            self.proc.kill()
            self.reap(block=True)

    @property
    def elapsed(self):
        return time.monotonic() - self.t0


class LspRun(Run):
    """`vigil lsp` with a reader thread that splits the framed output into messages."""

    def __init__(self, argv, cwd, env, user=None):
        self.messages = queue.Queue()
        self.next_id = 1
        super().__init__(argv, cwd, env, user=user)
        self._buf = bytearray()

    @staticmethod
    def _drain(stream, into):  # stdout is parsed below; keep the raw bytes too
        Run._drain(stream, into)

    def send_raw(self, data):
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            raise Failure("the server closed its input (crashed?)")

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params if params is not None else {}})
        return rid

    def notify(self, method, params=None):
        self.send({"jsonrpc": "2.0", "method": method, "params": params if params is not None else {}})

    def parsed(self):
        """Every complete message on stdout so far."""
        data, msgs, i = bytes(self.out), [], 0
        while True:
            end = data.find(b"\r\n\r\n", i)
            if end < 0:
                return msgs
            length = None
            for line in data[i:end].split(b"\r\n"):
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    length = int(v)
            if length is None or end + 4 + length > len(data):
                return msgs
            msgs.append(json.loads(data[end + 4:end + 4 + length]))
            i = end + 4 + length

    def wait_for(self, pred, bound=TIME_BOUND, what="a message"):
        deadline = time.monotonic() + bound
        while time.monotonic() < deadline:
            for m in self.parsed():
                if pred(m):
                    return m
            if self.reap():
                for t in self._threads:
                    t.join(5)
                raise Failure("the server ended (status %s) while waiting for %s; its stderr ended with: %s"
                              % (self.proc.returncode, what, bytes(self.err)[-6000:].decode("utf-8", "replace")))
            time.sleep(0.02)
        raise Failure("no %s within %.0fs" % (what, bound))

    def response(self, rid, bound=TIME_BOUND):
        return self.wait_for(lambda m: m.get("id") == rid and "method" not in m, bound, "answer to request %d" % rid)


class Context:
    def __init__(self, binary, base):
        self.binary = binary
        self.base = base
        self.ws = os.path.join(base, "ws")
        self.outside = os.path.join(base, "outside")
        self.home = os.path.join(base, "home")
        os.makedirs(self.ws)
        os.makedirs(self.home)
        self.user = None  # a uid to run Vigil as (see drop_privileges)
        self.secret = os.path.join(self.outside, "secrets", "token.yaml")
        # The canary reads like a rule file and like source code, so that a reader that gets to it
        # has something to echo.
        write(self.secret, "id: %s\nlanguage: python\nrule:\n  pattern: %s\nmessage: %s\n" % (CANARY, CANARY, CANARY))
        # Not YAML at all: a loader that quotes what it could not parse would show it.
        write(os.path.join(self.outside, "secrets", "broken.yaml"), "%s: [\n  {%s\n" % (CANARY, CANARY))
        write(os.path.join(self.outside, "secrets", "token.py"), "password = '%s'\neval(x)\n" % CANARY)
        write(os.path.join(self.outside, "canary.db"), "canary database, must stay as it is\n")
        write(os.path.join(self.outside, "canary.py"), "import os\nos.system(x)  # %s\n" % CANARY)
        self.env = dict(os.environ, HOME=self.home, XDG_CONFIG_HOME=os.path.join(self.home, ".config"),
                        GIT_CONFIG_NOSYSTEM="1", NO_COLOR="1")
        self.env.pop("GIT_DIR", None)
        self.env.pop("GIT_WORK_TREE", None)

    def drop_privileges(self):
        """Runs Vigil as `nobody` from now on when the tests run as root, who reads everything: a
        mode-0 file or directory is then unreadable for real. The tree is handed over to nobody."""
        if os.geteuid() != 0:
            return
        subprocess.run(["chown", "-R", "65534:65534", self.base], check=True)
        os.chmod(self.base, 0o755)
        self.user = 65534

    def pwned(self, name):
        """A command that creates outside/pwned-<name> if anything runs it."""
        return "touch %s" % os.path.join(self.outside, "pwned-" + name)

    def snapshot_outside(self):
        out = {}
        for d, _, files in os.walk(self.outside):
            for f in files:
                p = os.path.join(d, f)
                try:
                    with open(p, "rb") as fh:
                        out[p] = hashlib.sha256(fh.read()).hexdigest()
                except OSError:
                    out[p] = "unreadable"
        return out

    def uri(self, rel):
        return "file://" + os.path.join(self.ws, rel)


def leaked_in_workspace(ctx):
    """Files inside the workspace that Vigil wrote and that contain the canary (the database, logs)."""
    hits = []
    vigil_dir = os.path.join(ctx.ws, ".vigil")
    if os.path.isdir(vigil_dir) and not os.path.islink(vigil_dir):
        for d, _, files in os.walk(vigil_dir):
            for f in files:
                p = os.path.join(d, f)
                if os.path.islink(p) or not os.path.isfile(p):
                    continue
                with open(p, "rb") as fh:
                    if CANARY.encode() in fh.read():
                        hits.append(p)
    return hits


def check_invariants(ctx, before, runs):
    problems = []
    for r in runs:
        for name, data in (("stdout", r.out), ("stderr", r.err)):
            if CANARY.encode() in data:
                problems.append("%s of `%s` shows the outside secret" % (name, " ".join(r.argv[1:3])))
        if r.rss_mb > RSS_BOUND_MB:
            problems.append("`%s` peaked at %.0f MB (bound %d)" % (" ".join(r.argv[1:3]), r.rss_mb, RSS_BOUND_MB))
    problems += ["%s holds the outside secret" % p for p in leaked_in_workspace(ctx)]
    after = ctx.snapshot_outside()
    for p in sorted(set(before) | set(after)):
        if os.path.basename(p).startswith("pwned-"):
            problems.append("git (or something) ran a command the repository named: %s exists" % os.path.basename(p))
        elif p not in before:
            problems.append("%s was created outside the workspace" % p)
        elif p not in after or before[p] != after[p]:
            problems.append("%s outside the workspace was changed" % p)
    return problems
