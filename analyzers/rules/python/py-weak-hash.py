import hashlib
from hashlib import md5, sha1, sha256


def store_password(password, salt, blob, api_key):
    # ruleid: py-weak-hash
    digest = hashlib.md5(password.encode()).hexdigest()
    # ruleid: py-weak-hash
    sig = hashlib.sha1(salt + password.encode()).hexdigest()
    # ruleid: py-weak-hash
    h = hashlib.new("md5", api_key.encode())
    # ruleid: py-weak-hash
    token_hash = sha1(blob).hexdigest()
    # ok: py-weak-hash
    etag = md5(blob).hexdigest()
    # ok: py-weak-hash
    good = hashlib.sha256(password.encode()).hexdigest()
    # ok: py-weak-hash
    cache_key = hashlib.md5(blob).hexdigest()
    # ok: py-weak-hash
    pw_check = hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()
    # ok: py-weak-hash
    h2 = hashlib.new("sha256", api_key.encode())
    # ok: py-weak-hash
    derived = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
    # ok: py-weak-hash
    other = sha256(blob).digest()
    salted_name = "upload-prefix/" + path_of(blob)
    # ok: py-weak-hash
    name_hash = hashlib.sha1(salted_name.encode("utf-8")).hexdigest()
    return name_hash, digest, sig, h, token_hash, etag, good, cache_key, pw_check, h2, derived, other


def hash_password(raw):
    # ruleid: py-weak-hash
    return hashlib.md5(raw.encode()).hexdigest()


def file_checksum(path):
    with open(path, "rb") as fh:
        # ok: py-weak-hash
        return hashlib.md5(fh.read()).hexdigest()
