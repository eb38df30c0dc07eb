#!/usr/bin/env python3
"""Code action, fix-all (+ resolve) and hover latency on a 5,000-line Python file with 1,000
fixable findings, each after non-ASCII text.  Usage: bench/code_actions_latency.py VIGIL_BIN"""
import sys, time, statistics
import os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "protocol"))
from lsp_client import Client
V = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "cli", "vigil")
lines = ["import requests", ""]
for i in range(1000):
    lines += ["def f%d(url):" % i, "    s = 'é😀'", "    r = requests.get(url, verify=False)", "    return r", ""]
text = "\n".join(lines) + "\n"
c = Client([V, "lsp"])
caps = {"textDocument": {"codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": []}},
        "resolveSupport": {"properties": ["edit"]}}}, "workspace": {"workspaceEdit": {"documentChanges": True}}}
c.response(c.request("initialize", {"capabilities": caps}))
c.notify("initialized", {})
uri = "file:///tmp/bench.py"
c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
diags = c.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics")["params"]["diagnostics"]
print(len(text.splitlines()), "lines,", len(diags), "findings")
def timed(method, params):
    t = time.perf_counter(); r = c.response(c.request(method, params)); return (time.perf_counter() - t) * 1000, r
qf = []
for d in diags[:200:10]:
    ms, r = timed("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d], "only": ["quickfix"]}})
    qf.append(ms)
print("quick-fix codeAction: median %.2f ms, max %.2f ms" % (statistics.median(qf), max(qf)))
fa = []
for _ in range(10):
    ms, r = timed("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": diags[0]["range"], "context": {"diagnostics": [], "only": ["source.fixAll"]}})
    ms2, rr = timed("codeAction/resolve", r["result"][0])
    fa.append((ms, ms2, len(rr["result"]["edit"]["documentChanges"][0]["edits"])))
print("fix-all codeAction: median %.2f ms; resolve: median %.2f ms; %d edits" % (statistics.median(x[0] for x in fa), statistics.median(x[1] for x in fa), fa[0][2]))
hv = []
for d in diags[:100:10]:
    ms, r = timed("textDocument/hover", {"textDocument": {"uri": uri}, "position": d["range"]["start"]})
    hv.append(ms)
print("hover: median %.2f ms" % statistics.median(hv))
c.shutdown_and_exit()
