import hmac
import subprocess

import jwt


def current_user(token: str | None, key: bytes):
    # ruleid: py-type-ignore-security
    claims = jwt.decode(token, key, algorithms=["HS256"])  # type: ignore
    return claims


def check(sig: bytes, expected: str):
    # ruleid: py-type-ignore-security
    return hmac.compare_digest(sig, expected)  # type: ignore


def run(cmd: list[str] | None):
    # ruleid: py-type-ignore-security
    subprocess.run(cmd, check=True)  # pyright: ignore


def render(widget):
    # ok: py-type-ignore-security
    widget.set_title(42)  # type: ignore


def verify(sig: bytes, expected: str):
    # ok: py-type-ignore-security
    return hmac.compare_digest(sig, expected)  # type: ignore[arg-type]  # str vs bytes checked above
