"""Network diagnostics for the admin console."""
import os
import shlex


def ping_host(host, count=3):
    """Pings `host` and returns the exit status."""
    return os.system("ping -c %d %s" % (count, shlex.quote(host)))
