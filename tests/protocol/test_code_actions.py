#!/usr/bin/env python3
"""Code actions, fix-all, suppress with a reason, hover and commands over the real server.

Usage: test_code_actions.py VIGIL_BIN REPO_ROOT

1. Every built-in rule with a `fix` (from `vigil rules list --format json`), on its own fixture: each
   fixable finding gets a quick-fix; applying the returned edit (in UTF-16, as the client) removes
   exactly that finding and the file still parses without errors (`vigil parse`, and Python's own
   parser for .py). Then `source.fixAll.vigil` (resolved lazily, and inline for a client without
   resolve) removes every safe-fixable finding at once. Rules added later are covered as they come.
2. "Suppress <rule> here…" in Python, JavaScript, Go, Java and C: the comment syntax, the flagged
   line's indentation, a snippet placeholder only for clients that take snippets in edits.
3. UTF-16 and UTF-8 positions on lines with non-ASCII text before the finding.
4. A diagnostic from an older version is brought up to date (by fingerprint) instead of applying a
   stale edit; hover explains the rule; commands for clients without CodeAction literals go through
   workspace/executeCommand and workspace/applyEdit.
"""
import ast
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Client  # noqa: E402

VIGIL = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
failures = []
passes = []

class LanguageIds(dict):
    # An extension not listed here goes as "plaintext": the server then picks the grammar by path.
    def __missing__(self, ext):
        return "plaintext"


LANGUAGE_IDS = LanguageIds({".py": "python", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript",
                            ".jsx": "javascriptreact", ".ts": "typescript", ".tsx": "typescriptreact", ".go": "go",
                            ".java": "java", ".c": "c", ".cpp": "cpp", ".cc": "cpp", ".h": "cpp", ".hpp": "cpp"})


def check(cond, what):
    if cond:
        passes.append(what)
    else:
        failures.append(what)
        print("FAIL", what)
    return cond


# --- positions and edits, as a client applies them -------------------------------------------

def units(ch, encoding):
    if encoding == "utf-8":
        return len(ch.encode("utf-8"))
    if encoding == "utf-16":
        return 2 if ord(ch) > 0xFFFF else 1
    return 1


def offset_of(text, pos, encoding):
    lines = text.split("\n")
    start = sum(len(l) + 1 for l in lines[:pos["line"]])
    line = lines[pos["line"]] if pos["line"] < len(lines) else ""
    count, i = 0, 0
    while i < len(line) and count < pos["character"]:
        count += units(line[i], encoding)
        i += 1
    assert count == pos["character"], "position %r is inside a character" % pos
    return start + i


PROVENANCE_TITLES = ("Mark region as reviewed", "Treat region as AI-written")


def apply_edits(text, edits, encoding="utf-16"):
    spans = sorted(((offset_of(text, e["range"]["start"], encoding), offset_of(text, e["range"]["end"], encoding),
                     e["newText"] if "newText" in e else e["snippet"]["value"]) for e in edits), reverse=True)
    for i in range(1, len(spans)):
        assert spans[i][1] <= spans[i - 1][0], "edits overlap: %r" % spans
    for s, e, new in spans:
        text = text[:s] + new + text[e:]
    return text


def edits_for(workspace_edit, uri, version=None):
    if "documentChanges" in workspace_edit:
        out = []
        for change in workspace_edit["documentChanges"]:
            assert change["textDocument"]["uri"] == uri
            if version is not None:
                assert change["textDocument"]["version"] == version, "edit for version %r, document is at %r" % (
                    change["textDocument"]["version"], version)
            out += change["edits"]
        return out
    return workspace_edit["changes"][uri]


def parses(path, text):
    """(ok, detail): the text parses without errors for Vigil's parser (and Python's, for .py)."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    p = subprocess.run([VIGIL, "parse", path], capture_output=True, text=True)
    if p.returncode != 0:
        return False, p.stdout + p.stderr
    if path.endswith(".py"):
        try:
            ast.parse(text)
        except SyntaxError as e:
            return False, "python: %s" % e
    return True, ""


# --- a session ---------------------------------------------------------------------------------

def capabilities(resolve=True, document_changes=True, literals=True, snippets=False, encodings=None):
    caps = {"textDocument": {"codeAction": {"dataSupport": True},
                             "hover": {"contentFormat": ["markdown", "plaintext"]}},
            "workspace": {"applyEdit": True, "workspaceEdit": {"documentChanges": document_changes}}}
    if literals:
        caps["textDocument"]["codeAction"]["codeActionLiteralSupport"] = {
            "codeActionKind": {"valueSet": ["quickfix", "source", "source.fixAll"]}}
    if resolve:
        caps["textDocument"]["codeAction"]["resolveSupport"] = {"properties": ["edit"]}
    if snippets:
        caps["workspace"]["workspaceEdit"]["snippetEditSupport"] = True
    if encodings:
        caps["general"] = {"positionEncodings": encodings}
    return caps


class Session:
    def __init__(self, caps, rules_dir=None, builtin=True):
        argv = [VIGIL, "lsp"]
        if rules_dir:
            argv += ["--rules", rules_dir]
        if not builtin:
            argv.append("--no-builtin")
        self.client = Client(argv)
        init = self.client.response(self.client.request("initialize", {"capabilities": caps, "rootUri": None}))
        self.caps = init["result"]["capabilities"]
        self.encoding = self.caps["positionEncoding"]
        self.client.notify("initialized", {})
        self.versions = {}
        self.texts = {}

    def open(self, uri, text, language_id):
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language_id,
                                                                     "version": 1, "text": text}})
        return self.diagnostics(uri)

    def change(self, uri, text, wait=True):
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": self.versions[uri]},
                                                      "contentChanges": [{"text": text}]})
        return self.diagnostics(uri) if wait else None

    def diagnostics(self, uri):
        version = self.versions[uri]
        msg = self.client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and
                                   m["params"]["uri"] == uri and m["params"].get("version") == version)
        return msg["params"]["diagnostics"]

    def request(self, method, params):
        response = self.client.response(self.client.request(method, params))
        assert "error" not in response, "%s failed: %r" % (method, response["error"])
        return response["result"]

    def code_actions(self, uri, diagnostics, only=None, rng=None):
        context = {"diagnostics": diagnostics}
        if only:
            context["only"] = only
        rng = rng or (diagnostics[0]["range"] if diagnostics else {"start": {"line": 0, "character": 0},
                                                                    "end": {"line": 0, "character": 0}})
        actions = self.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": rng, "context": context})
        # Region-level provenance actions (tests/protocol/test_provenance.py) are offered beside
        # these; this test is about the actions on Vigil's diagnostics.
        return [a for a in actions if a.get("title") not in PROVENANCE_TITLES]

    def edit_of(self, action):
        if "edit" not in action:
            check(self.caps["codeActionProvider"].get("resolveProvider") is True, "resolveProvider declared")
            action = self.request("codeAction/resolve", action)
        return action["edit"]

    def close(self):
        code = self.client.shutdown_and_exit()
        self.client.kill()
        return code


# --- 1. every built-in rule with a fix ----------------------------------------------------------

def fixture_of(rule):
    source = rule["source"]
    assert source.startswith("builtin:"), source
    rel = os.path.splitext(source[len("builtin:"):])[0]
    directory = os.path.join(ROOT, "analyzers", "rules", os.path.dirname(rel))
    for name in sorted(os.listdir(directory)):
        stem, ext = os.path.splitext(name)
        if stem == rule["id"] and ext != ".yaml":
            return os.path.join(directory, name)
    return None


def test_builtin_fixes(work):
    # Exit 2 means some rule failed to load (reported by its own test); the others are listed.
    listed = subprocess.run([VIGIL, "rules", "list", "--format", "json"], capture_output=True, text=True)
    check(listed.returncode in (0, 2), "vigil rules list runs (exit %d)" % listed.returncode)
    listing = json.loads(listed.stdout)
    fixable = [r for r in listing if r.get("fix")]
    check(len(fixable) >= 1, "at least one built-in rule has a fix (found %d)" % len(fixable))
    for rule in fixable:
        fixture = fixture_of(rule)
        if not check(fixture is not None, "%s: fixture found" % rule["id"]):
            continue
        ext = os.path.splitext(fixture)[1]
        with open(fixture, encoding="utf-8") as f:
            original = f.read()
        scratch = os.path.join(work, "fixed-" + rule["id"] + ext)

        # One quick-fix at a time, through a client that does not resolve and takes plain `changes`.
        s = Session(capabilities(resolve=False, document_changes=False))
        uri = "file://" + os.path.join(work, rule["id"] + ext)
        diags = s.open(uri, original, LANGUAGE_IDS[ext])
        ours = [d for d in diags if d["code"] == rule["id"]]
        check(len(ours) >= 2, "%s: the fixture has findings (%d)" % (rule["id"], len(ours)))
        # Without resolve support, fix-all carries its edit inline.
        inline = [a for a in s.code_actions(uri, [], only=["source.fixAll.vigil"]) if a["kind"] == "source.fixAll.vigil"]
        if any(d["data"].get("fix", {}).get("safe") for d in diags):
            check(len(inline) == 1 and len(edits_for(inline[0]["edit"], uri)) >= 2,
                  "%s: fix-all with its edit inline for a client without resolve" % rule["id"])
        # Every quick-fix edit of the first version at once: none overlaps another, so applying one
        # leaves the others valid (compared with the one-at-a-time result below).
        first_edits = [{"range": d["data"]["fix"]["range"], "newText": d["data"]["fix"]["newText"]}
                       for d in ours if "fix" in d["data"]]
        try:
            all_at_once = apply_edits(original, first_edits, s.encoding)
        except AssertionError as e:
            all_at_once = None
            check(False, "%s: %s" % (rule["id"], e))
        fixed = 0
        while True:
            fixable_now = [d for d in ours if "fix" in d["data"]]
            if not fixable_now:
                break
            target = fixable_now[0]
            actions = s.code_actions(uri, [target], only=["quickfix"])
            quick = [a for a in actions if a.get("kind") == "quickfix" and not a["title"].startswith("Suppress")]
            if not check(len(quick) == 1, "%s: one quick-fix for the finding on line %d (got %r)" % (
                    rule["id"], target["range"]["start"]["line"] + 1, [a["title"] for a in actions])):
                break
            check(quick[0].get("isPreferred", False) == target["data"]["fix"]["safe"],
                  "%s: isPreferred exactly when the fix is safe" % rule["id"])
            text = apply_edits(s.texts[uri], edits_for(quick[0]["edit"], uri), s.encoding)
            after = [d for d in s.change(uri, text) if d["code"] == rule["id"]]
            gone = [d for d in after if d["data"]["fingerprint"] == target["data"]["fingerprint"] and
                    d["range"]["start"]["line"] == target["range"]["start"]["line"]]
            if not check(len(after) == len(ours) - 1 and not gone,
                         "%s: applying %r removes exactly that finding (%d -> %d)" % (
                             rule["id"], quick[0]["title"], len(ours), len(after))):
                break
            ok, detail = parses(scratch, text)
            check(ok, "%s: the file parses after %r: %s" % (rule["id"], quick[0]["title"], detail))
            ours = after
            fixed += 1
        check(fixed >= 2, "%s: %d quick-fixes applied" % (rule["id"], fixed))
        check(all_at_once == s.texts[uri], "%s: the first version's fixes applied together give the same text" % rule["id"])
        check(s.close() == 0, "%s: server exits 0" % rule["id"])

        # Fix-all, resolved lazily, with versioned documentChanges.
        s = Session(capabilities(resolve=True, document_changes=True))
        uri = "file://" + os.path.join(work, "all-" + rule["id"] + ext)
        diags = s.open(uri, original, LANGUAGE_IDS[ext])
        safe_before = [d for d in diags if d["data"].get("fix", {}).get("safe")]
        actions = s.code_actions(uri, [], only=["source.fixAll"])
        fix_all = [a for a in actions if a.get("kind") == "source.fixAll.vigil"]
        if not rule["fixSafe"]:
            check(not any(d["code"] == rule["id"] for d in safe_before), "%s: unsafe fixes are not in fix-all" % rule["id"])
        if safe_before:
            if check(len(fix_all) == 1 and "edit" not in fix_all[0],
                     "%s: one lazy fix-all action (got %r)" % (rule["id"], actions)):
                text = apply_edits(original, edits_for(s.edit_of(fix_all[0]), uri, version=1), s.encoding)
                after = s.change(uri, text)
                check(not [d for d in after if d["data"].get("fix", {}).get("safe")],
                      "%s: fix-all leaves no safe-fixable finding" % rule["id"])
                check(len(after) == len(diags) - len(safe_before),
                      "%s: fix-all removes exactly the safe-fixable findings" % rule["id"])
                ok, detail = parses(scratch, text)
                check(ok, "%s: the file parses after fix-all: %s" % (rule["id"], detail))
        check(s.close() == 0, "%s: server exits 0 (fix-all)" % rule["id"])


# --- 2. suppress with a reason -----------------------------------------------------------------

SUPPRESS_CASES = [
    # (language, extension, rule query, source, flagged line (0-based), expected inserted line)
    ("python", ".py", '((call function: (identifier) @f) @match (#eq? @f "danger"))',
     "def handler(x):\n    if x:\n        return danger(x)\n    return None\n", 2,
     "        # vigil-ignore: t-python -- "),
    ("javascript", ".js", '((call_expression function: (identifier) @f) @match (#eq? @f "danger"))',
     "function handler(x) {\n  if (x) {\n    return danger(x);\n  }\n}\n", 2,
     "    // vigil-ignore: t-javascript -- "),
    ("go", ".go", '((call_expression function: (identifier) @f) @match (#eq? @f "danger"))',
     "package main\n\nfunc handler(x int) int {\n\tif x > 0 {\n\t\treturn danger(x)\n\t}\n\treturn 0\n}\n", 4,
     "\t\t// vigil-ignore: t-go -- "),
    ("java", ".java", '((method_invocation name: (identifier) @f) @match (#eq? @f "danger"))',
     "class Handler {\n    int handle(int x) {\n        return danger(x);\n    }\n}\n", 2,
     "        // vigil-ignore: t-java -- "),
    ("c", ".c", '((call_expression function: (identifier) @f) @match (#eq? @f "danger"))',
     "int handler(int x) {\n  if (x) {\n      return danger(x);\n  }\n  return 0;\n}\n", 2,
     "      // vigil-ignore: t-c -- "),
]


def test_suppress(work):
    rules_dir = os.path.join(work, "rules")
    os.makedirs(rules_dir, exist_ok=True)
    for lang, ext, query, _, _, _ in SUPPRESS_CASES:
        with open(os.path.join(rules_dir, "t-%s.yaml" % lang), "w") as f:
            f.write("id: t-%s\nlanguage: %s\nseverity: warning\nmessage: danger\nconstraint: No danger.\n"
                    "query: |\n  %s\n" % (lang, lang, query))
    for snippets in (False, True):
        s = Session(capabilities(resolve=True, document_changes=True, snippets=snippets), rules_dir=rules_dir,
                    builtin=False)
        for lang, ext, _, source, line, expected in SUPPRESS_CASES:
            uri = "file://" + os.path.join(work, "suppress-%s%s" % (lang, ext))
            diags = s.open(uri, source, LANGUAGE_IDS[ext])
            if not check(len(diags) == 1 and diags[0]["range"]["start"]["line"] == line,
                         "%s: one finding on line %d (got %r)" % (lang, line + 1, diags)):
                continue
            actions = s.code_actions(uri, diags)
            sup = [a for a in actions if a["title"] == "Suppress t-%s here…" % lang]
            if not check(len(sup) == 1, "%s: a suppress action (got %r)" % (lang, [a["title"] for a in actions])):
                continue
            edits = edits_for(s.edit_of(sup[0]), uri, version=1)
            check(len(edits) == 1 and edits[0]["range"]["start"] == {"line": line, "character": 0}
                  and edits[0]["range"]["end"] == edits[0]["range"]["start"],
                  "%s: inserted at the start of the flagged line" % lang)
            if snippets:
                check(edits[0].get("snippet", {}).get("value") == expected + "$1\n" and "newText" not in edits[0],
                      "%s: snippet with a reason placeholder (got %r)" % (lang, edits[0]))
                continue
            check(edits[0].get("newText") == expected + "\n",
                  "%s: comment syntax and indentation: %r (expected %r)" % (lang, edits[0].get("newText"), expected))
            text = apply_edits(source, edits, s.encoding)
            ok, detail = parses(os.path.join(work, "suppressed-%s%s" % (lang, ext)), text)
            check(ok, "%s: parses with the suppression comment: %s" % (lang, detail))
            # The engine honours the comment: the finding goes, and the empty reason is reported
            # until one is written.
            after = s.change(uri, text)
            check([d["code"] for d in after] == ["vigil-suppression-no-reason"],
                  "%s: suppressed, reason asked for (got %r)" % (lang, [(d["code"], d["message"]) for d in after]))
            with_reason = text.replace(expected, expected + "only reachable from the test harness")
            check(s.change(uri, with_reason) == [], "%s: silent once the reason is written" % lang)
            # The flagged call goes away: the suppression is unused, and its quick-fix removes it
            # (with its line); the finding about the comment offers no "Suppress" of its own.
            unused_text = with_reason.replace("danger(x)", "harmless(x)")
            unused = s.change(uri, unused_text)
            if check([d["code"] for d in unused] == ["vigil-unused-suppression"], "%s: unused suppression reported" % lang):
                actions = s.code_actions(uri, unused)
                check([a["title"] for a in actions] == ["Remove the unused suppression"],
                      "%s: only the removal is offered for an unused suppression: %r" % (lang, [a["title"] for a in actions]))
                if actions:
                    cleaned = apply_edits(unused_text, edits_for(s.edit_of(actions[0]), uri), s.encoding)
                    check(cleaned == source.replace("danger(x)", "harmless(x)"),
                          "%s: the comment line is removed: %r" % (lang, cleaned))
                    check(s.change(uri, cleaned) == [], "%s: nothing left to report" % lang)
        check(s.close() == 0, "suppress session exits 0")


# --- 3. positions after non-ASCII text; 4. stale diagnostics, hover, commands ----------------------

def test_positions_stale_hover_commands(work):
    line = 's = "é😀 ü"; r = requests.get(url, verify=False)\n'
    source = "import requests\n\nurl = 'x'\n" + line
    for encodings, name in ((None, "utf-16"), (["utf-8", "utf-16"], "utf-8")):
        s = Session(capabilities(resolve=True, encodings=encodings))
        check(s.encoding == name, "negotiated %s" % name)
        uri = "file://" + os.path.join(work, "positions-%s.py" % name)
        diags = [d for d in s.open(uri, source, "python") if d["code"] == "py-tls-verify-disabled"]
        if not check(len(diags) == 1, "%s: one TLS finding" % name):
            s.close()
            continue
        col = line.index("False")
        expect_char = len(line[:col].encode("utf-16-le")) // 2 if name == "utf-16" else len(line[:col].encode("utf-8"))
        actions = s.code_actions(uri, diags, only=["quickfix"])
        fix = [a for a in actions if not a["title"].startswith("Suppress")][0]
        edit = edits_for(fix["edit"], uri, version=1)[0]
        check(edit["range"] == {"start": {"line": 3, "character": expect_char},
                                "end": {"line": 3, "character": expect_char + 5}} and edit["newText"] == "True",
              "%s: the fix replaces exactly `False` after non-ASCII text (got %r, expected character %d)" % (
                  name, edit, expect_char))
        check(fix["title"] == "Replace `False` with `True` (py-tls-verify-disabled)", "fix title: %r" % fix["title"])
        text = apply_edits(source, [edit], s.encoding)
        check(text == source.replace("verify=False", "verify=True"), "%s: applied text is exact" % name)
        check(not s.change(uri, text), "%s: finding gone after the fix" % name)
        s.close()

    # Stale: the client still holds version 1's diagnostic after two lines were inserted above it.
    s = Session(capabilities(resolve=True, document_changes=True))
    uri = "file://" + os.path.join(work, "stale.py")
    old = [d for d in s.open(uri, source, "python") if d["code"] == "py-tls-verify-disabled"]
    s.change(uri, "# one\n# two\n" + source, wait=False)
    actions = s.code_actions(uri, old, only=["quickfix"])
    fix = [a for a in actions if not a["title"].startswith("Suppress")]
    check(len(fix) == 1 and edits_for(fix[0]["edit"], uri, version=2)[0]["range"]["start"]["line"] == 5,
          "a stale diagnostic gets the edit for the current version (line 6), not the old one: %r" % fix)

    # Hover on the finding.
    hover = s.request("textDocument/hover", {"textDocument": {"uri": uri},
                                             "position": {"line": 5, "character": line.index("verify") + 2}})
    value = hover["contents"]["value"] if hover else ""
    check(hover and hover["contents"]["kind"] == "markdown", "hover is markdown")
    for part in ("**py-tls-verify-disabled**", "**Rule:** Never disable TLS certificate verification",
                 "[CWE-295](https://cwe.mitre.org/data/definitions/295.html)",
                 "https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/", "**Instead:**",
                 "**Fix available** (safe"):
        check(part in value, "hover holds %r: %r" % (part, value))
    check(s.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}) is None,
          "no hover away from findings")
    s.close()

    # Commands, for a client without CodeAction literals: executeCommand -> workspace/applyEdit.
    s = Session(capabilities(literals=False, resolve=False, document_changes=False))
    check(set(s.caps["executeCommandProvider"]["commands"]) >= {"vigil.applyFix", "vigil.fixAll", "vigil.suppress"},
          "executeCommandProvider declares the commands")
    uri = "file://" + os.path.join(work, "commands.py")
    diags = [d for d in s.open(uri, source, "python") if d["code"] == "py-tls-verify-disabled"]
    commands = s.code_actions(uri, diags)
    # fix, suppress, fix-all, and "Validate this finding (deep)" (lsp/validation_handlers.cpp)
    check(all("command" in c and "edit" not in c for c in commands) and len(commands) == 4 and
          sum(c["command"] == "vigil.validateFinding" for c in commands) == 1,
          "Command objects for a client without literal support: %r" % commands)
    for name in ("vigil.applyFix", "vigil.suppress", "vigil.fixAll"):
        cmd = [c for c in commands if c["command"] == name]
        if not check(len(cmd) == 1, "command %s offered" % name):
            continue
        rid = s.client.request("workspace/executeCommand", {"command": name, "arguments": cmd[0]["arguments"]})
        apply = s.client.wait_for(lambda m: m.get("method") == "workspace/applyEdit")
        edits = edits_for(apply["params"]["edit"], uri)
        s.client.send({"jsonrpc": "2.0", "id": apply["id"], "result": {"applied": True}})
        result = s.client.response(rid)
        check(result.get("result") == {"applied": True}, "%s answers after the edit is applied: %r" % (name, result))
        text = apply_edits(source, edits, s.encoding)
        if name == "vigil.suppress":
            check("# vigil-ignore: py-tls-verify-disabled -- \n" + line in text, "suppress command edit: %r" % text)
        else:
            check("verify=True" in text and "verify=False" not in text, "%s edit: %r" % (name, text))
    s.close()


def main():
    with tempfile.TemporaryDirectory(prefix="vigil-actions-") as work:
        for test in (test_builtin_fixes, test_suppress, test_positions_stale_hover_commands):
            try:
                test(work)
            except Exception as e:  # a crash in one part must not hide the others
                failures.append("%s raised %r" % (test.__name__, e))
                print("FAIL %s raised %r" % (test.__name__, e))
    print("%d checks passed, %d failed" % (len(passes), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
