import sqlite3

import pandas as pd
from sqlalchemy import text

USERS_TABLE = "users"


def get_user(conn, cursor, request, user_id, ids):
    name = request.args["name"]
    # ruleid: py-sql-injection
    cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")
    # ruleid: py-sql-injection
    cursor.execute("DELETE FROM sessions WHERE user_id = " + user_id)
    # ruleid: py-sql-injection
    cursor.execute("UPDATE users SET email = '%s' WHERE id = %s" % (request.form["email"], user_id))
    # ruleid: py-sql-injection
    rows = conn.execute("SELECT id FROM orders WHERE status = '{}'".format(request.args["status"])).fetchall()
    # ruleid: py-sql-injection
    df = pd.read_sql(f"""
        SELECT * FROM events WHERE owner = '{name}'
    """, conn)
    # ruleid: py-sql-injection
    conn.execute(text(f"SELECT * FROM users WHERE id = {user_id}"))

    query = f"SELECT * FROM products WHERE category = '{request.args['cat']}'"
    # ruleid: py-sql-injection
    cursor.execute(query)

    sql = "SELECT * FROM users WHERE 1 = 1"
    if name:
        sql += f" AND name LIKE '%{name}%'"
    # ruleid: py-sql-injection
    results = cursor.execute(sql).fetchall()

    # ok: py-sql-injection
    cursor.execute("SELECT * FROM users WHERE name = ?", (name,))
    # ok: py-sql-injection
    cursor.execute("SELECT * FROM users WHERE name = %(name)s", {"name": name})
    placeholders = ",".join("?" * len(ids))
    # ok: py-sql-injection
    cursor.execute(f"SELECT * FROM users WHERE id IN ({placeholders})", ids)
    # ok: py-sql-injection
    cursor.execute("SELECT * FROM users WHERE id IN (%s)" % ",".join(["%s"] * len(ids)), ids)
    # ok: py-sql-injection
    cursor.execute(f"SELECT COUNT(*) FROM {USERS_TABLE}")
    # ok: py-sql-injection
    cursor.execute(f"SELECT * FROM logs ORDER BY ts DESC LIMIT {int(request.args['n'])}")
    message = f"Select an option, {name}"
    # ok: py-sql-injection
    executor.execute(message)
    # ok: py-sql-injection
    log.info(f"SELECT took {user_id} ms")
    return rows, df, results


def drop_cache_table(conn, table, prefix, paths, sort):
    # ok: py-sql-injection
    conn.execute('DROP TABLE "%s"' % table)
    # ok: py-sql-injection
    conn.execute('SELECT next_id FROM %s WHERE prefix = ? LIMIT 1' % table, (prefix,))
    # ok: py-sql-injection
    conn.execute('DELETE FROM "{table}" WHERE 1'.format(table=table))
    # ruleid: py-sql-injection
    return conn.execute(f"SELECT * FROM {table} ORDER BY {sort}").fetchall()
