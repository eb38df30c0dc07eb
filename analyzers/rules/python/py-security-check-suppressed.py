import hashlib
import pickle
import subprocess


def run(cmd, blob):
    # ruleid: py-security-check-suppressed
    subprocess.run(cmd, shell=True)  # nosec
    # ruleid: py-security-check-suppressed
    data = pickle.loads(blob)  # nosec B301
    # ruleid: py-security-check-suppressed
    digest = hashlib.md5(blob).hexdigest()  # noqa: S324
    # ruleid: py-security-check-suppressed
    out = subprocess.check_output(cmd, shell=True)  # noqa: E501, S602
    # ruleid: py-security-check-suppressed
    # nosemgrep: python.lang.security.audit.subprocess-shell-true
    subprocess.call(cmd, shell=True)
    # ok: py-security-check-suppressed
    from os import path  # noqa: E402
    # ok: py-security-check-suppressed
    value = compute(data)  # noqa
    # ok: py-security-check-suppressed
    label = "add # nosec to silence bandit"  # type: ignore[assignment]
    # ok: py-security-check-suppressed
    # Bandit's nosec marker is not allowed in this repository.
    return data, digest, out, path, value, label
