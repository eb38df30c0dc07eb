import os

from Crypto.Cipher import AES, DES, ARC4
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def encrypt_legacy(key, data):
    # ruleid: py-weak-cipher
    cipher = DES.new(key, DES.MODE_CBC, iv=os.urandom(8))
    return cipher.encrypt(data)


def encrypt_session(key, blob):
    # ruleid: py-weak-cipher
    cipher = AES.new(key, AES.MODE_ECB)
    return cipher.encrypt(blob)


def stream(key, blob):
    # ruleid: py-weak-cipher
    return ARC4.new(key).encrypt(blob)


def encrypt_card(key, data):
    # ruleid: py-weak-cipher
    c = Cipher(algorithms.TripleDES(key), modes.CBC(os.urandom(8)))
    # ruleid: py-weak-cipher
    ecb = Cipher(algorithms.AES(key), modes.ECB())
    return c.encryptor().update(data), ecb


def encrypt_ok(key, data):
    nonce = os.urandom(12)
    # ok: py-weak-cipher
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce)
    # ok: py-weak-cipher
    aead = AESGCM(key).encrypt(nonce, data, None)
    # ok: py-weak-cipher
    c = Cipher(algorithms.AES(key), modes.CTR(nonce + b"\0" * 4))
    import hashlib
    # ok: py-weak-cipher
    h = hashlib.new("sha256", data)
    return cipher, aead, c, h
