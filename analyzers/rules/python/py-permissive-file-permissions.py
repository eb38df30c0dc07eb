import os
import stat
from pathlib import Path


def publish(upload_dir, report):
    os.makedirs(upload_dir, exist_ok=True)
    # ruleid: py-permissive-file-permissions
    os.chmod(upload_dir, 0o777)
    # ruleid: py-permissive-file-permissions
    os.chmod(report, 0o666)
    # ruleid: py-permissive-file-permissions
    Path(report).chmod(0o777)
    # ruleid: py-permissive-file-permissions
    os.chmod(report, stat.S_IRUSR | stat.S_IWUSR | stat.S_IWOTH)
    # ok: py-permissive-file-permissions
    fd = os.open(report, os.O_WRONLY | os.O_CREAT, 0o666)
    os.close(fd)


def publish_ok(upload_dir, key_file):
    # ok: py-permissive-file-permissions
    os.makedirs(upload_dir, 0o750, exist_ok=True)
    # ok: py-permissive-file-permissions
    os.chmod(key_file, 0o600)
    # ok: py-permissive-file-permissions
    Path(key_file).chmod(stat.S_IRUSR | stat.S_IWUSR)
    os.makedirs("/srv/shared/tmp", exist_ok=True)
    # ok: py-permissive-file-permissions
    os.chmod("/srv/shared/tmp", 0o1777)
    # ok: py-permissive-file-permissions
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
