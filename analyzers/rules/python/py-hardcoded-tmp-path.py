import logging
import os
import sqlite3
import tempfile


def export_report(rows, user_id):
    # ruleid: py-hardcoded-tmp-path
    with open("/tmp/report.csv", "w") as fh:
        fh.writelines(rows)
    # ruleid: py-hardcoded-tmp-path
    cache = sqlite3.connect("/tmp/cache.db")
    # ruleid: py-hardcoded-tmp-path
    handler = logging.FileHandler(f"/tmp/app-{user_id}.log")
    return cache, handler


def export_report_ok(rows, out_dir):
    # ok: py-hardcoded-tmp-path
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
        fh.writelines(rows)
    # ok: py-hardcoded-tmp-path
    with open(os.path.join(out_dir, "report.csv"), "w") as out:
        out.writelines(rows)
    # ok: py-hardcoded-tmp-path
    log = logging.getLogger("/tmp/app.log")
    # ok: py-hardcoded-tmp-path
    with open("/etc/hostname") as fh:
        return fh.read(), log
