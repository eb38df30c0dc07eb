#!/usr/bin/env python3
"""Checks the editor configurations that no editor here can load: editors/helix/languages.toml
against Helix's documented languages.toml schema (Helix is neither in Debian 12 nor on npm), and
editors/jetbrains/vigil/ against LSP4IJ's documented user-defined server template format (no
JetBrains IDE runs here), plus the VS Code manifest's commands against the extension's code.
Usage: check_configs.py REPO_ROOT. Prints one line per check and ends with "N passed, N failed"."""
import json
import os
import re
import sys
import tomllib

root = sys.argv[1]
passed, failed = 0, 0


def check(ok, what):
    global passed, failed
    print(("PASS " if ok else "FAIL ") + what)
    if ok:
        passed += 1
    else:
        failed += 1
    return ok


# --- Helix: https://docs.helix-editor.com/languages.html
HELIX_TOP = {"language", "language-server", "grammar", "use-grammars"}
HELIX_SERVER_KEYS = {"command", "args", "config", "timeout", "environment", "required-root-patterns"}
HELIX_LANGUAGE_KEYS = {"name", "scope", "injection-regex", "file-types", "shebangs", "roots", "auto-format",
                       "comment-tokens", "block-comment-tokens", "indent", "grammar", "formatter", "soft-wrap",
                       "text-width", "workspace-lsp-roots", "persistent-diagnostic-sources", "path-completion",
                       "word-completion", "language-servers", "diagnostic-severity", "auto-pairs", "rulers",
                       "debugger", "language-id"}
HELIX_SERVER_ENTRY_KEYS = {"name", "only-features", "except-features"}
# Helix's names for Vigil's languages, and the default servers the file keeps beside Vigil
# (defined in Helix's own languages.toml).
HELIX_LANGUAGES = {"python", "javascript", "jsx", "typescript", "tsx", "go", "java", "c", "cpp"}
HELIX_BUILTIN_SERVERS = {"pylsp", "pyright", "ruff", "jedi", "typescript-language-server", "gopls", "jdtls", "clangd"}

with open(os.path.join(root, "editors/helix/languages.toml"), "rb") as f:
    helix = tomllib.load(f)
check(set(helix) <= HELIX_TOP, "helix: top-level keys are languages.toml's (%s)" % sorted(helix))
servers = helix.get("language-server", {})
vigil = servers.get("vigil", {})
check(isinstance(vigil.get("command"), str) and vigil.get("args") == ["lsp"],
      "helix: [language-server.vigil] runs `vigil lsp`")
check(set(vigil) <= HELIX_SERVER_KEYS, "helix: [language-server.vigil] keys are documented (%s)" % sorted(vigil))
languages = helix.get("language", [])
check({lang.get("name") for lang in languages} == HELIX_LANGUAGES,
      "helix: one [[language]] for each of Vigil's languages, by Helix's names")
for lang in languages:
    name = lang.get("name")
    check(set(lang) <= HELIX_LANGUAGE_KEYS, "helix: %s: keys are documented" % name)
    entries = lang.get("language-servers", [])
    names = [e if isinstance(e, str) else e.get("name") for e in entries]
    check(all(isinstance(e, str) or (isinstance(e, dict) and set(e) <= HELIX_SERVER_ENTRY_KEYS) for e in entries)
          and "vigil" in names and all(n in servers or n in HELIX_BUILTIN_SERVERS for n in names),
          "helix: %s: language-servers %s include vigil, every one defined" % (name, names))

# --- LSP4IJ: docs/UserDefinedLanguageServerTemplate.md (template.json, settings.json,
# settings.schema.json, initializationOptions.json, clientSettings.json, installer.json)
jb = os.path.join(root, "editors/jetbrains/vigil")
TEMPLATE_FILES = {"template.json", "settings.json", "settings.schema.json", "initializationOptions.json",
                  "clientSettings.json", "installer.json"}
files = set(os.listdir(jb))
check(files <= TEMPLATE_FILES and "template.json" in files, "jetbrains: only LSP4IJ template files (%s)" % sorted(files))
docs = {}
for name in files:
    with open(os.path.join(jb, name)) as f:
        try:
            docs[name] = json.load(f)
            check(True, "jetbrains: %s is JSON" % name)
        except json.JSONDecodeError as e:
            check(False, "jetbrains: %s is JSON: %s" % (name, e))
template = docs.get("template.json", {})
check(set(template) <= {"id", "name", "programArgs", "fileTypeMappings", "languageMappings", "url"} and
      template.get("id") == "vigil" and isinstance(template.get("name"), str),
      "jetbrains: template.json has id and name and only documented keys")
args = template.get("programArgs", {})
check(isinstance(args, dict) and set(args) <= {"default", "windows", "mac", "linux", "unix"} and
      args.get("default", "").split() == ["vigil", "lsp"], "jetbrains: programArgs.default is `vigil lsp`")
LSP_IDS = {"python", "javascript", "javascriptreact", "typescript", "typescriptreact", "go", "java", "c", "cpp"}
mappings = template.get("fileTypeMappings", [])
ok = bool(mappings)
for m in mappings:
    ft = m.get("fileType", {})
    ok = ok and set(m) == {"fileType", "languageId"} and m["languageId"] in LSP_IDS and set(ft) <= {"name", "patterns"}
    ok = ok and (isinstance(ft.get("name"), str) or bool(ft.get("patterns")))
    ok = ok and all(isinstance(p, str) and re.fullmatch(r"\*\.[a-z+]+", p) for p in ft.get("patterns", []))
check(ok and {m["languageId"] for m in mappings} == LSP_IDS,
      "jetbrains: fileTypeMappings: fileType {name, patterns} -> languageId, for the seven languages")


def validate(value, schema, path="$"):
    """The draft-07 subset the settings schema uses."""
    errors = []
    types = {"object": dict, "array": list, "string": str, "boolean": bool, "integer": int}
    t = schema.get("type")
    if t and not (isinstance(value, types[t]) and not (t == "integer" and isinstance(value, bool))):
        return ["%s: not %s" % (path, t)]
    if "enum" in schema and value not in schema["enum"]:
        errors.append("%s: not one of %s" % (path, schema["enum"]))
    if "minimum" in schema and value < schema["minimum"]:
        errors.append("%s: below %s" % (path, schema["minimum"]))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for k, v in value.items():
            if k in props:
                errors += validate(v, props[k], path + "." + k)
            elif schema.get("additionalProperties") is False:
                errors.append("%s: unknown key %s" % (path, k))
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            errors += validate(v, schema["items"], "%s[%d]" % (path, i))
    return errors


schema = docs.get("settings.schema.json", {})
check(not validate(docs.get("settings.json"), schema), "jetbrains: settings.json validates against settings.schema.json")
check(bool(validate({"vigil": {"scope": "everything"}}, schema)) and
      not validate({"vigil": {"scope": "all", "provenance": {"bulkInsert": {"minLines": 3}}}}, schema),
      "jetbrains: the schema rejects a bad scope and accepts good settings")
schema_keys = set(schema.get("properties", {}).get("vigil", {}).get("properties", {}))
check(schema_keys == {"scope", "showHumanFindings", "exclude", "rules", "builtin", "provenance"},
      "jetbrains: the schema lists the server's top-level settings")

# --- VS Code: every palette command in the manifest is registered by the extension.
with open(os.path.join(root, "editors/vscode/package.json")) as f:
    manifest = json.load(f)
with open(os.path.join(root, "editors/vscode/src/extension.ts")) as f:
    source = f.read()
registered = set(re.findall(r"register\('([\w.]+)'", source))
contributed = {c["command"] for c in manifest["contributes"]["commands"]}
check(contributed <= registered, "vscode: contributed commands are registered (%s)" % sorted(contributed - registered))
check(all(k["command"] in registered for k in manifest["contributes"].get("keybindings", [])),
      "vscode: keybinding commands are registered")

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
