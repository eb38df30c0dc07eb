import logging
import os
import tempfile

import yaml

log = logging.getLogger(__name__)


class AdminTasks:
    def __init__(self, store):
        self.store = store

    def load_config(self, path):
        with open(path) as fh:
            config = yaml.load(fh)
        with open(path) as fh:
            config2 = yaml.load(fh, Loader=yaml.SafeLoader)
        with open(path) as fh:
            config3 = yaml.safe_load(fh)
        return config, config2, config3

    def delete_user(self, user, target):
        assert user.is_admin, "only admins"
        assert isinstance(target, str)
        self.store.delete(target)

    def check_token(self, token):
        try:
            self.store.verify(token)
        except Exception:
            pass
        try:
            self.store.verify(token)
        except ValueError:
            log.warning("bad token")
            raise
        try:
            self.store.refresh()
        except:  # noqa: E722
            pass

    def scratch_file(self):
        name = tempfile.mktemp(suffix=".tmp")
        fd, safe_name = tempfile.mkstemp()
        os.close(fd)
        return name, safe_name

    def run_report(self, name):
        os.system("report --name " + name)  # nosec
        os.popen("df -h")
        return os.path.join("/var/reports", name)


def _copyfileobj(fsrc, fdst, length=16 * 1024):
    # adapted from shutil.copyfileobj
    fsrc_read = fsrc.read
    fdst_write = fdst.write
    while True:
        buf = fsrc_read(length)
        if not buf:
            break
        fdst_write(buf)


def which(cmd, mode=os.F_OK | os.X_OK, path=None):
    # adapted from shutil.which
    if os.path.dirname(cmd):
        if os.path.exists(cmd) and os.access(cmd, mode):
            return cmd
        return None
    if path is None:
        path = os.environ.get("PATH", None)
    if not path:
        return None
    for dir in path.split(os.pathsep):
        name = os.path.join(dir, cmd)
        if os.path.exists(name) and os.access(name, mode):
            return name
    return None
