#!/usr/bin/env python3
"""`vigil prompt`: the rules as an agent's instructions. Languages of the project (or --language),
grouped by category, deduplicated, ordered by how often the project breaks them; --format json;
--write keeps the user's text and is idempotent; --check detects a stale section."""
import json
import os
import subprocess
import sys
import tempfile

vigil = os.path.abspath(sys.argv[1])
from harness import check, failures, write  # noqa: E402 (after sys.argv is read)


def read(root, rel):
    with open(os.path.join(root, rel)) as f:
        return f.read()


def run(root, *args):
    return subprocess.run([vigil, "prompt"] + list(args), cwd=root, capture_output=True, text=True)


with tempfile.TemporaryDirectory() as root:
    os.makedirs(os.path.join(root, ".git"))
    # The project breaks the command-injection rule three times, eval once.
    write(root, "app.py", "import os\n\ndef a(x):\n    os.system(x)\n\ndef b(x):\n    os.system(x)\n\ndef c(x):\n    os.system(x)\n\n"
                          "def d(x):\n    return eval(x)\n")
    p = run(root)
    check(p.returncode == 0, "vigil prompt exits 0: %s" % p.stderr)
    text = p.stdout
    check("[py-eval-injection]" in text and "CWE-95" in text, "python rules with their CWE: %s" % text[:500])
    check("[go-" not in text and "[js-" not in text and "[java-" not in text, "only the project's languages: %s" % text[:800])
    lines = [l for l in text.splitlines() if l.startswith("- [")]
    check(len(lines) == len(set(l.split("] ", 1)[1] for l in lines)), "each constraint once")
    check(lines and "py-os-command-injection" in lines[0], "the most broken rule comes first: %r" % lines[:3])
    first_heading = next(l for l in text.splitlines() if l.startswith("## "))
    check(first_heading == "## injection", "the most broken category first: %r" % first_heading)

    go = run(root, "--language", "go")
    check(go.returncode == 0 and "[go-" in go.stdout and "[py-" not in go.stdout, "--language go: %s" % go.stdout[:300])
    bad = run(root, "--language", "cobol")
    check(bad.returncode == 2 and "cobol" in bad.stderr, "unknown language is a usage error: %r" % bad.stderr)

    js = run(root, "--format", "json")
    data = json.loads(js.stdout)
    check(data["sections"][0]["category"] == "injection" and data["sections"][0]["constraints"][0]["findings"] == 3,
          "json: sections with finding counts: %r" % data["sections"][0])
    check(data["prompt"].startswith("Security constraints for this project's python code"), "json carries the prompt text")

    # AGENTS.md: the user's text stays, the section is added, then kept.
    user = "# Agents\n\nRun `make test` before committing.\n"
    write(root, "AGENTS.md", user)
    p = run(root, "--write", "AGENTS.md")
    check(p.returncode == 0, "--write exits 0: %s" % p.stderr)
    once = read(root, "AGENTS.md")
    check(once.startswith(user) and "<!-- vigil:begin -->" in once and once.rstrip().endswith("<!-- vigil:end -->"),
          "the section is appended after the user's text: %s" % once[:300])
    write(root, "AGENTS.md", once + "\n## More of mine\n\nKeep this.\n")
    edited = read(root, "AGENTS.md")
    p = run(root, "--write", "AGENTS.md")
    check(read(root, "AGENTS.md") == edited, "--write again changes nothing (idempotent)")
    check(run(root, "--write", "AGENTS.md", "--check").returncode == 0, "--check: up to date")

    # A new project rule makes the section stale; --check says so and writes nothing.
    write(root, ".vigil/rules/no-pickle.yaml",
          "id: no-pickle\nlanguage: python\nseverity: error\nmessage: pickle\n"
          "constraint: Never unpickle data from outside the process.\nmetadata:\n  cwe: [CWE-502]\n  category: deserialization\n"
          "rule:\n  pattern: pickle.loads($X)\n")
    write(root, ".vigil/rules/no-pickle.py", "import pickle\n# ruleid: no-pickle\npickle.loads(b)\n")
    p = run(root, "--write", "AGENTS.md", "--check")
    check(p.returncode == 1 and "stale" in p.stderr, "--check exits 1 on a stale section: %d %r" % (p.returncode, p.stderr))
    check(read(root, "AGENTS.md") == edited, "--check writes nothing")
    check(run(root, "--write", "AGENTS.md").returncode == 0, "--write updates")
    updated = read(root, "AGENTS.md")
    check("Never unpickle data from outside the process." in updated, "the new rule is in the section")
    check(updated.startswith(user) and updated.endswith("\n## More of mine\n\nKeep this.\n"), "the user's text is kept: %s" % updated)
    check(run(root, "--write", "AGENTS.md", "--check").returncode == 0, "--check after --write: up to date")

    # Cursor rules get front matter; CLAUDE.md's section is the same.
    check(run(root, "--write", ".cursor/rules/vigil.mdc").returncode == 0, "--write a new .mdc file")
    mdc = read(root, ".cursor/rules/vigil.mdc")
    check(mdc.startswith("---\n") and "alwaysApply: true" in mdc and "<!-- vigil:begin -->" in mdc, "cursor rule: %s" % mdc[:200])
    p = run(root, "--for", "claude-md")
    check(p.stdout.startswith("<!-- vigil:begin -->"), "--for prints the section: %s" % p.stdout[:100])
    check(run(root, "--check").returncode == 2, "--check without --write is a usage error")

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok")
