import jwt
from django.core.exceptions import PermissionDenied
from itsdangerous import BadSignature, URLSafeSerializer


def current_user(request, key):
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    claims = {}
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"])
    # ruleid: py-auth-exception-swallowed
    except jwt.InvalidTokenError:
        pass
    return claims.get("sub")


def delete_item(request, item):
    try:
        request.user.check_permissions("items.delete", item)
    # ruleid: py-auth-exception-swallowed
    except Exception:
        pass
    item.delete()


def load_session(serializer: URLSafeSerializer, raw):
    session = {}
    try:
        session = serializer.loads_signed(raw)
    # ruleid: py-auth-exception-swallowed
    except:
        ...
    return session


def load_cookie(serializer: URLSafeSerializer, raw):
    for candidate in raw.split(";"):
        try:
            return serializer.loads_signed(candidate)
        # ok: py-auth-exception-swallowed
        except BadSignature:
            continue


def current_user_ok(request, key):
    token = request.headers.get("Authorization", "")
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"])
    # ok: py-auth-exception-swallowed
    except jwt.InvalidTokenError:
        raise PermissionDenied("bad token")
    return claims["sub"]


def cleanup(path):
    try:
        path.unlink()
    # ok: py-auth-exception-swallowed
    except FileNotFoundError:
        pass


def is_valid(serializer, raw):
    try:
        serializer.verify(raw)
    # ok: py-auth-exception-swallowed
    except BadSignature:
        return False
    return True
