#!/usr/bin/env python3
"""The README's sample outputs are the binary's real output. A sample is a fenced block whose first
line is `$ vigil ...` (run from the repository root); the lines after it are stdout then stderr, as
a terminal that is not a tty shows them. A line `...` stands for any number of lines."""
import os
import re
import shlex
import subprocess
import sys

vigil, source = os.path.abspath(sys.argv[1]), sys.argv[2]
failures = []

readme = open(os.path.join(source, "README.md")).read()
blocks = re.findall(r"```(?:text|console)?\n(\$ vigil [^\n]*)\n(.*?)```", readme, re.S)
if not blocks:
    failures.append("no `$ vigil ...` sample in README.md")


def matches(expected, actual):
    # `...` matches any run of lines (also none); other lines match exactly.
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


for command, expected in blocks:
    args = shlex.split(command[2:])[1:]
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    p = subprocess.run([vigil] + args, cwd=source, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    actual = (p.stdout + p.stderr).splitlines()
    want = expected.rstrip("\n").splitlines()
    if not matches(want, actual):
        failures.append(command)
        print("FAIL README sample `%s` differs from the real output:\n%s\n--- real output:\n%s" %
              (command, expected, "\n".join(actual)))

print("%d samples, %d failures" % (len(blocks), len(failures)))
sys.exit(1 if failures else 0)
