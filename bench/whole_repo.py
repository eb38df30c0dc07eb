#!/usr/bin/env python3
"""Whole-repository scan: `vigil check` with every built-in rule over a large real tree, with
--jobs 1 and --jobs $(nproc), next to raw tree-sitter parsing (`vigil parse`, one thread) and
`ast-grep scan` with the built-in `rule:` rules it can read (translated as bench/scan_vs_astgrep.py
does) on the same explicit file list, in the same run. Reports wall time, MB/s and ms per file
(medians of --repeat runs after a warm-up).

Usage: bench/whole_repo.py [VIGIL] [--tree /usr/lib/python3.11] [--repeat 3] [--ast-grep PATH] [--json]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scan_vs_astgrep import BUILTIN, DEFAULT_AST_GREP, LANGUAGES, ROOT, list_files, timed, translate_builtin  # noqa: E402


def median_run(cmd, repeat, ok=(0, 1)):
    timed(cmd)  # warm-up: page cache, binary
    walls, cpus = [], []
    last = None
    for _ in range(repeat):
        wall, cpu, last = timed(cmd)
        if last.returncode not in ok:
            raise RuntimeError("%s exit %d: %s" % (cmd[0], last.returncode, last.stderr[-400:]))
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus), last


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("vigil", nargs="?", default=os.environ.get("VIGIL_BIN", os.path.join(ROOT, "build", "cli", "vigil")))
    ap.add_argument("--tree", default="/usr/lib/python3.11")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ast-grep", default=os.environ.get("AST_GREP", DEFAULT_AST_GREP))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    vigil = os.path.abspath(args.vigil)
    nproc = os.cpu_count() or 1

    # The tree's files in the languages Vigil reads, as one explicit list for every tool.
    by_language = {}
    for language, (_, exts, _, _) in LANGUAGES.items():
        files = list_files([args.tree], exts)
        if files:
            by_language[language] = files
    files = sorted({f for fs in by_language.values() for f in fs})
    if not files:
        print("no source files under %s" % args.tree, file=sys.stderr)
        return 2
    size = sum(os.path.getsize(f) for f in files)
    rules = subprocess.run([vigil, "rules", "list", "--format", "json"], capture_output=True, text=True)
    n_rules = len(json.loads(rules.stdout)) if rules.returncode == 0 and rules.stdout.strip().startswith("[") else "?"
    print("tree: %s: %d files (%s), %.1f MB; %s cores; vigil %s with %s built-in rules; median of %d runs after a warm-up\n"
          % (args.tree, len(files), ", ".join("%s %d" % (l, len(f)) for l, f in by_language.items()), size / 1e6, nproc,
             vigil, n_rules, args.repeat))

    rows = []

    def row(label, command, wall, cpu, findings):
        rows.append({"tool": label, "command": command, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                     "mb_per_s": round(size / 1e6 / wall, 2), "ms_per_file": round(wall * 1000 / len(files), 3),
                     "findings": findings})

    tmp = tempfile.mkdtemp(prefix="vigil-whole-repo-")
    try:
        listfile = os.path.join(tmp, "files.txt")
        with open(listfile, "w") as f:
            f.write("\n".join(files) + "\n")
        for jobs in sorted({1, nproc}):
            cmd = [vigil, "check", "--format", "json", "--no-progress", "--fail-on", "never", "--jobs", str(jobs)] + files
            wall, cpu, run = median_run(cmd, args.repeat)
            row("vigil check --jobs %d" % jobs, "vigil check --format json --jobs %d <files>" % jobs, wall, cpu,
                len(json.loads(run.stdout)["findings"]))
        cmd = [vigil, "parse"] + files
        wall, cpu, run = median_run(cmd, args.repeat, ok=(0, 1))
        row("vigil parse (tree-sitter only, 1 thread)", "vigil parse <files>", wall, cpu, None)

        if os.access(args.ast_grep, os.X_OK):
            rules_dir = os.path.join(tmp, "rules")
            os.makedirs(rules_dir)
            n = 0
            for language in by_language:
                pack = os.path.join(BUILTIN, LANGUAGES[language][2])
                for name in sorted(os.listdir(pack)):
                    if not name.endswith(".yaml"):
                        continue
                    text = translate_builtin(os.path.join(pack, name), language)
                    if text:
                        probe = subprocess.run([args.ast_grep, "scan", "--inline-rules", text, "/dev/null"], capture_output=True)
                        if probe.returncode in (0, 1):
                            with open(os.path.join(rules_dir, "%s-%s.yml" % (language, name[:-5])), "w") as f:
                                f.write(text)
                            n += 1
            with open(os.path.join(tmp, "sgconfig.yml"), "w") as f:
                f.write("ruleDirs:\n  - rules\n")
            for jobs in sorted({1, nproc}):
                cmd = [args.ast_grep, "scan", "-c", os.path.join(tmp, "sgconfig.yml"), "--json=stream", "--threads", str(jobs)] + files
                wall, cpu, run = median_run(cmd, args.repeat)
                row("ast-grep scan --threads %d (%d translated rule: rules)" % (jobs, n),
                    "ast-grep scan --threads %d <files>" % jobs, wall, cpu, sum(1 for l in run.stdout.splitlines() if l.strip()))
        else:
            print("ast-grep not found at %s: its rows are missing\n" % args.ast_grep)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("| tool | wall s | CPU s | MB/s | ms/file | findings |\n|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| %s | %.2f | %.2f | %.1f | %.2f | %s |" % (r["tool"], r["wall_s"], r["cpu_s"], r["mb_per_s"], r["ms_per_file"],
                                                     "" if r["findings"] is None else r["findings"]))
    if args.json:
        print(json.dumps({"tree": args.tree, "files": len(files), "bytes": size, "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
