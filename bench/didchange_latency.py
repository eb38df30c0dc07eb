#!/usr/bin/env python3
"""didChange -> publishDiagnostics latency of `vigil lsp` on a large Python file.

Starts the server, opens a generated N-line Python file (default 5,000), then types single
characters at random places (into comments and identifiers) with incremental didChange
notifications. After each edit it waits for the publishDiagnostics whose `version` equals the
new version and records the time from writing the didChange to reading that publish.

Prints p50 / p95 / p99 / max latency in milliseconds, the server's idle RSS after the open
(VmRSS) and its peak RSS (VmHWM, read just before shutdown), then shuts the server down
cleanly. Python 3 standard library only.

Usage: bench/didchange_latency.py [VIGIL_BIN] [--edits N] [--lines N] [--encoding utf-8|utf-16]
                                  [--warmup N] [--seed N] [--timeout S] [--json] [--server-arg ARG]...
"""

import argparse
import json
import os
import queue
import random
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BIN = os.path.join(REPO, "build", "cli", "vigil")


# --------------------------------------------------------------------------------------------
# The generated file

def generate_python(n_lines, rng):
    """Realistic-looking Python: imports, classes, methods, functions, comments, some non-ASCII
    text, and a few calls that rules flag (eval/exec of non-literals) among safe look-alikes."""
    out = [
        '"""Generated module for the Vigil didChange benchmark."""',
        "import hashlib",
        "import json",
        "import os",
        "import pickle",
        "import random",
        "import sqlite3",
        "import subprocess",
        "import sys",
        "from dataclasses import dataclass",
        "",
        "import requests",
        "import yaml",
        "",
        "",
    ]
    i = 0
    trailer = [
        "def main(argv):",
        "    # entry point",
        "    records = [Record0(name=str(n)) for n in range(3)] if False else []",
        "    for record in records:",
        "        print(record.describe())",
        "    return 0",
        "",
        "",
        'if __name__ == "__main__":',
        "    sys.exit(main(sys.argv))",
    ]
    longest_block = 20
    while len(out) < n_lines - len(trailer) - longest_block:
        i += 1
        kind = i % 4
        if i % 50 == 25:
            # a function with a handful of classic findings for the other built-in rules
            out += [
                f"def legacy_admin_{i}(request, db_path, host):",
                '    """Old admin endpoint kept for compatibility."""',
                '    name = request.args.get("name", "")',
                "    conn = sqlite3.connect(db_path)",
                "    cursor = conn.cursor()",
                "    cursor.execute(\"SELECT * FROM users WHERE name = '\" + name + \"'\")",
                '    os.system("ping -c 1 " + host)',
                '    subprocess.run("nslookup " + host, shell=True)',
                '    state = pickle.loads(request.data)',
                '    config = yaml.load(request.data)',
                '    digest = hashlib.md5(name.encode()).hexdigest()',
                '    token = "%032x" % random.getrandbits(128)',
                '    reply = requests.get("https://" + host, verify=False)',
                "    return state, config, digest, token, reply.status_code",
                "",
                "",
            ]
            continue
        if kind == 0:
            out += [
                "@dataclass",
                f"class Record{i}:",
                f'    """A record with a few fields — entrée №{i}."""',
                "    name: str",
                "    size: int = 0",
                "",
                "    def describe(self):",
                f"        # summary of the record 😀 {i}",
                f'        label = f"{{self.name}}:{{self.size}}"',
                "        return label.upper()",
                "",
                "    def grow(self, amount):",
                "        if amount < 0:",
                '            raise ValueError("negative")',
                "        self.size += amount  # grow in place",
                "        return self.size",
                "",
                "",
            ]
        elif kind == 1:
            risky = i % 20 == 1  # a few findings spread over the file
            out += [
                f"def handle_request_{i}(request, settings=None):",
                f'    """Handle request number {i}."""',
                "    settings = settings or {}",
                '    raw = request.get("payload", "")  # user-controlled',
                "    data = json.loads(raw) if raw else {}",
                "    total = 0",
                "    for key, value in data.items():",
                "        if isinstance(value, int):",
                "            total += value  # accumulate",
                "        else:",
                "            total += len(str(value))",
                ("    result = eval(raw)  # evaluates user input" if risky else
                 '    result = eval("1 + 1")  # constant expression'),
                "    return {\"total\": total, \"result\": result}",
                "",
                "",
            ]
        elif kind == 2:
            out += [
                f"def transform_{i}(items, factor=2):",
                "    # double every even item, keep the others — naïve version",
                "    output = []",
                "    for index, item in enumerate(items):",
                "        if index % 2 == 0:",
                "            output.append(item * factor)",
                "        else:",
                "            output.append(item)",
                "    return output",
                "",
                "",
            ]
        else:
            risky = i % 40 == 3
            out += [
                f"def run_tool_{i}(path):",
                "    # run a tool on a path from the configuration",
                '    env = dict(os.environ, LANG="C")',
                ('    code = compile(path, "<input>", "exec"); exec(path)' if risky else
                 '    code = "print(1)"'),
                '    proc = subprocess.run(["wc", "-l", path], capture_output=True, env=env)',
                "    return proc.returncode, code",
                "",
                "",
            ]
    while len(out) < n_lines - len(trailer):
        out.append(f"# padding line {len(out) + 1}")
    out += trailer
    return out  # exactly n_lines for any n_lines >= 35 (shorter requests get the minimal module)


def units(s, encoding):
    """Length of s in the negotiated position encoding's code units."""
    if encoding == "utf-8":
        return len(s.encode("utf-8"))
    if encoding == "utf-16":
        return len(s.encode("utf-16-le")) // 2
    return len(s)  # utf-32: code points


# --------------------------------------------------------------------------------------------
# JSON-RPC over stdio

class Server:
    def __init__(self, argv, stderr, env=None):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env)
        self.inbox = queue.Queue()
        self.next_id = 0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        out = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        self.inbox.put((time.perf_counter(), None))
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                if length is None:
                    raise ValueError("message without Content-Length")
                body = out.read(length)
                now = time.perf_counter()  # timestamp as soon as the body is in
                if len(body) < length:
                    self.inbox.put((now, None))
                    return
                self.inbox.put((now, json.loads(body)))
        except Exception as e:  # noqa: BLE001 - report and end the stream
            sys.stderr.write(f"reader: {e}\n")
            self.inbox.put((time.perf_counter(), None))

    def send(self, msg):
        body = json.dumps(msg, ensure_ascii=False).encode("utf-8")
        data = b"Content-Length: %d\r\n\r\n" % len(body) + body
        t = time.perf_counter()
        self.proc.stdin.write(data)
        self.proc.stdin.flush()
        return t

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:  # "params: none" in LSP means: leave the member out
            msg["params"] = params
        return self.send(msg)

    def request(self, method, params=None):
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.next_id

    def receive(self, deadline):
        """Next (timestamp, message); raises TimeoutError at the deadline, EOFError at end of stream."""
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise TimeoutError
        try:
            t, msg = self.inbox.get(timeout=remaining)
        except queue.Empty:
            raise TimeoutError from None
        if msg is None:
            raise EOFError("the server closed its output")
        return t, msg

    def wait_response(self, req_id, timeout, on_other=None):
        deadline = time.perf_counter() + timeout
        while True:
            _, msg = self.receive(deadline)
            if msg.get("id") == req_id and "method" not in msg:
                if "error" in msg:
                    raise RuntimeError(f"request {req_id} failed: {msg['error']}")
                return msg.get("result")
            if on_other:
                on_other(msg)


def read_status(pid):
    """VmRSS and VmHWM of pid in KiB."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0])
    return fields


def cpu_seconds(pid):
    """utime + stime of pid, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values, p):
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, -(-len(sorted_values) * p // 100) - 1))
    return sorted_values[int(k)]


# --------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("vigil", nargs="?", default=DEFAULT_BIN, help=f"vigil binary (default {DEFAULT_BIN})")
    ap.add_argument("--edits", type=int, default=300, help="measured single-character edits (default 300)")
    ap.add_argument("--warmup", type=int, default=10, help="edits before measuring (default 10)")
    ap.add_argument("--lines", type=int, default=5000, help="lines in the generated file (default 5000)")
    ap.add_argument("--encoding", choices=["utf-8", "utf-16"], default="utf-16",
                    help="position encoding to offer and use (default utf-16)")
    ap.add_argument("--seed", type=int, default=1, help="random seed for edit positions (default 1)")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each publish (default 10)")
    ap.add_argument("--json", action="store_true", help="also print the results as one JSON line")
    ap.add_argument("--server-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for `vigil lsp` (repeatable), e.g. --server-arg=--no-builtin "
                         "--server-arg=--rules --server-arg=DIR")
    ap.add_argument("--log", help="server log file (default: a temporary file, shown on failure)")
    args = ap.parse_args()

    if not os.access(args.vigil, os.X_OK):
        sys.exit(f"vigil binary not found or not executable: {args.vigil}")

    # Which rules the server has built in (for the report): the latency depends on them.
    python_rules = None
    try:
        listed = subprocess.run([args.vigil, "rules", "list", "--format", "json", *args.server_arg],
                                capture_output=True,
                                timeout=30, check=True).stdout
        python_rules = sorted(r["id"] for r in json.loads(listed)
                              if "python" in (r.get("languages") or [r.get("language")]))
    except (subprocess.SubprocessError, ValueError, KeyError, TypeError, OSError):
        pass

    rng = random.Random(args.seed)
    lines = generate_python(args.lines, rng)
    workdir = tempfile.mkdtemp(prefix="vigil-bench-")
    path = os.path.join(workdir, "generated_module.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    uri = "file://" + path
    log_path = args.log or os.path.join(workdir, "vigil.log")

    log = open(log_path, "wb")
    server = Server([args.vigil, "lsp", *args.server_arg], stderr=log)
    problems = []  # protocol anomalies seen on the way
    published = {"last": None}

    def check_publish(msg):
        """Every publish for our document must carry a version that never goes backwards."""
        if msg.get("method") != "textDocument/publishDiagnostics":
            return None
        p = msg.get("params", {})
        if p.get("uri") != uri:
            return None
        v = p.get("version")
        if v is None:
            problems.append("publishDiagnostics without a version")
        elif published["last"] is not None and v < published["last"]:
            problems.append(f"publish for version {v} after version {published['last']}")
        if v is not None:
            published["last"] = v if published["last"] is None else max(v, published["last"])
        return p

    def wait_publish(version, timeout):
        deadline = time.perf_counter() + timeout
        while True:
            t, msg = server.receive(deadline)
            p = check_publish(msg)
            if p is not None and p.get("version") == version:
                return t, p
            if p is not None and p.get("version", -1) > version:
                raise RuntimeError(f"got a publish for version {p.get('version')} while waiting for {version}")
            if "id" in msg and "method" in msg:  # a request from the server: decline politely
                server.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})

    def fail(what):
        sys.stderr.write(f"FAIL: {what}\n")
        try:
            server.proc.kill()
        except OSError:
            pass
        log.close()
        with open(log_path, "rb") as f:
            tail = f.read()[-3000:].decode("utf-8", "replace")
        if tail.strip():
            sys.stderr.write(f"--- server log tail ({log_path}) ---\n{tail}\n")
        sys.exit(1)

    try:
        # ---- initialize
        rid = server.request("initialize", {
            "processId": os.getpid(),
            "clientInfo": {"name": "vigil-bench"},
            "rootUri": "file://" + workdir,
            "capabilities": {
                "general": {"positionEncodings": [args.encoding]},
                "textDocument": {"synchronization": {"didSave": True},
                                 "publishDiagnostics": {"versionSupport": True}},
            },
        })
        result = server.wait_response(rid, args.timeout, check_publish)
        negotiated = result.get("capabilities", {}).get("positionEncoding", "utf-16")
        if negotiated != args.encoding:
            fail(f"asked for position encoding {args.encoding}, server chose {negotiated}")
        sync = result.get("capabilities", {}).get("textDocumentSync")
        change_kind = sync.get("change") if isinstance(sync, dict) else sync
        if change_kind != 2:
            fail(f"server does not offer incremental sync (change = {change_kind})")
        server.notify("initialized", {})

        # ---- open
        version = 1
        t0 = server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": version, "text": "\n".join(lines) + "\n"}})
        t1, p = wait_publish(version, max(args.timeout, 30.0))
        open_ms = (t1 - t0) * 1000
        findings_on_open = len(p.get("diagnostics", []))
        codes = sorted({str(d.get("code")) for d in p.get("diagnostics", [])})
        time.sleep(0.5)  # let allocations settle
        idle = read_status(server.proc.pid)

        # ---- edits: type one character at a time at random places
        comment_lines = [i for i, l in enumerate(lines) if "#" in l and not l.lstrip().startswith('"')]
        assign_lines = [i for i, l in enumerate(lines)
                        if l.startswith("    ") and " = " in l and l.strip().split(" = ")[0].isidentifier()]
        if not comment_lines or not assign_lines:
            fail("generated file has no editable lines")
        latencies = []
        cpu_before = None
        for n in range(args.warmup + args.edits):
            if rng.random() < 0.75:
                # append a character at the end of a comment (the line may contain non-ASCII text)
                line_no = rng.choice(comment_lines)
                col_chars = len(lines[line_no])
                ch = rng.choice("abcdefghijklmnopqrstuvwxyz ")
            else:
                # extend an assigned identifier: `    name = ...` -> `    namex = ...`
                line_no = rng.choice(assign_lines)
                text = lines[line_no]
                col_chars = len(text) - len(text.lstrip()) + len(text.strip().split(" = ")[0])
                ch = rng.choice("abcdefghijklmnopqrstuvwxyz_")
            text = lines[line_no]
            character = units(text[:col_chars], args.encoding)
            lines[line_no] = text[:col_chars] + ch + text[col_chars:]
            version += 1
            if n == args.warmup:
                cpu_before = cpu_seconds(server.proc.pid)
            pos = {"line": line_no, "character": character}
            ts = server.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": pos, "end": pos}, "text": ch}],
            })
            try:
                tr, p = wait_publish(version, args.timeout)
            except TimeoutError:
                fail(f"no publishDiagnostics for version {version} within {args.timeout} s "
                     f"(edit {n + 1}: line {line_no}, character {character}, {ch!r})")
            if n >= args.warmup:
                latencies.append((tr - ts) * 1000)
        findings_at_end = len(p.get("diagnostics", []))
        cpu_per_edit_ms = (cpu_seconds(server.proc.pid) - cpu_before) * 1000 / max(1, args.edits)
        peak = read_status(server.proc.pid)

        # ---- shutdown / exit
        rid = server.request("shutdown")
        server.wait_response(rid, args.timeout, check_publish)
        server.notify("exit")
        try:
            exit_code = server.proc.wait(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            fail("server did not exit after shutdown/exit")
    except (TimeoutError, EOFError, RuntimeError, BrokenPipeError, OSError) as e:
        code = server.proc.poll()
        fail(f"{type(e).__name__}: {e or 'timed out'}" + (f" (server exit code {code})" if code is not None else ""))
    log.close()

    lat = sorted(latencies)
    res = {
        "file_lines": args.lines,
        "encoding": args.encoding,
        "edits": len(lat),
        "open_ms": round(open_ms, 3),
        "findings_on_open": findings_on_open,
        "findings_at_end": findings_at_end,
        "rules_reported": codes,
        "python_rules_loaded": python_rules,
        "p50_ms": round(percentile(lat, 50), 3),
        "p95_ms": round(percentile(lat, 95), 3),
        "p99_ms": round(percentile(lat, 99), 3),
        "max_ms": round(lat[-1], 3),
        "mean_ms": round(sum(lat) / len(lat), 3),
        "server_cpu_per_edit_ms": round(cpu_per_edit_ms, 2),
        "idle_rss_mb": round(idle["VmRSS"] / 1024, 1),
        "peak_rss_mb": round(peak["VmHWM"] / 1024, 1),
        "exit_code": exit_code,
        "problems": problems,
    }
    print(f"vigil didChange -> publishDiagnostics latency ({args.vigil})")
    print(f"  file: {args.lines} lines of Python, encoding {args.encoding}, "
          f"{findings_on_open} findings on open ({', '.join(codes) or 'none'}), open+analysis {open_ms:.1f} ms")
    if python_rules is not None:
        print(f"  Python rules loaded: {len(python_rules)} ({', '.join(python_rules)})")
    print(f"  edits: {len(lat)} measured single-character incremental edits (+{args.warmup} warm-up)")
    print(f"  latency ms: p50 {res['p50_ms']:.3f}  p95 {res['p95_ms']:.3f}  p99 {res['p99_ms']:.3f}  "
          f"max {res['max_ms']:.3f}  mean {res['mean_ms']:.3f}")
    print(f"  server CPU time per edit: {cpu_per_edit_ms:.2f} ms (user+system, all threads)")
    print(f"  RSS: idle after open {res['idle_rss_mb']} MB, peak (VmHWM) {res['peak_rss_mb']} MB")
    print(f"  targets: p95 < 5 ms: {'met' if res['p95_ms'] < 5 else 'MISSED'}; "
          f"idle RSS < 30 MB: {'met' if res['idle_rss_mb'] < 30 else 'MISSED'}")
    print(f"  shutdown/exit: exit code {exit_code}")
    for pr in problems:
        print(f"  PROTOCOL PROBLEM: {pr}")
    if args.json:
        print(json.dumps(res))
    if not args.log:
        for name in (path, log_path):
            try:
                os.remove(name)
            except OSError:
                pass
        try:
            os.rmdir(workdir)
        except OSError:
            pass
    return 0 if exit_code == 0 and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
