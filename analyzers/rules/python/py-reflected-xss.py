from flask import Flask, make_response, request
from markupsafe import Markup, escape

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: py-reflected-xss
    return "<h1>Hello " + name + "</h1>"


@app.route("/search")
def search_page():
    q = request.args.get("q")
    # ruleid: py-reflected-xss
    return make_response(f"<p>Results for {q}</p>")


def render_comment(comment):
    # ruleid: py-reflected-xss
    return Markup("<div class='comment'>" + comment + "</div>")


@app.route("/user/<name>")
def profile(name):
    # ruleid: py-reflected-xss
    return f"<h2>{name}</h2>"


@app.route("/hello2")
def hello_escaped():
    name = request.args.get("name", "")
    # ok: py-reflected-xss
    return "<h1>Hello " + str(escape(name)) + "</h1>"


def render_comment_safe(comment):
    # ok: py-reflected-xss
    return Markup("<div class='comment'>{}</div>").format(comment)


@app.route("/api/echo")
def echo_json():
    q = request.args.get("q")
    # ok: py-reflected-xss
    return {"query": q}
