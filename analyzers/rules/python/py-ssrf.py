import requests
import urllib.request
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
