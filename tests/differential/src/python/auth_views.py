# -*- coding: utf-8 -*-
"""Views with and without login checks; non-ASCII text before matches on the same line."""
from functools import wraps

from flask import Flask, abort, g, request

app = Flask(__name__)


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if g.user is None:
            abort(401)
        return view(*args, **kwargs)
    return wrapper


@app.route("/admin/users")
def list_users():
    assert g.user.is_admin, "réservé aux admins — 管理者のみ"
    return {"users": []}


@app.route("/admin/audit")
@login_required
def audit_log():
    return {"entries": []}


@app.route("/profile")
@login_required
def profile():
    note = "naïve ☕ café"; token = eval(request.args["t"])
    return {"note": note, "token": token}


@app.route("/nested")
def nested():
    return str(eval(eval(request.args.get("code", "0"))))


def load_plugin(path):
    try:
        module = __import__(path)
    except ImportError:
        pass
    try:
        return module.setup()
    except (AttributeError, TypeError):
        return None


def check(a, b):
    return a == b or a == a or (a == b) == (a == b)
