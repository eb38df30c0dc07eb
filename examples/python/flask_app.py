"""Inventory service: a small Flask API, as an assistant might write it on request.

Each handler "works", and most of them are exploitable. See examples/README.md.
"""
import base64
import os
import pickle
import random
import sqlite3
import string
import subprocess

import requests
import yaml
from flask import Flask, abort, g, jsonify, request

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev-secret-key-change-me-123"

WAREHOUSE_API = "https://warehouse.internal.example.com/api"
WAREHOUSE_API_KEY = os.environ.get("WAREHOUSE_API_KEY", "")


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect("inventory.db")
    return g.db


@app.route("/items")
def search_items():
    name = request.args.get("name", "")
    db = get_db()
    rows = db.execute(f"SELECT id, name, qty FROM items WHERE name LIKE '%{name}%'").fetchall()
    return jsonify(rows)


@app.route("/items/<int:item_id>")
def get_item(item_id):
    db = get_db()
    # Safe look-alike: a bound parameter.
    row = db.execute("SELECT id, name, qty FROM items WHERE id = ?", (item_id,)).fetchone()
    return jsonify(row)


@app.route("/items/<item_id>", methods=["DELETE"])
def delete_item(item_id):
    sql = "DELETE FROM items WHERE id = " + item_id
    get_db().execute(sql)
    return "", 204


@app.route("/thumbnail", methods=["POST"])
def thumbnail():
    filename = request.form["filename"]
    size = request.form.get("size", "128x128")
    subprocess.run(f"convert uploads/{filename} -resize {size} thumbs/{filename}", shell=True, check=True)
    return jsonify({"ok": True})


@app.route("/thumbnail-safe", methods=["POST"])
def thumbnail_safe():
    filename = os.path.basename(request.form["filename"])
    # Safe look-alike: argument list, no shell.
    subprocess.run(["convert", f"uploads/{filename}", "-resize", "128x128", f"thumbs/{filename}"], check=True)
    return jsonify({"ok": True})


@app.route("/cart/restore", methods=["POST"])
def restore_cart():
    blob = base64.b64decode(request.cookies.get("cart", ""))
    cart = pickle.loads(blob)
    return jsonify(cart)


@app.route("/import", methods=["POST"])
def import_manifest():
    manifest = yaml.load(request.data, Loader=yaml.Loader)
    return jsonify({"items": len(manifest)})


@app.route("/sync")
def sync_warehouse():
    resp = requests.get(
        f"{WAREHOUSE_API}/stock",
        headers={"Authorization": f"Bearer {WAREHOUSE_API_KEY}"},
        timeout=10,
        verify=False,
    )
    return jsonify(resp.json())


@app.route("/password-reset", methods=["POST"])
def password_reset():
    reset_token = "".join(random.choice(string.ascii_letters + string.digits) for _ in range(24))
    # ... store the token and e-mail the link ...
    return jsonify({"sent": True, "debug_token": reset_token})


@app.route("/admin/purge", methods=["POST"])
def purge():
    assert g.user.is_admin, "admins only"
    get_db().execute("DELETE FROM items WHERE qty = 0")
    return "", 204


@app.route("/admin/report")
def report():
    # Safe look-alike: a real check, not an assert.
    if not g.user.is_admin:
        abort(403)
    return jsonify({"items": get_db().execute("SELECT COUNT(*) FROM items").fetchone()[0]})


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000, debug=True)
