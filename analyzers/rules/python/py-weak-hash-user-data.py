import hashlib
import hashlib as hl
from hashlib import md5 as h
from hashlib import sha1

from flask import request


def hash_password(password):
    # ruleid: py-weak-hash-user-data
    return hashlib.md5(password.encode()).hexdigest()


def fingerprint_token(token):
    digest = hashlib.new("sha1")
    # ruleid: py-weak-hash-user-data
    digest.update(token.encode())
    return digest.hexdigest()


def aliased(secret_value):
    # ruleid: py-weak-hash-user-data
    return h(secret_value.encode()).hexdigest()


def module_alias(data):
    # ruleid: py-weak-hash-user-data
    return hl.sha1(data).hexdigest()


def from_request():
    body = request.get_data()
    # ruleid: py-weak-hash-user-data
    return sha1(body).hexdigest()


def strong(password):
    # ok: py-weak-hash-user-data
    return hashlib.sha256(password.encode()).hexdigest()


def cache_key(url):
    # ok: py-weak-hash-user-data
    return hashlib.md5(url.encode()).hexdigest()


def not_for_security(url):
    # ok: py-weak-hash-user-data
    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def constant():
    # ok: py-weak-hash-user-data
    return hashlib.md5(b"static").hexdigest()
