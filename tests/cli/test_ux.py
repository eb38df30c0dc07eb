#!/usr/bin/env python3
"""`vigil check` and friends as a new user meets them (issue 17): nothing missed in silence (syntax
errors, unmappable files, shebangs, empty rule sets, the per-file budget), ruff's fix flags, the
defaults (fail level, virtualenvs, build output, minified JS, pre-existing suppressions, test
code), progress only on a terminal, readable text output, and the habits (--help everywhere,
usage errors, --version, parse, rules list, test-rules)."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

vigil = os.path.abspath(sys.argv[1])
from harness import check, failures, write  # noqa: E402 (after sys.argv is read)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def run(args, cwd, env=None, stdin=None):
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    if env:
        e.update(env)
    p = subprocess.run([vigil] + args, cwd=cwd, capture_output=True, text=True, env=e, stdin=stdin or subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def new_project():
    root = tempfile.mkdtemp(prefix="vigil-ux-")
    os.makedirs(os.path.join(root, ".vigil"))
    return root


# Under a pseudo-terminal (script(1)): stdout and stderr are the terminal.
def run_tty(args, cwd, env=None):
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    e["TERM"] = "xterm"
    if env:
        e.update(env)
    cmd = " ".join("'" + a.replace("'", "'\\''") + "'" for a in [vigil] + args)
    p = subprocess.run(["script", "-qec", cmd, "/dev/null"], cwd=cwd, capture_output=True, text=True, env=e,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout


try:
    # --- 1. Never miss in silence --------------------------------------------------------------
    root = new_project()
    # A syntax error in one function; a taint finding in the next, valid one.
    write(root, "app.py", """import subprocess
from flask import request


def broken(x:
    return [x +


@app.route("/run")
def handler():
    cmd = request.args.get("cmd")
    subprocess.run(cmd, shell=True)
""")
    code, out, err = run(["check", "app.py", "--no-progress"], root)
    check("[py-subprocess-shell-injection]" in out or "[py-command-injection]" in out or "injection" in out,
          "the valid function's finding survives the syntax error: %r" % out)
    check("[vigil-parse-error]" in out and "app.py:5:" in out, "parse error reported as a note: %r" % out)
    check(re.search(r"app\.py:5:\d+: info \[vigil-parse-error\]", out), "the parse note is info-level: %r" % out)
    check(code == 1, "the injection fails the run (exit %d)" % code)
    # A file with nothing but a syntax error: a note, and info does not fail by default.
    write(root, "only_broken.py", "def f(:\n    pass\n")
    code, out, err = run(["check", "only_broken.py"], root)
    check(code == 0 and "[vigil-parse-error]" in out, "parse note alone exits 0 (fail-on warning): %d %r" % (code, out))
    code, out, err = run(["check", "only_broken.py", "--format", "json"], root)
    data = json.loads(out)
    check([f["rule"] for f in data["findings"]] == ["vigil-parse-error"] and data["findings"][0]["severity"] == "info",
          "parse note in JSON: %r" % data["findings"])

    # Shebang scripts, and named files Vigil cannot read.
    write(root, "bin/tool", "#!/usr/bin/env python3\nimport sys\nprint(eval(sys.argv[1]))\n")
    write(root, "bin/serve", "#!/usr/bin/env node\nconst x = process.argv[2];\neval(x);\n")
    write(root, "notes.txt", "eval(x)\n")
    write(root, "Makefile", "all:\n\techo eval\n")
    code, out, err = run(["check", "bin/tool", "bin/serve", "notes.txt", "Makefile"], root)
    check("bin/tool:3:7: error [py-eval-injection]" in out, "python shebang script checked: %r" % out)
    check(re.search(r"bin/serve:3:1: \w+ \[js-eval", out), "node shebang script checked: %r" % out)
    check("skipped notes.txt: no grammar for `.txt` files" in err, "named .txt reported as skipped: %r" % err)
    check("skipped Makefile: no file extension or shebang Vigil knows" in err, "named Makefile skipped: %r" % err)
    # A walk finds shebang scripts too.
    code, out, err = run(["check", "bin"], root)
    check("bin/tool:3:7" in out and "bin/serve:3:1" in out, "walk finds shebang scripts: %r" % out)

    # No rules at all is a usage error, not a clean pass.
    os.makedirs(os.path.join(root, "empty-rules"))
    code, out, err = run(["check", "--no-builtin", "app.py"], root)
    check(code == 2 and "no rules loaded" in err, "--no-builtin alone: exit 2 (%d) %r" % (code, err))
    code, out, err = run(["check", "--rules", "empty-rules", "app.py"], root)
    check(code == 2 and "empty-rules: no rule files there" in err, "empty --rules path: exit 2 (%d) %r" % (code, err))

    # The per-file budget: a huge file of repeated lines is skipped, naming the rule, and the run
    # goes on to report the other file.
    big = "".join("x%d = eval(data) + helper(data, %d)\n" % (i % 7, i) for i in range(60000))
    write(root, "budget/huge.py", big)
    write(root, "budget/small.py", "eval(a)\n")
    code, out, err = run(["check", "budget", "--file-budget", "0.02", "--no-progress"], root)
    check(re.search(r"skipped budget/huge\.py: analysis took longer than the 0\.02s budget \(running: [\w, -]+", err),
          "budget exceeded is reported with the rule: %r" % err)
    check("budget/small.py:1:1: error [py-eval-injection]" in out, "the run finishes and reports the rest: %r" % out)
    check("1 skipped" in err, "summary counts the skipped file: %r" % err)
    code, out, err = run(["check", "budget", "--file-budget", "0.02", "--format", "json"], root)
    skipped = json.loads(out)["summary"]["skipped"]
    check(len(skipped) == 1 and skipped[0]["path"] == "budget/huge.py" and "budget" in skipped[0]["reason"],
          "JSON summary lists the skipped file: %r" % skipped)
    write(root, ".vigil/config.yaml", "fileBudget: 0\n")
    code, out, err = run(["check", "budget/small.py"], root)
    check(code == 2 and "fileBudget" in err, "fileBudget is validated: %r" % err)
    os.remove(os.path.join(root, ".vigil/config.yaml"))

    # --- 2. Fix flags as ruff has them -----------------------------------------------------------
    fixable = "import requests\nrequests.get(url, verify=False)\n"
    path = write(root, "fixme.py", fixable)
    code, out, err = run(["check", "--unsafe-fixes", "fixme.py"], root)
    with open(path) as f:
        check(f.read() == fixable, "--unsafe-fixes alone writes nothing")
    check("[*]" in out and "applied" not in err, "--unsafe-fixes alone reports, marks fixable: %r %r" % (out, err))
    code, out, err = run(["check", "--dry-run", "--unsafe-fixes", "fixme.py"], root)
    with open(path) as f:
        check(f.read() == fixable, "--dry-run --unsafe-fixes writes nothing")
    check(out.startswith("--- a/fixme.py") and code == 1, "--dry-run alone previews the fixes: %r" % out)
    code, out, err = run(["check", "fixme.py"], root)
    check(re.search(r"fixme\.py:2:\d+: \w+ \[[\w-]+\] \[\*\] ", out), "[*] marks a safe fix: %r" % out)
    check("[*] 1 fixable with `vigil check --fix`" in out, "summary counts fixable findings: %r" % out)

    # --- 3. Defaults that fit real repositories --------------------------------------------------
    root = new_project()
    os.makedirs(os.path.join(root, ".git"))
    write(root, "src/app.py", "eval(a)\n")
    write(root, "env1/pyvenv.cfg", "home = /usr/bin\n")
    write(root, "env1/lib/python3.11/site-packages/pkg/m.py", "eval(b)\n")
    write(root, "lib/site-packages/other.py", "eval(c)\n")
    write(root, "dist/bundle.py", "eval(d)\n")
    write(root, "build/lib/gen.py", "eval(e)\n")
    write(root, "web/app.min.js", "eval(x)\n")
    write(root, "web/gen.js", "// @generated by protoc\neval(x)\n")
    write(root, "web/bundle.js", "var a=1;" * 800 + "eval(x);\n//# sourceMappingURL=bundle.js.map\n")
    write(root, "web/main.js", "eval(y)\n")
    code, out, err = run(["check", "."], root)
    files = sorted(set(l.split(":")[0] for l in out.splitlines() if re.match(r"^\S+:\d+:\d+:", l)))
    check(files == ["src/app.py", "web/main.js"], "venv, site-packages, dist, build, minified, generated skipped: %r" % files)
    check("web/app.min.js" not in err and "3 generated or minified files ignored" in err,
          "walk skips of generated files are counted, not listed: %r" % err)
    # Named explicitly, a minified file is checked.
    code, out, err = run(["check", "web/app.min.js"], root)
    check("web/app.min.js:1:1" in out, "named minified file is checked: %r" % out)

    # Pre-existing `# nosec`: a hint where provenance does not say an AI added it.
    write(root, "sup.py", "import subprocess\nsubprocess.call('ls', shell=True)  # nosec\n")
    write(root, "sup_ai.py", "import subprocess\n# vigil: ai-begin\nsubprocess.call('ls', shell=True)  # nosec\n# vigil: ai-end\n")
    code, out, err = run(["check", "sup.py", "sup_ai.py"], root)
    nosec = [l for l in out.splitlines() if "[py-security-check-suppressed]" in l]
    check(any(l.startswith("sup.py:2:") and ": hint [" in l for l in nosec), "pre-existing nosec is a hint: %r" % nosec)
    check(any(l.startswith("sup_ai.py:3:") and ": warning [" in l for l in nosec), "nosec an AI added stays: %r" % nosec)

    # Test code: one level lower, configurable per category.
    write(root, "tests/test_app.py", "eval(a)\n")
    write(root, "pkg/util_test.go", "package pkg\n")
    write(root, "web/app.spec.ts", "eval(b)\n")
    code, out, err = run(["check", "tests", "web/app.spec.ts"], root)
    check("tests/test_app.py:1:1: warning [py-eval-injection]" in out, "test finding lowered to warning: %r" % out)
    check(re.search(r"web/app\.spec\.ts:1:1: (warning|info|hint) \[js-eval", out), "spec.ts lowered: %r" % out)
    write(root, ".vigil/config.yaml", "testCode:\n  keepSeverity: [injection]\n")
    code, out, err = run(["check", "tests"], root)
    check("tests/test_app.py:1:1: error [py-eval-injection]" in out, "keepSeverity keeps a category: %r" % out)
    os.remove(os.path.join(root, ".vigil/config.yaml"))

    # --- 4. Progress only on a terminal ----------------------------------------------------------
    for i in range(30):
        write(root, "many/m%02d.py" % i, "x = 1\n" * 50)
    code, out, err = run(["check", "many"], root)
    check("/30 files" not in err and "\r" not in err, "no progress when stderr is not a terminal: %r" % err)
    code, out = run_tty(["check", "many"], root)
    check(re.search(r"vigil: \d+/30 files", out), "progress on a terminal: %r" % out[:300])
    check("\x1b[K" in out, "the progress line is cleared: %r" % out[:300])
    code, out = run_tty(["check", "many", "--no-progress"], root)
    check(not re.search(r"vigil: \d+/30 files", out), "--no-progress: %r" % out[:300])

    # --- 5. Output people read -------------------------------------------------------------------
    write(root, "show.py", "import os\n\tresult = eval(user_input)\n")
    code, out, err = run(["check", "show.py"], root)
    lines = out.splitlines()
    i = next(k for k, l in enumerate(lines) if l.startswith("show.py:2:"))
    check(lines[i + 1] == "  |" and lines[i + 2] == "2 | \tresult = eval(user_input)" and lines[i + 3] == "  | \t         ^^^^^^^^^^^^^^^^",
          "source line with caret: %r" % lines[i:i + 4])
    check("\x1b[" not in out, "no colour into a pipe")
    code, out, err = run(["check", "show.py", "--color", "always"], root)
    check("\x1b[1;31m" in out, "--color always colours: %r" % out[:200])
    code, tty_out = run_tty(["check", "show.py", "--no-progress"], root)
    check("\x1b[1;31m" in tty_out, "colour on a terminal: %r" % tty_out[:200])
    code, tty_out = run_tty(["check", "show.py", "--no-progress"], root, {"NO_COLOR": "1"})
    check("\x1b[1;31m" not in tty_out and "show.py:2:" in tty_out, "NO_COLOR honoured: %r" % tty_out[:200])
    # Summary per rule and severity.
    code, out, err = run(["check", "show.py", "src/app.py", "sup.py"], root)
    check(re.search(r"Found 3 findings in 3 files \(2 error, 1 hint\):", out), "text summary header: %r" % out)
    check(re.search(r"\n  error   py-eval-injection\s+2\n", out), "text summary per rule: %r" % out)
    code, out, err = run(["check", "show.py", "src/app.py", "sup.py", "--format", "json"], root)
    s = json.loads(out)["summary"]
    check(s["findings"] == 3 and s["bySeverity"] == {"error": 2, "warning": 0, "info": 0, "hint": 1} and
          {"rule": "py-eval-injection", "severity": "error", "count": 2} in s["byRule"] and s["filesChecked"] == 3,
          "JSON summary: %r" % s)
    code, out, err = run(["check", "src/app.py", "--format", "sarif"], root)
    check(json.loads(out)["version"] == "2.1.0", "SARIF unchanged")

    # rules list: count on stderr, stdout one rule a line; the project's rules included.
    write(root, ".vigil/rules/no-print.yaml", "id: local-no-print\nlanguage: python\nseverity: warning\n"
          "message: no print\nconstraint: Do not print.\nrule:\n  pattern: print($X)\n")
    code, out, err = run(["rules", "list"], root)
    # id, languages, CWE, severity, precision in this repository's feedback bank ("-" without votes)
    check(re.fullmatch(r"\d+ rules\n", err) and all(l.count("\t") == 4 and l.endswith("\t-") for l in out.splitlines()),
          "rules list: rules on stdout, count on stderr: %r" % err)
    check(any(l.startswith("local-no-print\t") for l in out.splitlines()), "rules list loads .vigil/rules")
    code, out, err = run(["rules", "list", "--format", "json"], root)
    check(any(r["id"] == "local-no-print" for r in json.loads(out)), "rules list json")
    code, out, err = run(["test-rules"], root)
    check("skip local-no-print (no fixture: looked for " in out and ".vigil/rules/no-print.py)" in out,
          "test-rules loads project rules and names the fixture path: %r" % out[-400:])
    check(code == 0, "test-rules passes with the built-in packs and a rule without fixture (%d)" % code)

    # --- 6. Habits -------------------------------------------------------------------------------
    for cmd in ["check", "lsp", "mcp", "test-rules", "rules", "parse"]:
        code, out, err = run([cmd, "--help"], root)
        check(code == 0 and out.startswith("Usage: vigil " + cmd) and err == "", "`vigil %s --help`: %d %r" % (cmd, code, out[:80]))
    code, out, err = run(["help", "check"], root)
    check(code == 0 and out.startswith("Usage: vigil check"), "vigil help check")
    code, out, err = run([], root)
    check(code == 2 and out == "" and "Usage: vigil <command>" in err, "bare vigil: usage on stderr, exit 2")
    code, out, err = run(["--version"], root)
    check(code == 0 and re.match(r"vigil \d+\.\d+\.\d+ \(\w+ build\)\n", out), "--version first line: %r" % out)
    check(re.search(r"built-in rules: \d+ in \d+ packs \(", out) and re.search(r"grammars: runtime \d", out) and "python " in out,
          "--version has packs and grammars: %r" % out)
    for bad in [["--jobs", "-3"], ["--jobs", "x"], ["-j", "0"], ["--file-budget", "-1"], ["--fail-on", "loud"],
                ["--color", "pink"]]:
        code, out, err = run(["check"] + bad + ["src/app.py"], root)
        check(code == 2 and "vigil check --help" in err, "invalid %r is a usage error: %d %r" % (bad, code, err))
    # parse walks directories like check; --tree is indented with positions.
    code, out, err = run(["parse", "."], root)
    check(code == 0 and out == "", "parse . on clean files: %d %r %r" % (code, out, err))
    write(root, "badsyntax/x.py", "def f(:\n    pass\n")
    code, out, err = run(["parse", "badsyntax"], root)
    check(code == 1 and out.startswith("badsyntax/x.py:1:"), "parse DIR reports syntax errors: %r" % out)
    code, out, err = run(["parse", "--tree", "src/app.py"], root)
    check(out == "(module [0, 0] - [1, 0]\n  (expression_statement [0, 0] - [0, 7]\n    (call [0, 0] - [0, 7]\n"
          "      function: (identifier [0, 0] - [0, 4])\n      arguments: (argument_list [0, 4] - [0, 7]\n"
          "        (identifier [0, 5] - [0, 6])))))\n", "parse --tree: %r" % out)
finally:
    pass

print("%d failures" % len(failures))
sys.exit(1 if failures else 0)
