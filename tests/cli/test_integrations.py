#!/usr/bin/env python3
"""The ready-made integrations, run for real as far as this machine allows:
- .pre-commit-hooks.yaml with the real `pre-commit` on a temporary repository: `pre-commit run
  --all-files` and a `git commit` through the installed hook block an AI-written injection and pass a
  clean commit;
- the GitHub action's script part (integrations/github/run.sh) on a one-commit-deep clone of a pull
  request branch: it fetches the history and the base branch, writes the SARIF log, the markdown
  summary and the outputs, and exits with vigil's status;
- the GitLab job's script (integrations/gitlab/vigil.gitlab-ci.yml) in a merge-request pipeline's
  environment: a code quality report GitLab reads.
Exit 77 (skipped) when pre-commit or git is missing (scripts/setup --with-test-tools installs them)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

from harness import check, failures, write

vigil, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])


if not shutil.which("git") or not shutil.which("pre-commit"):
    print("SKIP: git or pre-commit is not installed (scripts/setup --with-test-tools)")
    sys.exit(77)

GIT_ENV = {"GIT_AUTHOR_NAME": "Dana Dev", "GIT_AUTHOR_EMAIL": "dana@example.com", "GIT_COMMITTER_NAME": "Dana Dev",
           "GIT_COMMITTER_EMAIL": "dana@example.com", "GIT_CONFIG_NOSYSTEM": "1"}


def sh(cwd, *args, env=None, check_rc=True):
    e = dict(os.environ, **GIT_ENV)
    if env:
        e.update(env)
    p = subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, env=e)
    if check_rc and p.returncode != 0:
        raise SystemExit("FAIL %s: %s %s" % (" ".join(args), p.stdout, p.stderr))
    return p


def git_init(root):
    os.makedirs(root, exist_ok=True)
    sh(root, "git", "-c", "init.defaultBranch=main", "init", "-q")
    sh(root, "git", "config", "commit.gpgsign", "false")


with tempfile.TemporaryDirectory() as tmp:
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir)
    os.symlink(vigil, os.path.join(bindir, "vigil"))
    path_env = {"PATH": bindir + os.pathsep + os.environ["PATH"], "PRE_COMMIT_HOME": os.path.join(tmp, "pre-commit-cache")}

    # ---------------------------------------------------------------- pre-commit
    hooks = os.path.join(tmp, "hooks")
    git_init(hooks)
    shutil.copy(os.path.join(source, ".pre-commit-hooks.yaml"), hooks)
    sh(hooks, "git", "add", ".")
    sh(hooks, "git", "commit", "-q", "-m", "hooks")
    rev = sh(hooks, "git", "rev-parse", "HEAD").stdout.strip()

    project = os.path.join(tmp, "project")
    git_init(project)
    write(project, ".pre-commit-config.yaml",
          "repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: vigil-ai-only\n" % (hooks, rev))
    # Code a person committed long ago, with a finding: not AI-written, so the AI-only hook lets it be.
    write(project, "legacy.py", "def calc(expr):\n    return eval(expr)\n")
    sh(project, "git", "add", ".")
    sh(project, "git", "commit", "-q", "--no-verify", "-m", "Legacy code")

    # A clean change passes, and commits through the installed hook.
    write(project, "clean.py", "import subprocess\n\ndef run(args):\n    return subprocess.run(['ls', '--', args], check=True)\n")
    sh(project, "git", "add", "clean.py")
    p = sh(project, "pre-commit", "run", "--all-files", env=path_env, check_rc=False)
    check(p.returncode == 0, "pre-commit run --all-files passes a clean change: %s %s" % (p.stdout, p.stderr))
    sh(project, "pre-commit", "install", env=path_env)
    p = sh(project, "git", "commit", "-q", "-m", "Clean change", env=path_env, check_rc=False)
    check(p.returncode == 0, "the hook lets a clean commit through: %s %s" % (p.stdout, p.stderr))

    # An agent writes an injection (between its markers): blocked.
    write(project, "agent.py", "import os\n\n# vigil: ai-begin claude\ndef run(cmd):\n    os.system('ls ' + cmd)\n# vigil: ai-end\n")
    sh(project, "git", "add", "agent.py")
    p = sh(project, "pre-commit", "run", "--all-files", env=path_env, check_rc=False)
    check(p.returncode == 1 and "py-os-command-injection" in p.stdout and "legacy.py" not in p.stdout,
          "pre-commit run --all-files blocks the AI-written injection, not the legacy finding: %s %s" % (p.stdout, p.stderr))
    p = sh(project, "git", "commit", "-q", "-m", "Agent change", env=path_env, check_rc=False)
    check(p.returncode != 0 and "py-os-command-injection" in p.stdout + p.stderr,
          "the hook blocks the commit: %d %s %s" % (p.returncode, p.stdout, p.stderr))
    check(sh(project, "git", "rev-list", "--count", "HEAD").stdout.strip() == "2", "nothing was committed")

    # ---------------------------------------------------------------- GitHub action, script part
    with open(os.path.join(source, "action.yml")) as f:
        action = yaml.safe_load(f)
    check(set(action["inputs"]) >= {"diff", "ai-only", "fail-on", "validate"}, "the action's inputs: %r" % list(action["inputs"]))
    steps = action["runs"]["steps"]
    check(any("integrations/github/run.sh" in s.get("run", "") for s in steps), "the action runs integrations/github/run.sh")
    check(any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps), "the action uploads the SARIF")

    origin = os.path.join(tmp, "origin")
    git_init(origin)
    write(origin, "util.py", "import subprocess\n\ndef f(c):\n    return subprocess.run([c])\n")
    sh(origin, "git", "add", ".")
    sh(origin, "git", "commit", "-q", "-m", "Start")
    sh(origin, "git", "checkout", "-q", "-b", "feature")
    write(origin, "app.py", "def run(expr):\n    return eval(expr)\n")
    sh(origin, "git", "add", ".")
    sh(origin, "git", "commit", "-q", "-m", "Add the runner\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n")
    sh(origin, "git", "checkout", "-q", "main")
    write(origin, "later.py", "import os\n\ndef g(c):\n    os.system(c)\n")  # main moves on: not the PR's
    sh(origin, "git", "add", ".")
    sh(origin, "git", "commit", "-q", "-m", "Later on main")

    # actions/checkout's default: one commit deep, the PR branch only.
    work = os.path.join(tmp, "work")
    sh(tmp, "git", "-c", "protocol.file.allow=always", "clone", "-q", "--depth", "1", "--branch", "feature", "file://" + origin, work)
    sh(work, "git", "config", "protocol.file.allow", "always")
    summary, output = os.path.join(tmp, "summary.md"), os.path.join(tmp, "output.txt")
    env = dict(path_env, GITHUB_BASE_REF="main", GITHUB_STEP_SUMMARY=summary, GITHUB_OUTPUT=output, VIGIL_AI_ONLY="true",
               VIGIL_FAIL_ON="warning", VIGIL_SARIF=os.path.join(tmp, "vigil.sarif"), GITHUB_SERVER_URL="https://github.example",
               GITHUB_REPOSITORY="o/r", GITHUB_SHA="abc123")
    p = sh(work, os.path.join(source, "integrations/github/run.sh"), env=env, check_rc=False)
    check(p.returncode == 1, "the action's script exits 1 on an AI-written finding: %d %s" % (p.returncode, p.stderr))
    check(sh(work, "git", "rev-parse", "--is-shallow-repository").stdout.strip() == "false", "the script fetched the history")
    with open(os.path.join(tmp, "vigil.sarif")) as f:
        results = json.load(f)["runs"][0]["results"]
    check([(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results]
          == [("py-eval-injection", "app.py")], "SARIF: the PR's AI-written finding only: %r" % results)
    check(results and results[0].get("properties", {}).get("provenance", {}).get("tool") == "claude",
          "SARIF names the agent: %r" % results)
    with open(summary) as f:
        md = f.read()
    check(md.startswith("## Vigil: 1 finding") and "https://github.example/o/r/blob/abc123/app.py#L2" in md,
          "the job summary links to the line: %s" % md)
    with open(output) as f:
        out = f.read()
    check("exit-code=1" in out and "sarif=" in out, "the step outputs: %s" % out)
    # A clean pull request passes.
    env_clean = dict(env, VIGIL_PATHS="util.py")
    p = sh(work, os.path.join(source, "integrations/github/run.sh"), env=env_clean, check_rc=False)
    check(p.returncode == 0, "a clean check exits 0: %s" % p.stderr)

    # ---------------------------------------------------------------- GitLab CI job
    with open(os.path.join(source, "integrations/gitlab/vigil.gitlab-ci.yml")) as f:
        job = yaml.safe_load(f)["vigil"]
    check(job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json", "the job declares its report")
    check(job["variables"]["GIT_DEPTH"] == "0", "the job fetches the history")
    env_gl = dict(path_env, CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main", VIGIL_FAIL_ON="warning",
                  CI_PROJECT_URL="https://gitlab.example/o/r", CI_COMMIT_SHA="abc123")
    p = sh(work, "sh", "-c", "\n".join(job["script"]), env=env_gl, check_rc=False)
    check(p.returncode == 1, "the job fails on findings: %d %s" % (p.returncode, p.stderr))
    with open(os.path.join(work, "gl-code-quality-report.json")) as f:
        issues = json.load(f)
    check([(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"], i["severity"]) for i in issues]
          == [("py-eval-injection", "app.py", 2, "critical")], "code quality report: the MR's finding: %r" % issues)
    check(all(i["fingerprint"] and i["description"] for i in issues), "fingerprints and descriptions: %r" % issues)
    with open(os.path.join(work, "vigil-summary.md")) as f:
        check("https://gitlab.example/o/r/-/blob/abc123/app.py#L2" in f.read(), "GitLab links in the summary")

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok")
