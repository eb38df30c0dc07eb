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
from harness import check, failures, write  # noqa: E402 (after sys.argv is read)


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

    # ---- --shard 1/3..3/3 merged equals the single run (JSON: findings sorted, summary added up)
    write(root, "more/extra.py", "import os, pickle\ndef a(x):\n    os.system(x)\n\ndef b(d):\n    return pickle.loads(d)\n")
    write(root, "more/other.js", "const cp = require('child_process');\nfunction r(q) { cp.exec('ls ' + q.x); eval(q.y); }\n")
    single = run(root, "check", "--format", "json", "--diff", "main")
    merged_parts = []
    for k in (1, 2, 3):
        part = run(root, "check", "--format", "json", "--diff", "main", "--shard", "%d/3" % k)
        check(part.returncode in (0, 1), "shard %d/3 runs: %s" % (k, part.stderr))
        path = os.path.join(tmp, "part%d.json" % k)
        with open(path, "w") as f:
            f.write(part.stdout)
        merged_parts.append(path)
    per_shard = [len(json.load(open(p))["findings"]) for p in merged_parts]
    check(sum(1 for n in per_shard if n) >= 2, "the files spread over the shards: %r" % per_shard)
    merged = run(root, "report", "merge", *merged_parts)
    check(merged.returncode == 0, "report merge exits 0: %s" % merged.stderr)

    def canonical(text):
        data = json.loads(text)
        data["findings"].sort(key=lambda f: (f["path"], f["start"]["line"], f["start"]["column"], f["rule"]))
        data["summary"]["skipped"].sort(key=lambda s: s["path"])
        return json.dumps(data, indent=2, sort_keys=True)
    check(canonical(merged.stdout) == canonical(single.stdout), "merged shards equal the single run:\n%s\n---\n%s"
          % (merged.stdout, single.stdout))
    check(len(json.loads(single.stdout)["findings"]) >= 7, "the single run has findings in every file: %s" % single.stdout)
    bad = run(root, "report", "merge", merged_parts[0], os.path.join(root, "app.py"))
    check(bad.returncode == 2 and "part 2" in bad.stderr, "a part that is not a report: %d %r" % (bad.returncode, bad.stderr))
    bad = run(root, "check", "--shard", "4/3")
    check(bad.returncode == 2 and "--shard" in bad.stderr, "--shard 4/3 is a usage error: %r" % bad.stderr)

    # ---- progress: quiet in a pipe, lines with --progress
    quiet = run(root, "check", "--format", "json")
    check("files," not in quiet.stderr and "MB/s" not in quiet.stderr, "no progress in a pipe: %r" % quiet.stderr)
    loud = run(root, "check", "--format", "json", "--progress")
    check("vigil: 5/5 files" in loud.stderr and "MB/s" in loud.stderr and "\033[K" not in loud.stderr,
          "--progress in a pipe prints plain lines: %r" % loud.stderr)

    # ---- the markdown summary for the pull request, against its golden file
    md = run(root, "check", "--diff", "main", "--format", "markdown", "--link-base", "https://example.test/o/r/blob/abc123/")
    check(md.returncode == 1, "markdown run exits 1: %s" % md.stderr)
    text = md.stdout.replace("<sub>vigil %s</sub>" % run(root, "--version").stdout.split()[1], "<sub>vigil VERSION</sub>")
    golden = os.path.join(golden_dir, "pull_request.md")
    if os.environ.get("VIGIL_UPDATE_GOLDEN"):
        with open(golden, "w") as f:
            f.write(text)
    with open(golden) as f:
        expected = f.read()
    check(text == expected, "markdown summary differs from %s:\n%s" % (golden, text))

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
