#!/usr/bin/env python3
"""Repetition mode on files of identical lines: `vigil check` time and peak memory by line count.

Generates a Python file of N identical statements (the worst case of the repetition mode: every
unit length repeats everywhere) and a file of N lines of realistic, mostly distinct code, and runs
`vigil check` on each with all built-in rules. Prints wall time, CPU time and peak RSS per size:
the time should grow linearly with N.

Usage: bench/repetition.py [VIGIL] [--sizes 5000,20000,200000] [--json]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from didchange_latency import generate_python  # noqa: E402


REPEATED_BLOCK = os.path.join(os.path.dirname(HERE), "analyzers", "rules", "python", "py-repeated-block.yaml")


def run(vigil, path, alone):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    rules = ["--no-builtin", "--rules", REPEATED_BLOCK] if alone else []
    p = subprocess.run([vigil, "check", "--format", "json", "--fail-on", "error", "--file-budget", "3600", *rules, path],
                       capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in (0, 1):
        raise SystemExit("vigil check failed (%d): %s" % (p.returncode, p.stderr[-500:]))
    findings = json.loads(p.stdout)
    findings = findings.get("findings", findings) if isinstance(findings, dict) else findings
    repeats = sum(1 for f in findings if "repeat" in json.dumps(f).lower())
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "peak_rss_mb": round(after.ru_maxrss / 1024, 1),
            "findings": len(findings), "repetition_findings": repeats}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("vigil", nargs="?", default=os.path.join(os.path.dirname(HERE), "build", "cli", "vigil"))
    ap.add_argument("--sizes", default="5000,20000,200000")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="vigil-repetition-") as tmp:
        print("repetition: `vigil check` on N lines, with py-repeated-block alone and with all built-in rules "
              "(no time budget); peak RSS is the largest of the runs so far")
        print("%-30s %8s %8s %8s %10s %9s" % ("input", "lines", "wall s", "CPU s", "peak MB", "repeats"))
        for n in [int(s) for s in args.sizes.split(",") if s]:
            for kind, alone in (("identical", True), ("identical", False), ("distinct", False)):
                path = os.path.join(tmp, "%s_%d.py" % (kind, n))
                with open(path, "w") as f:
                    if kind == "identical":
                        f.write("total = total + compute(value, 42)\n" * n)
                    else:
                        import random
                        f.write("\n".join(generate_python(n, random.Random(1))) + "\n")
                r = run(os.path.abspath(args.vigil), path, alone)
                label = kind + " lines, " + ("repetition rule" if alone else "all rules")
                r.update({"input": label, "lines": n})
                rows.append(r)
                print("%-30s %8d %8.3f %8.3f %10.1f %9d" % (label, n, r["wall_s"], r["cpu_s"],
                                                          r["peak_rss_mb"], r["repetition_findings"]), flush=True)
                os.remove(path)
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
