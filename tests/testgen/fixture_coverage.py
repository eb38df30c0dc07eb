#!/usr/bin/env python3
"""How many findings of the built-in rules' fixtures get a generated security test.

usage: fixture_coverage.py VIGIL REPO_ROOT

Copies every fixture of analyzers/rules/<lang>/ into a scratch project, runs `vigil check` on it
(findings with a rule CWE that a template covers) and `vigil gen-tests` per finding line, and counts
the findings for which a test file was written. A measurement, not a test.
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

VIGIL, REPO = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
RULES = os.path.join(REPO, "analyzers", "rules")
TEMPLATES = os.path.join(REPO, "analyzers", "testgen", "templates")
# Rules directory -> templates directory (C++ rules use the C templates).
LANG_DIR = {"python": "python", "javascript": "javascript", "go": "go", "c": "c", "cpp": "c", "java": "java"}

covered = collections.defaultdict(set)
for lang in LANG_DIR:
    for f in os.listdir(os.path.join(TEMPLATES, LANG_DIR[lang])):
        if f.endswith(".yaml") and not f.startswith("_"):
            text = open(os.path.join(TEMPLATES, LANG_DIR[lang], f)).read()
            m = re.search(r"^cwe: \[(.*)\]", text, re.M)
            covered[lang] |= {c.strip() for c in m.group(1).split(",")}

total = with_template = generated = 0
per_lang = collections.Counter()
per_lang_total = collections.Counter()
project = tempfile.mkdtemp(prefix="vigil-fixture-coverage-")
os.makedirs(os.path.join(project, ".vigil"))
for lang in LANG_DIR:
    for name in sorted(os.listdir(os.path.join(RULES, lang))):
        if name.endswith((".yaml", ".yml")) or os.path.isdir(os.path.join(RULES, lang, name)):
            continue
        src = os.path.join(project, lang, name)
        os.makedirs(os.path.dirname(src), exist_ok=True)
        shutil.copy(os.path.join(RULES, lang, name), src)
        out = subprocess.run([VIGIL, "check", src, "--format", "json", "--fail-on", "never"], capture_output=True, text=True, cwd=project)
        findings = json.loads(out.stdout)["findings"] if out.stdout.strip() else []
        total += len(findings)
        per_lang_total[lang] += len(findings)
        templated = [f for f in findings if set(f.get("cwe", [])) & covered[lang]]
        if not templated:
            continue
        with_template += len(templated)
        # One run per file: a test per function and family; each finding that could not get one is
        # reported on stderr as `path:LINE: why`.
        g = subprocess.run([VIGIL, "gen-tests", src, "--out", os.path.join(project, "out")], capture_output=True, text=True, cwd=project)
        failed_lines = {int(m) for m in re.findall(r":(\d+): ", g.stderr)}
        ok = [f for f in templated if f["start"]["line"] not in failed_lines] if re.search(r"^(wrote|added|has) ", g.stdout, re.M) else []
        generated += len(ok)
        per_lang[lang] += len(ok)
shutil.rmtree(project, ignore_errors=True)
print("fixture findings: %d; with a template for their CWE: %d; got a test: %d" % (total, with_template, generated))
for lang in LANG_DIR:
    print("  %s: %d of %d findings got a test" % (lang, per_lang[lang], per_lang_total[lang]))
