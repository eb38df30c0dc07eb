import asyncio
import os
import os as operating_system
from os import popen as run_popen
import shlex
import subprocess

CLEAN_CMD = "find /tmp/uploads -mtime +1 -delete"


async def handle(request, host, path):
    # ruleid: py-os-command-injection
    os.system("ping -c 3 " + host)
    # ruleid: py-os-command-injection
    listing = os.popen(f"ls -l {path}").read()
    # ruleid: py-os-command-injection
    status, out = subprocess.getstatusoutput("du -sh %s" % request.form["dir"])
    # ruleid: py-os-command-injection
    proc = await asyncio.create_subprocess_shell(f"gzip {path}")
    # ruleid: py-os-command-injection
    os.system(request.args.get("cmd"))
    # ok: py-os-command-injection
    os.system("clear")
    # ok: py-os-command-injection
    os.system(f"ping -c 3 {shlex.quote(host)}")
    # ok: py-os-command-injection
    os.system(CLEAN_CMD)
    # ok: py-os-command-injection
    subprocess.run(["ping", "-c", "3", host], check=True)
    # ok: py-os-command-injection
    size = os.path.getsize(path)
    # ok: py-os-command-injection
    proc2 = await asyncio.create_subprocess_exec("gzip", path)
    # ok: py-os-command-injection
    os.system("kill -HUP %d" % os.getpid())
    # ok: py-os-command-injection
    os.system(f"renice -n 10 -p {int(request.args['pid'])}")
    return listing, status, out, proc, size, proc2


def archive(folder):
    # ruleid: py-os-command-injection
    operating_system.system("tar czf backup.tgz " + folder)
    # ruleid: py-os-command-injection
    return run_popen(f"du -sh {folder}").read()


def system(command):
    return command


def local_helper(folder):
    # ok: py-os-command-injection
    return system("tar czf backup.tgz " + folder)
