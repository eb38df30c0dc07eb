#!/usr/bin/env python3
"""Peak memory of `vigil check` against the number of files (issue 17: memory must stay flat).

Generates a tree of N source files (the bundled examples, copied with a suffix, and generated
Python/JavaScript modules of a few hundred lines with some findings), runs `vigil check` on the
first 500 and on all 1,600 (by default), and prints the peak RSS of each run (wait4's ru_maxrss)
and their ratio. The target: the larger run within 1.5x of the smaller.

    python3 bench/check_memory.py [build/cli/vigil] [--sizes 500,1600] [--format json]
    python3 bench/check_memory.py --tree /usr/lib/python3.11 --sizes 300,0   (0: every file)

With --tree, the inputs are the first N .py files of a real tree (an explicit list, sorted), and
`ast-grep scan` with the translated built-in Python `rule:` rules runs on the same list beside.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)

parser = argparse.ArgumentParser()
parser.add_argument("vigil", nargs="?", default=os.path.join(root, "build", "cli", "vigil"))
parser.add_argument("--sizes", default="500,1600")
parser.add_argument("--format", default="json", help="report format (json keeps every finding in memory until the end)")
parser.add_argument("--jobs", default="2")
parser.add_argument("--tree", default="", help="a real tree of Python files instead of the generated one")
args = parser.parse_args()
args.vigil = os.path.abspath(args.vigil)
sizes = [int(s) for s in args.sizes.split(",")]

examples = []
for dirpath, _, names in os.walk(os.path.join(root, "examples")):
    for n in sorted(names):
        if n.endswith((".py", ".js", ".ts")):
            examples.append(os.path.join(dirpath, n))


def generated_python(i, rnd):
    out = ["import os", "import subprocess", "from flask import request", ""]
    for f in range(rnd.randint(15, 30)):
        out.append("def handler_%d_%d(arg):" % (i, f))
        out.append("    \"\"\"Handler %d of module %d, with some text to make it realistic.\"\"\"" % (f, i))
        out.append("    value = request.args.get('q%d')" % f)
        for k in range(rnd.randint(3, 12)):
            out.append("    total_%d = len(value or '') * %d + arg" % (k, k))
        if f % 5 == 0:
            out.append("    subprocess.run(value, shell=True)")
        if f % 7 == 0:
            out.append("    return eval(value)")
        out.append("    return total_0")
        out.append("")
    return "\n".join(out) + "\n"


def generated_js(i, rnd):
    out = ["const express = require('express');", "const app = express();", ""]
    for f in range(rnd.randint(15, 30)):
        out.append("app.get('/r%d', (req, res) => {" % f)
        for k in range(rnd.randint(3, 12)):
            out.append("  const v%d = String(req.query.q || '').length * %d;" % (k, k))
        if f % 6 == 0:
            out.append("  res.send(eval(req.query.code));")
        out.append("  res.json({ ok: v0 });")
        out.append("});")
        out.append("")
    return "\n".join(out) + "\n"


def make_tree(path, n):
    rnd = random.Random(17)
    for i in range(n):
        d = os.path.join(path, "pkg%03d" % (i // 50))
        os.makedirs(d, exist_ok=True)
        kind = i % 4
        if kind == 0 and examples:
            src = examples[i // 4 % len(examples)]
            ext = os.path.splitext(src)[1]
            shutil.copy(src, os.path.join(d, "ex_%04d%s" % (i, ext)))
        elif kind in (1, 2):
            with open(os.path.join(d, "mod_%04d.py" % i), "w") as f:
                f.write(generated_python(i, rnd))
        else:
            with open(os.path.join(d, "mod_%04d.js" % i), "w") as f:
                f.write(generated_js(i, rnd))


def peak_rss_mb(cmd, cwd):
    start = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode()
    return usage.ru_maxrss / 1024.0, time.monotonic() - start, p.returncode, err.strip().splitlines()[-1:]


results = []
if args.tree:
    sys.path.insert(0, here)
    from scan_vs_astgrep import DEFAULT_AST_GREP, list_files
    from typing_latency import ast_grep_project
    files = list_files([args.tree], (".py",))
    ast_grep = os.environ.get("AST_GREP", DEFAULT_AST_GREP)
    with tempfile.TemporaryDirectory(prefix="vigil-mem-") as tmp:
        proj = None
        if os.access(ast_grep, os.X_OK):
            proj, kept, _ = ast_grep_project(ast_grep, "python", tmp)
        sg_results = []
        for n in sizes:
            chosen = files[:n] if n else files
            size_mb = sum(os.path.getsize(f) for f in chosen) / 1e6
            rss, secs, code, last = peak_rss_mb([args.vigil, "check", "--format", args.format, "--jobs", args.jobs,
                                                 "--no-progress"] + chosen, tmp)
            results.append((len(chosen), rss))
            line = "%5d files of %s (%.1f MB): vigil check peak RSS %.1f MB, %.2f s, exit %d" % (
                len(chosen), args.tree, size_mb, rss, secs, code)
            if proj:
                srss, ssecs, scode, _ = peak_rss_mb([ast_grep, "scan", "--json=stream", "--threads", args.jobs] + chosen,
                                                    proj)
                sg_results.append((len(chosen), srss))
                line += "; ast-grep scan (%d rules) peak RSS %.1f MB, %.2f s" % (kept, srss, ssecs)
            print(line, flush=True)
    if len(results) >= 2:
        print("ratio %d/%d files: vigil %.2fx%s (target: flat, at most 1.5x)" % (
            results[-1][0], results[0][0], results[-1][1] / results[0][1],
            ", ast-grep %.2fx" % (sg_results[-1][1] / sg_results[0][1]) if len(sg_results) >= 2 else ""))
    sys.exit(0)
with tempfile.TemporaryDirectory(prefix="vigil-mem-") as tmp:
    for n in sizes:
        tree = os.path.join(tmp, "tree%d" % n)
        os.makedirs(tree)
        open(os.path.join(tree, ".vigil-root"), "w").close()
        os.makedirs(os.path.join(tree, ".vigil"))
        make_tree(tree, n)
        size_mb = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(tree) for f in fs) / 1e6
        rss, secs, code, last = peak_rss_mb([args.vigil, "check", ".", "--format", args.format, "--jobs", args.jobs,
                                             "--no-progress"], tree)
        results.append((n, rss))
        print("%5d files (%.1f MB): peak RSS %.1f MB, %.2f s, exit %d  %s" % (n, size_mb, rss, secs, code, " ".join(last)))
if len(results) >= 2:
    print("ratio %d/%d files: %.2fx (target: at most 1.5x)" % (results[-1][0], results[0][0], results[-1][1] / results[0][1]))
