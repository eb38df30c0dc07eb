#!/usr/bin/env python3
"""Recall and false positives of a `vigil` binary on the packs' annotated fixtures.

`vigil test-rules` answers pass/fail for one binary and its own packs. To compare an older build
with today's, this runs any binary (with the rule packs of its era, `--rules-root`) over today's
fixture files and counts, per language:

- `ruleid:` lines flagged by the annotated rule (recall), and by any rule ("any");
- `ok:` lines flagged by the annotated rule (false positives).

A rule missing from the older packs counts as a miss. `tests:` snippets in the YAML are not counted.

    tests/labelled/fixture_score.py --vigil build/cli/vigil
    tests/labelled/fixture_score.py --vigil /tmp/base/build/cli/vigil --rules-root /tmp/base/analyzers/rules \
        --taint-parameters unset
"""
import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
RULE_EXT = (".yaml", ".yml")
ANNOTATION = re.compile(r"^\s*(?://|#|/\*)\s*(todoruleid|todook|ruleid|ok):\s*([^*]*)")


def annotations(path):
    """{rule_id: {"ruleid": set(rows), "ok": set(rows)}}, 0-based rows, as fixture_tests.cpp reads them."""
    out = defaultdict(lambda: {"ruleid": set(), "ok": set()})
    pending = []
    with open(path, encoding="utf-8") as f:
        for row, line in enumerate(f.read().split("\n")):
            m = ANNOTATION.match(line)
            if m:
                ids = [i.strip().split(" ")[0] for i in m.group(2).split(",") if i.strip()]
                pending += [(m.group(1), i) for i in ids]
                continue
            if not line.strip():
                continue
            for kind, rule in pending:
                if kind in ("ruleid", "ok"):
                    out[rule][kind].add(row)
            pending = []
    return out


def fixtures(pack_dir):
    stems = {os.path.splitext(n)[0] for n in os.listdir(pack_dir) if n.endswith(RULE_EXT)}
    return sorted(os.path.join(pack_dir, n) for n in os.listdir(pack_dir)
                  if not n.endswith(RULE_EXT) and os.path.splitext(n)[0] in stems)


def run(vigil, files, rules_root, mode):
    cmd = [vigil, "check", *files, "--no-builtin", "--rules", rules_root, "--format", "json", "--fail-on", "never"]
    if mode != "unset":
        cmd += ["--taint-parameters", mode]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd[:3])}... failed ({proc.returncode}): {proc.stderr[-2000:]}")
    hits = defaultdict(set)  # (realpath, row) -> rules
    for f in json.loads(proc.stdout)["findings"]:
        path = os.path.realpath(f["path"] if os.path.isabs(f["path"]) else os.path.join(os.getcwd(), f["path"]))
        hits[(path, f["start"]["line"] - 1)].add(f["rule"])
    return hits


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vigil", default=os.path.join(ROOT, "build", "cli", "vigil"))
    ap.add_argument("--fixtures-root", default=os.path.join(ROOT, "analyzers", "rules"),
                    help="packs whose fixture files are scored (today's)")
    ap.add_argument("--rules-root", default=os.path.join(ROOT, "analyzers", "rules"),
                    help="packs whose rules the binary runs (its own era's)")
    ap.add_argument("--taint-parameters", default="all", choices=["ai", "all", "off", "unset"])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("packs", nargs="*")
    args = ap.parse_args()
    packs = args.packs or sorted(d for d in os.listdir(args.fixtures_root)
                                 if os.path.isdir(os.path.join(args.fixtures_root, d)) and d != "utils")
    table = {}
    per_pack = {pack: fixtures(os.path.join(args.fixtures_root, pack)) for pack in packs}
    # One run over every fixture with the whole rules root, so that shared utils resolve.
    hits = run(args.vigil, [f for fs in per_pack.values() for f in fs], args.rules_root, args.taint_parameters)
    for pack, files in per_pack.items():
        t = {"ruleid": 0, "caught": 0, "caught_any_rule": 0, "ok": 0, "false_positives": 0}
        for path in files:
            real = os.path.realpath(path)
            for rule, rows in annotations(path).items():
                for row in rows["ruleid"]:
                    t["ruleid"] += 1
                    got = hits.get((real, row), set())
                    t["caught"] += rule in got
                    t["caught_any_rule"] += bool(got)
                for row in rows["ok"]:
                    t["ok"] += 1
                    t["false_positives"] += rule in hits.get((real, row), set())
        t["recall"] = round(t["caught"] / t["ruleid"], 3) if t["ruleid"] else 0.0
        table[pack] = t
    if args.json:
        print(json.dumps(table, indent=2))
    else:
        print(f"{'pack':<12} {'ruleid':>6} {'caught':>6} {'recall':>7} {'any rule':>8} {'ok':>5} {'FP':>4}")
        for pack, t in table.items():
            print(f"{pack:<12} {t['ruleid']:>6} {t['caught']:>6} {t['recall']:>7.2f} {t['caught_any_rule']:>8} "
                  f"{t['ok']:>5} {t['false_positives']:>4}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
