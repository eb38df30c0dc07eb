"""Serves generated PDF reports from the reports directory."""
import os

REPORT_DIR = "/srv/app/reports"


def read_report(name):
    """Returns the bytes of report `name`."""
    path = os.path.realpath(os.path.join(REPORT_DIR, name))
    if os.path.commonpath([path, REPORT_DIR]) != REPORT_DIR:
        raise ValueError("report name escapes the report directory")
    with open(path, "rb") as f:
        return f.read()
