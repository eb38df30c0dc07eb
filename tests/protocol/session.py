"""A protocol session over lsp_client for scenario tests: initialize with a root, open and change
documents, wait for publishes and provenance."""
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Client  # noqa: E402

# The binary under test: the first argument of every scenario test.
BINARY = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
failures = []  # names of the scenarios that failed


def pos(line, character):
    return {"line": line, "character": character}


def rng(l1, c1, l2, c2):
    return {"start": pos(l1, c1), "end": pos(l2, c2)}


def uri_of(path):
    return "file://" + path


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class Session:
    def __init__(self, root, init_options=None, capabilities=None):
        self.client = Client([BINARY, "lsp"])
        self.root = root
        params = {"rootUri": uri_of(root), "capabilities": capabilities or {}}
        if init_options is not None:
            params["initializationOptions"] = init_options
        self.backlog = []  # what the server sent while initializing (config problems, requests)
        rid = self.client.request("initialize", params)
        self.init_result = self.client.wait_for(lambda m: m.get("id") == rid and "method" not in m, skipped=self.backlog)
        self.client.notify("initialized")
        self.versions = {}

    def open(self, rel, text, language="python"):
        uri = uri_of(os.path.join(self.root, rel))
        self.versions[uri] = 1
        self.client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}})
        return uri

    def change(self, uri, changes):
        self.versions[uri] += 1
        self.client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": self.versions[uri]}, "contentChanges": changes})

    def wait(self, predicate):
        for i, m in enumerate(self.backlog):
            if predicate(m):
                return self.backlog.pop(i)
        return self.client.wait_for(predicate, timeout=10)

    def provenance(self, uri):
        r = self.client.response(self.client.request("vigil/provenance", {"textDocument": {"uri": uri}}))
        assert "result" in r, r
        return [{k: v for k, v in x.items()} for x in r["result"]["ranges"]]

    def wait_provenance(self, uri, expected, timeout=10):
        deadline = time.monotonic() + timeout
        got = None
        while time.monotonic() < deadline:
            got = self.provenance(uri)
            if got == expected:
                return got
            time.sleep(0.1)
        raise AssertionError("provenance of %s: expected %s, got %s" % (uri, expected, got))

    def diagnostics(self, uri, version=None):
        """The next publish for `uri` (and `version`, when given)."""
        def match(m):
            return (m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri and
                    (version is None or m["params"].get("version") == version))
        return self.client.wait_for(match, timeout=10)["params"]["diagnostics"]

    def latest_diagnostics(self, uri):
        return self.diagnostics(uri, self.versions[uri])

    def close(self):
        code = self.client.shutdown_and_exit()
        assert code == 0, "exit code %d" % code

    def kill(self):
        self.client.kill()


def scenario(name):
    def wrap(fn):
        root = tempfile.mkdtemp(prefix="vigil-scenario-")
        try:
            fn(root)
            print("PASS", name)
        except (AssertionError, TimeoutError, EOFError, KeyError) as e:
            failures.append(name)
            print("FAIL %s: %s" % (name, e))
        finally:
            shutil.rmtree(root, ignore_errors=True)
        return fn
    return wrap
