"""Serves generated PDF reports from the reports directory."""
import os

REPORT_DIR = "/srv/app/reports"


def read_report(name):
    """Returns the bytes of report `name`."""
    path = os.path.join(REPORT_DIR, name)
    with open(path, "rb") as f:
        return f.read()
