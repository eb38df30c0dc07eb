import shlex
import subprocess
import subprocess as sp
from subprocess import Popen
import subprocess as proc
from subprocess import check_output as sh_out

BACKUP_CMD = "tar czf /var/backups/site.tgz /srv/site"


def convert(request, filename, fmt):
    # ruleid: py-subprocess-shell-injection
    subprocess.run(f"convert {filename} out.{fmt}", shell=True, check=True)
    # ruleid: py-subprocess-shell-injection
    out = subprocess.check_output("ping -c 1 " + request.args["host"], shell=True)
    cmd = "git log --author=%s" % request.args["author"]
    # ruleid: py-subprocess-shell-injection
    proc = Popen(cmd, shell=True, stdout=subprocess.PIPE)
    # ruleid: py-subprocess-shell-injection
    sp.call("rm -rf /tmp/{}".format(filename), shell=True)
    # ruleid: py-subprocess-shell-injection
    subprocess.run(f"cp {shlex.quote(filename)} {request.args['dest']}", shell=True)
    # ok: py-subprocess-shell-injection
    subprocess.run(["convert", filename, f"out.{fmt}"], check=True)
    # ok: py-subprocess-shell-injection
    subprocess.run("ls -la /srv/uploads", shell=True)
    # ok: py-subprocess-shell-injection
    subprocess.run(f"convert {shlex.quote(filename)} out.png", shell=True)
    # ok: py-subprocess-shell-injection
    subprocess.run(shlex.join(["tar", "czf", filename, "/srv/site"]), shell=True)
    # ok: py-subprocess-shell-injection
    subprocess.call(BACKUP_CMD, shell=True)
    # ok: py-subprocess-shell-injection
    subprocess.run(cmd, shell=False)
    # ok: py-subprocess-shell-injection
    runner.run(cmd, shell=True)
    return out, proc


# Allowlists kept in a variable: a name bound once to literals and never changed is a guard.
ALLOWED_SCRIPTS = {"backup", "cleanup"}
REPORTS = {"daily": "daily.sh", "weekly": "weekly.sh"}


def run_script(request):
    name = request.args["script"]
    if name not in ALLOWED_SCRIPTS:
        raise ValueError("unknown script")
    # ok: py-subprocess-shell-injection
    subprocess.run("./scripts/" + name + ".sh", shell=True)


def run_report(request):
    kind = request.args["kind"]
    if kind in REPORTS:
        # ok: py-subprocess-shell-injection
        subprocess.run(f"./reports/{kind} --mail", shell=True)
    allowed = ["gzip", "bzip2"]
    tool = request.args["tool"]
    if tool not in allowed:
        return None
    # ok: py-subprocess-shell-injection
    return subprocess.run(tool + " -k data.tar", shell=True)


def run_unguarded(request):
    name = request.args["script"]
    if name in ALLOWED_SCRIPTS:
        print("known script")
    # ruleid: py-subprocess-shell-injection
    subprocess.run("./scripts/" + name + ".sh", shell=True)


def convert(image_name):
    # ruleid: py-subprocess-shell-injection
    proc.run("convert " + image_name + " out.png", shell=True)
    # ruleid: py-subprocess-shell-injection
    return sh_out(f"identify {image_name}", shell=True)


def convert_safely(image_name):
    # ok: py-subprocess-shell-injection
    return proc.run(["convert", image_name, "out.png"], check=True)
