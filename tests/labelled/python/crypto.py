"""Crypto and secrets helpers (labelled: vuln/safe per function)."""
import jwt
from Crypto.Cipher import AES, DES
from cryptography.hazmat.primitives.asymmetric import rsa


# vuln: weak-cipher
def encrypt_legacy(key, data):
    cipher = DES.new(key, DES.MODE_ECB)
    return cipher.encrypt(data)


# vuln: weak-cipher
def encrypt_blocks(key, data):
    cipher = AES.new(key, AES.MODE_ECB)
    return cipher.encrypt(data)


# safe: weak-cipher
def encrypt_blocks_safe(key, data):
    cipher = AES.new(key, AES.MODE_GCM)
    ciphertext, tag = cipher.encrypt_and_digest(data)
    return cipher.nonce + tag + ciphertext


# vuln: weak-key
def make_signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


# safe: weak-key
def make_signing_key_safe():
    return rsa.generate_private_key(public_exponent=65537, key_size=3072)


# vuln: jwt
def read_claims(token):
    return jwt.decode(token, options={"verify_signature": False})


# safe: jwt
def read_claims_safe(token, key):
    return jwt.decode(token, key, algorithms=["HS256"])


# vuln: hardcoded-secret
def connect_payments():
    api_key = "sk_live_51HxQ2bKz9vT3mN8pR4sW7yU1"
    return {"Authorization": "Bearer " + api_key}


# safe: hardcoded-secret
def connect_payments_safe():
    import os
    api_key = os.environ["PAYMENTS_API_KEY"]
    return {"Authorization": "Bearer " + api_key}
