import random
import secrets
import string
import uuid

ALPHABET = string.ascii_letters + string.digits


def create_reset_link(user):
    # ruleid: py-insecure-random-secret
    token = "".join(random.choice(ALPHABET) for _ in range(32))
    # ruleid: py-insecure-random-secret
    user.api_key = "%032x" % random.getrandbits(128)
    # ruleid: py-insecure-random-secret
    reset_code = random.randint(100000, 999999)
    # ruleid: py-insecure-random-secret
    session_id = str(uuid.uuid1())
    # ok: py-insecure-random-secret
    csrf_token = secrets.token_urlsafe(32)
    # ok: py-insecure-random-secret
    password = "".join(secrets.choice(ALPHABET) for _ in range(16))
    # ok: py-insecure-random-secret
    salt = "".join(random.SystemRandom().choice(ALPHABET) for _ in range(16))
    # ok: py-insecure-random-secret
    delay = random.uniform(0.5, 1.5)
    # ok: py-insecure-random-secret
    request_id = str(uuid.uuid4())
    # ok: py-insecure-random-secret
    token_count = random.randint(1, 10)
    # ok: py-insecure-random-secret
    token = random.randrange(2**63)
    boundary = "=" * 15 + str(token)
    # ruleid: py-insecure-random-secret
    user.password_reset_token = str(random.random())[2:]
    # ok: py-insecure-random-secret
    secret_name = "db-password-" + str(uuid.uuid1())
    return secret_name, boundary, token, reset_code, session_id, csrf_token, password, salt, delay, request_id, token_count


def generate_password(length=12):
    # ruleid: py-insecure-random-secret
    return "".join(random.choices(ALPHABET, k=length))


def pick_greeting(names):
    # ok: py-insecure-random-secret
    return "Hello " + random.choice(names)


def generate_api_token():
    # ok: py-insecure-random-secret
    return secrets.token_hex(32)
