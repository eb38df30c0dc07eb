#!/usr/bin/env python3
"""`vigil check --fix`, `--unsafe-fixes` and `--dry-run`: what is written, what is printed, exit codes.
Usage: test_fix.py VIGIL_BIN REPO_ROOT

The dry-run diff must be a real unified diff: patch(1) applied to a copy of the files must give
exactly what `--fix` writes."""
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile

vigil = os.path.abspath(sys.argv[1])
from harness import check, failures, write  # noqa: E402 (after sys.argv is read)
repo = os.path.abspath(sys.argv[2])
# A fixed set of built-in rules, so that rules added to the packs later do not change the counts.
RULES = []
for rel in ("python/py-tls-verify-disabled.yaml", "python/py-flask-debug-enabled.yaml", "python/py-eval-injection.yaml",
            "javascript/js-ts-ignore.yaml"):
    RULES += ["--rules", os.path.join(repo, "analyzers", "rules", rel)]


def run(args, cwd):
    if args and args[0] == "check":
        args = args[:1] + ["--no-builtin"] + RULES + args[1:]
    p = subprocess.run([vigil] + args, cwd=cwd, capture_output=True)
    # The diff keeps CRLF lines as they are: no newline translation here.
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def read(root, rel):
    with open(os.path.join(root, rel), newline="") as f:
        return f.read()


APP = """import requests
from flask import Flask

app = Flask(__name__)


def fetch(url):
    # A comment with non-ASCII text: café 😀
    r = requests.get(url, verify=False)
    return eval(r.text)


if __name__ == "__main__":
    app.run(debug=True)
"""
TS = """// @ts-nocheck
export function f(x: number): string {
  // @ts-ignore
  return x;
}
"""
CLEAN = "x = 1\n"

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    write(src, "app.py", APP)
    write(src, "web/client.ts", TS)
    write(src, "clean.py", CLEAN)
    write(src, "win.py", "import requests\nrequests.get(u, verify=False)\n", newline="\r\n")
    os.chmod(os.path.join(src, "app.py"), 0o750)

    # --dry-run: a diff on stdout, nothing written, exit 1 because there is something to fix.
    work = os.path.join(tmp, "dry")
    shutil.copytree(src, work)
    code, out, err = run(["check", "--fix", "--dry-run", "."], work)
    check(code == 1, "dry run with fixes exits 1 (got %d): %s" % (code, err))
    check(out.startswith("--- a/") and "+++ b/app.py" in out and "-    r = requests.get(url, verify=False)" in out
          and "+    r = requests.get(url, verify=True)" in out and "+    app.run(debug=False)" in out,
          "dry run prints a unified diff of the safe fixes:\n%s" % out)
    check("client.ts" not in out, "unsafe fixes are left out without --unsafe-fixes:\n%s" % out)
    check("would apply 3 safe fixes in 2 files" in err, "dry-run summary: %r" % err)
    check(all(read(work, f) == read(src, f) for f in ("app.py", "web/client.ts", "clean.py", "win.py")),
          "dry run writes nothing")

    # JSON output carries each fix (1-based lines, code-point columns, like start/end).
    _, json_out, _ = run(["check", "--format", "json", "app.py"], work)
    fixes = [f["fix"] for f in json.loads(json_out)["findings"] if f["rule"] == "py-tls-verify-disabled"]
    check(fixes == [{"start": {"line": 9, "column": 27}, "end": {"line": 9, "column": 39}, "replacement": "verify=True",
                     "safe": True}], "fix in JSON output: %r" % fixes)

    # patch(1) takes the diff and gives what --fix writes.
    patched = os.path.join(tmp, "patched")
    shutil.copytree(src, patched)
    p = subprocess.run(["patch", "-p1", "--no-backup-if-mismatch", "--binary"], cwd=patched, input=out.encode("utf-8"),
                       capture_output=True)
    check(p.returncode == 0, "patch applies the dry-run diff: %s %s" % (p.stdout, p.stderr))

    fixed = os.path.join(tmp, "fixed")
    shutil.copytree(src, fixed)
    code, out, err = run(["check", "--fix", "."], fixed)
    check(code == 1, "--fix exits 1 while findings without a safe fix remain (got %d)" % code)
    check("applied 3 safe fixes in 2 files" in err, "--fix summary: %r" % err)
    check("[py-eval-injection]" in out and "[py-tls-verify-disabled]" not in out and "[js-ts-ignore]" in out,
          "--fix reports what is left:\n%s" % out)
    for f in ("app.py", "web/client.ts", "clean.py", "win.py"):
        check(read(fixed, f) == read(patched, f), "%s: --fix writes what the diff says" % f)
    check(read(fixed, "win.py") == "import requests\r\nrequests.get(u, verify=True)\r\n", "CRLF kept: %r" % read(fixed, "win.py"))
    check("café 😀" in read(fixed, "app.py"), "non-ASCII text kept")
    check(stat.S_IMODE(os.stat(os.path.join(fixed, "app.py")).st_mode) == 0o750, "file mode kept")
    check(not [n for n in os.listdir(fixed) if "vigil-" in n], "no temporary files left")

    # A symbolic link is never written through (issue 18), even to a file inside the root: the run
    # says so and exits 2; the file it points to is fixed under its own name.
    write(fixed, "target/real.py", "import requests\nrequests.get(u, verify=False)\n")
    os.symlink("target/real.py", os.path.join(fixed, "link.py"))
    code, out, err = run(["check", "--fix", "link.py"], fixed)
    check(code == 2 and "link.py is a symbolic link: not fixed" in err and os.path.islink(os.path.join(fixed, "link.py"))
          and "verify=False" in read(fixed, "target/real.py"), "a symbolic link is refused for fixing: %d %r" % (code, err))
    run(["check", "--fix", "target/real.py"], fixed)
    check("verify=True" in read(fixed, "target/real.py"), "the link's target is fixed under its own name")

    # Nothing more to fix: the dry run is empty and exits 0.
    code, out, err = run(["check", "--fix", "--dry-run", "."], fixed)
    check(code == 0 and out == "", "second dry run has nothing to do (exit %d):\n%s" % (code, out))

    # --unsafe-fixes alone writes nothing (as in ruff): it marks the unsafe fixes as available.
    before = read(fixed, "web/client.ts")
    code, out, err = run(["check", "--unsafe-fixes", "web/client.ts"], fixed)
    check(read(fixed, "web/client.ts") == before and "[*]" in out, "--unsafe-fixes alone writes nothing: %r" % out)
    # --fix --unsafe-fixes applies the rest (the @ts-ignore comments go, with their lines).
    code, out, err = run(["check", "--fix", "--unsafe-fixes", "web/client.ts"], fixed)
    check(read(fixed, "web/client.ts") == "export function f(x: number): string {\n  return x;\n}\n",
          "--unsafe-fixes removes the suppression comments: %r" % read(fixed, "web/client.ts"))
    check(code == 0, "--unsafe-fixes leaves no finding in client.ts (exit %d): %s" % (code, out))

    # --dry-run alone previews what --fix would write (nothing left here).
    code, out, err = run(["check", "--dry-run", "."], fixed)
    check(code == 0 and out == "" and "would apply 0 safe fixes" in err, "--dry-run alone previews: %d %r" % (code, err))

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok")
