"""Database, shell and file helpers as an assistant writes them (labelled: vuln/safe per function)."""
import os
import sqlite3
import subprocess

import psycopg2
from sqlalchemy import text


# vuln: sql-injection
def get_user(conn, username):
    cur = conn.cursor()
    cur.execute(f"SELECT id, email FROM users WHERE username = '{username}'")
    return cur.fetchone()


# safe: sql-injection
def get_user_safe(conn, username):
    cur = conn.cursor()
    cur.execute("SELECT id, email FROM users WHERE username = ?", (username,))
    return cur.fetchone()


# vuln: sql-injection
def delete_order(db_path, order_id):
    conn = sqlite3.connect(db_path)
    query = "DELETE FROM orders WHERE id = " + order_id
    conn.execute(query)
    conn.commit()


# safe: sql-injection
def delete_order_safe(db_path, order_id):
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM orders WHERE id = ?", (int(order_id),))
    conn.commit()


# vuln: sql-injection
def search_products(cursor, term, category):
    sql = "SELECT * FROM products WHERE name LIKE '%%%s%%' AND category = '%s'" % (term, category)
    cursor.execute(sql)
    return cursor.fetchall()


# safe: sql-injection
def search_products_safe(cursor, term, category):
    cursor.execute(
        "SELECT * FROM products WHERE name LIKE %s AND category = %s",
        (f"%{term}%", category),
    )
    return cursor.fetchall()


# vuln: sql-injection
def count_rows(engine, table_name):
    with engine.connect() as connection:
        result = connection.execute(text("SELECT COUNT(*) FROM {}".format(table_name)))
        return result.scalar()


# safe: sql-injection
def count_rows_safe(engine, table_name):
    allowed = {"users", "orders", "products"}
    if table_name not in allowed:
        raise ValueError("unknown table")
    with engine.connect() as connection:
        result = connection.execute(text("SELECT COUNT(*) FROM users WHERE active = :a"), {"a": True})
        return result.scalar()


# vuln: sql-injection
def update_email(user_id, email):
    conn = psycopg2.connect("dbname=app")
    with conn.cursor() as cur:
        cur.execute("UPDATE users SET email = '" + email + "' WHERE id = " + str(user_id))
    conn.commit()


# safe: sql-injection
def update_email_safe(user_id, email):
    conn = psycopg2.connect("dbname=app")
    with conn.cursor() as cur:
        cur.execute("UPDATE users SET email = %s WHERE id = %s", (email, user_id))
    conn.commit()


# vuln: sql-injection
def sort_users(conn, order_by):
    return conn.execute(f"SELECT * FROM users ORDER BY {order_by}").fetchall()


# safe: sql-injection
def sort_users_safe(conn, order_by):
    column = order_by if order_by in ("name", "created_at", "email") else "name"
    if column not in ("name", "created_at", "email"):
        return []
    return conn.execute("SELECT * FROM users ORDER BY name").fetchall()


# vuln: command-injection
def ping_host(host):
    return os.popen("ping -c 1 " + host).read()


# safe: command-injection
def ping_host_safe(host):
    return subprocess.run(["ping", "-c", "1", host], capture_output=True, text=True).stdout


# vuln: command-injection
def compress_dir(directory, archive_name):
    os.system(f"tar czf {archive_name}.tar.gz {directory}")


# safe: command-injection
def compress_dir_safe(directory, archive_name):
    subprocess.run(["tar", "czf", archive_name + ".tar.gz", directory], check=True)


# vuln: command-injection
def git_log(repo_path, branch):
    output = subprocess.check_output("git -C %s log --oneline %s" % (repo_path, branch), shell=True)
    return output.decode()


# safe: command-injection
def git_log_safe(repo_path, branch):
    output = subprocess.check_output(["git", "-C", repo_path, "log", "--oneline", branch])
    return output.decode()


# vuln: command-injection
def convert_image(src, dst, width):
    cmd = "convert {} -resize {}x {}".format(src, width, dst)
    subprocess.call(cmd, shell=True)


# safe: command-injection
def convert_image_safe(src, dst, width: int):
    subprocess.call(["convert", src, "-resize", f"{int(width)}x", dst])


# vuln: command-injection
def count_lines(filename):
    return subprocess.getoutput("wc -l " + filename)


# safe: command-injection
def count_lines_safe(filename):
    with open(filename, "rb") as f:
        return sum(1 for _ in f)


# vuln: path-traversal
def read_upload(upload_dir, filename):
    with open(os.path.join(upload_dir, filename)) as f:
        return f.read()


# safe: path-traversal
def read_upload_safe(upload_dir, filename):
    base = os.path.realpath(upload_dir)
    target = os.path.realpath(os.path.join(base, filename))
    if not target.startswith(base + os.sep):
        raise PermissionError(filename)
    with open(target) as f:
        return f.read()


# vuln: path-traversal
def delete_report(name):
    os.remove("/var/app/reports/" + name)


# safe: path-traversal
def delete_report_safe(name):
    os.remove(os.path.join("/var/app/reports", os.path.basename(name)))


# vuln: path-traversal
def save_avatar(user_dir, filename, data):
    path = f"{user_dir}/{filename}"
    with open(path, "wb") as out:
        out.write(data)


# safe: path-traversal
def save_avatar_safe(user_dir, filename, data):
    from werkzeug.utils import secure_filename
    path = os.path.join(user_dir, secure_filename(filename))
    with open(path, "wb") as out:
        out.write(data)
