#!/usr/bin/env python3
"""Recall and false positives of `vigil check` on the labelled set.

Each function in tests/labelled/<language>/ is preceded by a comment `vuln: <class>` or
`safe: <class>` (`#` or `//`); the function runs from that comment to the next one. A function
counts as detected when at least one finding (severity above hint) starts inside it.

    tests/labelled/score.py --vigil build/cli/vigil                 # table per language
    tests/labelled/score.py --vigil build/cli/vigil --detail        # plus every miss and false alarm
    tests/labelled/score.py --vigil ... --min-recall python=0.8     # exit 1 below a floor (CTest)
    tests/labelled/score.py --vigil /tmp/old/vigil --rules /tmp/old/analyzers/rules --taint-parameters unset

The set is written the way AI assistants write code (plain helpers, not only web handlers), so it
is checked as AI-written code: `--taint-parameters all` by default (the same result as the default
`ai` policy on code whose provenance is AI).
"""
import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
MARKER = re.compile(r"^\s*(?:#|//)\s*(vuln|safe):\s*(\S+)")


def regions(path):
    """[(first_line, last_line, label, cls)] for one file, 1-based inclusive."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    marks = [(i + 1, m.group(1), m.group(2)) for i, line in enumerate(lines) if (m := MARKER.match(line))]
    out = []
    for k, (line, label, cls) in enumerate(marks):
        end = marks[k + 1][0] - 1 if k + 1 < len(marks) else len(lines)
        out.append((line, end, label, cls))
    return out


def score(vigil, language, mode, rules=None):
    root = os.path.join(HERE, language)
    cmd = [vigil, "check", root, "--format", "json", "--fail-on", "never"]
    if rules:  # another era's packs instead of the built-in ones
        cmd += ["--no-builtin", "--rules", rules]
    if mode != "unset":  # `unset`: an older vigil without the option
        cmd += ["--taint-parameters", mode]
    if os.environ.get("VIGIL_SANITIZED") == "1":  # ASan + UBSan (scripts/sanitize): several times slower
        cmd += ["--file-budget", "60"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"vigil check {root} failed ({proc.returncode}): {proc.stderr}")
    findings = json.loads(proc.stdout)["findings"]
    funcs = {}
    for dirpath, _, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            for first, last, label, cls in regions(path):
                funcs[(os.path.realpath(path), first)] = {"last": last, "label": label, "cls": cls, "rules": set(),
                                                          "where": f"{os.path.relpath(path, HERE)}:{first}"}
    for f in findings:
        if f.get("severity") == "hint":
            continue
        path = os.path.realpath(f["path"] if os.path.isabs(f["path"]) else os.path.join(os.getcwd(), f["path"]))
        line = f["start"]["line"]
        for (p, first), fn in funcs.items():
            if p == path and first <= line <= fn["last"]:
                fn["rules"].add(f["rule"])
    return list(funcs.values())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vigil", default=os.path.join(HERE, "..", "..", "build", "cli", "vigil"))
    ap.add_argument("--taint-parameters", default="all", choices=["ai", "all", "off", "unset"])
    ap.add_argument("--rules", help="run these packs (e.g. analyzers/rules of another commit) instead of the built-in ones")
    ap.add_argument("--detail", action="store_true", help="list misses and false alarms")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--min-recall", action="append", default=[], metavar="LANG=X")
    ap.add_argument("--max-fp", action="append", default=[], metavar="LANG=N", help="most safe functions flagged")
    ap.add_argument("languages", nargs="*")
    args = ap.parse_args()
    languages = args.languages or sorted(d for d in os.listdir(HERE) if os.path.isdir(os.path.join(HERE, d)))
    floors = dict(x.split("=") for x in args.min_recall)
    ceilings = dict(x.split("=") for x in args.max_fp)
    table, failed = {}, False
    for lang in languages:
        funcs = score(args.vigil, lang, args.taint_parameters, args.rules)
        vuln = [f for f in funcs if f["label"] == "vuln"]
        safe = [f for f in funcs if f["label"] == "safe"]
        found = [f for f in vuln if f["rules"]]
        alarms = [f for f in safe if f["rules"]]
        recall = len(found) / len(vuln) if vuln else 0.0
        table[lang] = {"vulnerable": len(vuln), "detected": len(found), "recall": round(recall, 3),
                       "safe": len(safe), "false_positives": len(alarms),
                       "fp_rate": round(len(alarms) / len(safe), 3) if safe else 0.0}
        by_class = defaultdict(lambda: [0, 0, 0, 0])
        for f in vuln:
            by_class[f["cls"]][0] += 1
            by_class[f["cls"]][1] += bool(f["rules"])
        for f in safe:
            by_class[f["cls"]][2] += 1
            by_class[f["cls"]][3] += bool(f["rules"])
        table[lang]["classes"] = {c: {"vulnerable": v[0], "detected": v[1], "safe": v[2], "flagged": v[3]}
                                  for c, v in sorted(by_class.items())}
        if args.detail:
            for f in vuln:
                if not f["rules"]:
                    print(f"  miss  {f['where']} ({f['cls']})")
            for f in alarms:
                print(f"  FP    {f['where']} ({f['cls']}): {', '.join(sorted(f['rules']))}")
        if lang in floors and recall < float(floors[lang]):
            print(f"{lang}: recall {recall:.3f} below {floors[lang]}", file=sys.stderr)
            failed = True
        if lang in ceilings and len(alarms) > int(ceilings[lang]):
            print(f"{lang}: {len(alarms)} false positives, more than {ceilings[lang]}", file=sys.stderr)
            failed = True
    if args.json:
        print(json.dumps(table, indent=2))
    else:
        print(f"{'language':<12} {'vuln':>5} {'found':>6} {'recall':>7} {'safe':>5} {'FP':>4} {'FP rate':>8}")
        for lang, t in table.items():
            print(f"{lang:<12} {t['vulnerable']:>5} {t['detected']:>6} {t['recall']:>7.2f} {t['safe']:>5} "
                  f"{t['false_positives']:>4} {t['fp_rate']:>8.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
