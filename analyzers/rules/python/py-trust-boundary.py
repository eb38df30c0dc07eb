from flask import Flask, request, session

app = Flask(__name__)


@app.route("/prefs", methods=["POST"])
def save_prefs():
    # ruleid: py-trust-boundary
    session["theme"] = request.form["theme"]
    return "ok"


@app.route("/role", methods=["POST"])
def set_role():
    role = request.args.get("role")
    # ruleid: py-trust-boundary
    session["role"] = role
    return "ok"


@app.route("/prefs2", methods=["POST"])
def save_prefs_checked():
    theme = request.form["theme"]
    # ok: py-trust-boundary
    session["theme"] = theme if theme in ("dark", "light") else "light"
    return "ok"


@app.route("/page", methods=["POST"])
def save_page():
    # ok: py-trust-boundary
    session["page"] = int(request.form["page"])
    return "ok"
