#!/usr/bin/env python3
"""500 rapid changes: diagnostics end with the last version only, and a publish never carries an
older version after a newer one."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import run_scenario  # noqa: E402

CHANGES = 500


def burst(client):
    rid = client.request("initialize", {"capabilities": {}})
    client.response(rid)
    client.notify("initialized")
    uri = "file:///tmp/burst.py"
    body = "".join("def f%d(x):\n    return x + %d\n" % (i, i) for i in range(200))
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": body}})
    # Append `eval(a)` one character at a time at the end, then finish with a newline: the final
    # version holds exactly one finding, intermediate ones none or one.
    line = body.count("\n")
    typed = ""
    version = 1
    text = "eval(a)\n"
    # Many edits: type and erase a comment repeatedly, then type the real line.
    for i in range(CHANGES - len(text)):
        version += 1
        if i % 2 == 0:
            change = {"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "#"}
        else:
            change = {"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 1}}, "text": ""}
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
    for ch in text:
        version += 1
        col = len(typed)
        change = {"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "text": ch}
        typed += ch
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
    last = version
    assert last == CHANGES + 1, last

    versions = []
    final = None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        msg = client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics", timeout=20)
        versions.append(msg["params"]["version"])
        if msg["params"]["version"] == last:
            final = msg
            break
    assert final is not None, "no diagnostics for the last version %d (saw %s)" % (last, versions[-5:])
    # Nothing older may follow: wait a little for stragglers.
    try:
        late = client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics", timeout=0.5)
        raise AssertionError("a publish arrived after the last version: %s" % late["params"].get("version"))
    except TimeoutError:
        pass
    assert versions == sorted(versions) and len(set(versions)) == len(versions), "versions went backwards: %s" % versions
    diags = final["params"]["diagnostics"]
    assert [d["code"] for d in diags] == ["py-eval-injection"], diags
    assert diags[0]["range"]["start"] == {"line": line, "character": 0}, diags[0]
    return "%d changes, %d publishes (versions %s ... %s)" % (CHANGES, len(versions), versions[:3], versions[-3:])


if __name__ == "__main__":
    sys.exit(run_scenario("burst", os.path.abspath(sys.argv[1]), burst))
