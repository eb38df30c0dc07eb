#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target into fuzz/corpus/<target>/seed-*. Crashes found later
are kept beside them as crash-* (see fuzz/README.md). Run it again after changing a target's input
format; the git seeds come from a real repository made in a temporary directory."""
import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def put(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def frame(msg):
    body = json.dumps(msg).encode() if not isinstance(msg, bytes) else msg
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


PY = "import requests\nrequests.get(url, verify=False)\nimport os\nos.system(input())\n"
URI = "file:///fuzz/a.py"
OPEN = {"jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": URI, "languageId": "python", "version": 1, "text": PY}}}
CHANGE = {"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": URI, "version": 2},
                     "contentChanges": [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 8}},
                                         "text": "requests.post"}]}}
RANGE = {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 30}}
REQUESTS = [
    {"jsonrpc": "2.0", "id": 2, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": URI}}},
    {"jsonrpc": "2.0", "id": 3, "method": "textDocument/codeAction",
     "params": {"textDocument": {"uri": URI}, "range": RANGE, "context": {"diagnostics": []}}},
    {"jsonrpc": "2.0", "id": 4, "method": "textDocument/hover", "params": {"textDocument": {"uri": URI}, "position": {"line": 1, "character": 3}}},
    {"jsonrpc": "2.0", "method": "vigil/markProvenance",
     "params": {"uri": URI, "ranges": [RANGE], "origin": "ai", "tool": "fuzz"}},
    {"jsonrpc": "2.0", "id": 5, "method": "vigil/provenance", "params": {"textDocument": {"uri": URI}}},
    {"jsonrpc": "2.0", "id": 6, "method": "workspace/executeCommand", "params": {"command": "vigil.fixAll", "arguments": [URI]}},
    {"jsonrpc": "2.0", "id": 7, "method": "workspace/diagnostic", "params": {"previousResultIds": []}},
    {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 2}},
    {"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": URI}}},
]


def seeds_protocol():
    lines = [OPEN, CHANGE] + REQUESTS
    put("dispatch", "session", "\n".join(json.dumps(m) for m in lines) + "\n")
    put("dispatch", "open-edit", json.dumps(OPEN) + "\n" + json.dumps(CHANGE) + "\n" + json.dumps(REQUESTS[1]) + "\n")
    put("dispatch", "bad", '{"jsonrpc":"2.0","id":1}\n{"id":[1],"method":5}\nnot json\n[1,2]\n'
        '{"jsonrpc":"2.0","id":9,"method":"textDocument/hover","params":{"textDocument":{"uri":7}}}\n')
    put("framing", "session", b"\x03" + b"".join(frame(m) for m in [OPEN, CHANGE] + REQUESTS))
    put("framing", "headers", b"\x05" + b"Content-Length: abc\r\n\r\n{}" + b"Content-Type: x\r\n\r\n" +
        b'Content-Length: 17\n\n{"jsonrpc":"2.0"}' + frame(b'{"a":' * 300 + b"1" + b"}" * 300))


def seeds_rules():
    put("rule_loader", "pattern-fix", b"\x00id: no-verify\nlanguage: python\nseverity: error\nmessage: TLS off in $F\n"
        b"rule:\n  pattern: $F($$$A, verify=False)\nfix: $F($$$A, verify=True)\n")
    put("rule_loader", "relational", b"\x00id: r\nlanguage: [javascript, typescript]\nseverity: warning\nmessage: m\n"
        b"rule:\n  all:\n    - kind: call_expression\n    - inside:\n        kind: function_declaration\n        stopBy: end\n"
        b"    - not:\n        has:\n          regex: '^safe'\n    - any:\n        - pattern: eval($X)\n        - pattern: cp.exec($$$)\n"
        b"constraints:\n  X:\n    regex: '^[a-z]'\n")
    put("rule_loader", "taint", b"\x00id: t\nlanguage: python\nseverity: warning\nmessage: m\nmode: taint\n"
        b"sources:\n  - pattern: input()\nsanitizers:\n  - pattern: shlex.quote($X)\nsinks:\n  - pattern: subprocess.call($X, shell=True)\n")
    put("rule_loader", "query", b"\x00id: q\nlanguage: c\nseverity: error\nmessage: gets\nquery: |\n"
        b"  (call_expression function: (identifier) @f (#eq? @f \"gets\")) @match\n---\nid: q2\nlanguage: go\n"
        b"severity: info\nmessage: m\nquery: (call_expression) @match\n")
    put("rule_loader", "utils", b"\x01id: is-exec\nlanguage: java\nrule:\n  pattern: Runtime.getRuntime().exec($X)\n\x00"
        b"id: u\nlanguage: java\nseverity: error\nmessage: m\nutils:\n  local:\n    inside:\n      kind: method_declaration\n"
        b"      stopBy: end\nrule:\n  all:\n    - matches: is-exec\n    - matches: local\n")
    put("rule_loader", "repetition", b"\x00id: rep\nlanguage: python\nseverity: info\nmessage: m\nmode: repetition\n")
    # Utils whose recursion comes back to the node it left (issue 18: a stack overflow until they
    # were refused at load).
    put("rule_loader", "loop-siblings", b"\x00id: l\nlanguage: python\nseverity: warning\nmessage: m\nutils:\n  u:\n"
        b"    any:\n      - follows: {matches: u}\n      - precedes: {matches: u}\n      - kind: return_statement\n"
        b"rule:\n  all: [{kind: expression_statement}, {matches: u}]\n")
    put("rule_loader", "loop-util-file", b"\x01id: u\nlanguage: python\nrule:\n  any: [{kind: return_statement}, "
        b"{inside: {matches: u}}, {has: {matches: u}}]\n\x00id: r\nlanguage: python\nseverity: warning\nmessage: m\n"
        b"rule:\n  kind: expression_statement\n  matches: u\n")
    put("rule_loader", "anchors", b"\x00a: &a [1, 2]\nb: *a\nid: x\nlanguage: cpp\nseverity: hint\nmessage: m\nrule:\n"
        b"  follows:\n    pattern: char $B[$N];\n    stopBy: neighbor\n")


def seeds_patterns():
    for i, (lang, pat) in enumerate([(0, "eval($X)"), (1, "subprocess.call($$$ARGS, shell=True)"), (2, "$F($_, $$$)"),
                                     (3, "exec.Command($A, $$$)"), (4, "Runtime.getRuntime().exec($C)"),
                                     (5, "sprintf($B, $$$)"), (6, "class $C { $$$ }"), (7, "if ($A) { $$$B }")]):
        put("pattern", "p%d" % i, bytes([lang, 1, 1]) + pat.encode())
    put("pattern", "contextual", bytes([0, 1, 0, 4]) + b"pair" + b'{"key": $V}')


def seeds_documents():
    put("document_edits", "python", bytes([0, 0, len(PY)]) + PY.encode() +
        bytes([1, 1, 0, 1, 0, 3, 5]) + b"post(" + bytes([0, 0x12, 0, 2, 0, 0, 0, 1, 3]) + b"x\n#" + bytes([2, 0]))
    js = b"const cp = require('child_process');\nfunction a(x) { return eval(x); }\n"
    put("document_edits", "javascript", bytes([1, 0, len(js)]) + js + bytes([0, 2, 0x30, 0, 1, 0, 9, 0, 0, 0, 4, 4]) + b"`${a}`")
    c = "int main(){ char b[4]; gets(b); return 0; }\n"
    put("document_edits", "c", bytes([4, 0, len(c)]) + c.encode() + bytes([1, 1, 0x10, 0, 0, 0, 12, 0, 0, 0, 20, 2]) + b"{}")


def seeds_git():
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, GIT_AUTHOR_NAME="Ann", GIT_AUTHOR_EMAIL="ann@x.org", GIT_COMMITTER_NAME="Ann",
                   GIT_COMMITTER_EMAIL="ann@x.org", GIT_CONFIG_NOSYSTEM="1", HOME=d)

        def git(*a):
            return subprocess.run(["git", "-C", d, *a], env=env, check=True, capture_output=True).stdout

        git("init", "-q")
        with open(os.path.join(d, "a.py"), "w") as f:
            f.write("x = 1\ny = 2\n")
        git("add", "-A")
        git("commit", "-qm", "first")
        with open(os.path.join(d, "a.py"), "a") as f:
            f.write("z = eval(x)\n")
        git("commit", "-qam", "agent change\n\nCo-authored-by: Claude <noreply@anthropic.com>")
        with open(os.path.join(d, "a.py"), "a") as f:
            f.write("w = 4\n")
        blame = git("blame", "--line-porcelain", "a.py")
        log = git("log", "-z", "--format=%H%x00%an%x00%ae%x00%B")
        diff = git("diff", "-U0")
    note = b"a.py\n  abcd1234 1-2,3\n---\n{\"prompts\": {\"abcd1234\": {\"agent_id\": {\"tool\": \"cursor\"}}}}\n"
    put("git_parsers", "blame", b"\x00" + blame)
    put("git_parsers", "log", b"\x01" + log)
    put("git_parsers", "diff", b"\x02" + diff)
    put("git_parsers", "drivers", b"\x03filter.evil.clean\0filter.a.b=c.process\0diff.x.textconv\0")
    put("git_parsers", "note", b"\x04" + note)
    put("git_parsers", "classify", b"\x05" + blame + b"\x01" + log + b"\x01" + note)


if __name__ == "__main__":
    seeds_protocol()
    seeds_rules()
    seeds_patterns()
    seeds_documents()
    seeds_git()
