import sys

from flask import Flask, request
from lxml import etree
import xml.etree.ElementTree as ET

app = Flask(__name__)
USERS = etree.parse("users.xml")


@app.route("/login", methods=["POST"])
def login():
    name = request.form["name"]
    password = request.form["password"]
    query = "//user[@name='" + name + "' and @password='" + password + "']"
    # ruleid: py-xpath-injection
    return str(bool(USERS.xpath(query)))


@app.route("/login-safe", methods=["POST"])
def login_safe():
    # ok: py-xpath-injection
    hits = USERS.xpath("//user[@name=$n and @password=$p]", n=request.form["name"], p=request.form["password"])
    return str(bool(hits))


@app.route("/books")
def books():
    author = request.args.get("author", "")
    # ruleid: py-xpath-injection
    find = etree.XPath(f"//book[author='{author}']/title/text()")
    return ", ".join(find(USERS))


def find_user(root, user_id):
    # ruleid: py-xpath-injection
    return root.findall(".//user[@id='%s']" % user_id)


def find_user_safe(root, user_id):
    # ok: py-xpath-injection
    return [u for u in root.iter("user") if u.get("id") == user_id]


def find_user_bound(tree, user_id):
    # ok: py-xpath-injection
    return tree.xpath("//user[@id=$uid]", uid=user_id)


def section_title(doc, name):
    # ruleid: py-xpath-injection
    return doc.findtext("./section[@name='" + name + "']/title")


def position_of(text, word):
    # ok: py-xpath-injection
    return text.find(" " + word)


def fixed_query(tree):
    # ok: py-xpath-injection
    return tree.xpath("//user[@active='true']")


def cli():
    root = ET.parse("catalog.xml").getroot()
    # ruleid: py-xpath-injection
    print(root.find("./item[@sku='" + sys.argv[1] + "']"))
