import hashlib
import hmac
import random
import secrets
import ssl
import string

import requests
import jwt

API_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
password = "hunter2hunter2"
DEBUG_TOKEN = os.environ.get("DEBUG_TOKEN")
timeout = 30


def fingerprint(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def legacy_fingerprint(data):
    h = hashlib.sha1()
    h.update(data)
    return h.hexdigest()


def strong_fingerprint(data):
    return hashlib.sha256(data).hexdigest()


def new_session_token():
    alphabet = string.ascii_letters + string.digits
    return "".join(random.choice(alphabet) for _ in range(32))


def new_reset_code():
    return random.randint(100000, 999999)


def shuffle_deck(cards):
    random.shuffle(cards)
    return cards


def good_token():
    return secrets.token_urlsafe(32)


def fetch_profile(url, token):
    r = requests.get(url, headers={"Authorization": token}, verify=False)
    r2 = requests.post(url, data={"a": 1}, timeout=5, verify=False)
    r3 = requests.get(url, verify=True)
    r4 = requests.get(url, timeout=timeout)
    return r, r2, r3, r4


def make_context(insecure):
    ctx = ssl._create_unverified_context()
    if insecure:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    other = ssl.create_default_context()
    other.verify_mode = ssl.CERT_NONE
    good = ssl.create_default_context()
    return ctx, good


def read_claims(token, key):
    unsafe = jwt.decode(token, options={"verify_signature": False})
    other = jwt.decode(token, key, algorithms=["HS256"])
    return unsafe, other


def compare_digest(a, b):
    if a == b:
        return True
    return hmac.compare_digest(a, b)
