#!/usr/bin/env python3
"""Precision and recall of agent patterns (provenance.agentPatterns) on a git history.

No repository on the build machine has agent commits, so this builds a synthetic history with the
identities real ones carry: agents as they sign (Claude Code's footer and Co-Authored-By trailer,
the Copilot coding agent's bot account with the person who asked as co-author, Cursor's and Amp's
trailers, aider's "(aider)" author, the Devin, Codex and Jules bots) and people who look like them
(employees of AI vendors with their work addresses, as authors and co-authors, people named Devin or
Claude). Every commit adds one file with one finding; `vigil check --ai-only` then says which files
(commits) are AI-written and names the agent. Run with the defaults and with `--patterns FILE.json`
(a JSON list, e.g. the patterns of an older version) to compare.

    bench/agent_patterns.py build/cli/vigil [--patterns old.json] [--repo PATH]
With --repo, measures an existing history instead (ground truth: the --truth JSON {sha: tool|null})."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

# (author name, author e-mail, message trailer lines, expected agent or None, how many commits)
IDENTITIES = [
    ("Ann Lee", "ann@example.com", [], None, 40),
    ("Jane Roe", "jane@anthropic.com", [], None, 12),
    ("Sam Park", "sam@openai.com", [], None, 10),
    ("Max Weber", "max@cursor.com", [], None, 4),
    ("Devin Miller", "devin.miller@example.com", [], None, 8),
    ("Claude Bernard", "claude.bernard@example.org", [], None, 6),
    ("Ann Lee", "ann@example.com", ["Co-authored-by: Jane Roe <jane@anthropic.com>"], None, 6),
    ("Ann Lee", "ann@example.com", ["Co-authored-by: Devin Miller <devin.miller@example.com>"], None, 3),
    ("Ann Lee", "ann@example.com",
     ["🤖 Generated with [Claude Code](https://claude.com/claude-code)", "", "Co-Authored-By: Claude <noreply@anthropic.com>"],
     "claude", 10),
    ("Jane Roe", "jane@anthropic.com",
     ["🤖 Generated with [Claude Code](https://claude.com/claude-code)", "", "Co-Authored-By: Claude <noreply@anthropic.com>"],
     "claude", 6),
    ("Ann Lee", "ann@example.com", ["🤖 Generated with [Claude Code](https://claude.com/claude-code)"], "claude", 2),
    ("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com",
     ["Co-authored-by: annlee <1234567+annlee@users.noreply.github.com>"], "copilot", 6),
    ("Ann Lee", "ann@example.com", ["Co-authored-by: Cursor Agent <cursoragent@cursor.com>"], "cursor", 4),
    ("Ann Lee (aider)", "ann@example.com", [], "aider", 4),
    ("devin-ai-integration[bot]", "158243242+devin-ai-integration[bot]@users.noreply.github.com", [], "devin", 3),
    ("chatgpt-codex-connector[bot]", "199175422+chatgpt-codex-connector[bot]@users.noreply.github.com", [], "codex", 3),
    ("google-labs-jules[bot]", "161369871+google-labs-jules[bot]@users.noreply.github.com", [], "jules", 2),
    ("Ann Lee", "ann@example.com", ["Co-authored-by: Amp <amp@ampcode.com>"], "amp", 2),
]


def git(root, *args, env=None):
    return subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"] + list(args), cwd=root,
                          check=True, capture_output=True, text=True, env=env).stdout


def build_history(root):
    git(root, "init", "-q")
    truth = {}
    n = 0
    for name, email, trailers, agent, count in IDENTITIES:
        for _ in range(count):
            n += 1
            rel = "c%03d.py" % n
            with open(os.path.join(root, rel), "w") as f:
                f.write("import os\ndef run_%d(cmd):\n    os.system(cmd)\n" % n)
            git(root, "add", rel)
            message = "Change %d\n\n%s\n" % (n, "\n".join(trailers)) if trailers else "Change %d\n" % n
            env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email, GIT_COMMITTER_NAME="CI",
                       GIT_COMMITTER_EMAIL="ci@example.com")
            git(root, "commit", "-q", "-m", message, env=env)
            truth[rel] = agent
    return truth


def measure(vigil, root, truth, patterns):
    if patterns is not None:
        os.makedirs(os.path.join(root, ".vigil"), exist_ok=True)
        with open(os.path.join(root, ".vigil", "config.yaml"), "w") as f:
            f.write("provenance:\n  agentPatterns: %s\n" % json.dumps(patterns))
    p = subprocess.run([vigil, "check", "--ai-only", "--format", "json", "--no-progress", "."], cwd=root, capture_output=True,
                       text=True)
    found = {}
    for f in json.loads(p.stdout)["findings"]:
        msg = f["message"]
        tool = msg[msg.rfind("(AI-suggested: ") + 15:-1].split(", ")[-1]
        found[f["path"]] = tool
    tp = sum(1 for rel, tool in found.items() if truth.get(rel))
    fp = sum(1 for rel in found if not truth.get(rel))
    fn = sum(1 for rel, agent in truth.items() if agent and rel not in found)
    wrong_tool = sorted((rel, found[rel], truth[rel]) for rel in found if truth.get(rel) and found[rel] != truth[rel])
    humans = sum(1 for a in truth.values() if not a)
    return {"commits": len(truth), "human": humans, "agent": len(truth) - humans, "called_ai": len(found), "true_pos": tp,
            "false_pos": fp, "missed": fn, "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None, "wrong_agent_named": len(wrong_tool),
            "wrong_examples": wrong_tool[:5]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vigil")
    ap.add_argument("--patterns", help="a JSON list of patterns instead of the defaults")
    args = ap.parse_args()
    patterns = json.load(open(args.patterns)) if args.patterns else None
    with tempfile.TemporaryDirectory() as root:
        truth = build_history(root)
        print(json.dumps(measure(os.path.abspath(args.vigil), root, truth, patterns), indent=2))


if __name__ == "__main__":
    sys.exit(main())
