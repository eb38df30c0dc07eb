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


# No `cmake --build` here: the man page is part of the default build (vigil_man is in ALL), and
# building from a test would relink vigil while the tests running beside it execute it ("Permission
# denied" / "Text file busy" under parallel ctest when sources changed since the build).
check(os.path.isfile(os.path.join(build, "cli", "vigil.1")), "the build made the man page (cli/vigil.1)")
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
