from flask import Flask, request, session

app = Flask(__name__)


@app.post("/cart/currency")
def choose_currency():
    # ruleid: py-trust-boundary
    session["currency"] = request.values.get("currency", "EUR")
    return "", 204


@app.route("/role", methods=["POST"])
def set_role():
    role = request.args.get("role")
    # ruleid: py-trust-boundary
    session["role"] = role
    return "ok"


@app.post("/cart/currency2")
def choose_currency_checked():
    currency = request.values.get("currency", "EUR")
    if currency not in ("EUR", "USD", "GBP"):
        return "unsupported currency", 400
    # ok: py-trust-boundary
    session["currency"] = currency
    return "", 204


@app.route("/page", methods=["POST"])
def save_page():
    # ok: py-trust-boundary
    session["page"] = int(request.form["page"])
    return "ok"
