from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from flask import Flask, redirect, request, url_for

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    next_url = request.args.get("next", "/")
    login_user(request.form)
    # ruleid: py-open-redirect
    return redirect(next_url)


def logout_view(request):
    # ruleid: py-open-redirect
    return HttpResponseRedirect(request.GET.get("return_to", "/"))


@app.route("/go/<path:target>")
def go(target):
    # ruleid: py-open-redirect
    return redirect("https://" + target)


@app.route("/items/<int:item_id>/edit", methods=["POST"])
def edit_item(item_id):
    save(item_id, request.form)
    # ok: py-open-redirect
    return redirect(url_for("show_item", item_id=item_id))


@app.route("/search")
def search():
    # ok: py-open-redirect
    return redirect(f"/results?q={request.args['q']}")


@app.route("/home")
def home():
    # ok: py-open-redirect
    return redirect("/dashboard")


@app.route("/bounce")
def bounce():
    # ruleid: py-open-redirect
    return redirect(f"/{request.args['to']}")


def login_view(request):
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    # ok: py-open-redirect
    return HttpResponseRedirect(next_url)


@app.route("/oauth2/authorize")
def oauth_authorize():
    flow = make_flow(return_url=request.args.get("return_url", "/"))
    # ok: py-open-redirect
    return redirect(flow.step1_get_authorize_url())
