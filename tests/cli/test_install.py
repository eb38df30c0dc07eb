#!/usr/bin/env python3
"""`cmake --install` into a prefix gives a working vigil: the binary with its built-in rules, and
the man page generated from --help."""
import os
import shutil
import subprocess
import sys
import tempfile

from harness import check, failures

build, source = sys.argv[1], sys.argv[2]


subprocess.run(["cmake", "--build", build, "--target", "vigil_man"], check=True, stdout=subprocess.DEVNULL)
with tempfile.TemporaryDirectory() as prefix:
    p = subprocess.run(["cmake", "--install", build, "--prefix", prefix], capture_output=True, text=True)
    check(p.returncode == 0, "cmake --install: %s" % p.stderr)
    vigil = os.path.join(prefix, "bin", "vigil")
    check(os.access(vigil, os.X_OK), "bin/vigil installed")
    man = os.path.join(prefix, "share", "man", "man1", "vigil.1")
    check(os.path.isfile(man), "man page installed")
    if os.path.isfile(man):
        page = open(man).read()
        check(page.startswith(".TH VIGIL 1") and ".SS vigil check" in page and "\\-\\-fail-on" not in page and "--fail-on" in page,
              "man page from --help: %r" % page[:200])
        # The text is the binary's own help.
        help_text = subprocess.run([vigil, "check", "--help"], capture_output=True, text=True).stdout
        check(help_text.splitlines()[0] in page, "man page holds `vigil check --help`")
    # Away from the source tree: the rules are in the binary.
    with tempfile.TemporaryDirectory() as work:
        shutil.copytree(os.path.join(source, "examples"), os.path.join(work, "examples"))
        p = subprocess.run([vigil, "check", "examples"], cwd=work, capture_output=True, text=True)
        check(p.returncode == 1 and "[py-sql-injection]" in p.stdout, "installed vigil checks the examples: %d %s" % (p.returncode, p.stderr))
        p = subprocess.run([vigil, "rules", "list"], cwd=work, capture_output=True, text=True)
        check(p.returncode == 0 and int(p.stderr.split()[0]) >= 100, "installed vigil has the built-in rules: %r" % p.stderr)
        p = subprocess.run([vigil, "test-rules"], cwd=work, capture_output=True, text=True)
        check(p.returncode == 0, "installed vigil passes its built-in fixtures: %s" % p.stdout[-300:])

print("%d failures" % len(failures))
sys.exit(1 if failures else 0)
