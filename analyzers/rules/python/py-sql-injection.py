import sqlite3
import sys

import pandas as pd
from flask import Flask, request
from psycopg2 import sql
from sqlalchemy import text

app = Flask(__name__)
USERS_TABLE = "users"


@app.route("/users")
def find_users():
    cursor = get_db().cursor()
    name = request.args["name"]
    # ruleid: py-sql-injection
    cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")
    # ruleid: py-sql-injection
    cursor.execute("UPDATE users SET email = '%s' WHERE name = 'x'" % request.form["email"])
    # ruleid: py-sql-injection
    rows = get_db().execute("SELECT id FROM orders WHERE status = '{}'".format(request.args.get("status"))).fetchall()
    # ruleid: py-sql-injection
    df = pd.read_sql(f"SELECT * FROM events WHERE owner = '{name}'", get_db())

    query = "SELECT * FROM products WHERE 1 = 1"
    if request.args.get("cat"):
        query += " AND category = '" + request.args.get("cat") + "'"
    # ruleid: py-sql-injection
    results = cursor.execute(query).fetchall()

    # ok: py-sql-injection
    cursor.execute("SELECT * FROM users WHERE name = ?", (name,))
    # ok: py-sql-injection
    cursor.execute("SELECT * FROM users WHERE name = %(name)s", {"name": name})
    # ok: py-sql-injection
    cursor.execute(f"SELECT COUNT(*) FROM {USERS_TABLE}")
    # ok: py-sql-injection
    cursor.execute(f"SELECT * FROM logs ORDER BY ts DESC LIMIT {int(request.args['n'])}")
    # ok: py-sql-injection
    cursor.execute(sql.SQL("SELECT * FROM {} WHERE id = %s").format(sql.Identifier(request.args["t"])), (name,))
    return rows, df, results


@app.route("/items/<item_id>", methods=["DELETE"])
def delete_item(item_id):
    stmt = "DELETE FROM items WHERE id = " + item_id
    # ruleid: py-sql-injection
    get_db().execute(stmt)
    # ok: py-sql-injection
    get_db().execute("DELETE FROM items WHERE id = ?", (item_id,))
    # ruleid: py-sql-injection
    get_db().execute(text(f"DELETE FROM audit WHERE item = {item_id}"))
    return "", 204


def report(conn: sqlite3.Connection):
    table = "events_" + sys.argv[1]
    # ruleid: py-sql-injection
    return conn.execute("SELECT * FROM " + table).fetchall()


def drop_cache_table(conn, table):
    # In code an assistant wrote, a helper's parameters are untrusted (taint.parameters: ai).
    # ruleid: py-sql-injection
    conn.execute('DROP TABLE "%s"' % table)
