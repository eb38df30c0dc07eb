"""Findings silenced with ast-grep's suppression comments (both tools honour them)."""
import hashlib
import pickle


def legacy(blob, expr):
    # ast-grep-ignore
    obj = pickle.loads(blob)
    value = eval(expr)  # ast-grep-ignore: py-eval-nonliteral
    # ast-grep-ignore: py-weak-hash, py-pickle-load
    digest = hashlib.md5(blob).hexdigest()
    # ast-grep-ignore: some-other-rule
    again = eval(expr)
    return obj, value, digest, again, pickle.loads(blob)
