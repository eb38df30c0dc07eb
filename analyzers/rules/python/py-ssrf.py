import requests
import urllib.request
import requests as rq
from urllib.request import urlopen
from flask import Flask, request

app = Flask(__name__)
WEBHOOKS = {"slack": "https://hooks.slack.com/services/T000/B000/XXX"}


@app.route("/preview")
def preview():
    url = request.args["url"]
    # ruleid: py-ssrf
    resp = requests.get(url, timeout=5)
    return resp.text


@app.route("/proxy", methods=["POST"])
def proxy():
    target = request.json.get("target")
    # ruleid: py-ssrf
    with urllib.request.urlopen(f"http://{target}/status") as fh:
        body = fh.read()
    # ruleid: py-ssrf
    requests.request("POST", request.form["callback"], json={"ok": True})
    return body


@app.route("/users/<user_id>")
def user(user_id):
    # ok: py-ssrf
    profile = requests.get(f"https://api.example.com/users/{user_id}", timeout=5)
    # ok: py-ssrf
    hook = requests.post(WEBHOOKS["slack"], json={"text": request.args["msg"]})
    # ok: py-ssrf
    search = requests.get("https://api.example.com/search", params={"q": request.args["q"]})
    return profile.json(), hook.status_code, search.json()


# The request object imported under its module's name or an alias is request data too
# (py-web-request-input resolves `import flask` and `from flask import request as ...`).
import flask
from flask import request as flask_request


@app.route("/fetch-qualified")
def fetch_qualified():
    # ruleid: py-ssrf
    return requests.get(flask.request.args["url"], timeout=5).text


@app.route("/fetch-aliased")
def fetch_aliased():
    # ruleid: py-ssrf
    return requests.get(flask_request.values.get("url"), timeout=5).text


def fetch_job():
    rq = jobs.next()  # a job queue's entry, not Flask's request
    # ok: py-ssrf
    return requests.get(rq.args["url"], timeout=5).text


def fetch_preview():
    link = request.args["link"]
    # ruleid: py-ssrf
    page = rq.get(link, timeout=5)
    # ruleid: py-ssrf
    raw = urlopen(link).read()
    return page.text, raw


def fetch_status():
    # ok: py-ssrf
    return urlopen("https://status.example.com/health").read()


def fetch_manual():
    version = request.args["v"]
    # ok: py-ssrf
    page = urlopen("http://www.lua.org/manual/%s/" % version).read()
    # ok: py-ssrf
    user = requests.get("https://api.example.com/users/" + request.args["id"], timeout=5)
    # ruleid: py-ssrf
    status = requests.get("http://%s/status" % request.args["host"], timeout=5)
    return page, user.json(), status.text
