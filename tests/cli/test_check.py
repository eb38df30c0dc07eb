#!/usr/bin/env python3
"""`vigil check`: exit codes, compiler-style output, .gitignore and .vigil/config.yaml excludes,
--rules/--no-builtin, and clear configuration errors."""
import json
import re
import os
import subprocess
import sys
import tempfile

vigil = os.path.abspath(sys.argv[1])
from harness import check, failures, write  # noqa: E402 (after sys.argv is read)


def run(args, cwd):
    p = subprocess.run([vigil] + args, cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def findings(out):
    """The finding lines of text output (without source lines, carets and the summary)."""
    return [l for l in out.splitlines() if re.match(r"^\S+:\d+:\d+: ", l)]


with tempfile.TemporaryDirectory() as root:
    os.makedirs(os.path.join(root, ".git"))
    write(root, "app.py", "x = 1\ny = eval(x)\n")
    write(root, "ignored/gen.py", "eval(z)\n")
    write(root, "node_modules/dep/index.py", "eval(z)\n")
    write(root, "sub/.gitignore", "skip_*.py\n")
    write(root, "sub/skip_me.py", "eval(z)\n")
    write(root, "sub/keep.py", "eval(k)\n")
    write(root, "build/out.py", "eval(b)\n")
    write(root, ".gitignore", "/ignored/\n")
    write(root, ".vigil/config.yaml", "exclude:\n  - build/\n")
    write(root, "notes.txt", "eval(x)\n")

    code, out, err = run(["check", "."], root)
    check(code == 1, "exit 1 with findings (got %d)" % code)
    lines = [l for l in out.splitlines() if "[py-eval-injection]" in l]
    check([l.split(" [")[0] for l in lines] == ["app.py:2:5: error", "sub/keep.py:1:1: error"] and
          all(l.endswith("(CWE-95)") for l in lines), "text output and excludes: %r" % out)
    check("2 files checked" in err, "summary on stderr: %r" % err)

    # An excluded file named explicitly is still checked.
    code, out, _ = run(["check", "ignored/gen.py"], root)
    check(code == 1 and "ignored/gen.py:1:1" in out, "explicit file is checked: %r" % out)

    code, out, _ = run(["check", "--format", "json", "app.py"], root)
    data = json.loads(out)
    check(data["findings"][0]["start"] == {"line": 2, "column": 5}, "json output: %r" % data)

    # Only the given rules.
    write(root, "rules/print.yaml", 'id: no-print\nlanguage: python\nseverity: info\nmessage: "print"\n'
                                    'constraint: Do not print.\nquery: |\n  (call function: (identifier) @f (#eq? @f "print")) @match\n')
    write(root, "clean.py", "print(1)\n")
    code, out, _ = run(["check", "clean.py", "app.py", "--rules", "rules", "--no-builtin"], root)
    # An info finding is shown, and does not fail the run (--fail-on defaults to warning).
    check(code == 0 and findings(out) == ["clean.py:1:1: info [no-print] print"], "--rules --no-builtin: %r" % out)
    # --rules PATH is relative to the current directory, wherever the project root is.
    code, out, err = run(["check", "../clean.py", "--rules", "../rules/print.yaml", "--no-builtin"], os.path.join(root, "sub"))
    check(code == 0 and [l.split(os.sep)[-1] for l in findings(out)] == ["clean.py:1:1: info [no-print] print"],
          "--rules from a subdirectory: %r %r" % (out, err))
    # A rule file named outside the workspace brings the util rules of its pack (utils/ beside it).
    with tempfile.TemporaryDirectory() as pack:
        write(pack, "utils/print-call.yml", "id: print-call\nlanguage: python\nrule: { pattern: print($$$) }\n")
        write(pack, "no-print-util.yaml", 'id: no-print-util\nlanguage: python\nseverity: info\nmessage: "print"\n'
                                          'constraint: Do not print.\nrule: { matches: print-call }\n')
        code, out, err = run(["check", "clean.py", "--rules", os.path.join(pack, "no-print-util.yaml"), "--no-builtin"], root)
        check(code == 0 and findings(out) == ["clean.py:1:1: info [no-print-util] print"] and "outside" not in err,
              "a named rule file's utils: %r %r" % (out, err))

    # Clean: exit 0, nothing on stdout.
    code, out, _ = run(["check", "clean.py"], root)
    check(code == 0 and out == "", "clean exit 0: %d %r" % (code, out))

    # Suppressions: honoured with a reason, reported without one, unused ones are hints that do
    # not fail the run unless --fail-on hint.
    write(root, "sup.py", "print(1)  # vigil-ignore: no-print -- debugging aid, removed before release\n"
                          "print(2)  # vigil-ignore: no-print\n"
                          "# vigil-ignore: no-print -- stale\nx = 3\n")
    code, out, _ = run(["check", "sup.py", "--rules", "rules/print.yaml", "--no-builtin", "--fail-on", "warning"], root)
    check(code == 1 and findings(out) == [
        "sup.py:2:13: warning [vigil-suppression-no-reason] vigil-ignore without a reason: add `-- <why this is safe>`",
        "sup.py:3:3: hint [vigil-unused-suppression] unused suppression: nothing here is flagged by no-print"],
        "suppressions: %d %r" % (code, out))
    write(root, "sup2.py", "print(1)  # vigil-ignore: no-print -- output is the point here\n# vigil-ignore: no-print -- stale\nx = 3\n")
    code, out, _ = run(["check", "sup2.py", "--rules", "rules/print.yaml", "--no-builtin"], root)
    check(code == 0 and "hint [vigil-unused-suppression]" in out, "a hint alone exits 0: %d %r" % (code, out))
    code, _, _ = run(["check", "sup2.py", "--rules", "rules/print.yaml", "--no-builtin", "--fail-on", "hint"], root)
    check(code == 1, "--fail-on hint: %d" % code)
    code, _, err = run(["check", "sup2.py", "--fail-on", "loud"], root)
    check(code == 2 and "--fail-on must be" in err, "bad --fail-on: %d %r" % (code, err))

    # JSON carries each finding's fix: the replacement and the range it replaces (1-based, code points).
    write(root, "rules/md5.yaml", "id: md5\nlanguage: python\nseverity: warning\nmessage: md5\n"
                                  "constraint: Do not use MD5.\nrule:\n  pattern: hashlib.md5($$$ARGS)\n"
                                  "fix: hashlib.sha256($$$ARGS)\n")
    write(root, "hash.py", "s = 'é'; h = hashlib.md5(data, usedforsecurity=True)\n")
    code, out, _ = run(["check", "hash.py", "--rules", "rules/md5.yaml", "--no-builtin", "--format", "json"], root)
    fix = json.loads(out)["findings"][0].get("fix") if code == 1 else None
    check(fix == {"replacement": "hashlib.sha256(data, usedforsecurity=True)", "start": {"line": 1, "column": 14},
                  "end": {"line": 1, "column": 53}, "safe": False}, "json fix: %d %r" % (code, out))

    # A file without the words every rule needs (md5 needs `hashlib` and `md5`) is not parsed: its
    # syntax error hides no finding and gets no note. One that may match is parsed (finding and note),
    # and so is one with a suppression comment, whose misuse is reported anyway.
    write(root, "pre/a.py", "h = hashlib.md5(x)\ndef f(:\n")
    write(root, "pre/b.py", "def g(:\n    pass\n")
    write(root, "pre/c.py", "# vigil-ignore: md5 -- stale\nx = 1\n")
    code, out, err = run(["check", "pre", "--rules", "rules/md5.yaml", "--no-builtin", "--no-progress"], root)
    got = findings(out)
    check(any(l.startswith("pre/a.py:1:") and "[md5]" in l for l in got) and
          any(l.startswith("pre/a.py:2:") and "[vigil-parse-error]" in l for l in got) and
          not any(l.startswith("pre/b.py") for l in got) and
          any(l.startswith("pre/c.py:1:") and "[vigil-unused-suppression]" in l for l in got) and
          "3 files checked" in err, "prefilter before parsing: %r %r" % (got, err))

    # Taint sources reached only through util rules (`matches:`, utils/ beside the rules) still let
    # the file through the prefilter: a.py (source in a one-pattern util) and c.py (source in an
    # `any` util, which names no required word) are parsed and found. b.py, with the sink but not
    # the one-pattern util's word, is skipped (its syntax error gets no note): the util's words count.
    taint_rule = ("id: {id}\nlanguage: python\nseverity: error\nmessage: m\nconstraint: c.\nmode: taint\n"
                  "sources:\n  - matches: {util}\nsinks:\n  - pattern: {sink}($$$)\n")
    write(root, "trules/utils/user-input.yml", "id: user-input\nlanguage: python\nrule:\n  pattern: read_user_input($$$)\n")
    write(root, "trules/utils/cli-input.yml",
          "id: cli-input\nlanguage: python\nrule:\n  any:\n    - pattern: input($$$)\n    - pattern: sys.argv\n")
    write(root, "trules/cmd.yaml", taint_rule.format(id="cmd", util="user-input", sink="os.system"))
    write(root, "trules/ev.yaml", taint_rule.format(id="ev", util="cli-input", sink="eval"))
    write(root, "tpre/a.py", "import os\nos.system(read_user_input())\ndef f(:\n")
    write(root, "tpre/b.py", "import os\nos.system(x)\ndef g(:\n")
    write(root, "tpre/c.py", "import sys\nv = sys.argv[1]\neval(v)\n")
    # Parameters off: otherwise any function parameter could be the source, and b.py would be parsed.
    code, out, err = run(["check", "tpre", "--rules", "trules", "--no-builtin", "--no-progress", "--taint-parameters", "off"],
                         root)
    got = findings(out)
    check(any(l.startswith("tpre/a.py:2:") and "[cmd]" in l for l in got) and
          any(l.startswith("tpre/a.py:3:") and "[vigil-parse-error]" in l for l in got) and
          not any(l.startswith("tpre/b.py") for l in got) and
          any(l.startswith("tpre/c.py:3:") and "[ev]" in l for l in got) and
          "3 files checked" in err, "prefilter with util sources: %d %r %r" % (code, got, err))

    # Usage and configuration errors: exit 2 with a clear message.
    code, _, err = run(["check", "--format", "xml"], root)
    check(code == 2 and "--format" in err, "bad format: %d %r" % (code, err))
    code, _, err = run(["check", "missing.py"], root)
    check(code == 2 and "missing.py: no such file" in err, "missing path: %d %r" % (code, err))
    write(root, "rules/broken.yaml", "id: broken\nlanguage: python\nmessage: m\nquery: (nope) @match\n")
    code, out, err = run(["check", "app.py", "--rules", "rules"], root)
    check(code == 2 and "rules/broken.yaml:4:9: error: unknown node type 'nope'" in err and "app.py:2:5" in out,
          "broken rule: other rules still run, exit 2: %d %r %r" % (code, out, err))
    write(root, ".vigil/config.yaml", "exclude: {a: b}\n")
    code, _, err = run(["check", "."], root)
    check(code == 2 and "config.yaml:1:10: error: `exclude` must be a list of strings" in err, "bad config: %d %r" % (code, err))

print("FAIL check (%d)" % len(failures) if failures else "PASS check")
sys.exit(1 if failures else 0)
