// `vigil mcp` driven by the official MCP TypeScript SDK client, as a coding agent would drive it:
// tools/list, every tool, resources, the limits, and the provenance the editor sees afterwards.
// Usage: node --test tests/mcp/test_mcp.mjs   (VIGIL=path/to/vigil)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const VIGIL = process.env.VIGIL;
assert.ok(VIGIL, "set VIGIL to the vigil binary");
const AGENT = "vigil-test-agent";

let root, client;

before(async () => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "vigil-mcp-")));
  fs.mkdirSync(path.join(root, ".vigil"));
  fs.mkdirSync(path.join(root, "src"));
  // An existing file with a flagged line the agent did not touch.
  fs.writeFileSync(path.join(root, "src/log.c"),
    '#include <stdio.h>\n\nvoid legacy(const char *old) {\n  printf(old);\n}\n\nvoid greet(void) {\n  puts("hi");\n}\n');
  fs.writeFileSync(path.join(os.tmpdir(), "vigil-mcp-outside.py"), "x = 1\n");
  fs.symlinkSync("/etc", path.join(root, "etc-link"));
  // Started in the workspace without --root: the project is found from the current directory.
  const transport = new StdioClientTransport({ command: VIGIL, args: ["mcp", "--log-level", "warn"], cwd: root, stderr: "inherit" });
  client = new Client({ name: AGENT, version: "1.0.0" });
  await client.connect(transport);
});

after(async () => {
  await client?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const text = (result) => result.content.filter((c) => c.type === "text").map((c) => c.text).join("\n");

test("initialize: protocol 2025-06-18, tools and resources", async () => {
  assert.equal(client.getServerVersion().name, "vigil");
  const caps = client.getServerCapabilities();
  assert.ok(caps.tools);
  assert.ok(caps.resources);
  assert.match(client.getInstructions(), /security_rules/);
});

test("tools/list: every tool with input and output schemas", async () => {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(),
    ["check_code", "check_diff", "generate_security_tests", "record_verdict", "security_rules", "validate_finding"]);
  for (const t of tools) {
    assert.equal(t.inputSchema.type, "object", t.name);
    assert.equal(t.outputSchema.type, "object", t.name);
    assert.ok(t.description.length > 40, t.name);
  }
});

test("security_rules: the constraints for a language, as a prompt", async () => {
  // The SDK validates structuredContent against the tool's outputSchema.
  const result = await client.callTool({ name: "security_rules", arguments: { language: "python" } });
  assert.equal(result.isError, false);
  const s = result.structuredContent;
  assert.equal(s.language, "python");
  assert.equal(s.count, s.rules.length);
  const tls = s.rules.find((r) => r.id === "py-tls-verify-disabled");
  assert.ok(tls && tls.hasFix && tls.cwe.includes("CWE-295"));
  assert.ok(s.rules.every((r) => r.languages.includes("python")));
  assert.match(text(result), /\[py-tls-verify-disabled\] Never disable TLS certificate verification/);
  const byPath = await client.callTool({ name: "security_rules", arguments: { path: "src/log.c" } });
  assert.ok(byPath.structuredContent.rules.some((r) => r.id === "c-format-string-nonliteral"));
  const bad = await client.callTool({ name: "security_rules", arguments: { language: "cobol" } });
  assert.equal(bad.isError, true);
  assert.match(text(bad), /unknown language `cobol`: Vigil checks python/);
});

test("check_code: a snippet's finding, its constraint and fix, and the fixed code is clean", async () => {
  const code = "import requests\n\ndef fetch(url):\n    return requests.get(url, timeout=5, verify=False)\n";
  const result = await client.callTool({ name: "check_code", arguments: { code, language: "python" } });
  assert.equal(result.isError, false);
  const s = result.structuredContent;
  assert.equal(s.clean, false);
  assert.equal(s.findings.length, 1);
  const f = s.findings[0];
  assert.equal(f.ruleId, "py-tls-verify-disabled");
  assert.equal(f.line, 4);
  assert.deepEqual(f.cwe, ["CWE-295"]);
  assert.match(f.constraint, /Never disable TLS/);
  assert.equal(f.origin, "ai");
  assert.equal(f.fix.safe, true);
  assert.equal(f.fix.fixedLines, "    return requests.get(url, timeout=5, verify=True)");
  assert.equal(s.fixedCode, code.replace("verify=False", "verify=True"));
  assert.match(text(result), /Constraint: Never disable TLS/);
  const again = await client.callTool({ name: "check_code", arguments: { code: s.fixedCode, language: "python" } });
  assert.equal(again.structuredContent.clean, true);
  assert.equal(again.structuredContent.fixedCode, undefined);
});

test("check_code: a workspace file on disk, by path", async () => {
  const result = await client.callTool({ name: "check_code", arguments: { path: "src/log.c" } });
  assert.equal(result.isError, false);
  const s = result.structuredContent;
  assert.equal(s.path, "src/log.c");
  assert.deepEqual(s.findings.map((f) => [f.ruleId, f.line]), [["c-format-string-nonliteral", 4]]);
  assert.equal(s.recordedLines, undefined);  // nothing proposed: nothing recorded
});

test("check_diff: an injection proposed in a diff comes back with its fix, only on added lines", async () => {
  const diff = [
    "diff --git a/src/log.c b/src/log.c",
    "--- a/src/log.c",
    "+++ b/src/log.c",
    "@@ -7,3 +7,4 @@ void legacy(const char *old) {",
    " void greet(void) {",
    "   puts(\"hi\");",
    "+  printf(getenv(\"GREETING\"));",
    " }",
    "",
  ].join("\n");
  const result = await client.callTool({ name: "check_diff", arguments: { diff } });
  assert.equal(result.isError, false, text(result));
  const s = result.structuredContent;
  assert.equal(s.clean, false);
  assert.equal(s.findingCount, 1);  // line 4's printf(old) is not the agent's: not reported
  const file = s.files[0];
  assert.equal(file.path, "src/log.c");
  assert.equal(file.addedLines, 1);
  assert.equal(file.recordedLines, 1);
  const f = file.findings[0];
  assert.equal(f.ruleId, "c-format-string-nonliteral");
  assert.equal(f.line, 9);
  assert.deepEqual(f.cwe, ["CWE-134"]);
  assert.equal(f.fix.fixedLines, '  printf("%s", getenv("GREETING"));');
  assert.match(file.fixedCode, /printf\("%s", getenv\("GREETING"\)\);/);
  assert.match(text(result), /src\/log.c:9:\d+ .*c-format-string-nonliteral/);

  // A new file (--- /dev/null), and a diff that does not apply.
  const created = await client.callTool({ name: "check_diff", arguments: { diff: "--- /dev/null\n+++ b/src/new.c\n@@ -0,0 +1,3 @@\n+void f(char *s) {\n+  printf(s);\n+}\n" } });
  assert.equal(created.structuredContent.files[0].findings[0].line, 2);
  const stale = await client.callTool({ name: "check_diff", arguments: { diff: "--- a/src/log.c\n+++ b/src/log.c\n@@ -1,1 +1,1 @@\n-#include <stdlib.h>\n+#include <string.h>\n" } });
  assert.equal(stale.isError, true);
  assert.match(text(stale), /does not apply to src\/log.c: line 1 is `#include <stdio.h>`, the diff expects `#include <stdlib.h>`/);
  const garbage = await client.callTool({ name: "check_diff", arguments: { diff: "just some text" } });
  assert.equal(garbage.isError, true);
  assert.match(text(garbage), /no file in the diff/);
});

test("limits: paths outside the root are refused, also through symlinks; bad arguments are tool errors", async () => {
  for (const p of ["../vigil-mcp-outside.py", path.join(os.tmpdir(), "vigil-mcp-outside.py"), "etc-link/passwd"]) {
    const result = await client.callTool({ name: "check_code", arguments: { path: p } });
    assert.equal(result.isError, true, p);
    assert.match(text(result), /is outside the workspace root/, p);
  }
  const diff = "--- a/../escape.py\n+++ b/../escape.py\n@@ -0,0 +1,1 @@\n+x = 1\n";
  const viaDiff = await client.callTool({ name: "check_diff", arguments: { diff } });
  assert.equal(viaDiff.isError, true);
  assert.match(text(viaDiff), /outside the workspace root/);
  const none = await client.callTool({ name: "check_code", arguments: {} });
  assert.equal(none.isError, true);
  assert.match(text(none), /give `code`/);
  const typo = await client.callTool({ name: "check_code", arguments: { source: "x" } });
  assert.match(text(typo), /unknown argument `source` \(this tool takes: code, path, language\)/);
  const big = await client.callTool({ name: "check_code", arguments: { code: "x = 1\n".repeat(200000), language: "python" } });
  assert.equal(big.isError, true);
  assert.match(text(big), /over the limit of 1048576/);
  await assert.rejects(client.callTool({ name: "no_such_tool", arguments: {} }), /unknown tool no_such_tool/);
});

test("record_verdict: a false positive is hidden from check_code afterwards; a confirmation counts in the precision", async () => {
  const code = 'import subprocess\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n';
  const found = await client.callTool({ name: "check_code", arguments: { code, language: "python" } });
  const finding = found.structuredContent.findings.find((f) => f.ruleId === "py-subprocess-shell-injection");
  assert.ok(finding, text(found));
  const marked = await client.callTool({ name: "record_verdict",
    arguments: { code, language: "python", line: finding.line, ruleId: finding.ruleId, verdict: "false_positive", reason: "cmd is a constant" } });
  assert.equal(marked.isError, false, text(marked));
  assert.equal(marked.structuredContent.verdict, "false_positive");
  assert.equal(marked.structuredContent.falsePositives, 1);
  assert.equal(marked.structuredContent.fingerprint, finding.fingerprint);
  // The same code again: hidden.
  const again = await client.callTool({ name: "check_code", arguments: { code, language: "python" } });
  assert.ok(!again.structuredContent.findings.some((f) => f.ruleId === "py-subprocess-shell-injection"), text(again));
  // By fingerprint: the same agent changing its mind replaces its vote: confirmed, precision 100%.
  const confirmed = await client.callTool({ name: "record_verdict",
    arguments: { fingerprint: finding.fingerprint, ruleId: finding.ruleId, verdict: "confirmed" } });
  assert.equal(confirmed.isError, false, text(confirmed));
  assert.equal(confirmed.structuredContent.confirmed, 1);
  assert.equal(confirmed.structuredContent.falsePositives, 0);
  assert.equal(confirmed.structuredContent.precision, 1);
  const shown = await client.callTool({ name: "check_code", arguments: { code, language: "python" } });
  assert.ok(shown.structuredContent.findings.some((f) => f.ruleId === "py-subprocess-shell-injection"), text(shown));
  // Stored in the workspace's bank (the database or its write-ahead log), with the agent as the tool.
  const dbFiles = ["feedback.db", "feedback.db-wal"].map((f) => path.join(root, ".vigil", f)).filter((f) => fs.existsSync(f));
  assert.ok(dbFiles.some((f) => fs.readFileSync(f).includes(Buffer.from(AGENT))), "the agent is the verdict's tool");
  // Bad calls are tool errors the agent can read.
  const noRule = await client.callTool({ name: "record_verdict", arguments: { fingerprint: "abc", verdict: "confirmed" } });
  assert.equal(noRule.isError, true);
  assert.match(text(noRule), /ruleId/);
  const badVerdict = await client.callTool({ name: "record_verdict", arguments: { code, language: "python", line: 4, verdict: "maybe" } });
  assert.equal(badVerdict.isError, true);
});

test("validate_finding: a real injection is confirmed, a constant look-alike refuted, with reasons", async () => {
  const vulnerable = "import subprocess\n\ndef list_dir(path):\n    return subprocess.run('ls -l ' + path, shell=True)\n";
  const found = await client.callTool({ name: "check_code", arguments: { code: vulnerable, language: "python" } });
  const finding = found.structuredContent.findings.find((f) => f.cwe.includes("CWE-78"));
  assert.ok(finding, JSON.stringify(found.structuredContent.findings));
  const confirmed = await client.callTool({ name: "validate_finding",
    arguments: { code: vulnerable, language: "python", line: finding.line, ruleId: finding.ruleId } });
  assert.equal(confirmed.isError, false, text(confirmed));
  assert.equal(confirmed.structuredContent.status, "confirmed", text(confirmed));
  assert.equal(confirmed.structuredContent.validator, "deep");
  assert.equal(confirmed.structuredContent.ruleId, finding.ruleId);
  assert.match(confirmed.structuredContent.explanation, /path/);

  // The same sink behind a check that only lets letters and digits through: the fast pass flags
  // it, the deep analyzer refutes it and says why.
  const guarded = "import subprocess\n\ndef list_dir(path):\n    if not path.isalnum():\n        raise ValueError(path)\n    return subprocess.run('ls -l ' + path, shell=True)\n";
  const again = await client.callTool({ name: "check_code", arguments: { code: guarded, language: "python" } });
  const lookalike = again.structuredContent.findings.find((f) => f.cwe.includes("CWE-78"));
  assert.ok(lookalike, JSON.stringify(again.structuredContent.findings));
  const refuted = await client.callTool({ name: "validate_finding",
    arguments: { code: guarded, language: "python", line: lookalike.line, ruleId: lookalike.ruleId } });
  assert.equal(refuted.structuredContent.status, "refuted", text(refuted));
  assert.match(refuted.structuredContent.explanation, /isalnum/);

  const wrongLine = await client.callTool({ name: "validate_finding", arguments: { code: vulnerable, language: "python", line: 1 } });
  assert.equal(wrongLine.isError, true);
  assert.match(text(wrongLine), new RegExp(`no finding on line 1 \\(the code has: ${finding.ruleId} on line ${finding.line}`));
  // An endpoint needs the user's own settings: the agent cannot ask for one that is not there.
  const endpoint = await client.callTool({ name: "validate_finding",
    arguments: { code: vulnerable, language: "python", line: finding.line, validator: "endpoint" } });
  assert.equal(endpoint.isError, true);
  assert.match(text(endpoint), /endpoint/);
});

test("generate_security_tests: a test file for a finding, as text, with the command to run it", async () => {
  const code = "import subprocess\n\n\ndef archive(name):\n    subprocess.run('tar czf /tmp/a.tgz ' + name, shell=True)\n";
  const found = await client.callTool({ name: "check_code", arguments: { path: "src/backup.py", code } });
  const finding = found.structuredContent.findings.find((f) => f.cwe.includes("CWE-78"));
  assert.ok(finding, JSON.stringify(found.structuredContent));
  const result = await client.callTool({ name: "generate_security_tests", arguments: { path: "src/backup.py", code, line: finding.line } });
  assert.equal(result.isError, false, text(result));
  const t = result.structuredContent;
  assert.equal(t.function, "archive");
  assert.equal(t.cwe, "CWE-78");
  assert.equal(t.created, true);
  assert.match(t.path, /test.*backup.*\.py$/);
  assert.match(t.content, /archive/);
  assert.ok(t.argv.length > 0 && t.command.length > 0);
  // Nothing was written: the agent saves it.
  assert.equal(fs.existsSync(path.join(root, t.path)), false);
  // Saved and run against the vulnerable function (written as proposed), the test fails.
  fs.writeFileSync(path.join(root, "src/backup.py"), code);
  fs.mkdirSync(path.dirname(path.join(root, t.path)), { recursive: true });
  fs.writeFileSync(path.join(root, t.path), t.content);
  const { spawnSync } = await import("node:child_process");
  const run = spawnSync(t.argv[0][0], t.argv[0].slice(1), { cwd: root, encoding: "utf8" });
  assert.notEqual(run.status, 0, run.stdout + run.stderr);

  const byName = await client.callTool({ name: "generate_security_tests", arguments: { path: "src/backup.py", function: "archive", cwe: "CWE-78" } });
  assert.equal(byName.isError, false, text(byName));
  assert.equal(byName.structuredContent.unchanged, true, text(byName));
  const none = await client.callTool({ name: "generate_security_tests", arguments: { path: "src/backup.py" } });
  assert.equal(none.isError, true);
  assert.match(text(none), /give `line`/);
  const outside = await client.callTool({ name: "generate_security_tests", arguments: { path: "../x.py", line: 1 } });
  assert.equal(outside.isError, true);
});

test("resources: the rule pack as vigil://rules/<id>", async () => {
  const { resources } = await client.listResources();
  const tls = resources.find((r) => r.uri === "vigil://rules/py-tls-verify-disabled");
  assert.ok(tls);
  assert.equal(tls.mimeType, "application/yaml");
  const read = await client.readResource({ uri: tls.uri });
  assert.match(read.contents[0].text, /^id: py-tls-verify-disabled$/m);
  await assert.rejects(client.readResource({ uri: "vigil://rules/nope" }), /Resource not found/);
});

// A minimal LSP client over pipes: Content-Length framing, requests by id.
function lsp(cwd) {
  const proc = spawn(VIGIL, ["lsp", "--log-level", "warn"], { cwd, stdio: ["pipe", "pipe", "inherit"] });
  let buffer = Buffer.alloc(0);
  const waiting = new Map();
  let nextId = 1;
  proc.stdout.on("data", (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())[1]);
      if (buffer.length < end + 4 + length) return;
      const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString());
      buffer = buffer.subarray(end + 4 + length);
      if (message.id !== undefined && waiting.has(message.id)) {
        waiting.get(message.id)(message);
        waiting.delete(message.id);
      }
    }
  });
  const send = (message) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }));
    proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    proc.stdin.write(body);
  };
  return {
    request: (method, params) => new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      send({ id, method, params });
    }),
    notify: (method, params) => send({ method, params }),
    close: () => new Promise((resolve) => { proc.on("exit", resolve); proc.stdin.end(); }),
  };
}

test("provenance: a file written after check_code is agent-mcp AI code when the editor opens it", async () => {
  const code = "import hashlib\n\ndef digest(data):\n    return hashlib.md5(data).hexdigest()\n";
  const result = await client.callTool({ name: "check_code", arguments: { path: "src/digest.py", code } });
  assert.equal(result.isError, false);
  assert.equal(result.structuredContent.recordedLines, 4);
  // The agent writes the file; then the user opens it in the editor.
  fs.writeFileSync(path.join(root, "src/digest.py"), code);
  const server = lsp(root);
  const uri = "file://" + path.join(root, "src/digest.py");
  await server.request("initialize", { processId: null, rootUri: "file://" + root, capabilities: { general: { positionEncodings: ["utf-16"] } } });
  server.notify("initialized", {});
  server.notify("textDocument/didOpen", { textDocument: { uri, languageId: "python", version: 1, text: code } });
  const reply = await server.request("vigil/provenance", { textDocument: { uri } });
  const ranges = reply.result.ranges;
  assert.equal(ranges.length, 1, JSON.stringify(ranges));
  assert.deepEqual(ranges[0], {
    range: { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } },
    origin: "ai",
    evidence: "agent-mcp",
    tool: AGENT,
  });
  await server.request("shutdown", null);
  server.notify("exit", null);
  await server.close();
});

// The wire itself, without the SDK: one JSON-RPC message per line, errors for what is not one.
test("stdio: parse errors, batches, requests before initialize, oversized lines", async () => {
  const proc = spawn(VIGIL, ["mcp", "--root", root, "--log-level", "off"], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = [];
  let pending = "";
  proc.stdout.on("data", (chunk) => {
    pending += chunk.toString();
    let nl;
    while ((nl = pending.indexOf("\n")) >= 0) {
      lines.push(JSON.parse(pending.slice(0, nl)));
      pending = pending.slice(nl + 1);
    }
  });
  proc.stdin.write("this is not json\n");
  proc.stdin.write(JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "ping" }]) + "\n");
  proc.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }) + "\n");
  proc.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "ping" }) + "\n");
  proc.stdin.write("x".repeat(3 << 20) + "\n");
  proc.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 4, method: "initialize", params: { protocolVersion: "2024-11-05", capabilities: {}, clientInfo: { name: "raw", version: "0" } } }) + "\n");
  proc.stdin.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n");
  proc.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "check_code", arguments: { code: "eval(x)\n", language: "python" } } }) + "\n");
  proc.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 6, method: "nope" }) + "\n");
  proc.stdin.end();
  const code = await new Promise((resolve) => proc.on("exit", resolve));
  assert.equal(code, 0);
  assert.equal(lines.length, 8);
  assert.equal(lines[0].error.code, -32700);
  assert.match(lines[1].error.message, /batches are not supported/);
  assert.deepEqual([lines[2].id, lines[2].error.code, lines[2].error.message], [2, -32600, "call initialize first"]);
  assert.deepEqual(lines[3], { jsonrpc: "2.0", id: 3, result: {} });
  assert.match(lines[4].error.message, /message over \d+ bytes/);
  assert.equal(lines[5].result.protocolVersion, "2025-06-18");  // ours, whatever was asked
  assert.equal(lines[6].id, 5);
  assert.equal(lines[6].result.isError, false);
  assert.equal(lines[7].error.code, -32601);
});
