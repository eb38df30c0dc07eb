"""What the CLI tests share: a list of failures with a check that records one, and a file writer."""
import os

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL", what)


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
