"""Password storage for the legacy admin accounts."""
import hashlib
import os


def hash_password(password):
    """Returns the value stored in the accounts table."""
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 200_000)
    return "pbkdf2_sha256$200000$" + salt.hex() + "$" + digest.hex()
