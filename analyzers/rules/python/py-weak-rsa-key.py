from Crypto.PublicKey import RSA
from cryptography.hazmat.primitives.asymmetric import dsa, rsa


def make_signing_key():
    # ruleid: py-weak-rsa-key
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


def legacy_key():
    # ruleid: py-weak-rsa-key
    key = RSA.generate(1024)
    return key.export_key()


def dsa_key():
    # ruleid: py-weak-rsa-key
    return dsa.generate_private_key(key_size=1024)


def strong_key():
    # ok: py-weak-rsa-key
    return rsa.generate_private_key(public_exponent=65537, key_size=3072)


def strong_legacy(bits=4096):
    # ok: py-weak-rsa-key
    return RSA.generate(bits)
