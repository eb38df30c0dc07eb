#!/usr/bin/env python3
"""`vigil check` against `ast-grep scan` with the same rules on the same files, in the same run.

For each language: the rules are the differential corpus (tests/differential/rules, plain ast-grep
rule files both tools read) plus every built-in rule written with `rule:` (Vigil-only keys stripped,
a language list split into one rule per language); each translated rule is kept only if both tools
load it. The inputs are (a) a generated file of about --lines lines of that language (the corpus
sources and the built-in fixtures, concatenated until long enough) and (b) a large real directory
from the system (/usr/lib/python3.11, /usr/share/go-1.19/src, ...), given to both tools as the same
explicit list of files. Java's real directory is small (70 files, 0.24 MB: start-up bound), so when
a JDK ships its sources (/usr/lib/jvm/*/lib/src.zip) the java.base packages java.io, java.net,
java.security and java.util are extracted and scanned as well (capped by --max-files like the rest).
Timed: wall time of the whole process (start-up, parsing, matching, output) and its CPU time (user +
system, all threads; steadier than wall time on a loaded machine), medians of --repeat runs after one
warm-up, alternating the tools. Start-up is timed on its own (both tools, the same rules, a one-line
file of the language), and each input's CPU per MB is also given without it: what the scan costs
beyond starting.

Usage: bench/scan_vs_astgrep.py [VIGIL] [--ast-grep PATH] [--languages python,go] [--repeat 3]
                                [--threads N] [--lines 5000] [--json]
"""
import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CORPUS_RULES = os.path.join(ROOT, "tests", "differential", "rules")
CORPUS_SRC = os.path.join(ROOT, "tests", "differential", "src")
BUILTIN = os.path.join(ROOT, "analyzers", "rules")
DEFAULT_AST_GREP = os.path.join(ROOT, "tests", "node_modules", "@ast-grep", "cli-linux-x64-gnu", "ast-grep")

# language -> (ast-grep name, extensions, built-in pack directory, real directories)
LANGUAGES = {
    "python": ("Python", (".py",), "python", ["/usr/lib/python3.11"]),
    "javascript": ("JavaScript", (".js",), "javascript", ["/usr/lib/node_modules"]),
    "typescript": ("TypeScript", (".ts",), "javascript", []),
    "go": ("Go", (".go",), "go", ["/usr/share/go-1.19/src"]),
    "java": ("Java", (".java",), "java", ["/usr/share/tomcat10-examples"]),
    "c": ("C", (".c",), "c", ["/usr/src/libxcrypt", "/usr/share/doc/libcurl4"]),
    "cpp": ("Cpp", (".cc", ".cpp"), "cpp", ["/usr/src/googletest", "/usr/share/doc/nlohmann-json3-dev"]),
}
NAME_OF = {"python": "python", "javascript": "javascript", "typescript": "typescript", "tsx": "tsx", "go": "go",
           "java": "java", "c": "c", "cpp": "cpp", "c++": "cpp"}
sys.path.insert(0, os.path.join(ROOT, "tests", "differential"))
from run import translate_rule  # noqa: E402  (one translation for the test and the benchmark)


def translate_builtin(path, language):
    """A built-in rule as plain ast-grep YAML for `language`, or None when it is not a `rule:` rule."""
    with open(path, encoding="utf-8") as f:
        return translate_rule(f.read(), language)


def corpus_rule_language(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("language:"):
                return NAME_OF.get(line.split(":", 1)[1].strip().lower())
    return None


def rule_loads(vigil, ast_grep, rule_path, probe):
    a = subprocess.run([ast_grep, "scan", "-r", rule_path, probe, "--json=compact"], capture_output=True, text=True)
    v = subprocess.run([vigil, "check", "--rules", rule_path, "--no-builtin", "--format", "json", probe],
                       capture_output=True, text=True)
    problems = []
    if a.returncode not in (0, 1):
        problems.append("ast-grep: " + (a.stderr.strip().splitlines() or ["exit %d" % a.returncode])[-1])
    if v.returncode not in (0, 1):
        problems.append("vigil: " + " ".join(l.split("error: ", 1)[-1] for l in v.stderr.splitlines()
                                             if "error: " in l)[:200])
    return problems


def list_files(dirs, exts):
    out = []
    for d in dirs:
        for root, subdirs, files in os.walk(d):
            # What vigil check skips when walking (node_modules, vendor, hidden directories) is not
            # skipped here: both tools get the same explicit list.
            subdirs.sort()
            for name in sorted(files):
                if name.endswith(exts):
                    p = os.path.join(root, name)
                    if os.path.isfile(p) and not os.path.islink(p):
                        out.append(p)
    return out


JDK_SOURCES = ("/usr/lib/jvm/*/lib/src.zip", "/usr/lib/jvm/*/src.zip")
JDK_PACKAGES = ("java.base/java/io/", "java.base/java/net/", "java.base/java/security/", "java.base/java/util/")


def jdk_sources(dest):
    """The JDK's own java.io/net/security/util sources, extracted from the first src.zip found under
    dest; (label, directory) or None."""
    import glob
    import zipfile
    for pattern in JDK_SOURCES:
        for zpath in sorted(glob.glob(pattern)):
            try:
                with zipfile.ZipFile(zpath) as z:
                    names = [n for n in z.namelist() if n.startswith(JDK_PACKAGES) and n.endswith(".java")]
                    if not names:
                        continue
                    for n in names:
                        z.extract(n, dest)
            except (OSError, zipfile.BadZipFile):
                continue
            return "%s (java.base java.io/net/security/util)" % zpath, dest
    return None


def generated_file(language, exts, lines, dest):
    """Corpus sources and built-in fixtures of the language, concatenated until `lines` lines."""
    pieces = []
    for base in (os.path.join(CORPUS_SRC, language if language != "typescript" else "typescript"),
                 os.path.join(BUILTIN, LANGUAGES[language][2])):
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            if name.endswith(exts):
                with open(os.path.join(base, name), encoding="utf-8") as f:
                    pieces.append(f.read())
    if not pieces:
        return None
    out, count, i = [], 0, 0
    while count < lines:
        text = pieces[i % len(pieces)]
        if i >= len(pieces) and language in ("go", "java"):
            # One package clause per file keeps the grammar on its happy path.
            text = "\n".join(l for l in text.split("\n") if not l.startswith("package "))
        text = text if text.endswith("\n") else text + "\n"
        out.append(text)
        count += text.count("\n")
        i += 1
    with open(dest, "w", encoding="utf-8") as f:
        f.write("".join(out))
    return dest


class Run:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def timed(cmd, cwd=None):
    """(wall seconds, CPU seconds user+system of the process and its threads, Run)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return wall, usage.ru_utime + usage.ru_stime, Run(proc.returncode, out.read().decode("utf-8", "replace"),
                                                          err.read().decode("utf-8", "replace"))


def by_rule_vigil(p):
    """Findings per rule id of one `vigil check --format json` run."""
    if p.returncode not in (0, 1):
        raise RuntimeError("vigil exit %d: %s" % (p.returncode, p.stderr[-500:]))
    # Syntax-error notes (vigil-parse-error) are not matches of a rule: ast-grep has none to compare.
    return collections.Counter(f.get("rule", "?") for f in json.loads(p.stdout)["findings"]
                               if f.get("rule") != "vigil-parse-error")


def by_rule_ast_grep(p):
    if p.returncode not in (0, 1):
        raise RuntimeError("ast-grep exit %d: %s" % (p.returncode, p.stderr[-500:]))
    return collections.Counter(json.loads(line).get("ruleId", "?") for line in p.stdout.splitlines() if line.strip())


def count_vigil(p):
    return sum(by_rule_vigil(p).values())


def count_ast_grep(p):
    return sum(by_rule_ast_grep(p).values())


def rule_differences(vp, ap):
    """'rule vigil/ast-grep' for every rule whose counts differ (equal counts need equal rules)."""
    v, a = by_rule_vigil(vp), by_rule_ast_grep(ap)
    return ["%s %d/%d" % (r, v[r], a[r]) for r in sorted(set(v) | set(a)) if v[r] != a[r]]


def compare(vigil, ast_grep, workdir, files, repeat, threads):
    vcmd = [vigil, "check", "--rules", os.path.join(workdir, "rules"), "--no-builtin", "--format", "json"]
    acmd = [ast_grep, "scan", "-c", os.path.join(workdir, "sgconfig.yml"), "--json=stream"]
    if threads:
        vcmd += ["--jobs", str(threads)]
        acmd += ["--threads", str(threads)]
    vcmd += files
    acmd += files
    # Warm-up (page cache, binaries), then alternate.
    _, _, vp = timed(vcmd, cwd=workdir)
    _, _, ap = timed(acmd, cwd=workdir)
    v_count, a_count = count_vigil(vp), count_ast_grep(ap)
    if v_count != a_count:
        print("  findings differ by rule (vigil/ast-grep): " + ", ".join(rule_differences(vp, ap)), flush=True)
    v_wall, a_wall, v_cpu, a_cpu = [], [], [], []
    for _ in range(repeat):
        wall, cpu, _ = timed(vcmd, cwd=workdir)
        v_wall.append(wall)
        v_cpu.append(cpu)
        wall, cpu, _ = timed(acmd, cwd=workdir)
        a_wall.append(wall)
        a_cpu.append(cpu)
    med = statistics.median
    return med(v_wall), med(a_wall), med(v_cpu), med(a_cpu), v_count, a_count


def per_rule_costs(vigil, ast_grep, workdir, language, labelled_files, threads):
    """CPU cost of each rule alone on one input, above a baseline run with one trivial rule."""
    label, files = labelled_files
    rules_dir = os.path.join(workdir, "rules")
    out = []

    def cost(rule_text):
        one = os.path.join(workdir, "one")
        shutil.rmtree(one, ignore_errors=True)
        os.makedirs(os.path.join(one, "rules"))
        with open(os.path.join(one, "rules", "r.yml"), "w", encoding="utf-8") as f:
            f.write(rule_text)
        with open(os.path.join(one, "sgconfig.yml"), "w") as f:
            f.write("ruleDirs:\n  - rules\n")
        vcmd = [vigil, "check", "--rules", os.path.join(one, "rules"), "--no-builtin", "--format", "json"]
        acmd = [ast_grep, "scan", "-c", os.path.join(one, "sgconfig.yml"), "--json=stream"]
        if threads:
            vcmd += ["--jobs", str(threads)]
            acmd += ["--threads", str(threads)]
        _, vcpu, vp = timed(vcmd + files, cwd=one)
        _, acpu, ap = timed(acmd + files, cwd=one)
        return vcpu, acpu, count_vigil(vp), count_ast_grep(ap)

    trivial = "id: trivial\nlanguage: %s\nseverity: info\nmessage: m\nrule:\n  kind: goto_statement_never\n"
    # A kind every grammar lacks would be refused; a real but rare node kind keeps the walk honest.
    rare = {"python": "global_statement", "javascript": "debugger_statement", "typescript": "debugger_statement",
            "go": "goto_statement", "java": "assert_statement", "c": "goto_statement", "cpp": "goto_statement"}
    base_v, base_a, _, _ = cost(trivial.replace("goto_statement_never", rare[language]) % LANGUAGES[language][0])
    for name in sorted(os.listdir(rules_dir)):
        with open(os.path.join(rules_dir, name), encoding="utf-8") as f:
            text = f.read()
        try:
            vcpu, acpu, vc, ac = cost(text)
        except RuntimeError as e:
            print("  per-rule %s: %s" % (name, e))
            continue
        out.append({"language": language, "input": label, "rule": name[:-4], "vigil_cpu_s": max(0.0, vcpu - base_v),
                    "ast_grep_cpu_s": max(0.0, acpu - base_a), "vigil_findings": vc, "ast_grep_findings": ac})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("vigil", nargs="?", default=os.environ.get("VIGIL_BIN", os.path.join(ROOT, "build", "cli", "vigil")))
    ap.add_argument("--ast-grep", default=os.environ.get("AST_GREP", DEFAULT_AST_GREP))
    ap.add_argument("--languages", default=",".join(LANGUAGES))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="--jobs/--threads for both tools (default: theirs, all cores)")
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--max-files", type=int, default=0, help="cap the real directory's file list (0: no cap)")
    ap.add_argument("--per-rule", action="store_true",
                    help="also time each rule alone (CPU, one run each) on the real directory, costliest first")
    ap.add_argument("--exclude", default="", help="leave out rules whose id matches this regex")
    ap.add_argument("--json", action="store_true", help="also print one JSON line with every row")
    args = ap.parse_args()
    vigil = os.path.abspath(args.vigil)
    for tool, path in (("vigil", vigil), ("ast-grep", args.ast_grep)):
        if not os.access(path, os.X_OK):
            print("%s not found at %s" % (tool, path), file=sys.stderr)
            return 2
    version = subprocess.run([args.ast_grep, "--version"], capture_output=True, text=True).stdout.strip()
    print("vigil: %s\nast-grep: %s (%s)\nthreads: %s; median of %d runs after a warm-up; wall time of the whole "
          "process\n" % (vigil, args.ast_grep, version, args.threads or "default (all cores)", args.repeat))

    rows = []
    per_rule_rows = []
    tmp = tempfile.mkdtemp(prefix="vigil-scan-bench-")
    try:
        for language in [l for l in args.languages.split(",") if l]:
            sg_name, exts, pack, dirs = LANGUAGES[language]
            workdir = os.path.join(tmp, language)
            rules_dir = os.path.join(workdir, "rules")
            os.makedirs(rules_dir)
            with open(os.path.join(workdir, "sgconfig.yml"), "w") as f:
                f.write("ruleDirs:\n  - rules\n")
            probe = os.path.join(workdir, "probe" + exts[0])
            with open(probe, "w") as f:
                f.write("\n")
            ids, dropped, n_corpus, n_builtin = set(), [], 0, 0
            for name in sorted(os.listdir(CORPUS_RULES)):
                p = os.path.join(CORPUS_RULES, name)
                if name.endswith(".yml") and corpus_rule_language(p) == language and not (
                        args.exclude and re.search(args.exclude, name[:-4])):
                    dest = os.path.join(rules_dir, name)
                    shutil.copy(p, dest)
                    problems = rule_loads(vigil, args.ast_grep, dest, probe)
                    if problems:  # e.g. `severity: off`, which Vigil refuses (tests/differential)
                        dropped.append("%s (%s)" % (name, "; ".join(problems)))
                        os.remove(dest)
                        continue
                    ids.add(name[:-4])
                    n_corpus += 1
            pack_dir = os.path.join(BUILTIN, pack)
            for name in sorted(os.listdir(pack_dir)) if os.path.isdir(pack_dir) else []:
                if not name.endswith(".yaml"):
                    continue
                text = translate_builtin(os.path.join(pack_dir, name), language)
                if text is None or name[:-5] in ids or (args.exclude and re.search(args.exclude, name[:-5])):
                    continue
                dest = os.path.join(rules_dir, "builtin-" + name[:-5] + ".yml")
                with open(dest, "w", encoding="utf-8") as f:
                    f.write(text)
                problems = rule_loads(vigil, args.ast_grep, dest, probe)
                if problems:
                    dropped.append("%s (%s)" % (name, "; ".join(problems)))
                    os.remove(dest)
                else:
                    n_builtin += 1
            os.remove(probe)
            print("%s: %d corpus rules + %d built-in `rule:` rules%s" % (
                language, n_corpus, n_builtin, "; dropped: " + ", ".join(dropped) if dropped else ""))

            inputs = []
            big = generated_file(language, exts, args.lines, os.path.join(workdir, "generated" + exts[0]))
            if big:
                inputs.append(("%d-line file" % sum(1 for _ in open(big, encoding="utf-8")), [big]))
            present = [d for d in dirs if os.path.isdir(d)]
            if present:
                files = list_files(present, exts)
                if args.max_files:
                    files = files[:args.max_files]
                if files:
                    inputs.append((" + ".join(present), files))
            if language == "java":
                jdk = jdk_sources(os.path.join(workdir, "jdk-src"))
                if jdk:
                    files = list_files([jdk[1]], exts)
                    if args.max_files:
                        files = files[:args.max_files]
                    inputs.append((jdk[0], files))
            if args.per_rule and inputs:
                per_rule_rows.extend(per_rule_costs(vigil, args.ast_grep, workdir, language, inputs[-1], args.threads))
            # Start-up: both tools, the same rules, one line of the language.
            startup_file = os.path.join(workdir, "startup" + exts[0])
            with open(startup_file, "w") as f:
                f.write({"python": "x = 1\n", "go": "package p\n", "java": "class A {}\n"}.get(language, "int x = 1;\n"))
            startup = None
            try:
                _, _, s_vcpu, s_acpu, _, _ = compare(vigil, args.ast_grep, workdir, [startup_file], args.repeat, args.threads)
                startup = (s_vcpu, s_acpu)
                rows.append({"language": language, "input": "start-up (one line)", "files": 1, "bytes": 0,
                             "rules": n_corpus + n_builtin, "vigil_cpu_s": s_vcpu, "ast_grep_cpu_s": s_acpu,
                             "startup": True})
            except RuntimeError as e:
                print("  start-up: failed: %s" % e)
            for label, files in inputs:
                size = sum(os.path.getsize(p) for p in files)
                try:
                    vt, at, vcpu, acpu, vc, ac = compare(vigil, args.ast_grep, workdir, files, args.repeat,
                                                         args.threads)
                except RuntimeError as e:
                    print("  %s: failed: %s" % (label, e))
                    rows.append({"language": language, "input": label, "error": str(e)})
                    continue
                rows.append({"language": language, "input": label, "files": len(files), "bytes": size,
                             "rules": n_corpus + n_builtin, "vigil_s": vt, "ast_grep_s": at,
                             "vigil_cpu_s": vcpu, "ast_grep_cpu_s": acpu,
                             "vigil_mb_s": size / 1e6 / vt, "ast_grep_mb_s": size / 1e6 / at,
                             "vigil_findings": vc, "ast_grep_findings": ac,
                             "vigil_cpu_s_per_mb_after_startup": (vcpu - startup[0]) / (size / 1e6) if startup else None,
                             "ast_grep_cpu_s_per_mb_after_startup": (acpu - startup[1]) / (size / 1e6) if startup else None})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("\n| language | input | files | MB | rules | vigil wall s | ast-grep wall s | vigil MB/s | ast-grep MB/s | "
          "vigil/ast-grep wall | vigil CPU s | ast-grep CPU s | vigil/ast-grep CPU | findings vigil | "
          "findings ast-grep |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if "error" in r:
            print("| %s | %s | failed: %s |" % (r["language"], r["input"], r["error"][:80].replace("\n", " ")))
            continue
        if r.get("startup"):
            continue
        print("| %s | %s | %d | %.2f | %d | %.3f | %.3f | %.1f | %.1f | %.2f | %.3f | %.3f | %.2f | %d | %d |" % (
            r["language"], r["input"], r["files"], r["bytes"] / 1e6, r["rules"], r["vigil_s"], r["ast_grep_s"],
            r["vigil_mb_s"], r["ast_grep_mb_s"], r["vigil_s"] / r["ast_grep_s"], r["vigil_cpu_s"],
            r["ast_grep_cpu_s"], r["vigil_cpu_s"] / max(r["ast_grep_cpu_s"], 1e-9), r["vigil_findings"],
            r["ast_grep_findings"]))
    print("\nStart-up (one-line file, same rules) and CPU per MB beyond it (CPU seconds minus the start-up's, "
          "per MB of input; the throughput the start-up does not hide):")
    print("\n| language | input | MB | vigil CPU s | ast-grep CPU s | vigil CPU s/MB | ast-grep CPU s/MB | "
          "ast-grep/vigil per MB |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if "error" in r:
            continue
        if r.get("startup"):
            print("| %s | start-up (one line) | 0 | %.3f | %.3f | | | %.2f (start-up) |" % (
                r["language"], r["vigil_cpu_s"], r["ast_grep_cpu_s"], r["ast_grep_cpu_s"] / max(r["vigil_cpu_s"], 1e-9)))
        elif r.get("vigil_cpu_s_per_mb_after_startup") is not None and r["bytes"] > 0:
            v, a = r["vigil_cpu_s_per_mb_after_startup"], r["ast_grep_cpu_s_per_mb_after_startup"]
            print("| %s | %s | %.2f | %.3f | %.3f | %.3f | %.3f | %s |" % (
                r["language"], r["input"], r["bytes"] / 1e6, r["vigil_cpu_s"], r["ast_grep_cpu_s"], v, a,
                "%.2f" % (a / v) if v > 0 else "n/a (within start-up noise)"))
    if per_rule_rows:
        print("\nEach rule alone (CPU seconds of one run, minus a run with one trivial rule; costliest in Vigil first):")
        print("\n| language | input | rule | vigil CPU s | ast-grep CPU s | findings vigil | findings ast-grep |")
        print("|---|---|---|---:|---:|---:|---:|")
        for r in sorted(per_rule_rows, key=lambda r: -r["vigil_cpu_s"]):
            print("| %s | %s | %s | %.3f | %.3f | %d | %d |" % (r["language"], r["input"], r["rule"], r["vigil_cpu_s"],
                                                            r["ast_grep_cpu_s"], r["vigil_findings"],
                                                            r["ast_grep_findings"]))
    if args.json:
        print(json.dumps({"rows": rows, "per_rule": per_rule_rows}))
    return 1 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
