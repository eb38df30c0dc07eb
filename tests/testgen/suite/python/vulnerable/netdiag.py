"""Network diagnostics for the admin console."""
import os


def ping_host(host, count=3):
    """Pings `host` and returns the exit status."""
    return os.system("ping -c %d %s" % (count, host))
