import os
import shutil
from pathlib import Path

from flask import Flask, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOAD_DIR = "/srv/uploads"


@app.route("/download")
def download():
    name = request.args.get("file", "")
    # ruleid: py-path-traversal
    return send_file(os.path.join(UPLOAD_DIR, name))


@app.route("/reports/<report_name>")
def report(report_name):
    # ruleid: py-path-traversal
    with open(f"/srv/reports/{report_name}.csv") as fh:
        return fh.read()


@app.route("/avatar", methods=["DELETE"])
def delete_avatar():
    target = UPLOAD_DIR + "/" + request.form["avatar"]
    # ruleid: py-path-traversal
    os.remove(target)
    # ruleid: py-path-traversal
    Path(UPLOAD_DIR, request.form["avatar"] + ".thumb").unlink()
    return "", 204


@app.route("/download-safe")
def download_safe():
    name = secure_filename(request.args.get("file", ""))
    # ok: py-path-traversal
    resp = send_file(os.path.join(UPLOAD_DIR, name))
    # ok: py-path-traversal
    other = send_from_directory(UPLOAD_DIR, request.args["file"])
    # ok: py-path-traversal
    with open(os.path.join(UPLOAD_DIR, os.path.basename(request.args["log"]))) as fh:
        fh.read()
    # ok: py-path-traversal
    shutil.copy("/srv/templates/default.png", UPLOAD_DIR)
    return resp, other


def cli_cat(path):
    # ok: py-path-traversal
    with open(path) as fh:
        return fh.read()


@app.route("/export/<path:name>")
def export(name):
    target = (Path(UPLOAD_DIR) / name).resolve()
    if not target.is_relative_to(UPLOAD_DIR):
        return "", 400
    # ok: py-path-traversal
    return send_file(target)
