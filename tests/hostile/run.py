#!/usr/bin/env python3
"""Hostile workspaces (issue 18): each case builds a workspace an attacker controls and runs
`vigil check` and `vigil lsp` on it; harness.py asserts the invariants every run must keep.

Usage: run.py VIGIL [CASE-SUBSTRING...]"""
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import CANARY, SANITIZED, TIME_BOUND, Context, Failure, LspRun, Run, check_invariants, git, write  # noqa: E402

BINARY = os.path.abspath(sys.argv[1])
ONLY = sys.argv[2:]
CASES = []

VULN_PY = "import subprocess\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"


def case(name, check_args=((".",), ("--ai-only", ".")), lsp_open=("a.py",), lsp=None, mcp=None, codes=(0, 1, 2),
         pending=False, bound=None):
    """A hostile workspace: `build(ctx)` makes it and may return `verify(ctx, runs)`, case-specific asserts.
    `mcp(ctx)`, when given, runs `vigil mcp` on it and returns the finished Run. `bound`: seconds per
    run, for cases that move hundreds of megabytes (default harness.TIME_BOUND)."""
    def wrap(build):
        CASES.append(dict(name=name, build=build, check_args=check_args, lsp_open=lsp_open, lsp=lsp, mcp=mcp, codes=codes,
                          pending=pending, bound=bound or TIME_BOUND))
        return build
    return wrap


def stderr_says(*texts, why):
    """A verify: the first run's stderr (check's) holds every one of `texts`."""
    def verify(ctx, runs):
        err = runs[0].err.decode("utf-8", "replace")
        for text in texts:
            assert text in err, why + ": " + err[-1500:]
    return verify


def sound_rule_still_runs(ctx, beside):
    """Adds a sound workspace rule; the verify: check still reports its finding."""
    write(os.path.join(ctx.ws, ".vigil", "rules", "fine.yaml"),
          "id: fine\nlanguage: python\nseverity: warning\nmessage: fine rule\nrule:\n  pattern: subprocess.call($$$)\n")

    def verify(ctx, runs):
        out = runs[0].out.decode("utf-8", "replace")
        assert "fine rule" in out, "the sound rule beside " + beside + " still runs: " + out[-2000:]
    return verify


def git_repo(ctx, files=None):
    """The workspace as a git repository with one commit of `files` (default: a.py)."""
    files = files or {"a.py": VULN_PY}
    for rel, text in files.items():
        write(os.path.join(ctx.ws, rel), text)
    git(ctx.ws, "init", "-q")
    git(ctx.ws, "add", "-A")
    git(ctx.ws, "commit", "-qm", "first")


def append_git_config(ctx, text, gitdir=None):
    with open(os.path.join(gitdir or os.path.join(ctx.ws, ".git"), "config"), "a") as f:
        f.write(text)


# ---------------------------------------------------------------------------------------------
# git cannot be turned against the user: each repository names a command that creates a file.

GIT_CHECKS = ((".",), ("--ai-only", "."), ("--diff", "HEAD", "."), ("--ai-only", "--diff", "HEAD", "."))


@case("git: filter.<x>.clean from .git/config", check_args=GIT_CHECKS)
def _(ctx):
    git_repo(ctx, {"a.py": VULN_PY, ".gitattributes": "*.py filter=evil\n"})
    append_git_config(ctx, '[filter "evil"]\n\tclean = "%s; cat"\n\tsmudge = cat\n' % ctx.pwned("clean"))
    write(os.path.join(ctx.ws, "a.py"), VULN_PY + "x = 2\n")  # dirty: diff and blame read the work tree


@case("git: filter.<x>.process from .git/config", check_args=GIT_CHECKS)
def _(ctx):
    git_repo(ctx, {"a.py": VULN_PY, ".gitattributes": "*.py filter=evil\n"})
    append_git_config(ctx, '[filter "evil"]\n\tprocess = "%s"\n\trequired = true\n' % ctx.pwned("process"))
    write(os.path.join(ctx.ws, "a.py"), VULN_PY + "x = 2\n")


@case("git: diff.<x>.textconv from .git/config", check_args=GIT_CHECKS)
def _(ctx):
    git_repo(ctx, {"a.py": VULN_PY, ".gitattributes": "*.py diff=evil\n"})
    append_git_config(ctx, '[diff "evil"]\n\ttextconv = "sh -c \'%s; cat \\"$0\\"\'"\n\tcommand = "%s"\n'
                      % (ctx.pwned("textconv"), ctx.pwned("diff-command")))
    write(os.path.join(ctx.ws, "a.py"), VULN_PY + "x = 2\n")


@case("git: diff.external, core.pager and core.fsmonitor from .git/config", check_args=GIT_CHECKS)
def _(ctx):
    git_repo(ctx)
    append_git_config(ctx, '[diff]\n\texternal = "%s"\n[core]\n\tpager = "%s"\n\tfsmonitor = "%s"\n[pager]\n\tblame = "%s"\n'
                      % (ctx.pwned("external"), ctx.pwned("pager"), ctx.pwned("fsmonitor"), ctx.pwned("pager-blame")))
    write(os.path.join(ctx.ws, "a.py"), VULN_PY + "x = 2\n")


@case("git: log.showSignature with gpg.program on a signed commit", check_args=GIT_CHECKS)
def _(ctx):
    git_repo(ctx)
    # A commit object with a (fake) signature: verifying it runs gpg.program.
    head = git(ctx.ws, "cat-file", "commit", "HEAD").stdout.decode()
    header, _, message = head.partition("\n\n")
    signed = header + "\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\n" + message
    sha = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=ctx.ws, input=signed.encode(),
                         capture_output=True, check=True).stdout.decode().strip()
    git(ctx.ws, "update-ref", "HEAD", sha)
    script = os.path.join(ctx.ws, "gpg.sh")  # inside the repository, as a cloned one would have it
    write(script, "#!/bin/sh\n%s\nexit 1\n" % ctx.pwned("gpg"))
    os.chmod(script, 0o755)
    append_git_config(ctx, '[log]\n\tshowSignature = true\n[gpg]\n\tprogram = "%s"\n' % script)


@case("git: an embedded bare repository (evil/) with core.worktree and a clean filter", check_args=GIT_CHECKS,
      lsp_open=("evil/x.py", "a.py"))
def _(ctx):
    git_repo(ctx)
    evil = os.path.join(ctx.ws, "evil")
    # A bare repository committed as plain files: HEAD, objects/, refs/, config (git accepts them).
    subprocess.run(["git", "init", "-q", "--bare", evil], check=True, env=dict(ctx.env))
    write(os.path.join(evil, "x.py"), VULN_PY)
    # One commit holding x.py, so that blame in evil/ gets as far as reading the work tree.
    git(evil, "--git-dir=" + evil, "--work-tree=" + evil, "add", "x.py")
    git(evil, "--git-dir=" + evil, "--work-tree=" + evil, "commit", "-qm", "x")
    append_git_config(ctx, '[core]\n\tbare = false\n\tworktree = .\n[filter "x"]\n\tclean = "%s; cat"\n'
                      '[diff "x"]\n\ttextconv = "%s; cat"\n' % (ctx.pwned("bare-clean"), ctx.pwned("bare-textconv")), gitdir=evil)
    write(os.path.join(evil, "info", "attributes"), "* filter=x diff=x\n")
    write(os.path.join(evil, "x.py"), VULN_PY + "y = 1\n")
    git(ctx.ws, "add", "-A")
    git(ctx.ws, "commit", "-qm", "embedded")


# ---------------------------------------------------------------------------------------------
# Reads outside the workspace


@case("rules: in .vigil/config.yaml with ../outside and an absolute path")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    rel = os.path.relpath(os.path.dirname(ctx.secret), ctx.ws)
    write(os.path.join(ctx.ws, ".vigil", "config.yaml"), "rules:\n  - %s\n  - %s\n  - %s\n" % (rel, ctx.secret, rel + "/broken.yaml"))
    return stderr_says("outside the workspace", why="no warning that the rule paths were refused")


@case("rules: [/] in .vigil/config.yaml")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    write(os.path.join(ctx.ws, ".vigil", "config.yaml"), "rules: [/]\n")


@case(".vigil/rules is a symlink to /usr")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    os.makedirs(os.path.join(ctx.ws, ".vigil"))
    os.symlink("/usr", os.path.join(ctx.ws, ".vigil", "rules"))


@case(".vigil/rules/x.yaml is a symlink to a secret file; utils/ a symlink outside")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    os.makedirs(os.path.join(ctx.ws, ".vigil", "rules"))
    os.symlink(ctx.secret, os.path.join(ctx.ws, ".vigil", "rules", "x.yaml"))
    os.symlink(os.path.join(os.path.dirname(ctx.secret), "broken.yaml"), os.path.join(ctx.ws, ".vigil", "rules", "y.yaml"))
    os.symlink(os.path.dirname(ctx.secret), os.path.join(ctx.ws, ".vigil", "rules", "utils"))
    return stderr_says("outside the workspace", why="no warning that the links were refused")


def mark_outside(ctx, lsp):
    target = os.path.join(ctx.outside, "secrets", "token.py")
    lsp.notify("vigil/markProvenance", {"uri": "file://" + target, "origin": "ai",
                                        "ranges": [{"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}}]})
    link = os.path.join(ctx.ws, "link.py")
    lsp.notify("vigil/markProvenance", {"uri": "file://" + link, "origin": "ai",
                                        "ranges": [{"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}}]})
    for uri in ("file://" + target, "file://" + link):
        r = lsp.response(lsp.request("vigil/provenance", {"textDocument": {"uri": uri}}))
        assert "result" in r or "error" in r, r


@case("vigil/markProvenance and vigil/provenance on a path outside the root (directly and through a symlink)",
      lsp=mark_outside)
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    os.symlink(os.path.join(ctx.outside, "secrets", "token.py"), os.path.join(ctx.ws, "link.py"))


@case("source symlinks to files outside are not followed by the walk")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    os.symlink(os.path.join(ctx.outside, "secrets", "token.py"), os.path.join(ctx.ws, "b.py"))
    os.symlink(os.path.join(ctx.outside, "secrets"), os.path.join(ctx.ws, "lib"))


# ---------------------------------------------------------------------------------------------
# Writes outside the workspace


@case(".vigil is a symlink to a directory outside")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    os.symlink(ctx.outside, os.path.join(ctx.ws, ".vigil"))


@case(".vigil/feedback.db is a symlink to a file outside")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    os.makedirs(os.path.join(ctx.ws, ".vigil"))
    os.symlink(os.path.join(ctx.outside, "canary.db"), os.path.join(ctx.ws, ".vigil", "feedback.db"))
    os.symlink(os.path.join(ctx.outside, "canary.db"), os.path.join(ctx.ws, ".vigil", "feedback.db-wal"))


@case(".vigil/feedback.db is a dangling symlink to a new file outside")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    os.makedirs(os.path.join(ctx.ws, ".vigil"))
    os.symlink(os.path.join(ctx.outside, "new.db"), os.path.join(ctx.ws, ".vigil", "feedback.db"))


def baseline_refused(ctx, runs):
    """`vigil feedback baseline` does not write through the planted file either."""
    before = ctx.snapshot_outside()
    r = Run([BINARY, "feedback", "baseline", "--no-progress", "."], ctx.ws, ctx.env)
    r.wait()
    err = r.err.decode("utf-8", "replace")
    assert r.proc.returncode == 2, "feedback baseline through a planted .vigil/baseline.json: exit %s: %s" % (r.proc.returncode, err)
    assert CANARY not in err + r.out.decode("utf-8", "replace"), "feedback baseline echoed the canary"
    assert ctx.snapshot_outside() == before, "feedback baseline wrote outside the workspace"
    leftovers = [f for f in os.listdir(os.path.join(ctx.ws, ".vigil")) if "tmp" in f]
    assert not leftovers, "temporary files left in .vigil: %s" % leftovers


@case(".vigil/baseline.json is a symlink to a secret file outside", codes=(2,))
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    os.makedirs(os.path.join(ctx.ws, ".vigil"))
    os.symlink(ctx.secret, os.path.join(ctx.ws, ".vigil", "baseline.json"))
    return baseline_refused


@case(".vigil/baseline.json is a FIFO", codes=(2,))
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    os.makedirs(os.path.join(ctx.ws, ".vigil"))
    os.mkfifo(os.path.join(ctx.ws, ".vigil", "baseline.json"))
    return baseline_refused


FIX_PY = "import requests\nrequests.get(url, verify=False)\n"


@case("--fix with planted .vigil-fix.tmp symlinks and symlinked source files (to outside and inside the root)",
      check_args=(("--fix", "."), ("--fix", "a.py", "link.py", "inner_link.py")), lsp_open=())
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), FIX_PY)
    shutil.copy(os.path.join(ctx.ws, "a.py"), os.path.join(ctx.outside, "fixme.py"))
    for name in ("a.py.vigil-fix.tmp", "link.py.vigil-fix.tmp"):
        os.symlink(os.path.join(ctx.outside, "canary.db"), os.path.join(ctx.ws, name))
    os.symlink(os.path.join(ctx.outside, "fixme.py"), os.path.join(ctx.ws, "link.py"))
    # A link that stays inside the root, to a file the walk skips (excluded): refused all the same.
    write(os.path.join(ctx.ws, "vendor", "b.py"), FIX_PY)
    write(os.path.join(ctx.ws, ".vigil", "config.yaml"), "exclude:\n  - vendor/**\n")
    os.symlink(os.path.join("vendor", "b.py"), os.path.join(ctx.ws, "inner_link.py"))

    def verify(ctx, runs):
        with open(os.path.join(ctx.ws, "a.py")) as f:
            assert "verify=True" in f.read(), "the regular file a.py was not fixed"
        for rel in ("link.py", "inner_link.py"):
            assert os.path.islink(os.path.join(ctx.ws, rel)), rel + " is no longer a symbolic link"
        with open(os.path.join(ctx.ws, "vendor", "b.py")) as f:
            assert f.read() == FIX_PY, "vendor/b.py was fixed through the link inner_link.py"
        err = runs[1].err.decode("utf-8", "replace")
        for rel in ("link.py", "inner_link.py"):
            assert rel + " is a symbolic link: not fixed" in err, "no refusal for " + rel + ": " + err[-1500:]
        assert runs[1].proc.returncode == 2, "a refused fix must fail the run (exit 2), got %d" % runs[1].proc.returncode
    return verify


# ---------------------------------------------------------------------------------------------
# Hangs and memory


def special_files(ctx, kind):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    os.makedirs(os.path.join(ctx.ws, ".git", "info"))
    os.makedirs(os.path.join(ctx.ws, ".vigil", "rules"))
    targets = [".gitignore", ".git/info/exclude", ".vigil/config.yaml", ".vigil/rules/r.yaml", "sub/.gitignore"]
    os.makedirs(os.path.join(ctx.ws, "sub"))
    for t in targets:
        p = os.path.join(ctx.ws, t)
        if kind == "fifo":
            os.mkfifo(p)
        else:
            os.symlink(kind, p)
    if kind == "fifo":
        os.mkfifo(os.path.join(ctx.ws, "fifo.py"))


@case("FIFOs as .gitignore, .git/info/exclude, .vigil/config.yaml, a rule file and a source file",
      lsp_open=("a.py",))
def _(ctx):
    special_files(ctx, "fifo")


@case("/dev/zero behind .gitignore, .git/info/exclude, .vigil/config.yaml and a rule file")
def _(ctx):
    special_files(ctx, "/dev/zero")


@case("/dev/urandom behind .gitignore, .git/info/exclude, .vigil/config.yaml and a rule file")
def _(ctx):
    special_files(ctx, "/dev/urandom")


@case("a YAML alias bomb in .vigil/config.yaml and in a rule file")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for name in "bcdefghijk":
        bomb += "%s: &%s [%s]\n" % (name, name, ",".join(["*" + prev] * 9))
        prev = name
    write(os.path.join(ctx.ws, ".vigil", "config.yaml"), bomb + "exclude: *k\n")
    write(os.path.join(ctx.ws, ".vigil", "rules", "bomb.yaml"),
          bomb.replace("a:", "x-a:", 1) + "id: bomb\nlanguage: python\nmessage: m\nseverity: error\nrule:\n  kind: *k\n")


@case("rule files with a `,` where a value starts (yaml-cpp 0.7 never returns from these)")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    write(os.path.join(ctx.ws, ".vigil", "rules", "comma.yaml"), ",")
    write(os.path.join(ctx.ws, ".vigil", "rules", "entry.yaml"), "- a\n,\n")
    sound = sound_rule_still_runs(ctx, "the comma files")

    def verify(ctx, runs):
        sound(ctx, runs)
        stderr_says("comma.yaml:", "entry.yaml:", "a `,` outside", why="each file is refused with a problem naming it")(ctx, runs)
    return verify


@case("a .vigil/config.yaml with a `,` where a value starts")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    write(os.path.join(ctx.ws, ".vigil", "config.yaml"), "# settings\n,\n")
    return stderr_says("config.yaml:", "a `,` outside", why="the configuration is refused with a problem naming it")


def nested_rule(depth):
    rule = "pattern: $X"
    for i in range(depth):
        rel = "inside" if i % 2 == 0 else "has"
        rule = "%s:\n  stopBy: end\n  %s" % (rel, rule.replace("\n", "\n  "))
    return "kind: identifier\n" + rule


@case("a rule with eight nested inside/has relations on a small file")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), "".join("def f%d(a, b):\n    return g(a + b * %d, [a, b, (a, b)])\n" % (i, i)
                                                 for i in range(60)))
    write(os.path.join(ctx.ws, ".vigil", "rules", "deep.yaml"),
          "id: deep\nlanguage: python\nseverity: warning\nmessage: m\nrule:\n  " + nested_rule(8).replace("\n", "\n  ") + "\n")


@case("long expression chains: 4,000 terms in Python and C++ (built-in rules)")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), "a = " + "+".join(["f(1)"] * 4000) + "\n")
    write(os.path.join(ctx.ws, "b.cpp"), "int g() { return " + "+".join(["f(1)"] * 4000) + "; }\n")


@case("a 200 KB line of Python")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), "x = [" + ",".join(["g(y)"] * 40000) + "]\n")


@case("a 12 MB source file (over the document cap)", lsp_open=(), lsp=lambda ctx, lsp: lsp_big_document(ctx, lsp))
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), ("eval(x)\n" + "y = 1\n" * 100) * 16000)


def lsp_budget(ctx, lsp):
    uri = ctx.uri("a.py")
    pub = lsp.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri, 120,
                       "diagnostics of a.py")
    notes = [d for d in pub["params"]["diagnostics"] if d.get("code") == "vigil-analysis-budget"]
    assert len(notes) == 1 and "1s budget" in notes[0]["message"] and notes[0]["range"]["start"]["line"] == 0, \
        "a file cut short by the budget says so in the editor: %s" % pub["params"]["diagnostics"][:3]


@case("a file whose analysis outlasts fileBudget is reported as cut short (check and editor)",
      check_args=((".",),), lsp=lsp_budget, bound=120)
def _(ctx):
    # 5 MB (under maxFileSize): far more than a second of analysis on any machine.
    write(os.path.join(ctx.ws, "a.py"), "".join("x%d = eval(data) + helper(data, %d)\n" % (i % 7, i) for i in range(150000)))
    write(os.path.join(ctx.ws, ".vigil", "config.yaml"), "fileBudget: 1\n")
    return stderr_says("skipped a.py: analysis took longer than the 1s budget", "1 skipped", why="check names the file cut short")


@case("deeply nested code: 5,000 and 9,980 levels of parentheses and of blocks; 30,000 refused")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n")
    write(os.path.join(ctx.ws, "b.js"), "function f() " + "{" * 5000 + "eval(x);" + "}" * 5000 + "\n")
    write(os.path.join(ctx.ws, "c.c"), "int f() " + "{" * 5000 + "gets(b);" + "}" * 5000 + "\n")
    # Just under the bound (budget::kMaxNesting, 10,000 levels), where the recursion is deepest,
    # with taint sinks inside; and past it, where the file is refused and said to be.
    write(os.path.join(ctx.ws, "d.py"), "import os\ndef f(a):\n    x = " + "(" * 9980 + "os.system(a)" + ")" * 9980 + "\n")
    write(os.path.join(ctx.ws, "e.js"), "function f(a) " + "{" * 9980 + "eval(a);" + "}" * 9980 + "\n")
    write(os.path.join(ctx.ws, "f.py"), "x = " + "(" * 30000 + "eval(y)" + ")" * 30000 + "\n")
    return stderr_says("skipped f.py: the syntax tree nests deeper than 10000 levels", why="the refusal is said")


@case("deep rules: a pattern 20,000 parentheses deep, and relations and composites nested to the YAML bound")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY + "x = " + "(" * 300 + "1" + ")" * 300 + "\n")
    write(os.path.join(ctx.ws, ".vigil", "rules", "deep-pattern.yaml"),
          "id: deep-pattern\nlanguage: python\nseverity: warning\nmessage: m\nrule:\n  pattern: '%s'\n"
          % ("(" * 20000 + "$X" + ")" * 20000))
    composite = "kind: identifier"
    for i in range(120):
        composite = ("not: {%s}" if i % 3 == 0 else "all: [{%s}]" if i % 3 == 1 else "has: {stopBy: end, %s}") % composite
    write(os.path.join(ctx.ws, ".vigil", "rules", "deep-composite.yaml"),
          "id: deep-composite\nlanguage: python\nseverity: warning\nmessage: m\nrule: {%s}\n" % composite)
    return sound_rule_still_runs(ctx, "the deep ones")


# ---------------------------------------------------------------------------------------------
# Crashes


LOOP_RULES = {
    # inside then has, and follows then precedes, come back to the node they left with the same util
    # to match there. (The rule's own `kind` makes it loadable: without one, a rule of any kind is
    # refused first and the recursion is never reached.)
    "loop-up-down": "  u:\n    any:\n      - inside:\n          matches: u\n      - has:\n          matches: u\n"
                    "      - kind: return_statement\n",
    "loop-siblings": "  u:\n    any:\n      - follows:\n          matches: u\n      - precedes:\n          matches: u\n"
                     "      - kind: return_statement\n",
    "loop-two-utils": "  a:\n    any: [{kind: return_statement}, {inside: {stopBy: end, matches: b}}]\n"
                      "  b:\n    not: {has: {stopBy: end, matches: a}}\n",
}


def lsp_loop_diagnostics(ctx, lsp):
    """The server shows each looping rule's refusal on its file."""
    for name in LOOP_RULES:
        uri = ctx.uri(os.path.join(".vigil", "rules", name + ".yaml"))
        lsp.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri and
                     any("can reach itself" in d["message"] for d in m["params"]["diagnostics"]), 20,
                     "the refusal of " + name + ".yaml")


@case("a util that recurses through inside/has or follows/precedes (matches: u inside u), and a cyclic util",
      lsp=lsp_loop_diagnostics)
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY + "\nx = 1\ny = 2\n")
    for name, utils in LOOP_RULES.items():
        write(os.path.join(ctx.ws, ".vigil", "rules", name + ".yaml"),
              "id: %s\nlanguage: python\nseverity: warning\nmessage: m\nutils:\n%s"
              "rule:\n  all: [{kind: expression_statement}, {matches: %s}]\n" % (name, utils, utils.split(":")[0].strip()))
    write(os.path.join(ctx.ws, ".vigil", "rules", "cycle.yaml"),
          "id: cycle\nlanguage: python\nseverity: warning\nmessage: m\nutils:\n  a:\n    matches: b\n  b:\n    all: [{matches: a}]\n"
          "rule:\n  matches: a\n")
    # Util files (shared by rule files) that loop through each other.
    write(os.path.join(ctx.ws, ".vigil", "rules", "utils", "up.yaml"),
          "id: up\nlanguage: python\nrule:\n  any: [{kind: return_statement}, {inside: {matches: down}}]\n")
    write(os.path.join(ctx.ws, ".vigil", "rules", "utils", "down.yaml"),
          "id: down\nlanguage: python\nrule:\n  has: {matches: up}\n")
    write(os.path.join(ctx.ws, ".vigil", "rules", "uses-utils.yaml"),
          "id: uses-utils\nlanguage: python\nseverity: warning\nmessage: m\nrule:\n  kind: call\n  matches: up\n")
    still = sound_rule_still_runs(ctx, "the broken ones")

    def verify(ctx, runs):
        err = runs[0].err.decode("utf-8", "replace")
        for name in LOOP_RULES:
            assert name + ".yaml" in err and "can reach itself" in err, "check names the looping rule " + name + ": " + err[-2000:]
        assert "cyclic util rules" in err, err[-2000:]
        assert "up.yaml" in err or "down.yaml" in err, "check names the looping util file: " + err[-2000:]
        still(ctx, runs)
    return verify


@case("a util recursing through 60,000 siblings (deeper than any tree): cut short and reported")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY + "".join("a%d = 1\n" % i for i in range(60000)))
    write(os.path.join(ctx.ws, ".vigil", "rules", "chain.yaml"),
          "id: chain\nlanguage: python\nseverity: warning\nmessage: m\nutils:\n  u:\n    any:\n"
          "      - regex: '^nothing'\n      - precedes:\n          matches: u\nrule:\n  kind: expression_statement\n"
          "  matches: u\n")
    return stderr_says("skipped a.py", "recursed deeper than", why="check names the file cut short")


@case("file names and content that are not UTF-8, and control characters in file names",
      check_args=((".",), ("--format", "json", "."), ("--format", "sarif", ".")), lsp_open=())
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    with open(os.path.join(ctx.ws.encode(), b"bad\xff\xfe.py"), "wb") as f:
        f.write(VULN_PY.encode())
    with open(os.path.join(ctx.ws, "c.py"), "wb") as f:
        f.write(b"import subprocess\nsubprocess.call('\xff\xfe' + cmd, shell=True)\n")
    write(os.path.join(ctx.ws, "esc\x1b]0;pwned\x07\x1b[31m.py"), VULN_PY)

    def verify(ctx, runs):
        for r in runs:
            assert b"\x1b" not in r.out and b"\x1b" not in r.err, "an escape sequence from a file name reached the terminal"
            assert r.proc.returncode in (0, 1), "report failed: %d %s" % (r.proc.returncode, r.err[-500:])
    return verify


def nest(top, name, levels):
    """`levels` directories named `name`, one in the other below `top`, with deep.py at the bottom."""
    fd = os.open(top, os.O_RDONLY)
    for _ in range(levels):
        os.mkdir(name, dir_fd=fd)
        nfd = os.open(name, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = nfd
    nfd = os.open("deep.py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
    os.write(nfd, VULN_PY.encode())
    os.close(nfd)
    os.close(fd)


@case("an unreadable file and an unreadable directory in the tree; trees deeper than PATH_MAX")
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    write(os.path.join(ctx.ws, "locked", "x.py"), VULN_PY)
    write(os.path.join(ctx.ws, "secret.py"), VULN_PY)
    os.chmod(os.path.join(ctx.ws, "locked"), 0)
    os.chmod(os.path.join(ctx.ws, "secret.py"), 0)
    # Deeper than PATH_MAX (4096), made with relative mkdir from inside: 30 levels of long names,
    # and 2,100 levels of one-letter names (as deep in levels as a path can go, and further).
    nest(ctx.ws, "d" * 200, 30)
    nest(ctx.ws, "e", 2100)
    ctx.drop_privileges()  # root reads mode-0 files: run as nobody

    def verify(ctx, runs):
        out, err = runs[0].out.decode("utf-8", "replace"), runs[0].err.decode("utf-8", "replace")
        assert runs[0].proc.returncode == 1 and "a.py" in out, "the readable files are still checked: %s %s" % (out[-500:], err[-500:])
        if ctx.user is not None:
            assert "locked" in err and "secret.py" in err, "the unreadable directory and file are named: " + err[-1500:]
    return verify


def lsp_hostile_uris(ctx, lsp):
    fifo = os.path.join(ctx.ws, "pipe.py")
    for uri in ("file:///dev/zero", "file:///dev/urandom", "file:///dev/stdin", "file:///proc/self/fd/0", "file://" + fifo):
        lsp.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": VULN_PY}})
        lsp.notify("vigil/markProvenance", {"uri": uri, "origin": "ai",
                                            "ranges": [{"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}]})
        rid = lsp.request("vigil/provenance", {"textDocument": {"uri": uri}})
        lsp.response(rid, 10)
    lsp.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": "file://" + fifo, "type": 2},
                                                                {"uri": "file:///dev/zero", "type": 1}]})
    # The IO thread still answers.
    lsp.response(lsp.request("vigil/provenance", {"textDocument": {"uri": ctx.uri("a.py")}}), 10)


@case("client URIs that are not regular files (/dev/zero, /dev/stdin, /proc/self/fd/0, a FIFO)", lsp=lsp_hostile_uris)
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    os.mkfifo(os.path.join(ctx.ws, "pipe.py"))


def lsp_deep_json(ctx, lsp):
    depth = 60000
    body = ('{"jsonrpc":"2.0","id":99,"method":"vigil/provenance","params":{"x":' + "[" * depth + "]" * depth + "}}").encode()
    lsp.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    r = lsp.response(99, 15)
    assert "error" in r, r
    body = ('{"jsonrpc":"2.0","method":"textDocument/didChange","params":' + '{"a":' * depth + "1" + "}" * depth + "}").encode()
    lsp.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    lsp.response(lsp.request("vigil/provenance", {"textDocument": {"uri": ctx.uri("a.py")}}), 10)


@case("60,000 levels of nested JSON in a request and a notification", lsp=lsp_deep_json, check_args=())
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)


def mcp_deep_json(ctx):
    depth = 60000
    lines = [{"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "hostile"}}}]
    raw = [json.dumps(m) for m in lines]
    raw.append('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"check_code","arguments":{"code":' +
               "[" * depth + "]" * depth + "}}}")
    raw.append('{"jsonrpc":"2.0","method":"notifications/x","params":' + '{"a":' * depth + "1" + "}" * depth + "}")
    raw.append(json.dumps({"jsonrpc": "2.0", "id": 3, "method": "ping"}))
    r = Run([BINARY, "mcp"], ctx.ws, ctx.env, stdin_data=("\n".join(raw) + "\n").encode())
    code = r.wait()
    if code != 0:
        raise Failure("vigil mcp ended with %d: %s" % (code, r.err[-400:].decode("utf-8", "replace")))
    replies = {m.get("id"): m for m in map(json.loads, r.out.decode().splitlines())}
    assert replies.get(2, {}).get("error", {}).get("code") == -32600, "the deep request got no Invalid Request: %s" % replies.get(2)
    assert "256 levels" in replies[2]["error"]["message"], replies[2]
    assert "result" in replies.get(3, {}), "the server stopped answering after deep messages: %s" % replies
    return r


@case("60,000 levels of nested JSON in an MCP request and notification", mcp=mcp_deep_json, check_args=(), lsp_open=())
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)


@case("a .vigil/baseline.json nested 60,000 levels deep", lsp_open=())
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)
    write(os.path.join(ctx.ws, ".vigil", "baseline.json"), '{"version": 1, "findings": ' + "[" * 60000 + "]" * 60000 + "}")


def lsp_big_document(ctx, lsp):
    text = ("eval(x)\n" + "y = 1\n" * 100) * 16000  # 10 MB
    uri = ctx.uri("big.py")
    lsp.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
    lsp.response(lsp.request("vigil/provenance", {"textDocument": {"uri": ctx.uri("a.py")}}), 20)


@case("a 10 MB document opened in the editor", lsp=lsp_big_document, check_args=())
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)


def lsp_huge_messages(ctx, lsp):
    # A 50 MB document (under the 64 MiB message cap, over maxFileSize): kept out of the analysis.
    text = "eval(x)\n" * (50 * 1024 * 1024 // 8)
    lsp.notify("textDocument/didOpen", {"textDocument": {"uri": ctx.uri("big.py"), "languageId": "python", "version": 1,
                                                         "text": text}})
    del text
    lsp.response(lsp.request("vigil/provenance", {"textDocument": {"uri": ctx.uri("a.py")}}), 120)
    # A 256 MiB message: refused by its header, its body dropped as it streams in.
    size = 256 << 20
    lsp.send_raw(b"Content-Length: %d\r\n\r\n" % size)
    chunk = (b'{"jsonrpc":"2.0","method":"x","params":"' + b"Content-Length: 9\r\n\r\n" + b"a" * 65000)[:65536]
    for _ in range(size // len(chunk)):
        lsp.send_raw(chunk)
    lsp.send_raw(b"a" * (size % len(chunk)))
    lsp.response(lsp.request("vigil/provenance", {"textDocument": {"uri": ctx.uri("a.py")}}), 120)


@case("a 50 MB document and a 256 MiB message", lsp=lsp_huge_messages, check_args=(), bound=180)
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)

    def verify(ctx, runs):
        bound = 2000 if SANITIZED else 700
        assert runs[0].rss_mb < bound, "peak RSS %.0f MB over %d MB" % (runs[0].rss_mb, bound)
    return verify


def lsp_versions_backwards(ctx, lsp):
    # A client that restarts its numbering (5, then 3, then 1) must still see each text's own
    # diagnostics: an older number is not an older text.
    uri = ctx.uri("v.py")
    is_pub = lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
    lsp.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 5, "text": VULN_PY}})
    lsp.wait_for(lambda m: is_pub(m) and m["params"]["diagnostics"], 20, "diagnostics of version 5")
    lsp.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": "x = 1\n"}]})
    pub = lsp.wait_for(lambda m: is_pub(m) and m["params"].get("version") == 3, 20,
                       "diagnostics of version 3 (version 5's would stay, stale)")
    assert not pub["params"]["diagnostics"], "version 3 is clean: %s" % pub
    lsp.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 1}, "contentChanges": [{"text": VULN_PY}]})
    pub = lsp.wait_for(lambda m: is_pub(m) and m["params"].get("version") == 1, 20, "diagnostics of version 1")
    assert pub["params"]["diagnostics"], "version 1 has a finding: %s" % pub


@case("a document version that goes backwards", lsp=lsp_versions_backwards, check_args=())
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)


def lsp_bad_framing(ctx, lsp):
    lsp.send_raw(b"Content-Length: abc\r\n\r\n{}")
    lsp.send_raw(b"Content-Type: x\r\n\r\n")
    body = b'{"jsonrpc":"2.0","id":77,"method":"vigil/provenance","params":{"uri":"file:///x.py"}}'
    lsp.send_raw(b"Content-Length: %d\n\n" % len(body) + body)  # LF-only headers
    lsp.response(77, 10)
    lsp.response(lsp.request("vigil/provenance", {"textDocument": {"uri": ctx.uri("a.py")}}), 10)


@case("framing: a bad header, then LF-only headers; the server resynchronises", lsp=lsp_bad_framing, check_args=())
def _(ctx):
    write(os.path.join(ctx.ws, "a.py"), VULN_PY)


# ---------------------------------------------------------------------------------------------


def run_check(ctx, args, bound=TIME_BOUND):
    r = Run([BINARY, "check", "--no-progress", *args], ctx.ws, ctx.env, user=ctx.user)
    r.wait(bound)
    return r


def git_may_run(ctx, c):
    """Whether the server's background git reading after an open has a repository to read: a git
    case, or a `.git` beside an opened file or above it. Elsewhere it finds none and stops at once,
    so the wait for it is skipped."""
    if c["check_args"] is GIT_CHECKS:
        return True
    for rel in c["lsp_open"]:
        d = os.path.dirname(os.path.join(ctx.ws, rel))
        while True:
            if os.path.lexists(os.path.join(d, ".git")):
                return True
            parent = os.path.dirname(d)
            if parent == d:
                break
            d = parent
    return False


def run_lsp(ctx, c):
    lsp = LspRun([BINARY, "lsp"], ctx.ws, ctx.env, user=ctx.user)
    try:
        rid = lsp.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + ctx.ws, "capabilities": {}})
        lsp.response(rid)
        lsp.notify("initialized")
        for rel in c["lsp_open"]:
            p = os.path.join(ctx.ws, rel)
            try:
                with open(p, "rb") as f:
                    text = f.read().decode("utf-8", "replace")
            except OSError:
                text = ""
            uri = ctx.uri(rel)
            lsp.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
            lsp.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri,
                         c["bound"], "diagnostics of " + rel)
        if c["lsp"]:
            c["lsp"](ctx, lsp)
        if c["lsp_open"] and git_may_run(ctx, c):
            time.sleep(1.0)  # git runs in the background after an open: let it meet the workspace
        lsp.response(lsp.request("shutdown", None))
        lsp.notify("exit")
        lsp.proc.stdin.close()
        code = lsp.wait(c["bound"])
        if code != 0:
            raise Failure("vigil lsp exited with %d after shutdown and exit" % code)
    except Exception:
        lsp.kill()
        raise
    return lsp


def run_case(c):
    base = tempfile.mkdtemp(prefix="vigil-hostile-")
    ctx = Context(BINARY, base)
    runs, problems = [], []
    try:
        verify = c["build"](ctx)
        before = ctx.snapshot_outside()
        for args in c["check_args"]:
            try:
                r = run_check(ctx, args, c["bound"])
                runs.append(r)
                if r.proc.returncode not in c["codes"]:
                    problems.append("`vigil check %s` ended with %s%s" % (
                        " ".join(args), r.proc.returncode,
                        " (a signal)" if r.proc.returncode < 0 else "") + ": " + r.err[-400:].decode("utf-8", "replace"))
            except Failure as e:
                problems.append("`vigil check %s`: %s" % (" ".join(args), e))
        if c["lsp_open"] or c["lsp"]:
            try:
                runs.append(run_lsp(ctx, c))
            except (Failure, AssertionError, KeyError) as e:
                problems.append("vigil lsp: %s" % e)
        if c["mcp"]:
            try:
                runs.append(c["mcp"](ctx))
            except (Failure, AssertionError, KeyError, ValueError) as e:
                problems.append("vigil mcp: %s" % e)
        problems += check_invariants(ctx, before, runs)
        if verify and not problems:
            try:
                verify(ctx, runs)
            except AssertionError as e:
                problems.append(str(e))
    finally:
        # chmod -R, not os.walk: Python 3.11's walk recurses and stops at 1,000 levels.
        subprocess.run(["chmod", "-R", "u+rwx", base], capture_output=True)
        subprocess.run(["rm", "-rf", base], capture_output=True)
    slowest = max((r.elapsed for r in runs), default=0)
    peak = max((r.rss_mb for r in runs), default=0)
    return problems, slowest, peak


def main():
    # Pending cases are known failures still being fixed: run with --all (or by name) to see them.
    run_all = "--all" in ONLY
    names = [o for o in ONLY if o != "--all"]
    selected = [c for c in CASES if (not names or any(s in c["name"] for s in names)) and (run_all or names or not c["pending"])]
    failed = 0
    for c in selected:
        problems, slowest, peak = run_case(c)
        tag = "PASS" if not problems else "FAIL"
        print("%s %s  (slowest run %.1fs, peak RSS %.0f MB)" % (tag, c["name"], slowest, peak), flush=True)
        for p in problems:
            print("     - " + p.replace("\n", "\n       "), flush=True)
        failed += bool(problems)
    for c in CASES:
        if c not in selected and c["pending"]:
            print("PENDING %s (a known failure, not run)" % c["name"])
    print("%d of %d hostile workspaces held" % (len(selected) - failed, len(selected)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
