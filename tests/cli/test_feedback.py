#!/usr/bin/env python3
"""The feedback bank from the command line: `vigil check --record` (findings stored, those gone
since recorded as fixed), marks hiding findings in `vigil check` with a summary line,
`vigil feedback stats` (per rule and per provenance), export -> import into an empty bank gives the
same stats (and importing twice changes nothing; secrets redacted in the export), the baseline
(written, honoured, --no-baseline), `vigil rules list` with precision, a database from a newer
Vigil refused untouched, and a damaged one moved aside with a warning.

Usage: test_feedback.py VIGIL
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

VIGIL = os.path.abspath(sys.argv[1])
from harness import check, failures  # noqa: E402 (after sys.argv is read)


WORK = tempfile.mkdtemp(prefix="vigil-feedback-cli-")
HOME = os.path.join(WORK, "home")
os.makedirs(HOME)
with open(os.path.join(HOME, ".gitconfig"), "w") as fh:
    fh.write("[user]\n\tname = CI Bot\n\temail = ci@example.com\n")
ENV = dict(os.environ, HOME=HOME, XDG_CONFIG_HOME=os.path.join(HOME, ".config"))
ENV.pop("GIT_CONFIG_GLOBAL", None)


def run(args, cwd):
    return subprocess.run([VIGIL] + args, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=120)


APP = '''import os
import subprocess

API_KEY = "sk-live-0123456789abcdef0123456789abcdef"


def run(cmd):
    subprocess.call(cmd, shell=True)


def other(path):
    os.system("ls " + path)
'''


def project(name, text=APP):
    root = os.path.join(WORK, name)
    os.makedirs(os.path.join(root, ".vigil"))
    with open(os.path.join(root, "app.py"), "w") as fh:
        fh.write(text)
    return root


a = project("a")
db_path = os.path.join(a, ".vigil", "feedback.db")

# 1. --record stores what the run found.
r = run(["check", "--no-progress", "--record", "."], a)
check(r.returncode == 1 and "recorded" in r.stderr, f"check --record: {r.returncode} {r.stderr}")
db = sqlite3.connect(db_path)
found = db.execute("SELECT rule_id, path, line, context FROM feedback_finding ORDER BY line").fetchall()
check(len(found) >= 2 and all(p == "app.py" for _, p, _, _ in found), f"recorded findings: {found}")
check(any("subprocess.call(cmd, shell=True)" in c for *_, c in found), f"context is the code's line: {found}")

# 2. A verdict from the editor (written as the editor writes it: a user's false positive) hides the
# finding in `vigil check`, with a summary line.
fp = db.execute("SELECT fingerprint FROM feedback_finding WHERE rule_id = 'py-subprocess-shell-injection'").fetchone()
check(fp is not None, "the shell finding was recorded")
db.close()
fp = fp[0] if fp else ""
mark = {"fingerprint": fp, "ruleId": "py-subprocess-shell-injection", "verdict": "false_positive", "source": "user",
        "tool": "test", "author": "Ada", "reason": "constant", "path": "app.py", "line": 8,
        "context": "subprocess.call(cmd, shell=True)", "provenance": "ai", "createdAt": 1700000000}
marks = os.path.join(WORK, "marks.jsonl")
with open(marks, "w") as fh:
    fh.write(json.dumps(mark) + "\n")
r = run(["feedback", "import", marks], a)
check(r.returncode == 0 and "imported 1 of 1" in r.stderr, f"import: {r.returncode} {r.stderr}")
r = run(["check", "--no-progress", "--format", "json", "."], a)
rules = [f["rule"] for f in json.loads(r.stdout)["findings"]] if r.stdout.startswith("{") else []
check("py-subprocess-shell-injection" not in rules and "py-os-command-injection" in rules, f"hidden in check: {rules}")
check("1 finding marked false positive in the feedback bank" in r.stderr, f"summary line: {r.stderr}")
r = run(["check", "--no-progress", "--no-feedback", "--format", "json", "."], a)
check("py-subprocess-shell-injection" in r.stdout, "--no-feedback shows it")

# 3. Fix the os.system call and record again: it is recorded as fixed.
with open(os.path.join(a, "app.py"), "w") as fh:
    fh.write(APP.replace('os.system("ls " + path)', 'subprocess.run(["ls", path])'))
# With --validate, the validator's verdicts join the bank too (they carry no provenance of their own).
r = run(["check", "--no-progress", "--record", "--validate", "."], a)
check("1 fixed since the last recorded run" in r.stderr, f"fixed on record: {r.stderr}")

# 4. Stats: per rule and per provenance.
r = run(["feedback", "stats", "--format", "json"], a)
stats = json.loads(r.stdout) if r.returncode == 0 else {}
shell = stats.get("rules", {}).get("py-subprocess-shell-injection", {})
oscmd = stats.get("rules", {}).get("py-os-command-injection", {})
check(shell.get("falsePositives") == 1 and shell.get("precision") == 0.0, f"shell stats: {shell}")
check(oscmd.get("fixed") == 1 and oscmd.get("findings") == 1, f"os stats: {oscmd}")
check(set(stats.get("provenance", {})) >= {"ai", "human"}, f"provenance stats: {stats.get('provenance')}")
text = run(["feedback", "stats"], a).stdout
check("precision" in text and "py-os-command-injection" in text and "AI-written" in text and "fix rate" in text, f"text stats:\n{text}")

# 5. Export -> import into an empty bank: the same stats; twice: nothing changes; secrets redacted.
export = os.path.join(WORK, "bank.jsonl")
r = run(["feedback", "export", "--format", "jsonl", "-o", export], a)
check(r.returncode == 0, f"export: {r.stderr}")
lines = open(export).read().splitlines()
check(len(lines) >= 2 and all(json.loads(l).get("fingerprint") for l in lines), f"export lines: {lines}")
b = project("b", "print('empty')\n")
r = run(["feedback", "import", export], b)
check(r.returncode == 0, f"import into b: {r.stderr}")
stats_b = json.loads(run(["feedback", "stats", "--format", "json"], b).stdout)
# Findings recorded by --record travel as their `fixed` verdicts only: compare what verdicts carry.
for rule in ("py-subprocess-shell-injection", "py-os-command-injection"):
    for key in ("confirmed", "falsePositives", "fixed", "precision"):
        check(stats_b["rules"].get(rule, {}).get(key) == stats["rules"][rule].get(key), f"{rule}.{key} after import: {stats_b['rules'].get(rule)}")
# A validator's verdict travels with its finding's path, context and provenance: the per-provenance
# table (AI vs human) is the same in the new bank.
check(stats_b.get("provenance") == stats.get("provenance"), f"provenance after import: {stats_b.get('provenance')} vs {stats.get('provenance')}")
r = run(["feedback", "import", export], b)
check("imported 0 of" in r.stderr, f"second import changes nothing: {r.stderr}")
check(json.loads(run(["feedback", "stats", "--format", "json"], b).stdout) == stats_b, "same stats after a second import")
bad = os.path.join(WORK, "bad.jsonl")
with open(bad, "w") as fh:
    fh.write(json.dumps(mark) + "\n{not json\n")
r = run(["feedback", "import", bad], b)
check(r.returncode == 2 and "bad.jsonl:2" in r.stderr, f"a bad line: {r.returncode} {r.stderr}")
secret_mark = dict(mark, createdAt=1700000001, context='API_KEY = "sk-live-0123456789abcdef0123456789abcdef"')
with open(marks, "w") as fh:
    fh.write(json.dumps(secret_mark) + "\n")
run(["feedback", "import", marks], b)
r = run(["feedback", "export"], b)
check("sk-live-0123456789abcdef" not in r.stdout and "redacted" in r.stdout, f"secrets redacted in the export: {r.stdout[-400:]}")

# 6. Baseline: written, honoured, and --no-baseline shows everything.
c = project("c")
r = run(["feedback", "baseline", "--no-progress"], c)
base = os.path.join(c, ".vigil", "baseline.json")
check(r.returncode == 0 and os.path.exists(base), f"baseline: {r.returncode} {r.stderr}")
doc = json.load(open(base)) if os.path.exists(base) else {}
check(doc.get("version") == 1 and len(doc.get("findings", [])) >= 2, f"baseline content: {doc}")
r = run(["check", "--no-progress", "."], c)
check(r.returncode == 0 and "accepted by .vigil/baseline.json" in r.stderr, f"baseline honoured: {r.returncode} {r.stderr}")
with open(os.path.join(c, "new.py"), "w") as fh:
    fh.write("import os\n\ndef f(x):\n    os.system(x)\n")
r = run(["check", "--no-progress", "."], c)
check(r.returncode == 1 and "new.py" in r.stdout and "app.py" not in r.stdout, f"only the new finding: {r.stdout}")
r = run(["check", "--no-progress", "--no-baseline", "."], c)
check("app.py" in r.stdout, "--no-baseline shows the accepted ones")
with open(base, "w") as fh:
    fh.write("[1, 2]")
r = run(["check", "--no-progress", "."], c)
check(r.returncode == 2 and "not a Vigil baseline" in r.stderr, f"a broken baseline is an error: {r.stderr}")

# 7. rules list shows the precision.
r = run(["rules", "list"], a)
line = [l for l in r.stdout.splitlines() if l.startswith("py-subprocess-shell-injection\t")]
check(line and line[0].endswith("0% of 1"), f"rules list: {line}")
r = run(["rules", "list", "--format", "json"], a)
entry = [x for x in json.loads(r.stdout) if x["id"] == "py-subprocess-shell-injection"]
check(entry and entry[0]["precision"] == 0.0 and entry[0]["votes"] == 1, f"rules list json: {entry}")

# 7b. `vigil prompt` includes the lessons: findings confirmed in AI-written code here.
lesson = dict(mark, fingerprint="lesson-1", ruleId="py-os-command-injection", verdict="confirmed", createdAt=1700000100,
              context='os.system("ls " + path)')
with open(marks, "w") as fh:
    fh.write(json.dumps(lesson) + "\n")
run(["feedback", "import", marks], a)
r = run(["prompt", "--no-rank"], a)
section = r.stdout.split("lessons from this project")[-1] if "lessons from this project" in r.stdout else ""
check(r.returncode == 0 and "py-os-command-injection" in section and "os.system(" in section,
      f"prompt lessons: {r.returncode} {r.stdout[-600:]} {r.stderr}")

# 8. A database from a newer Vigil is refused with a clear message and left as it was.
d = project("d")
newer = os.path.join(d, ".vigil", "feedback.db")
con = sqlite3.connect(newer)
con.execute("CREATE TABLE future (x)")
con.execute("PRAGMA user_version = 99")
con.commit()
con.close()
before = open(newer, "rb").read()
r = run(["check", "--no-progress", "--record", "."], d)
check(r.returncode == 2 and "newer Vigil" in r.stderr and "schema 99" in r.stderr, f"newer schema: {r.returncode} {r.stderr}")
check(open(newer, "rb").read() == before, "the newer database is untouched")
r = run(["feedback", "import", marks], d)
check(r.returncode == 2 and "newer Vigil" in r.stderr, f"import into a newer schema: {r.stderr}")

# 9. A damaged file is moved aside and recreated, with a warning saying where it went.
e = project("e")
broken = os.path.join(e, ".vigil", "feedback.db")
with open(broken, "wb") as fh:
    fh.write(b"this is not a database" * 100)
r = run(["check", "--no-progress", "--record", "."], e)
aside = [f for f in os.listdir(os.path.join(e, ".vigil")) if f.startswith("feedback.db.corrupt-")]
check(r.returncode == 1 and aside and "moved to" in r.stderr and aside[0] in r.stderr, f"damaged: {r.returncode} {r.stderr} {aside}")
check(sqlite3.connect(broken).execute("PRAGMA integrity_check").fetchone()[0] == "ok", "a new database in its place")

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("feedback cli: ok")
