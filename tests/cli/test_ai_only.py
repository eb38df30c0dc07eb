#!/usr/bin/env python3
"""`vigil check --ai-only [--diff REF]` on a git repository built here: commits with and without a
`Co-authored-by: Claude` trailer; only findings on the trailered lines are reported."""
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


def findings(root, *args):
    p = subprocess.run([vigil, "check", "--format", "json"] + list(args), cwd=root, capture_output=True, text=True)
    data = json.loads(p.stdout) if p.stdout.strip() else {"findings": []}
    return p.returncode, sorted((f["path"], f["start"]["line"]) for f in data["findings"]), p.stderr, data


if not shutil.which("git"):
    print("SKIP: git is not installed")
    sys.exit(0)

with tempfile.TemporaryDirectory() as root:
    git(root, "init", "-q")
    # 1: a human writes app.py with one finding (line 2).
    write(root, "app.py", "import os\nx = eval(input())\n")
    git(root, "add", "app.py")
    git(root, "commit", "-q", "-m", "Start the app")
    # 2: an agent adds two findings (lines 4 and 5) and a helper file, with the trailer.
    write(root, "app.py", "import os\nx = eval(input())\n\ny = eval(x)\nos.system(x)\n")
    write(root, "helper.py", "def run(c):\n    return eval(c)\n")
    git(root, "add", "app.py", "helper.py")
    git(root, "commit", "-q", "-m", "Add the runner\n\nCo-authored-by: Claude <noreply@anthropic.com>\n")
    # 3: a human adds another finding (line 7) with a human co-author.
    write(root, "app.py", "import os\nx = eval(input())\n\ny = eval(x)\nos.system(x)\n\nz = eval(y)\n")
    git(root, "commit", "-q", "-a", "-m", "More\n\nCo-authored-by: Sam Smith <sam@example.com>\n")

    code, all_findings, err, _ = findings(root)
    check(code == 1, "plain check exits 1 (%d): %s" % (code, err))
    lines_all = [f for f in all_findings if f[0] == "app.py"]
    check(len(lines_all) >= 4, "plain check reports every finding: %r" % all_findings)

    code, ai, err, data = findings(root, "--ai-only")
    check(code == 1, "--ai-only exits 1 with AI findings (%d): %s" % (code, err))
    check({line for path, line in ai if path == "app.py"} == {4, 5}, "--ai-only keeps only trailered lines of app.py: %r" % ai)
    check({line for path, line in ai if path == "helper.py"} == {2}, "--ai-only keeps the agent's new file: %r" % ai)
    msgs = [f["message"] for f in data["findings"]]
    check(all(m.endswith("(AI-suggested: git-trailer, claude)") for m in msgs), "messages name the evidence: %r" % msgs)

    # --diff: only what changed since the first commit, and of that only the AI part.
    first = subprocess.run(["git", "rev-list", "--max-parents=0", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
    code, diffed, err, _ = findings(root, "--diff", first)
    check({l for p, l in diffed if p == "app.py"} == {4, 5, 7}, "--diff keeps changed lines: %r %s" % (diffed, err))
    code, both, err, _ = findings(root, "--ai-only", "--diff", "HEAD~1")
    check(both == [], "--ai-only --diff HEAD~1: the last commit is human: %r %s" % (both, err))
    code, _, err, _ = findings(root, "--diff", "no-such-ref")
    check(code == 2 and "no-such-ref" in err, "unknown ref is a usage error: %d %r" % (code, err))

    # Uncommitted lines of a file no editor saw are AI (git-uncommitted) unless the setting is off.
    write(root, "app.py", "import os\nx = eval(input())\n\ny = eval(x)\nos.system(x)\n\nz = eval(y)\nw = eval(z)\n")
    code, ai, err, _ = findings(root, "--ai-only")
    check({l for p, l in ai if p == "app.py"} == {4, 5, 8}, "uncommitted line counts: %r" % ai)
    write(root, ".vigil/config.yaml", "provenance:\n  git:\n    uncommitted: false\n  agentPatterns: ['(?i)^co-authored-by: sam']\n")
    code, ai, err, _ = findings(root, "--ai-only")
    check({l for p, l in ai if p == "app.py"} == {7}, "configured patterns and uncommitted: false: %r %s" % (ai, err))
    os.remove(os.path.join(root, ".vigil", "config.yaml"))
    # git-ai notes (refs/notes/ai) name lines of a human commit: those lines are AI.
    git(root, "commit", "-q", "-a", "-m", "Add w")
    note = ("app.py\n  0123456789abcdef 8\n---\n"
            '{"schema_version": "authorship/3.0.0", "prompts": {"0123456789abcdef": {"agent_id": {"tool": "cursor"}}}}\n')
    git(root, "notes", "--ref=ai", "add", "-m", note, "HEAD")
    code, ai, err, data = findings(root, "--ai-only", "app.py")
    check({l for p, l in ai if p == "app.py"} == {4, 5, 8}, "git-ai notes: %r %s" % (ai, err))
    check(any(f["message"].endswith("(AI-suggested: git-notes, cursor)") for f in data["findings"]), "notes evidence: %r" % data)
    # Markers count without git's help.
    write(root, "gen.py", "a = 1\n# vigil: ai-begin\nb = eval(a)\n# vigil: ai-end\nc = eval(a)\n")
    code, ai, err, _ = findings(root, "--ai-only", "gen.py")
    check(ai == [("gen.py", 3), ("gen.py", 5)], "an untracked file is all uncommitted: %r" % ai)
    git(root, "add", "gen.py")
    git(root, "commit", "-q", "-m", "gen")
    code, ai, err, _ = findings(root, "--ai-only", "gen.py")
    check(ai == [("gen.py", 3)], "markers: %r" % ai)

# No repository at all: --ai-only still works (markers), quietly.
with tempfile.TemporaryDirectory() as root:
    os.makedirs(os.path.join(root, ".vigil"))
    write(root, "a.py", "x = eval(y)\n# vigil: ai-begin\nz = eval(y)\n")
    code, ai, err, _ = findings(root, "--ai-only")
    check(code == 1 and ai == [("a.py", 3)], "no git: %d %r %r" % (code, ai, err))
    check("fatal" not in err and "git" not in err, "no git noise: %r" % err)
    code, _, err, _ = findings(root, "--diff", "HEAD")
    check(code == 2 and "git repository" in err, "--diff without git: %d %r" % (code, err))

print("%d failed" % len(failures) if failures else "all passed")
sys.exit(1 if failures else 0)
