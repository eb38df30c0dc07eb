#!/usr/bin/env python3
"""Differential test: Vigil's `rule:` engine against ast-grep 0.51 on the same rule files.

For every rule in rules/*.yml and every source file in src/ of the rule's language, and for every
built-in rule written with `rule:` (analyzers/rules/<lang>/<id>.yaml; translated for ast-grep by
dropping Vigil-only keys and naming one language) and its fixture(s) <id>.<ext>, runs once per rule over all of its files

    ast-grep scan -r RULE --json=compact FILE...
    vigil check --rules RULE --no-builtin --format json FILE...

and compares, file by file, the sets of match ranges; for each match both report, the severity, the message with
its metavariables filled in and, for rules with `fix`, the replacement text and the range it replaces
(Vigil's JSON `fix: {replacement, start, end}`; ast-grep's `replacement` and `replacementOffsets`).
ast-grep prints 0-based lines and 0-based columns counted in characters; Vigil's JSON prints 1-based
lines and 1-based columns counted in code points. Both are shown here 1-based, `line:col-line:col`.

Usage: run.py VIGIL [--ast-grep PATH] [--rule SUBSTRING] [--list] [--no-builtin-rules | --only-builtin-rules]
                    [--builtin-dir DIR] [--jobs N]
  --list   print every match of both tools (for writing the corpus), not only the differences.
Exits 0 when both tools agree everywhere, 1 on any difference, 77 (CTest skip) when ast-grep is
not installed.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RULES_DIR = os.path.join(HERE, "rules")
INVALID_DIR = os.path.join(HERE, "rules-invalid")
SRC_DIR = os.path.join(HERE, "src")
DEFAULT_AST_GREP = os.path.join(HERE, "..", "node_modules", "@ast-grep", "cli-linux-x64-gnu", "ast-grep")

# ast-grep language names (lower-cased) -> the extensions both tools read as that language.
# `.h` is left out on purpose: ast-grep reads it as C, Vigil as C++.
EXTENSIONS = {
    "python": (".py",),
    "javascript": (".js", ".jsx", ".mjs", ".cjs"),
    "typescript": (".ts",),
    "tsx": (".tsx",),
    "go": (".go",),
    "java": (".java",),
    "c": (".c",),
    "cpp": (".cpp", ".cc", ".hpp"),
}
LANGUAGE_GROUP = {"typescript": "typescript", "tsx": "typescript"}  # for the per-language minimums

# The corpus must stay meaningful: these are lower bounds on what ast-grep itself finds.
MIN_PAIRS = 100
MIN_PAIRS_PER_LANGUAGE = 6
MIN_AST_GREP_MATCHES = 250
MIN_AST_GREP_MATCHES_PER_LANGUAGE = 10
MIN_FIX_MATCHES = 30


def read_rule_header(path):
    """id and language(s) of a rule file, without a YAML dependency (the corpus keeps them plain)."""
    rule_id, language = None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("id:"):
                rule_id = line.split(":", 1)[1].strip()
            elif line.startswith("language:"):
                language = line.split(":", 1)[1].strip().lower()
    if not rule_id or not language:
        raise SystemExit("%s: needs top-level `id:` and `language:` lines" % path)
    if language not in EXTENSIONS:
        raise SystemExit("%s: language %r is not one of %s" % (path, language, ", ".join(EXTENSIONS)))
    return rule_id, language


def source_files():
    out = []
    for root, _, files in os.walk(SRC_DIR):
        for name in files:
            out.append(os.path.join(root, name))
    return sorted(out)


# Built-in rules written with `rule:` run on their own fixtures too (translated for ast-grep).
BUILTIN_DIR = os.path.join(HERE, "..", "..", "analyzers", "rules")
LANGUAGE_OF_EXTENSION = {ext: lang for lang, exts in EXTENSIONS.items() for ext in exts}
AST_GREP_NAME = {"python": "Python", "javascript": "JavaScript", "typescript": "TypeScript", "tsx": "Tsx",
                 "go": "Go", "java": "Java", "c": "C", "cpp": "Cpp"}
LANGUAGE_ALIASES = {"js": "javascript", "ts": "typescript", "py": "python", "c++": "cpp", "golang": "go"}
# Keys ast-grep does not know (it refuses unknown keys); none of them changes what a rule matches.
VIGIL_ONLY_KEYS = {"constraint", "fixApplicability", "scope", "tests"}


def top_level_blocks(text):
    """A YAML mapping split into (top-level key, text) blocks; comments stay with the next key."""
    blocks, key, current = [], None, []
    for line in text.splitlines(keepends=True):
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if m:
            if key is not None or current:
                blocks.append((key, "".join(current)))
            key, current = m.group(1), [line]
        else:
            current.append(line)
    blocks.append((key, "".join(current)))
    return blocks


def rule_languages(language_block):
    """Languages of a `language:` block: a scalar, a flow list or a block list."""
    value = language_block.split(":", 1)[1]
    items = re.findall(r"[A-Za-z+]+", re.sub(r"#.*", "", value))
    return [LANGUAGE_ALIASES.get(i.lower(), i.lower()) for i in items]


def translate_rule(text, language):
    """A Vigil rule file as plain ast-grep YAML for one language, or None when it has no `rule:`
    matcher (tree-sitter `query:` and `mode: taint` have no ast-grep equivalent) or not that language."""
    blocks = top_level_blocks(text)
    keys = {k for k, _ in blocks}
    if "rule" not in keys or "query" in keys or "mode" in keys:
        return None
    languages = [rule_languages(b) for k, b in blocks if k == "language"]
    if not languages or language not in languages[0]:
        return None
    out = []
    for key, block in blocks:
        if key in VIGIL_ONLY_KEYS:
            continue
        out.append("language: %s\n" % AST_GREP_NAME[language] if key == "language" else block)
    return "".join(out)


def builtin_pairs(tmp, builtin_dir=BUILTIN_DIR):
    """(ast-grep rule, vigil rule, id, language, fixture) for every built-in `rule:` rule and fixture."""
    pairs = []
    if not os.path.isdir(builtin_dir):
        return pairs
    for pack in sorted(os.listdir(builtin_dir)):
        pack_dir = os.path.join(builtin_dir, pack)
        if not os.path.isdir(pack_dir):
            continue
        names = sorted(os.listdir(pack_dir))
        for name in names:
            if not name.endswith(".yaml"):
                continue
            stem = name[:-5]
            with open(os.path.join(pack_dir, name), encoding="utf-8") as f:
                text = f.read()
            for fixture in names:
                base, ext = os.path.splitext(fixture)
                language = LANGUAGE_OF_EXTENSION.get(ext)
                if base != stem or language is None:
                    continue
                translated = translate_rule(text, language)
                if translated is None:
                    continue
                ag_rule = os.path.join(tmp, "%s.%s.yml" % (stem, language))
                with open(ag_rule, "w", encoding="utf-8") as f:
                    f.write(translated)
                pairs.append((ag_rule, os.path.join(pack_dir, name), stem, language, os.path.join(pack_dir, fixture)))
    return pairs


def run_ast_grep(ast_grep, rule, paths):
    """{path: matches} of one rule over files of its language (one process: start-up is most of a
    small file's cost, several times over under the sanitizers), or (None, error)."""
    p = subprocess.run([ast_grep, "scan", "-r", rule, "--json=compact"] + paths, capture_output=True, text=True)
    # ast-grep exits 1 when it found error-severity matches.
    if p.returncode not in (0, 1) or not p.stdout.strip().startswith("["):
        return None, "ast-grep exit %d: %s%s" % (p.returncode, p.stdout[:500], p.stderr[:2000])
    per_file = {path: {} for path in paths}
    data = {}
    for m in json.loads(p.stdout):
        path = os.path.abspath(m["file"])
        if path not in per_file:
            return None, "ast-grep reported a file it was not given: %s" % m["file"]
        r = m["range"]
        key = (r["start"]["line"] + 1, r["start"]["column"] + 1, r["end"]["line"] + 1, r["end"]["column"] + 1)
        fix = None
        if "replacement" in m:
            if path not in data:
                with open(path, "rb") as f:
                    data[path] = f.read()
            offsets = m.get("replacementOffsets") or r["byteOffset"]
            fix = (m["replacement"], point_of(data[path], offsets["start"]) + point_of(data[path], offsets["end"]))
        per_file[path][key] = (fix, m.get("message"), m.get("severity"))
    return per_file, None


def point_of(data, offset):
    """1-based line and code-point column of a byte offset."""
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    return (before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1)


def vigil_fix(finding):
    """(replacement, (start line, col, end line, col)) of a finding's `fix`, or None."""
    fix = finding.get("fix")
    if fix is None:
        return None
    return (fix["replacement"], (fix["start"]["line"], fix["start"]["column"], fix["end"]["line"], fix["end"]["column"]))


# The engine is compared, not `vigil check`'s policies: the files are checked in a project whose
# config turns off the lowering of test code and calls every file AI-written (so that rules about
# added code keep their severity). Every `rule:` rule looks at one file at a time, so checking a
# rule's files together gives each file's findings alone.
PARITY_CONFIG = "testCode: {lowerSeverity: false}\nprovenance: {aiGlobs: ['*'], git: {enabled: false}}\n"


def run_vigil(vigil, rule, paths, rule_id):
    """{path: matches} of one rule over files of its language (one process), or (None, error)."""
    with tempfile.TemporaryDirectory(prefix="vigil-differential-files-") as project:
        os.makedirs(os.path.join(project, ".vigil"))
        with open(os.path.join(project, ".vigil", "config.yaml"), "w") as f:
            f.write(PARITY_CONFIG)
        # Each file under its own numbered folder: names may repeat across folders of the corpus.
        copies = {}
        for i, path in enumerate(paths):
            rel = os.path.join(str(i), os.path.basename(path))
            os.makedirs(os.path.join(project, str(i)))
            shutil.copyfile(path, os.path.join(project, rel))
            copies[rel] = path
        p = subprocess.run([vigil, "check", "--rules", os.path.abspath(rule), "--no-builtin", "--format", "json"]
                           + sorted(copies), capture_output=True, text=True, cwd=project)
    if p.returncode not in (0, 1):
        return None, "vigil exit %d: %s" % (p.returncode, (p.stderr.strip() or p.stdout)[:2000])
    data = json.loads(p.stdout)
    per_file = {path: {} for path in paths}
    for f in data.get("findings", []):
        if f["rule"] != rule_id:
            continue  # Vigil's own findings about the file, e.g. vigil-unused-suppression
        if f["path"] not in copies:
            return None, "vigil reported a file it was not given: %s" % f["path"]
        key = (f["start"]["line"], f["start"]["column"], f["end"]["line"], f["end"]["column"])
        per_file[copies[f["path"]]][key] = (vigil_fix(f), f.get("message"), f.get("severity"))
    return per_file, None


def snippet(lines, key):
    """The source text of a 1-based, code-point range, shortened to one line."""
    sl, sc, el, ec = key
    try:
        if sl == el:
            text = lines[sl - 1][sc - 1:ec - 1]
        else:
            text = lines[sl - 1][sc - 1:] + "\n" + "\n".join(lines[sl:el - 1]) + ("\n" if el - 1 > sl else "") + \
                lines[el - 1][:ec - 1]
    except IndexError:
        return "<out of file>"
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."


def fmt(key):
    return "%d:%d-%d:%d" % key


def fmt_fix(fix):
    return "no fix" if fix is None else "%r at %s" % (fix[0], fmt(fix[1]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("vigil")
    ap.add_argument("--ast-grep", default=os.environ.get("AST_GREP", DEFAULT_AST_GREP))
    ap.add_argument("--rule", default="", help="only rules whose file name contains this")
    ap.add_argument("--list", action="store_true", help="print every match of both tools")
    ap.add_argument("--no-builtin-rules", action="store_true", help="only the corpus, not the built-in `rule:` rules")
    ap.add_argument("--only-builtin-rules", action="store_true", help="only the built-in `rule:` rules")
    ap.add_argument("--builtin-dir", default=BUILTIN_DIR, help="the built-in packs (default: analyzers/rules)")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    if not os.path.isfile(args.ast_grep) or not os.access(args.ast_grep, os.X_OK):
        print("SKIP: ast-grep binary not found at %s (run scripts/setup --with-test-tools, or set AST_GREP)"
              % args.ast_grep)
        return 77
    vigil = os.path.abspath(args.vigil)

    rules = sorted(os.path.join(RULES_DIR, n) for n in os.listdir(RULES_DIR)
                   if n.endswith(".yml") and args.rule in n and not args.only_builtin_rules)
    files = source_files()
    pairs = []  # (rule for ast-grep, rule for vigil, id, language, file, from the corpus?)
    for rule in rules:
        rule_id, language = read_rule_header(rule)
        for path in files:
            if path.endswith(EXTENSIONS[language]):
                pairs.append((rule, rule, rule_id, language, path, True))
    rules_without_files = sorted({os.path.basename(r) for r in rules} - {os.path.basename(p[0]) for p in pairs})
    tmp = tempfile.TemporaryDirectory(prefix="vigil-differential-")
    if not args.no_builtin_rules:
        pairs += [p + (False,) for p in builtin_pairs(tmp.name, args.builtin_dir)
                  if args.rule in os.path.basename(p[1])]

    # One run of each tool per rule over all of that rule's files, then compared file by file.
    groups = collections.OrderedDict()
    for ag_rule, vg_rule, rule_id, _, path, _ in pairs:
        groups.setdefault((ag_rule, vg_rule, rule_id), []).append(os.path.abspath(path))

    def one(group):
        (ag_rule, vg_rule, rule_id), paths = group
        return run_ast_grep(args.ast_grep, ag_rule, paths), run_vigil(vigil, vg_rule, paths, rule_id)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        by_group = dict(zip(groups, pool.map(one, groups.items())))

    def for_file(result, path):
        per_file, err = result
        return (None, err) if err else (per_file[path], None)

    results = []
    for ag_rule, vg_rule, rule_id, _, path, _ in pairs:
        ag_result, vg_result = by_group[(ag_rule, vg_rule, rule_id)]
        results.append((for_file(ag_result, os.path.abspath(path)), for_file(vg_result, os.path.abspath(path))))

    differences = 0
    errors = 0
    ag_total = vigil_total = fix_matches = 0
    builtin = collections.Counter()
    pairs_per_lang = collections.Counter()
    ag_per_lang = collections.Counter()
    rules_matching = set()
    refused = []
    reported_errors = set()
    for (ag_rule, vg_rule, rule_id, language, path, in_corpus), ((ag, ag_err), (vg, vg_err)) in zip(pairs, results):
        rel_rule = os.path.relpath(vg_rule, HERE) if in_corpus else os.path.relpath(vg_rule, os.path.join(HERE, "..", ".."))
        rel_path = os.path.relpath(path, HERE) if in_corpus else os.path.relpath(path, os.path.join(HERE, "..", ".."))
        group = LANGUAGE_GROUP.get(language, language)
        if ag_err:
            if in_corpus:
                errors += 1
                if rel_rule not in reported_errors:  # once per rule, not per file
                    reported_errors.add(rel_rule)
                    print("ERROR %s on %s: %s" % (rel_rule, rel_path, ag_err))
            else:
                refused.append("%s (%s)" % (rel_rule, ag_err.strip().splitlines()[-1][:160]))
            continue
        if in_corpus:
            pairs_per_lang[group] += 1
            ag_total += len(ag)
            ag_per_lang[group] += len(ag)
            if ag:
                rules_matching.add(rule_id)
            fix_matches += sum(1 for v in ag.values() if v[0] is not None)
        else:
            builtin["pairs"] += 1
            builtin["matches"] += len(ag)
        if vg_err:
            differences += 1
            if rel_rule not in reported_errors:  # once per rule, not per file
                reported_errors.add(rel_rule)
                print("DIFF %s on %s (and its other files): vigil failed: %s" % (rel_rule, rel_path, vg_err))
            continue
        vigil_total += len(vg)
        with open(path, encoding="utf-8", newline="") as f:  # keep \r: only \n ends a line here
            lines = f.read().split("\n")
        only_ag = sorted(set(ag) - set(vg))
        only_vg = sorted(set(vg) - set(ag))
        both = sorted(set(ag) & set(vg))
        fix_diff = [key for key in both if ag[key][0] != vg[key][0]]
        message_diff = [key for key in both if ag[key][1] != vg[key][1]]
        severity_diff = [key for key in both if ag[key][2] != vg[key][2]]
        if args.list:
            print("%s on %s: ast-grep %d, vigil %d" % (rel_rule, rel_path, len(ag), len(vg)))
            for key in sorted(ag):
                print("    %s `%s`%s" % (fmt(key), snippet(lines, key),
                                        "" if ag[key][0] is None else " fix: " + fmt_fix(ag[key][0])))
        if only_ag or only_vg or fix_diff or message_diff or severity_diff:
            differences += 1
            print("DIFF %s (%s) on %s" % (rule_id, rel_rule, rel_path))
            for key in only_ag:
                print("    only in ast-grep: %s `%s`" % (fmt(key), snippet(lines, key)))
            for key in only_vg:
                print("    only in vigil:    %s `%s`" % (fmt(key), snippet(lines, key)))
            for key in fix_diff:
                print("    fix differs at %s:\n        ast-grep %s\n        vigil    %s"
                      % (fmt(key), fmt_fix(ag[key][0]), fmt_fix(vg[key][0])))
            for key in severity_diff:
                print("    severity differs at %s: ast-grep %s, vigil %s" % (fmt(key), ag[key][2], vg[key][2]))
            for key in message_diff:
                print("    message differs at %s:\n        ast-grep %r\n        vigil    %r"
                      % (fmt(key), ag[key][1], vg[key][1]))
    tmp.cleanup()

    for r in refused:
        print("NOTE built-in rule ast-grep does not load (not compared): %s" % r)

    # Rules ast-grep refuses to load must not load in Vigil either (exit 2, error on the rule file).
    invalid = sorted(os.path.join(INVALID_DIR, n) for n in os.listdir(INVALID_DIR)
                     if n.endswith(".yml") and args.rule in n and not args.only_builtin_rules)
    for rule in invalid:
        _, language = read_rule_header(rule)
        probe = next(p for p in files if p.endswith(EXTENSIONS[language]))
        a = subprocess.run([args.ast_grep, "scan", "-r", rule, probe, "--json=compact"], capture_output=True, text=True)
        v = subprocess.run([vigil, "check", "--rules", rule, "--no-builtin", "--format", "json", probe],
                           capture_output=True, text=True)
        rel = os.path.relpath(rule, HERE)
        if a.returncode in (0, 1):
            errors += 1
            print("ERROR %s: ast-grep loads it; rules-invalid/ is for rules ast-grep refuses" % rel)
        elif v.returncode != 2:
            differences += 1
            reason = [l for l in a.stderr.splitlines() if l.startswith("\u2570")][-1:] or [a.stderr.strip()[-200:]]
            print("DIFF %s: ast-grep refuses the rule (%s) but vigil loads it (exit %d)"
                  % (rel, reason[0].lstrip("\u2570\u25bb "), v.returncode))
    corpus_pairs = sum(pairs_per_lang.values())
    print("\ncorpus: %d rules (%d match nothing in ast-grep), %d rule x file pairs (%s); ast-grep %d matches (%s; "
          "%d with a fix)" % (len(rules), len(rules) - len(rules_matching), corpus_pairs,
                              ", ".join("%s %d" % kv for kv in sorted(pairs_per_lang.items())), ag_total,
                              ", ".join("%s %d" % kv for kv in sorted(ag_per_lang.items())), fix_matches))
    print("built-in `rule:` rules on their fixtures: %d pairs, ast-grep %d matches" % (builtin["pairs"], builtin["matches"]))
    print("rules both tools must refuse: %d" % len(invalid))
    print("vigil %d matches in all; %d differences, %d errors" % (vigil_total, differences, errors))
    problems = []
    if rules_without_files:
        problems.append("rules with no source file of their language: %s" % ", ".join(rules_without_files))
    if not args.rule and not args.only_builtin_rules:
        if corpus_pairs < MIN_PAIRS:
            problems.append("only %d pairs (need %d)" % (corpus_pairs, MIN_PAIRS))
        for lang in sorted(set(LANGUAGE_GROUP.get(l, l) for l in EXTENSIONS)):
            if pairs_per_lang[lang] < MIN_PAIRS_PER_LANGUAGE:
                problems.append("%s: only %d pairs (need %d)" % (lang, pairs_per_lang[lang], MIN_PAIRS_PER_LANGUAGE))
            if ag_per_lang[lang] < MIN_AST_GREP_MATCHES_PER_LANGUAGE:
                problems.append("%s: ast-grep finds only %d matches (need %d)"
                                % (lang, ag_per_lang[lang], MIN_AST_GREP_MATCHES_PER_LANGUAGE))
        if ag_total < MIN_AST_GREP_MATCHES:
            problems.append("ast-grep finds only %d matches in the corpus (need %d)" % (ag_total, MIN_AST_GREP_MATCHES))
        if fix_matches < MIN_FIX_MATCHES:
            problems.append("only %d ast-grep matches carry a fix (need %d)" % (fix_matches, MIN_FIX_MATCHES))
    for p in problems:
        print("CORPUS", p)
    if differences or errors or problems:
        print("FAIL")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
