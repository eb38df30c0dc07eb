#!/usr/bin/env python3
"""`vigil check --validate`: the deep analyzer on every taint rule's fixture and on the look-alikes
in tests/fixtures/validation (annotated `ruleid:` = flagged and confirmed, `refute:` = flagged by the
fast pass and refuted), verdicts in text/JSON/SARIF, the verdict store, exit codes, and the local
command validator (argv, stdin/stdout, timeout). Prints confirmed/refuted counts per language.

Usage: test_validate.py VIGIL ROOT
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict

VIGIL, ROOT = sys.argv[1], sys.argv[2]
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def env_without_user_config(home):
    env = dict(os.environ)
    env["HOME"] = home
    env["XDG_CONFIG_HOME"] = os.path.join(home, ".config")
    return env


WORK = tempfile.mkdtemp(prefix="vigil-validate-")
ENV = env_without_user_config(os.path.join(WORK, "home"))
os.makedirs(os.path.join(WORK, "home"), exist_ok=True)


def run(args, cwd, env=ENV, timeout=120):
    return subprocess.run([VIGIL] + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def annotations(path):
    """line (1-based) of the code under each annotation -> [(kind, rule)]"""
    out = defaultdict(list)
    pending = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            m = re.search(r"(?:#|//)\s*(ruleid|ok|refute):\s*([\w.-]+)", line)
            if m:
                pending.append((m.group(1), m.group(2)))
                continue
            if pending and line.strip():
                out[n].extend(pending)
                pending = []
    return out


def check_project(src_files, counts, label_of):
    """Copies files into a fresh project, validates, and checks every finding against annotations."""
    proj = tempfile.mkdtemp(dir=WORK)
    os.makedirs(os.path.join(proj, ".vigil"))
    names = []
    for src in src_files:
        dst = os.path.join(proj, os.path.basename(src))
        shutil.copy(src, dst)
        names.append(os.path.basename(src))
    r = run(["check", "--validate", "--format", "json", "--fail-on", "never", "--jobs", "2"] + names, proj)
    if r.returncode != 0:
        fail(f"{src_files}: exit {r.returncode}: {r.stderr[-400:]}")
        return
    found = json.loads(r.stdout)["findings"]
    by_line = defaultdict(dict)
    for f in found:
        by_line[(f["path"], f["start"]["line"])][f["rule"]] = f
    for src, name in zip(src_files, names):
        lang = label_of(src)
        for line, marks in annotations(src).items():
            for kind, rule in marks:
                f = by_line.get((name, line), {}).get(rule)
                if kind == "ok":
                    continue
                if f is None:
                    if kind == "refute":
                        fail(f"{src}:{line}: the look-alike for {rule} is not flagged by the fast pass (nothing to refute)")
                    continue  # a `ruleid:` of another (non-taint) rule in a shared fixture
                v = f.get("validation")
                if not v:
                    fail(f"{src}:{line}: {rule}: no verdict")
                    continue
                want = "confirmed" if kind == "ruleid" else "refuted"
                counts[lang][v["status"]] += 1
                if v["status"] != want:
                    fail(f"{src}:{line}: {rule}: {v['status']}, expected {want}: {v['explanation'][:300]}")
                elif not v.get("explanation"):
                    fail(f"{src}:{line}: {rule}: a verdict without an explanation")


# 1. Every built-in taint rule on its own fixture (the rule alone), then the look-alikes.
counts = defaultdict(lambda: defaultdict(int))
rules_dir = os.path.join(ROOT, "analyzers", "rules")
taint_fixtures = []
for lang in sorted(os.listdir(rules_dir)):
    d = os.path.join(rules_dir, lang)
    if not os.path.isdir(d):
        continue
    for y in sorted(os.listdir(d)):
        if not y.endswith(".yaml"):
            continue
        with open(os.path.join(d, y), encoding="utf-8") as fh:
            if not re.search(r"^mode:\s*taint", fh.read(), re.M):
                continue
        stem = y[:-5]
        fixtures = [os.path.join(d, f) for f in os.listdir(d) if f.startswith(stem + ".") and not f.endswith(".yaml")]
        taint_fixtures.extend(fixtures)
check_project(taint_fixtures, counts, lambda p: os.path.basename(os.path.dirname(p)))
print("taint fixtures (ruleid: cases):")
for lang in sorted(counts):
    print(f"  {lang}: {counts[lang]['confirmed']} confirmed, {counts[lang]['refuted']} refuted")

look = defaultdict(lambda: defaultdict(int))
lookalike_dir = os.path.join(ROOT, "tests", "fixtures", "validation")
files = sorted(os.path.join(lookalike_dir, f) for f in os.listdir(lookalike_dir) if not f.endswith(".md"))
check_project(files, look, lambda p: os.path.splitext(p)[1][1:])
print("look-alikes (ruleid: confirmed / refute: refuted):")
for lang in sorted(look):
    print(f"  {lang}: {look[lang]['confirmed']} confirmed, {look[lang]['refuted']} refuted")
if sum(c["refuted"] for c in look.values()) < 10:
    fail("too few look-alikes were refuted")

# 2. The three formats on the bundled examples; the verdict store; refuted findings do not fail.
proj = tempfile.mkdtemp(dir=WORK)
shutil.copytree(os.path.join(ROOT, "examples"), os.path.join(proj, "examples"))
shutil.copy(os.path.join(lookalike_dir, "lookalikes.py"), os.path.join(proj, "lookalikes.py"))
os.makedirs(os.path.join(proj, ".vigil"))
text = run(["check", "--validate", "examples", "lookalikes.py"], proj)
if text.returncode != 1 or "= confirmed by deep" not in text.stdout or "= refuted by deep" not in text.stdout:
    fail(f"text: exit {text.returncode}, verdict lines missing:\n{text.stdout[:600]}")
if not re.search(r"lookalikes\.py:\d+:\d+: note \[py-sql-injection\]", text.stdout):
    fail("text: a refuted finding is not reported as a note")
if "validated" not in text.stderr or "remembered" not in text.stderr:
    # The first run stores verdicts; this run is the first, so nothing is remembered yet.
    pass
again = run(["check", "--validate", "examples", "lookalikes.py"], proj)
if "remembered from an earlier run" not in again.stderr:
    fail(f"the second run validated again instead of reading the store: {again.stderr}")
if again.stdout != text.stdout:
    fail("the remembered verdicts differ from the computed ones")
js = run(["check", "--validate=deep", "--format", "json", "examples"], proj)
data = json.loads(js.stdout)
if not data["findings"] or not all("validation" in f and f["validation"]["validator"] == "deep" for f in data["findings"]):
    fail("json: a finding without validation")
sarif = run(["check", "--validate", "--format", "sarif", "--output", "out.sarif", "examples", "lookalikes.py"], proj)
with open(os.path.join(proj, "out.sarif"), encoding="utf-8") as fh:
    log = json.load(fh)
results = log["runs"][0]["results"]
if not all("validation" in r.get("properties", {}) and r.get("kind") == "fail" for r in results):
    fail("sarif: a result without properties.validation / kind")
refuted = [r for r in results if r["properties"]["validation"]["status"] == "refuted"]
if not refuted or any(r["level"] != "note" for r in refuted):
    fail("sarif: refuted results must be notes")
# Only refuted findings: exit 0 even with --fail-on hint.
only = tempfile.mkdtemp(dir=WORK)
with open(os.path.join(only, "only_refuted.py"), "w") as fh:
    fh.write('import os\nfrom flask import request\n\ndef h():\n    n = request.args.get("n")\n'
             '    if not n.isdigit():\n        return\n    os.system("sleep " + n)\n')
r = run(["check", "--fail-on", "hint", "only_refuted.py"], only)
r2 = run(["check", "--validate", "--fail-on", "hint", "only_refuted.py"], only)
if r.returncode != 1 or r2.returncode != 0:
    fail(f"refuted findings must not fail the build: without --validate exit {r.returncode}, with it {r2.returncode}\n{r2.stdout}")

# 3. Usage errors.
r = run(["check", "--validate=oracle", "examples"], proj)
if r.returncode != 2 or "deep, endpoint or command" not in r.stderr:
    fail(f"--validate=oracle: exit {r.returncode} {r.stderr}")
r = run(["check", "--validate=endpoint", "examples"], proj)
if r.returncode != 2 or "no model endpoint configured" not in r.stderr:
    fail(f"--validate=endpoint without settings: exit {r.returncode} {r.stderr}")

# 4. The local command validator: request on stdin, verdict on stdout; a slow one is killed.
home = os.path.join(WORK, "cmdhome")
cfg = os.path.join(home, ".config", "vigil")
os.makedirs(cfg)
seen = os.path.join(WORK, "command-saw.json")
script = os.path.join(WORK, "judge.py")
with open(script, "w") as fh:
    fh.write("import json, sys, time\nreq = json.load(sys.stdin)\n"
             f"open({seen!r}, 'w').write(json.dumps(req))\n"
             "if 'sleep' in req['request']['code']: time.sleep(30)\n"
             "print(json.dumps({'verdict': 'false_positive', 'reason': 'judge says no', 'confidence': 80}))\n")
with open(os.path.join(cfg, "config.yaml"), "w") as fh:
    fh.write(f"validation:\n  command:\n    argv: [{sys.executable!r}, {script!r}]\n    timeoutMs: 2000\n")
cmd_env = env_without_user_config(home)
secret_proj = tempfile.mkdtemp(dir=WORK)
with open(os.path.join(secret_proj, "app.py"), "w") as fh:
    fh.write('import os\nfrom flask import request\nAPI_KEY = "AKIAIOSFODNN7EXAMPLE"\n\ndef h():\n'
             '    token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"\n    os.system("ls " + request.args["d"])\n')
r = run(["check", "--validate=command", "--format", "json", "app.py"], secret_proj, env=cmd_env)
data = json.loads(r.stdout) if r.stdout.strip() else {"findings": []}
v = [f["validation"] for f in data["findings"] if f["rule"] == "py-os-command-injection"]
if not v or v[0]["status"] != "refuted" or v[0]["validator"] != "command" or "judge says no" not in v[0]["explanation"]:
    fail(f"command validator: {v} {r.stderr}")
else:
    with open(seen) as fh:
        sent = fh.read()
    if "AKIAIOSFODNN7EXAMPLE" in sent or "ghp_abcdefghijklmnopqrstuvwxyz0123456789" in sent:
        fail("a secret reached the command")
    if "<redacted:" not in sent:
        fail("the command's request shows no redaction")
    if abs(v[0]["confidence"] - 0.8) > 0.01:
        fail(f"confidence 80 should read as 0.8: {v[0]}")
slow_proj = tempfile.mkdtemp(dir=WORK)
with open(os.path.join(slow_proj, "slow.py"), "w") as fh:
    fh.write('import os\nfrom flask import request\n\ndef h():\n    os.system("sleep " + request.args["d"])\n')
import time
t0 = time.monotonic()
r = run(["check", "--validate=command", "--format", "json", "slow.py"], slow_proj, env=cmd_env)
elapsed = time.monotonic() - t0
v = [f["validation"] for f in json.loads(r.stdout)["findings"]]
if not v or v[0]["status"] != "error" or "timed out" not in v[0]["explanation"] or elapsed > 15:
    fail(f"slow command: {v} after {elapsed:.1f}s")

# 5. A workspace may not choose the command: .vigil/config.yaml naming one is ignored with a warning.
ws = tempfile.mkdtemp(dir=WORK)
os.makedirs(os.path.join(ws, ".vigil"))
with open(os.path.join(ws, ".vigil", "config.yaml"), "w") as fh:
    fh.write(f"validation:\n  command:\n    argv: [{sys.executable!r}, {script!r}]\n")
shutil.copy(os.path.join(slow_proj, "slow.py"), os.path.join(ws, "slow.py"))
r = run(["check", "--validate=command", "slow.py"], ws)
if r.returncode != 2 or "ignored: a workspace may not choose" not in r.stderr or "no validation command configured" not in r.stderr:
    fail(f"workspace-chosen command: exit {r.returncode} {r.stderr}")
# ... unless the user's own settings trust that workspace.
trust_home = os.path.join(WORK, "trusthome")
os.makedirs(os.path.join(trust_home, ".config", "vigil"))
with open(os.path.join(trust_home, ".config", "vigil", "config.yaml"), "w") as fh:
    fh.write(f"validation:\n  trustedWorkspaces: [{ws!r}]\n")
with open(os.path.join(ws, "slow.py"), "w") as fh:
    fh.write('import os\nfrom flask import request\n\ndef h():\n    os.system("ls " + request.args["d"])\n')
r = run(["check", "--validate=command", "--format", "json", "slow.py"], ws, env=env_without_user_config(trust_home))
if r.returncode not in (0, 1) or "judge says no" not in r.stdout:
    fail(f"trusted workspace command: exit {r.returncode} {r.stderr}")

shutil.rmtree(WORK, ignore_errors=True)
if failures:
    print(f"{len(failures)} failures")
    sys.exit(1)
print("ok")
