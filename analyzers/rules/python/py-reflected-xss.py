from flask import Flask, make_response, request
from markupsafe import Markup, escape

app = Flask(__name__)


@app.get("/greeting")
def greeting():
    visitor = request.args["visitor"]
    banner = "<div class='banner'>Welcome back, %s!</div>" % visitor
    # ruleid: py-reflected-xss
    return banner


@app.post("/preview")
def preview_markdown():
    title = request.form.get("title", "untitled")
    # ruleid: py-reflected-xss
    return make_response("<html><title>{}</title></html>".format(title), 200)


def render_comment(comment):
    # ruleid: py-reflected-xss
    return Markup("<div class='comment'>" + comment + "</div>")


@app.route("/user/<name>")
def profile(name):
    # ruleid: py-reflected-xss
    return f"<h2>{name}</h2>"


@app.get("/greeting2")
def greeting_escaped():
    visitor = escape(request.args["visitor"])
    # ok: py-reflected-xss
    return f"<div class='banner'>Welcome back, {visitor}!</div>"


def render_comment_safe(comment):
    # ok: py-reflected-xss
    return Markup("<div class='comment'>{}</div>").format(comment)


@app.route("/api/echo")
def echo_json():
    q = request.args.get("q")
    # ok: py-reflected-xss
    return {"query": q}


THEMES = {"light", "dark"}


@app.route("/theme/<theme>")
def theme_banner(theme):
    if theme not in THEMES:
        return "unknown theme", 404
    # ok: py-reflected-xss
    return f"<body class='{theme}'>"


@app.route("/theme2/<theme>")
def theme_banner_unchecked(theme):
    if theme in THEMES:
        print("known theme")
    # ruleid: py-reflected-xss
    return f"<body class='{theme}'>"
