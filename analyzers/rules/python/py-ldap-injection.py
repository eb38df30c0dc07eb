import sys

import ldap
from flask import Flask, request
from ldap3 import Connection
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    conn = ldap.initialize("ldap://ldap.example.com")
    user = request.form["username"]
    # ruleid: py-ldap-injection
    hits = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + user + ")")
    return bool(hits)


@app.route("/directory")
def directory():
    conn = Connection("ldap.example.com", auto_bind=True)
    # ruleid: py-ldap-injection
    conn.search("dc=example,dc=com", f"(cn={request.args['q']}*)", attributes=["mail"])
    return conn.entries


@app.route("/directory-safe")
def directory_safe():
    conn = Connection("ldap.example.com", auto_bind=True)
    q = escape_filter_chars(request.args["q"])
    # ok: py-ldap-injection
    conn.search("dc=example,dc=com", f"(cn={q}*)", attributes=["mail"])
    # ok: py-ldap-injection
    conn.search("dc=example,dc=com", "(objectClass=person)", attributes=["mail"])
    old = ldap.initialize("ldap://ldap.example.com")
    # ok: py-ldap-injection
    old.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, ldap.filter.filter_format("(uid=%s)", [request.args["u"]]))
    return conn.entries


def find_entry_point(text):
    import re
    # ok: py-ldap-injection
    return re.search(r"^\s*" + sys.argv[1], text)
