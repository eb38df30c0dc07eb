"""Order views for a small Flask shop (mixed safe and unsafe code)."""
import os
import pickle
import sqlite3
import subprocess

from flask import Flask, request, jsonify

app = Flask(__name__)


def get_db():
    return sqlite3.connect(os.environ.get("SHOP_DB", "shop.db"))


@app.route("/orders")
def list_orders():
    customer = request.args.get("customer", "")
    db = get_db()
    cur = db.cursor()
    # unsafe: f-string
    cur.execute(f"SELECT * FROM orders WHERE customer = '{customer}'")
    # unsafe: concatenation
    cur.execute("SELECT * FROM orders WHERE customer = '" + customer + "'")
    # unsafe: percent formatting, with params afterwards
    cur.execute("SELECT * FROM orders WHERE id = %s" % request.args["id"], ())
    # safe: placeholder
    cur.execute("SELECT * FROM orders WHERE customer = ?", (customer,))
    # safe: constant
    cur.execute("SELECT count(*) FROM orders")
    rows = cur.fetchall()
    return jsonify(rows)


@app.route("/export")
def export():
    fmt = request.args.get("fmt", "csv")
    name = request.args.get("name")
    subprocess.run(f"export-orders --format {fmt} > /tmp/{name}", shell=True)
    subprocess.run(["export-orders", "--format", fmt], check=True)
    subprocess.call("ls -l /var/shop", shell=True)
    subprocess.Popen(["gzip", name], shell=False)
    os.system("rm -rf /tmp/" + name)
    os.system("sync")
    return "ok"


@app.route("/restore", methods=["POST"])
def restore():
    blob = request.get_data()
    state = pickle.loads(blob)
    with open("/var/shop/state.pkl", "rb") as fh:
        cached = pickle.load(fh)
    return jsonify({"restored": len(state), "cached": len(cached)})


@app.route("/calc")
def calc():
    expr = request.args.get("expr", "0")
    value = eval(expr)
    also = eval("1 + 2")
    return str(value + also)


def is_admin(user):
    return user.role == user.role


def same_price(a, b):
    if a.price == a.price:
        return True
    return a.price == b.price


if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
