#!/usr/bin/env python3
"""Typing latency by file size: `vigil lsp` next to `ast-grep lsp`, in the same run.

For each language (Python, JavaScript) and size (1k, 8k, 32k lines by default) it opens a generated
file in each server and types single characters at random places (the end of a comment, or inside
an identifier), one edit at a time, waiting after each for the publishDiagnostics of the new
version. Vigil runs with all its built-in rules and gets incremental didChange notifications;
ast-grep offers only full sync, so it gets the whole text each time, with a rule set of its own
format: every built-in Vigil rule written with `rule:` for that language, translated as in
scan_vs_astgrep.py (the rules ast-grep fails to load are dropped and counted).

Printed per row: p50 / p95 latency (ms, from writing the didChange to reading the publish), the
server's CPU time per edit (all threads, from /proc: it includes Vigil's complete pass, which runs
after the first publish), and findings on open. Vigil's first publish of a version is its local
pass: the complete pass follows and publishes again only when it differs.

Usage: bench/typing_latency.py [VIGIL] [--ast-grep PATH] [--languages python,javascript]
                       [--sizes 1000,8000,32000] [--edits 200] [--json]
                       [--vigil-wrap 'valgrind --tool=callgrind ...'] [--file-budget S] [--no-ast-grep]

Profiling a keystroke: --vigil-wrap runs `vigil lsp` under a command (callgrind, perf), and
--file-budget gives it a user config with that budget (under valgrind the default 5 s cuts the
open analysis short). Under callgrind the counters are zeroed after the open and the warm-up edits. For example, the publish path of JavaScript at 8k lines:
  bench/run typing --languages javascript --sizes 8000 --edits 10 --no-ast-grep --file-budget 3000 \
    --vigil-wrap "valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out --collect-atstart=no
    --toggle-collect=vigil::analyze_local* --toggle-collect=vigil::lsp::Server::did_change*
    --toggle-collect=vigil::lsp::Server::analysed* --toggle-collect=vigil::lsp::Server::publish_analysed*"
"""
import argparse
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from didchange_latency import Server, cpu_seconds, generate_python, percentile  # noqa: E402
from scan_vs_astgrep import BUILTIN, DEFAULT_AST_GREP, generated_file, translate_builtin  # noqa: E402

LANGS = {
    # language id, extension, ast-grep name, comment marker, assignment pattern (identifier group)
    "python": ("python", ".py", "#", re.compile(r"^\s+([A-Za-z_]\w*) = ")),
    "javascript": ("javascript", ".js", "//", re.compile(r"^\s*(?:const|let|var)\s+([A-Za-z_]\w*)\s*=")),
}


def make_lines(language, n, workdir):
    if language == "python":
        return generate_python(n, random.Random(1))
    path = generated_file(language, (LANGS[language][1],), n, os.path.join(workdir, "concat" + LANGS[language][1]))
    lines = open(path, encoding="utf-8").read().split("\n")[:n]
    os.remove(path)
    return lines


def ast_grep_project(ast_grep, language, workdir):
    """A project directory with sgconfig.yml and the translated built-in `rule:` rules; (dir, rules, dropped)."""
    proj = os.path.join(workdir, "ast-grep-" + language)
    rules = os.path.join(proj, "rules")
    os.makedirs(rules)
    with open(os.path.join(proj, "sgconfig.yml"), "w") as f:
        f.write("ruleDirs:\n  - rules\n")
    probe = os.path.join(proj, "probe" + LANGS[language][1])
    open(probe, "w").write("\n")
    kept = dropped = 0
    pack = os.path.join(BUILTIN, language)
    for name in sorted(os.listdir(pack)):
        if not name.endswith(".yaml"):
            continue
        text = translate_builtin(os.path.join(pack, name), language)
        if text is None:
            continue
        dest = os.path.join(rules, name[:-5] + ".yml")
        open(dest, "w", encoding="utf-8").write(text)
        r = subprocess.run([ast_grep, "scan", "-r", dest, probe], capture_output=True)
        if r.returncode not in (0, 1):
            os.remove(dest)
            dropped += 1
        else:
            kept += 1
    os.remove(probe)
    return proj, kept, dropped


def edit_targets(language, lines):
    marker, assign = LANGS[language][2], LANGS[language][3]
    comments = [i for i, l in enumerate(lines) if l.lstrip().startswith(marker)]
    idents = [(i, m.end(1)) for i, l in enumerate(lines) if (m := assign.match(l))]
    return comments, idents


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def run_server(argv, root, uri, language, lines, edits, full_sync, timeout=60.0, env=None, zero_counters=False):
    server = Server(argv, stderr=subprocess.DEVNULL, env=env)
    rng = random.Random(7)
    try:
        rid = server.request("initialize", {
            "processId": os.getpid(), "rootUri": "file://" + root,
            "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True}}}})
        server.wait_response(rid, timeout)
        server.notify("initialized", {})

        def wait_publish(version):
            deadline = time.perf_counter() + timeout
            while True:
                t, msg = server.receive(deadline)
                if "id" in msg and "method" in msg:  # a server request (registerCapability...): accept
                    server.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                    continue
                if msg.get("method") == "textDocument/publishDiagnostics" and msg["params"].get("uri") == uri:
                    if msg["params"].get("version") == version:
                        return t, msg["params"]

        version = 1
        t0 = server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": LANGS[language][0], "version": 1, "text": "\n".join(lines) + "\n"}})
        t1, p = wait_publish(1)
        open_ms, findings = (t1 - t0) * 1000, len(p["diagnostics"])
        comments, idents = edit_targets(language, lines)
        latencies, warmup, cpu0 = [], 5, None
        for n in range(warmup + edits):
            if not idents or rng.random() < 0.75:
                line = rng.choice(comments)
                col = len(lines[line])
            else:
                line, col = rng.choice(idents)
            ch = rng.choice("abcdefghijklmnopqrstuvwxyz")
            text = lines[line]
            lines[line] = text[:col] + ch + text[col:]
            version += 1
            if n == warmup:
                cpu0 = cpu_seconds(server.proc.pid)
                if zero_counters:  # callgrind counts the measured edits only, not the open and warm-up
                    subprocess.run(["callgrind_control", "-z", str(server.proc.pid)], capture_output=True, check=True)
            if full_sync:
                change = {"text": "\n".join(lines) + "\n"}
            else:
                pos = {"line": line, "character": utf16_len(text[:col])}
                change = {"range": {"start": pos, "end": pos}, "text": ch}
            ts = server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                          "contentChanges": [change]})
            tr, _ = wait_publish(version)
            if n >= warmup:
                latencies.append((tr - ts) * 1000)
        cpu_ms = (cpu_seconds(server.proc.pid) - cpu0) * 1000 / edits
        rid = server.request("shutdown")
        server.wait_response(rid, timeout)
        server.notify("exit")
        server.proc.wait(timeout=timeout)
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
    lat = sorted(latencies)
    return {"p50_ms": round(percentile(lat, 50), 2), "p95_ms": round(percentile(lat, 95), 2),
            "cpu_per_edit_ms": round(cpu_ms, 2), "open_ms": round(open_ms, 1), "findings": findings}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("vigil", nargs="?", default=os.environ.get("VIGIL_BIN", os.path.join(ROOT, "build", "cli", "vigil")))
    ap.add_argument("--ast-grep", default=os.environ.get("AST_GREP", DEFAULT_AST_GREP))
    ap.add_argument("--languages", default="python,javascript")
    ap.add_argument("--sizes", default="1000,5000,8000,32000")
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--vigil-wrap", default="", help="command (shell words) that runs `vigil lsp`, e.g. valgrind")
    ap.add_argument("--file-budget", type=float, help="vigil's fileBudget (seconds), through a user config")
    ap.add_argument("--no-ast-grep", action="store_true")
    args = ap.parse_args()
    have_ast_grep = os.access(args.ast_grep, os.X_OK) and not args.no_ast_grep
    rows = []
    tmp = tempfile.mkdtemp(prefix="vigil-typing-")
    vigil_env = None
    if args.file_budget is not None or args.vigil_wrap:
        # Vigil reads the user config under $XDG_CONFIG_HOME: an empty one, or one with the budget only.
        xdg = os.path.join(tmp, "xdg")
        os.makedirs(os.path.join(xdg, "vigil"))
        with open(os.path.join(xdg, "vigil", "config.yaml"), "w") as f:
            if args.file_budget is not None:
                f.write("fileBudget: %g\n" % args.file_budget)
        vigil_env = dict(os.environ, XDG_CONFIG_HOME=xdg)
    timeout = 600.0 if args.vigil_wrap else 60.0
    try:
        print("typing latency: %d single-character edits per row; vigil: all built-in rules, incremental sync; "
              "ast-grep lsp: full sync, the translated built-in `rule:` rules" % args.edits)
        print("%-11s %6s  %-8s %8s %8s %9s %9s %8s" % ("language", "lines", "server", "p50 ms", "p95 ms",
                                                       "CPU/edit", "open ms", "findings"))
        for language in [l for l in args.languages.split(",") if l]:
            proj = None
            if have_ast_grep:
                proj, kept, dropped = ast_grep_project(args.ast_grep, language, tmp)
            for size in [int(s) for s in args.sizes.split(",") if s]:
                lines = make_lines(language, size, tmp)
                servers = [("vigil", shlex.split(args.vigil_wrap) + [os.path.abspath(args.vigil), "lsp"], tmp, False)]
                if proj:
                    # ast-grep lsp reads its project (sgconfig.yml) from the working directory.
                    servers.append(("ast-grep", ["sh", "-c", 'cd "$0" && exec "$1" lsp', proj, args.ast_grep], proj, True))
                for name, argv, root, full in servers:
                    uri = "file://" + os.path.join(root, "typed" + LANGS[language][1])
                    r = run_server(argv, root, uri, language, list(lines), args.edits, full, timeout,
                                   vigil_env if name == "vigil" else None,
                                   name == "vigil" and "callgrind" in args.vigil_wrap)
                    r.update({"language": language, "lines": len(lines), "server": name})
                    if name == "ast-grep":
                        r["rules"] = kept
                    rows.append(r)
                    print("%-11s %6d  %-8s %8.2f %8.2f %9.2f %9.1f %8d" % (
                        language, len(lines), name, r["p50_ms"], r["p95_ms"], r["cpu_per_edit_ms"], r["open_ms"],
                        r["findings"]), flush=True)
            if proj:
                print("  (ast-grep: %d rules loaded, %d dropped)" % (kept, dropped))
        if args.json:
            print(json.dumps(rows))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
