"""Helpers that import what they use under another name (labelled: vuln/safe per function)."""
import hashlib as hl
import subprocess as sp
from os import popen as shell_out
from subprocess import check_output
from urllib.request import urlopen

from flask import request


# vuln: command-injection
def compress_folder(folder):
    return sp.run(f"tar czf /tmp/out.tgz {folder}", shell=True, check=True)


# safe: command-injection
def compress_folder_safe(folder):
    return sp.run(["tar", "czf", "/tmp/out.tgz", "--", folder], check=True)


# vuln: command-injection
def disk_usage(path):
    return shell_out("du -sh " + path).read()


# safe: command-injection
def disk_usage_safe(path):
    return check_output(["du", "-sh", "--", path], text=True)


# vuln: command-injection
def git_log(branch):
    return check_output("git log --oneline " + branch, shell=True, text=True)


# safe: command-injection
def git_log_fixed():
    return check_output("git log --oneline -n 5", shell=True, text=True)


# vuln: weak-hash
def password_digest(password):
    return hl.md5(password.encode()).hexdigest()


# safe: weak-hash
def password_digest_safe(password, salt):
    return hl.pbkdf2_hmac("sha256", password.encode(), salt, 600_000).hex()


# vuln: ssrf
def preview_link():
    target = request.args.get("url")
    with urlopen(target, timeout=5) as resp:
        return resp.read(2048)


# safe: ssrf
def preview_docs_page():
    page = request.args.get("page", "index")
    with urlopen("https://docs.example.com/pages/" + page, timeout=5) as resp:
        return resp.read(2048)
