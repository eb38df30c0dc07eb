#!/usr/bin/env python3
""""Generate security tests for <function>" over the real server.

Usage: test_testgen.py VIGIL_BIN

A pytest project with two vulnerable functions in one module (a shell command built from a
parameter, pickle.loads on a parameter). The action on the first finding returns a WorkspaceEdit
that creates tests/test_jobs_security.py; applying it and running the command that
vigil.securityTestsWritten reports gives a failing security test. The action on the second finding
then extends the same file (an insertion at its end, the harness not repeated); once the file has a
test, the action for it is no longer offered. With the functions fixed, the same tests pass.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Client, run_scenario  # noqa: E402

VIGIL = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None

VULNERABLE = '''"""Background jobs."""
import pickle
import subprocess


def export_report(report_id):
    """Renders a report to PDF with the converter."""
    subprocess.run(f"report-render --id {report_id} --out /tmp/reports", shell=True, check=False)
    return f"/tmp/reports/{report_id}.pdf"


def restore_job(blob):
    """Restores a queued job from its serialized form."""
    return pickle.loads(blob)
'''

FIXED = '''"""Background jobs."""
import json
import subprocess


def export_report(report_id):
    """Renders a report to PDF with the converter."""
    subprocess.run(["report-render", "--id", report_id, "--out", "/tmp/reports"], check=False)
    return f"/tmp/reports/{report_id}.pdf"


def restore_job(blob):
    """Restores a queued job from its serialized form."""
    return json.loads(blob)
'''


def apply_edit(edit):
    """Applies a WorkspaceEdit (documentChanges with create, or changes) to the disk, as a client."""
    from urllib.parse import unquote, urlparse

    def path_of(uri):
        return unquote(urlparse(uri).path)

    def apply_text(path, edits):
        text = open(path).read() if os.path.exists(path) else ""
        lines = text.split("\n")
        for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
            def offset(pos):
                return sum(len(l) + 1 for l in lines[:pos["line"]]) + pos["character"]
            s, t = offset(e["range"]["start"]), offset(e["range"]["end"])
            text = text[:s] + e["newText"] + text[t:]
            lines = text.split("\n")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    created = []
    for change in edit.get("documentChanges", []):
        if change.get("kind") == "create":
            path = path_of(change["uri"])
            assert not os.path.exists(path), "create of an existing file"
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "w").close()
            created.append(path)
        elif "textDocument" in change:
            apply_text(path_of(change["textDocument"]["uri"]), change["edits"])
    for uri, edits in edit.get("changes", {}).items():
        apply_text(path_of(uri), edits)
    return created


def scenario(client):
    root = tempfile.mkdtemp(prefix="vigil-testgen-lsp-")
    os.makedirs(os.path.join(root, "app"))
    os.makedirs(os.path.join(root, "tests"))
    open(os.path.join(root, "pytest.ini"), "w").write("[pytest]\n")
    open(os.path.join(root, "app", "__init__.py"), "w").write("")
    source = os.path.join(root, "app", "jobs.py")
    open(source, "w").write(VULNERABLE)
    uri = "file://" + source

    rid = client.request("initialize", {
        "processId": None, "rootUri": "file://" + root,
        "initializationOptions": {"scope": "all"},
        "capabilities": {
            "textDocument": {"codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}}},
            "workspace": {"applyEdit": True, "workspaceEdit": {"documentChanges": True, "resourceOperations": ["create"]}},
        }})
    client.response(rid)
    client.notify("initialized", {})
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": VULNERABLE}})
    published = client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                and m["params"]["uri"] == uri and m["params"]["diagnostics"], timeout=20)
    diagnostics = published["params"]["diagnostics"]

    def actions_for(rule):
        diags = [d for d in diagnostics if d.get("code") == rule]
        assert diags, "no %s diagnostic: %s" % (rule, [d.get("code") for d in diagnostics])
        rid = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": diags[0]["range"], "context": {"diagnostics": diags}})
        result = client.response(rid, timeout=20)["result"] or []
        return [a for a in result if a.get("title", "").startswith("Generate security tests for")]

    def run(info):
        outputs = []
        for argv in info["argv"]:
            p = subprocess.run(argv, cwd=info["cwd"], capture_output=True, text=True, timeout=120)
            outputs.append(p.stdout + p.stderr)
            if p.returncode:
                return p.returncode, "\n".join(outputs)
        return 0, "\n".join(outputs)

    # 1. The command injection: a new test file.
    acts = actions_for("py-subprocess-shell-injection")
    assert len(acts) == 1 and acts[0]["title"] == "Generate security tests for export_report", acts
    action = acts[0]
    changes = action["edit"]["documentChanges"]
    assert changes[0]["kind"] == "create" and changes[0]["uri"].endswith("/tests/test_jobs_security.py"), changes[0]
    created = apply_edit(action["edit"])
    test_file = os.path.join(root, "tests", "test_jobs_security.py")
    assert created == [test_file], created
    rid = client.request("workspace/executeCommand", {"command": action["command"]["command"], "arguments": action["command"]["arguments"]})
    seen = []
    info = client.wait_for(lambda m: m.get("id") == rid and "method" not in m, skipped=seen)["result"]
    assert any(m.get("method") == "window/showMessage" and "pytest -q tests/test_jobs_security.py" in m["params"]["message"]
               for m in seen), "the run command was not shown"
    assert info["argv"] == [["pytest", "-q", "tests/test_jobs_security.py"]] and info["cwd"] == root, info
    code, out = run(info)
    assert code != 0 and "to a shell unquoted" in out, "expected a failing security test:\n" + out

    # 2. Once the file has the test, the action is not offered again for it.
    assert actions_for("py-subprocess-shell-injection") == [], "offered a test the file already has"

    # 3. The deserialization: the same file, extended at its end, the harness not repeated.
    acts = actions_for("py-insecure-deserialization")
    assert len(acts) == 1 and acts[0]["title"] == "Generate security tests for restore_job", acts
    edits = acts[0]["edit"]["documentChanges"]
    assert len(edits) == 1 and "kind" not in edits[0], "expected an insertion, not a create: %s" % edits
    inserted = edits[0]["edits"][0]
    lines = open(test_file).read().count("\n")
    assert inserted["range"]["start"]["line"] == lines and "vigil-testgen harness" not in inserted["newText"], inserted["range"]
    apply_edit(acts[0]["edit"])
    content = open(test_file).read()
    assert content.count("vigil-testgen harness") == 1 and "def test_restore_job_deserialization" in content
    code, out = run(info)
    assert code != 0 and "2 failed" in out, "expected both security tests to fail:\n" + out

    # 4. Fixed as a developer would: the same tests pass.
    open(source, "w").write(FIXED)
    code, out = run(info)
    assert code == 0, "the tests fail on the fixed module:\n" + out
    return "create, run (fails), no duplicate, extend, fixed (passes)"


if __name__ == "__main__":
    sys.exit(run_scenario("testgen/code-action", VIGIL, scenario))
