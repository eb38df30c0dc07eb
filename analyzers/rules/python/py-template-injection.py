import jinja2
from flask import Flask, render_template, render_template_string, request

app = Flask(__name__)
env = jinja2.Environment(autoescape=True)


@app.route("/hello")
def hello():
    name = request.args.get("name", "world")
    # ruleid: py-template-injection
    return render_template_string("<h1>Hello " + name + "</h1>")


@app.route("/card", methods=["POST"])
def card():
    body = request.form["message"]
    # ruleid: py-template-injection
    html = env.from_string(f"<div class='card'>{body}</div>").render()
    # ruleid: py-template-injection
    text = jinja2.Template(request.json["subject"]).render(user=current_user())
    return html + text


@app.route("/hello-safe")
def hello_safe():
    name = request.args.get("name", "world")
    # ok: py-template-injection
    page = render_template_string("<h1>Hello {{ name }}</h1>", name=name)
    # ok: py-template-injection
    other = render_template("hello.html", name=name)
    # ok: py-template-injection
    card = env.from_string("<div>{{ body }}</div>").render(body=name)
    return page + other + card
