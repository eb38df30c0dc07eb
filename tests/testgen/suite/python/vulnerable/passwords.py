"""Password storage for the legacy admin accounts."""
import hashlib


def hash_password(password):
    """Returns the value stored in the accounts table."""
    return hashlib.md5(password.encode()).hexdigest()
