#!/usr/bin/env python3
"""Server memory by number of open documents: RSS of `vigil lsp` idle (0) and with 1, 200 and 1,000 open files.

Opens N generated Python files of --lines lines each (the didChange benchmark's generator, each
file a little different), waits until every one has its diagnostics, reads VmRSS, then closes them
all and reads VmRSS again (the trees and texts of closed documents are freed; the allocator may keep
some pages). Prints RSS per count and the cost per open document between the counts.

Usage: bench/open_documents.py [VIGIL] [--counts 0,1,200,1000] [--lines 200] [--json]
"""
import argparse
import json
import os
import shutil
import random
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from didchange_latency import Server, generate_python, read_status  # noqa: E402


def measure(vigil, count, lines, timeout=120.0):
    workdir = tempfile.mkdtemp(prefix="vigil-docs-")
    server = Server([vigil, "lsp"], stderr=open(os.devnull, "wb"))
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
        rid = server.request("shutdown")  # answered after every didClose before it
        server.wait_response(rid, timeout)
        closed_rss = read_status(server.proc.pid)["VmRSS"] / 1024
        server.notify("exit")
        server.proc.wait(timeout=timeout)
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
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows, previous = [], None
    print("open documents: RSS of vigil lsp with N open %d-line Python files (0: idle after initialize; built-in rules load per language on first use)" % args.lines)
    print("%8s %12s %14s %16s" % ("open", "RSS MB", "after close MB", "MB per document"))
    for n in [int(c) for c in args.counts.split(",") if c]:
        open_rss, closed_rss = measure(os.path.abspath(args.vigil), n, args.lines)
        per_doc = (open_rss - previous[1]) / (n - previous[0]) if previous and n > previous[0] else None
        rows.append({"documents": n, "rss_mb": open_rss, "rss_after_close_mb": closed_rss, "mb_per_document": per_doc})
        print("%8d %12.1f %14.1f %16s" % (n, open_rss, closed_rss, "%.3f" % per_doc if per_doc is not None else "-"),
              flush=True)
        previous = (n, open_rss)
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
