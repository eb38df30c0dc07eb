"""Flask views and network helpers (labelled: vuln/safe per function)."""
import hashlib
import pickle
import random
import secrets
import ftplib
import telnetlib
import xml.etree.ElementTree as ET

import requests
import yaml
from flask import Flask, make_response, redirect, request, session
from lxml import etree
from markupsafe import Markup, escape

app = Flask(__name__)


# vuln: xss
@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return "<h1>Hello " + name + "</h1>"


# safe: xss
@app.route("/hello2")
def hello_safe():
    name = request.args.get("name", "")
    return "<h1>Hello " + str(escape(name)) + "</h1>"


# vuln: xss
@app.route("/search")
def search_page():
    q = request.args.get("q")
    resp = make_response(f"<p>Results for {q}</p>")
    return resp


# safe: xss
@app.route("/search2")
def search_page_safe():
    q = request.args.get("q")
    resp = make_response(f"<p>Results for {escape(q)}</p>")
    return resp


# vuln: xss
def render_comment(comment):
    return Markup("<div class='comment'>" + comment + "</div>")


# safe: xss
def render_comment_safe(comment):
    return Markup("<div class='comment'>{}</div>").format(comment)


# vuln: open-redirect
@app.route("/login/done")
def after_login():
    return redirect(request.args.get("next"))


# safe: open-redirect
@app.route("/login/done2")
def after_login_safe():
    target = request.args.get("next", "/")
    if target not in ("/", "/dashboard", "/profile"):
        target = "/"
    return redirect(target)


# vuln: trust-boundary
@app.route("/prefs", methods=["POST"])
def save_prefs():
    session["theme"] = request.form["theme"]
    return "ok"


# safe: trust-boundary
@app.route("/prefs2", methods=["POST"])
def save_prefs_safe():
    theme = request.form["theme"]
    session["theme"] = theme if theme in ("dark", "light") else "light"
    return "ok"


# vuln: insecure-cookie
@app.route("/remember")
def remember_me():
    resp = make_response("ok")
    resp.set_cookie("session_token", secrets.token_hex(16), secure=False, httponly=False)
    return resp


# safe: insecure-cookie
@app.route("/remember2")
def remember_me_safe():
    resp = make_response("ok")
    resp.set_cookie("session_token", secrets.token_hex(16), secure=True, httponly=True, samesite="Lax")
    return resp


# vuln: ssrf
def fetch_preview(url):
    r = requests.get(url, timeout=5)
    return r.text[:200]


# safe: ssrf
def fetch_preview_safe(url):
    from urllib.parse import urlparse
    host = urlparse(url).hostname
    if host not in ("api.example.com", "cdn.example.com"):
        raise ValueError("host not allowed")
    r = requests.get("https://api.example.com/preview", params={"u": url}, timeout=5)
    return r.text[:200]


# vuln: ssrf
@app.route("/proxy")
def proxy():
    target = request.args["target"]
    return requests.get("http://" + target + "/status").text


# safe: ssrf
@app.route("/proxy2")
def proxy_safe():
    return requests.get("https://status.example.com/status", timeout=3).text


# vuln: weak-hash
def hash_password(password):
    return hashlib.md5(password.encode()).hexdigest()


# safe: weak-hash
def hash_password_safe(password, salt):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 200_000).hex()


# vuln: weak-hash
def fingerprint_token(token):
    h = hashlib.new("sha1")
    h.update(token.encode())
    return h.hexdigest()


# safe: weak-hash
def fingerprint_token_safe(token):
    return hashlib.sha256(token.encode()).hexdigest()


# vuln: weak-random
def make_reset_token():
    return "".join(random.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))


# safe: weak-random
def make_reset_token_safe():
    return secrets.token_urlsafe(32)


# vuln: weak-random
@app.route("/session/new")
def new_session():
    resp = make_response("ok")
    resp.set_cookie("sid", str(random.random()), secure=True, httponly=True)
    return resp


# safe: weak-random
def shuffle_playlist(songs):
    random.shuffle(songs)
    return songs


# vuln: deserialization
def load_state(blob):
    return pickle.loads(blob)


# safe: deserialization
def load_state_safe(blob):
    import json
    return json.loads(blob)


# vuln: deserialization
def load_config(path):
    with open(path) as f:
        return yaml.load(f, Loader=yaml.Loader)


# safe: deserialization
def load_config_safe(path):
    with open(path) as f:
        return yaml.safe_load(f)


# vuln: xxe
def parse_invoice(xml_bytes):
    parser = etree.XMLParser()
    return etree.fromstring(xml_bytes, parser)


# safe: xxe
def parse_invoice_safe(xml_bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(xml_bytes, parser)


# vuln: xpath-injection
def find_user_node(doc, username):
    return doc.xpath("//user[@name='" + username + "']")


# safe: xpath-injection
def find_user_node_safe(doc, username):
    return doc.xpath("//user[@name=$name]", name=username)


# vuln: xpath-injection
def find_book(tree, title):
    root = tree.getroot()
    return root.findall(f".//book[title='{title}']")


# safe: xpath-injection
def find_book_safe(tree, title):
    return [b for b in tree.getroot().findall(".//book") if b.findtext("title") == title]


# vuln: cleartext
def upload_backup(host, user, password, path):
    ftp = ftplib.FTP(host)
    ftp.login(user, password)
    with open(path, "rb") as f:
        ftp.storbinary("STOR backup.tar", f)


# safe: cleartext
def upload_backup_safe(host, user, password, path):
    ftp = ftplib.FTP_TLS(host)
    ftp.login(user, password)
    ftp.prot_p()
    with open(path, "rb") as f:
        ftp.storbinary("STOR backup.tar", f)


# vuln: cleartext
def router_reboot(host, password):
    tn = telnetlib.Telnet(host)
    tn.write(password.encode() + b"\n")
    tn.write(b"reboot\n")


# vuln: cleartext
def login_api(username, password):
    return requests.post("http://auth.example.com/login", data={"user": username, "pass": password})


# safe: cleartext
def login_api_safe(username, password):
    return requests.post("https://auth.example.com/login", data={"user": username, "pass": password})


# vuln: code-injection
def calculate(expression):
    return eval(expression)


# safe: code-injection
def calculate_safe(expression):
    import ast
    return ast.literal_eval(expression)


# vuln: tls
def fetch_internal(url):
    return requests.get(url, verify=False, timeout=5).json()


# safe: tls
def fetch_internal_safe():
    return requests.get("https://internal.example.com/health", timeout=5).json()


# vuln: ldap-injection
def find_ldap_user(conn, username):
    conn.search("dc=example,dc=com", "(uid=" + username + ")")
    return conn.entries


# safe: ldap-injection
def find_ldap_user_safe(conn, username):
    from ldap3.utils.conv import escape_filter_chars
    conn.search("dc=example,dc=com", "(uid=" + escape_filter_chars(username) + ")")
    return conn.entries


# safe: sql-injection
def dead_branch(conn, name):
    query = "SELECT 1"
    if 3 * 7 > 100:
        query = "SELECT * FROM t WHERE n = '" + name + "'"
    return conn.execute(query)


# safe: sql-injection
def constant_list(conn, name):
    values = [name, "guest"]
    who = values[1]
    return conn.execute("SELECT * FROM t WHERE n = '" + who + "'")


# safe: command-injection
def literal_guard(action):
    if action not in ("start", "stop", "restart"):
        return None
    return os.system("systemctl " + action + " nginx")


# safe: weak-hash
def cache_key(url):
    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
