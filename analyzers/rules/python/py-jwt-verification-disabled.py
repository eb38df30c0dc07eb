import os

import jwt

SECRET = os.environ["JWT_SECRET"]


def current_user(request):
    token = request.headers["Authorization"].removeprefix("Bearer ")
    # ruleid: py-jwt-verification-disabled
    claims = jwt.decode(token, options={"verify_signature": False})
    # ruleid: py-jwt-verification-disabled
    legacy = jwt.decode(token, SECRET, verify=False)
    # ruleid: py-jwt-verification-disabled
    loose = jwt.decode(token, SECRET, algorithms=["HS256", "none"])
    # ruleid: py-jwt-verification-disabled
    unsigned = jwt.encode({"sub": "1"}, None, algorithm="none")
    # ok: py-jwt-verification-disabled
    verified = jwt.decode(token, SECRET, algorithms=["HS256"])
    # ok: py-jwt-verification-disabled
    header = jwt.get_unverified_header(token)
    # ok: py-jwt-verification-disabled
    strict = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_signature": True, "require": ["exp"]})
    # ok: py-jwt-verification-disabled
    signed = jwt.encode({"sub": "1"}, SECRET, algorithm="HS256")
    return claims, legacy, loose, unsigned, verified, header, strict, signed
