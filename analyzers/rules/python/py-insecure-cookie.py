import secrets

from flask import make_response


def remember_me():
    resp = make_response("ok")
    # ruleid: py-insecure-cookie
    resp.set_cookie("session_token", secrets.token_hex(16), secure=False, httponly=False)
    return resp


def login_cookie(token):
    resp = make_response("ok")
    # ruleid: py-insecure-cookie
    resp.set_cookie("auth", token, max_age=3600)
    return resp


def theme_cookie():
    resp = make_response("ok")
    # ruleid: py-insecure-cookie
    resp.set_cookie("theme", "dark", httponly=False)
    return resp


# ruleid: py-insecure-cookie
SESSION_COOKIE_SECURE = False


def good_cookie(token):
    resp = make_response("ok")
    # ok: py-insecure-cookie
    resp.set_cookie("session", token, secure=True, httponly=True, samesite="Lax")
    return resp


def preference():
    resp = make_response("ok")
    # ok: py-insecure-cookie
    resp.set_cookie("lang", "en")
    return resp


# ok: py-insecure-cookie
SESSION_COOKIE_HTTPONLY = True
