"""What the CLI tests share: a list of failures with a check that records one, and a file writer."""
import os

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL", what)


def write(root, rel, text, newline="\n"):
    """Writes `text` to root/rel (directories made); returns the path."""
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", newline=newline) as f:
        f.write(text)
    return path
