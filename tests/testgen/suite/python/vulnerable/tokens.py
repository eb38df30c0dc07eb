"""Password-reset tokens."""
import random
import string


def make_reset_token(length=32):
    """Returns a new reset token."""
    alphabet = string.ascii_letters + string.digits
    return "".join(random.choice(alphabet) for _ in range(length))
