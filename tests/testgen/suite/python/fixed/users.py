"""User lookups for the account service."""
import sqlite3


def find_user(conn: sqlite3.Connection, username):
    """Returns the user row for `username`, or None."""
    cur = conn.cursor()
    cur.execute("SELECT id, username, email FROM users WHERE username = ?", (username,))
    return cur.fetchone()
