#!/usr/bin/env python3
"""`vigil check` as a pull-request validator, on a git repository built here.

main: a human file; then a PR branch leaves main, an agent commits on it (Co-authored-by trailer), a
human commits on it (with a human co-author); main moves on after the branch left (a new finding the
branch never saw); an agent's new file on the branch is not added to git yet. `--diff main --ai-only`
must report exactly the findings on AI lines the branch changed, the untracked file included, and
nothing from main's later commits. Then: --shard K/N merged with `vigil report merge` equals the single
run, a shallow clone's boundary commit is of unknown origin, and the markdown summary matches its
golden file."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

vigil = os.path.abspath(sys.argv[1])
golden_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL", what)


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


GIT_ID = ["-c", "user.name=Dana Dev", "-c", "user.email=dana@example.com", "-c", "commit.gpgsign=false",
          "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always"]


def git(root, *args):
    return subprocess.run(["git"] + GIT_ID + list(args), cwd=root, check=True, capture_output=True, text=True).stdout


def run(root, *args):
    return subprocess.run([vigil] + list(args), cwd=root, capture_output=True, text=True)


def findings(root, *args):
    p = run(root, "check", "--format", "json", *args)
    data = json.loads(p.stdout) if p.stdout.strip() else {"findings": []}
    return p.returncode, sorted((f["path"], f["start"]["line"], f["rule"]) for f in data["findings"]), p.stderr, data


if not shutil.which("git"):
    print("SKIP: git is not installed")
    sys.exit(0)

with tempfile.TemporaryDirectory() as tmp:
    root = os.path.join(tmp, "repo")
    os.makedirs(root)
    git(root, "init", "-q")
    # main: a human writes app.py (finding on line 2) and util.py (finding on line 2).
    write(root, "app.py", "import os\nx = eval(input())\n")
    write(root, "util.py", "import os\ndef f(c):\n    os.system(c)\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Start the app")

    # The PR branch leaves main here.
    git(root, "checkout", "-q", "-b", "feature")
    # An agent adds findings on lines 4 and 5 of app.py (trailer and footer as Claude Code writes them).
    write(root, "app.py", "import os\nx = eval(input())\n\ny = eval(x)\nos.system(x)\n")
    git(root, "commit", "-q", "-a", "-m",
        "Add the runner\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\n"
        "Co-Authored-By: Claude <noreply@anthropic.com>\n")
    # A person adds a finding on line 7, with a human co-author who works at an AI vendor.
    write(root, "app.py", "import os\nx = eval(input())\n\ny = eval(x)\nos.system(x)\n\nz = eval(y)\n")
    git(root, "commit", "-q", "-a", "-m", "More\n\nCo-authored-by: Jane Roe <jane@anthropic.com>\n")
    # An agent's new file, not added to git yet.
    write(root, "agent_new.py", "import os\ndef run(c):\n    os.system(c)\n")

    # main moves on after the branch left: it fixes util.py's line 3 (which the branch still has: a
    # plain `git diff main` calls it changed) and adds a finding, by an agent too.
    git(root, "checkout", "-q", "main")
    write(root, "util.py", "import subprocess\ndef f(c):\n    subprocess.run([c])\n\ndef g(c):\n    return eval(c)\n")
    git(root, "commit", "-q", "-a", "-m", "Helper\n\nCo-authored-by: Claude <noreply@anthropic.com>\n")
    git(root, "checkout", "-q", "feature")  # agent_new.py stays, untracked

    code, got, err, data = findings(root, "--diff", "main", "--ai-only")
    check(code == 1, "--diff main --ai-only exits 1 (%d): %s" % (code, err))
    lines = sorted({(p, l) for p, l, _ in got})
    check(lines == [("agent_new.py", 3), ("app.py", 4), ("app.py", 5)],
          "--diff main --ai-only: exactly the AI lines the branch changed, untracked file included: %r %s" % (got, err))
    msgs = {f["path"] + ":" + str(f["start"]["line"]): f["message"] for f in data["findings"]}
    check(msgs.get("app.py:4", "").endswith("(AI-suggested: git-trailer, claude)"), "evidence names the agent: %r" % msgs)
    check(msgs.get("agent_new.py:3", "").endswith("(AI-suggested: git-uncommitted)"), "untracked file's evidence: %r" % msgs)

    code, got, err, _ = findings(root, "--diff", "main")
    check(sorted({(p, l) for p, l, _ in got}) == [("agent_new.py", 3), ("app.py", 4), ("app.py", 5), ("app.py", 7)],
          "--diff main: every line the branch changed, nothing from main's later commit: %r %s" % (got, err))

    code, got, err, _ = findings(root, "--ai-only")
    check(("app.py", 7) not in {(p, l) for p, l, _ in got}, "a human co-author at a vendor's domain is a person: %r" % got)

    code, _, err, _ = findings(root, "--diff", "no-such-ref")
    check(code == 2 and "no-such-ref" in err, "unknown ref is a usage error: %d %r" % (code, err))

    # ---- a depth-1 clone of main, whose last commit has an agent trailer: the boundary commit's lines
    # are of unknown origin (not all AI-written), with one warning
    shallow = os.path.join(tmp, "shallow")
    git(tmp, "clone", "-q", "--depth", "1", "--branch", "main", "file://" + root, shallow)
    code, got, err, _ = findings(shallow, "--ai-only")
    check(got == [], "depth-1 clone: nothing is called AI-written: %r" % got)
    check(err.count("shallow clone") == 1, "one warning about the shallow history: %r" % err)
    code, _, err, _ = findings(shallow, "--diff", "HEAD~1")
    check(code == 2 and "shallow" in err, "--diff past a shallow boundary explains itself: %d %r" % (code, err))

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok")
