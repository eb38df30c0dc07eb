#!/usr/bin/env python3
"""`taint.parameters`: a helper's parameters are taint sources in AI-written code (default `ai`),
everywhere (`all`) or nowhere (`off`); the config key and `--taint-parameters` choose. A git
repository built here tells human code (committed without an agent trailer) from AI code (a commit
with `Co-authored-by: Claude`)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

vigil = os.path.abspath(sys.argv[1])
from harness import check, failures, write  # noqa: E402 (after sys.argv is read)


def git(root, *args):
    subprocess.run(["git", "-c", "user.name=Dana Dev", "-c", "user.email=dana@example.com", "-c", "commit.gpgsign=false",
                    "-c", "init.defaultBranch=main"] + list(args), cwd=root, check=True, capture_output=True)


def lines(root, *args):
    p = subprocess.run([vigil, "check", "--format", "json", "--fail-on", "never"] + list(args), cwd=root,
                       capture_output=True, text=True)
    check(p.returncode == 0, f"exit {p.returncode} for {args}: {p.stderr}")
    data = json.loads(p.stdout) if p.stdout.strip() else {"findings": []}
    return sorted((f["path"], f["start"]["line"], f["rule"]) for f in data["findings"])


HUMAN = '''def get_user(conn, name):
    return conn.execute(f"SELECT * FROM users WHERE name = '{name}'")
'''
AI = '''def find_order(conn, order_id, limit=10):
    return conn.execute("SELECT * FROM orders WHERE id = " + order_id + " LIMIT " + str(limit))


def run_query(conn, sql):
    return conn.execute(sql)
'''

if not shutil.which("git"):
    print("SKIP: git is not installed")
    sys.exit(0)

with tempfile.TemporaryDirectory() as root:
    git(root, "init", "-q")
    write(root, "human.py", HUMAN)
    git(root, "add", "human.py")
    git(root, "commit", "-q", "-m", "human helper")
    write(root, "ai.py", AI)
    git(root, "add", "ai.py")
    git(root, "commit", "-q", "-m", "Add order lookup\n\nCo-authored-by: Claude <noreply@anthropic.com>")

    default = lines(root, ".")
    check(default == [("ai.py", 2, "py-sql-injection")], f"default (ai): only the AI helper's built SQL: {default}")
    every = lines(root, ".", "--taint-parameters", "all")
    check(every == [("ai.py", 2, "py-sql-injection"), ("human.py", 2, "py-sql-injection")],
          f"all: human code too: {every}")
    off = lines(root, ".", "--taint-parameters", "off")
    check(off == [], f"off: no parameter sources: {off}")

    write(root, ".vigil/config.yaml", "taint:\n  parameters: off\n")
    check(lines(root, ".") == [], "taint.parameters: off in the project file")
    check(lines(root, ".", "--taint-parameters", "all") != [], "the option overrides the project file")
    write(root, ".vigil/config.yaml", "taint:\n  parameters: sometimes\n")
    p = subprocess.run([vigil, "check", "."], cwd=root, capture_output=True, text=True)
    check(p.returncode == 2 and "taint.parameters" in p.stderr, f"a bad value is a configuration error: {p.stderr}")

    p = subprocess.run([vigil, "check", ".", "--taint-parameters", "maybe"], cwd=root, capture_output=True, text=True)
    check(p.returncode == 2, "a bad --taint-parameters is a usage error")

if failures:
    sys.exit(1)
print("ok")
