#!/usr/bin/env python3
"""Server memory by number of open documents: RSS of `vigil lsp` idle (0) and with 1, 200 and 1,000 open files.

Opens N generated Python files of --lines lines each (the didChange benchmark's generator, each
file a little different), waits until every one has its diagnostics, reads VmRSS, then closes them
all, waits --settle seconds (closing persists each document's provenance first) and reads VmRSS
again. The same with `ast-grep lsp` (the built-in Python `rule:` rules, translated) beside, same
run, when ast-grep is installed. Prints RSS per count and the cost per open document.

After the documents close, their trees and texts are freed (the live heap, glibc's malloc_stats
"in use", goes back from 50 MB to 4.5 MB with 200 documents); glibc keeps freed pages in its arenas,
so the server gives them back after a burst of closes (malloc_trim), and VmRSS drops.

Usage: bench/open_documents.py [VIGIL] [--counts 0,1,200,1000] [--lines 200] [--json]
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from didchange_latency import Server, generate_python, read_status  # noqa: E402
from scan_vs_astgrep import DEFAULT_AST_GREP  # noqa: E402


def ast_grep_argv(ast_grep, workdir):
    """`ast-grep lsp` started in workdir, made an ast-grep project with the translated Python rules."""
    from typing_latency import ast_grep_project
    proj, _, _ = ast_grep_project(ast_grep, "python", workdir)
    for name in ("sgconfig.yml", "rules"):
        os.rename(os.path.join(proj, name), os.path.join(workdir, name))
    return ["sh", "-c", 'cd "$0" && exec "$1" lsp', workdir, ast_grep]


def measure(vigil, count, lines, settle, ast_grep=None, timeout=300.0):
    workdir = tempfile.mkdtemp(prefix="vigil-docs-")
    argv = ast_grep_argv(ast_grep, workdir) if ast_grep else [vigil, "lsp"]
    server = Server(argv, stderr=open(os.devnull, "wb"))
    try:
        rid = server.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + workdir,
                                            "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True}}}})
        server.wait_response(rid, timeout)
        server.notify("initialized", {})
        uris = set()
        for i in range(count):
            text = "\n".join(generate_python(lines, random.Random(i))).replace("Record", "Record%d_" % i) + "\n"
            uri = "file://%s/module_%d.py" % (workdir, i)
            uris.add(uri)
            server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                                    "text": text}})
        waiting = set(uris)
        deadline = time.perf_counter() + timeout
        while waiting:
            _, msg = server.receive(deadline)
            if "id" in msg and "method" in msg:
                server.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            elif msg.get("method") == "textDocument/publishDiagnostics":
                waiting.discard(msg["params"]["uri"])
        time.sleep(0.5)
        open_rss = read_status(server.proc.pid)["VmRSS"] / 1024
        for uri in uris:
            server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        if count:
            time.sleep(settle)
        closed_rss = read_status(server.proc.pid)["VmRSS"] / 1024
        rid = server.request("shutdown")
        server.wait_response(rid, timeout)
        server.notify("exit")
        try:
            server.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # ast-grep lsp with no document open ignores `exit`
            server.proc.kill()
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)  # the files and the server's .vigil/
    return round(open_rss, 1), round(closed_rss, 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("vigil", nargs="?", default=os.path.join(os.path.dirname(HERE), "build", "cli", "vigil"))
    ap.add_argument("--counts", default="0,1,200,1000")  # 0: idle, after initialize
    ap.add_argument("--lines", type=int, default=200)
    ap.add_argument("--settle", type=float, default=10.0, help="seconds between the last didClose and the RSS read")
    ap.add_argument("--ast-grep", default=os.environ.get("AST_GREP", DEFAULT_AST_GREP))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = []
    servers = [("vigil", None)]
    if os.access(args.ast_grep, os.X_OK):
        servers.append(("ast-grep", args.ast_grep))
    print("open documents: RSS of the server with N open %d-line Python files (0: idle after initialize; vigil: "
          "all built-in rules, loaded per language on first use; ast-grep lsp: the translated Python `rule:` rules)"
          % args.lines)
    print("%-9s %8s %12s %14s %16s" % ("server", "open", "RSS MB", "after close MB", "MB per document"))
    for name, ast_grep in servers:
        previous = None
        for n in [int(c) for c in args.counts.split(",") if c]:
            open_rss, closed_rss = measure(os.path.abspath(args.vigil), n, args.lines, args.settle, ast_grep)
            per_doc = (open_rss - previous[1]) / (n - previous[0]) if previous and n > previous[0] else None
            rows.append({"server": name, "documents": n, "rss_mb": open_rss, "rss_after_close_mb": closed_rss,
                         "mb_per_document": per_doc})
            print("%-9s %8d %12.1f %14.1f %16s" % (name, n, open_rss, closed_rss,
                                                   "%.3f" % per_doc if per_doc is not None else "-"), flush=True)
            previous = (n, open_rss)
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
