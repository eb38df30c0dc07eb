// Security-test generation: from a finding (or a function and a CWE) to a test file in the project's
// own framework that fails while the function is vulnerable and passes once it is fixed.
// Pure: no IO. Callers read the source, the project's facts (framework files) and any existing test
// file through the workspace room, and write or apply what comes back.
// Payloads, checks and file layouts are data: templates per language and CWE family under
// analyzers/testgen/templates/<lang>/, embedded in the binary (adding a family touches no C++).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyzers/document/document.hpp"
#include "analyzers/engine.hpp"

namespace vigil::testgen {

// One CWE family's test for one language: what it spies on, what it sends, how it checks.
struct Template {
  std::string path;      // "python/command-injection.yaml"
  std::string language;  // grammar id
  std::string family;    // "command-injection"
  std::string title;     // "OS command injection"
  std::vector<std::string> cwe;
  // Callee names this family spies on, as written in code: "subprocess.run", "*.execute" (any
  // receiver), "open". Empty: the test checks the function's result and needs no sink.
  std::vector<std::string> sinks;
  std::string benign;                 // an ordinary input: the function must still do its job
  std::vector<std::string> payloads;  // attack inputs of the family
  // How the test shows it is wired: "sink" (the ordinary input reaches the spied sink), "result"
  // (the function returns something), "none" (memory errors: a function that does nothing cannot
  // overflow). A no-op function fails every test whose control is not "none".
  std::string control = "sink";
  std::vector<std::string> imports;  // Go: packages the test needs
  std::string prelude;               // C: code placed before the source is included (sink spies)
  std::string test;                  // the test, with {{placeholders}}
};

// A language's test file layouts, one per framework.
struct Layout {
  std::string file;                            // test file path template, relative to the project root
  std::vector<std::vector<std::string>> run;   // commands that run it (argv lists, in order)
  std::string header;                          // file start, written once
  std::string wrap = "{{test}}";               // how a template's test sits in the file
  std::string footer;                          // file end (C: main)
  std::vector<std::string> base_imports;       // Go: packages every test of the language imports
};

struct TemplateSet {
  std::vector<Template> templates;
  std::map<std::string, std::map<std::string, Layout>> layouts;  // language -> framework -> layout

  // Every template for `language` whose CWE list shares one with `cwe`, best first.
  std::vector<const Template*> for_cwe(std::string_view language, const std::vector<std::string>& cwe) const;
  const Template* by_family(std::string_view language, std::string_view family) const;
};

// A file of the embedded template pack (path relative to templates/, content).
struct TemplateFile {
  std::string path;
  std::string content;
};
// Parses template files; errors name the file and the key.
TemplateSet load_templates(const std::vector<TemplateFile>& files, std::vector<std::string>& errors);
// The embedded template files, and the built-in templates parsed from them (once).
std::vector<TemplateFile> builtin_template_files();
const TemplateSet& builtin_templates();

// What the workspace room read for framework detection: contents of the few files that name a
// framework (package.json, pytest.ini, pyproject.toml, setup.cfg, tox.ini, conftest.py,
// requirements*.txt, CMakeLists.txt, go.mod), and which candidate test directories exist.
struct ProjectFacts {
  std::map<std::string, std::string> files;  // relative path -> content
  std::vector<std::string> dirs;             // existing directories among fact_dirs()
  // Python: the directories between the root and the source that hold __init__.py (relative).
  std::vector<std::string> python_packages;
};
const std::vector<std::string>& fact_files();
const std::vector<std::string>& fact_dirs();

struct ProjectInfo {
  std::string framework;  // pytest | unittest | node:test | jest | vitest | go | junit5 | c-asan | gtest | catch2
  std::string test_dir;   // where the project keeps tests, relative to the root ("tests")
  std::vector<std::string> python_packages;  // from ProjectFacts: for the module's import path
};
ProjectInfo detect_project(const grammars::Language& language, const ProjectFacts& facts);

// The function a test is for: found in the snapshot by name or by a position inside it.
struct Param {
  std::string name;
  std::string type;  // annotation (Python), declared type (Go, C); empty when none
  bool has_default = false;
};
struct Call {
  std::string callee;  // "subprocess.run", "cur.execute", "exec"
  uint32_t start_byte = 0, end_byte = 0;
  std::string text;
};
struct FunctionInfo {
  std::string name;
  std::vector<Param> params;
  uint32_t start_byte = 0, end_byte = 0;
  std::vector<Call> calls;  // in source order
  std::string text;
};
std::optional<FunctionInfo> find_function(const document::Snapshot& snapshot, std::string_view name);
std::optional<FunctionInfo> enclosing_function(const document::Snapshot& snapshot, uint32_t byte);
// Every top-level function of the file (methods excluded).
std::vector<FunctionInfo> functions(const document::Snapshot& snapshot);

struct Request {
  const document::Snapshot* snapshot = nullptr;
  std::string source_path;  // relative to the project root, '/'-separated
  std::optional<Finding> finding;  // the finding the test is for, if any
  std::string function;            // without a finding: the function's name
  std::string cwe;                 // without a finding (or to choose among a rule's CWEs): "CWE-78"
  std::string family;              // optional: a template family by name
  std::string framework;           // optional: overrides detection
  std::string test_dir;            // optional: where to write, relative to the root (--out)
  // The current content of a test file (path relative to the root), if it exists: the caller's IO.
  std::function<std::optional<std::string>(const std::string&)> read_existing;
};

struct GeneratedTest {
  std::string path;     // the test file, relative to the project root
  std::string content;  // the whole file after the change (created or extended)
  bool created = true;  // false when an existing file was extended
  bool unchanged = false;  // the file already had this test
  std::vector<std::vector<std::string>> run_commands;  // argv lists, run from the project root
  std::string framework;
  std::string function;
  std::string family;
  std::string cwe;
  std::vector<std::string> test_names;
};

// Where generate() failed: no function, no template for the CWE, no sink of the family in the
// function, a template that does not render.
struct GenerateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The one entry point (CLI, editor, MCP). Throws GenerateError.
GeneratedTest generate(const Request& request, const ProjectInfo& project, const TemplateSet& templates);

// The template pack a grammar uses: TypeScript and TSX share JavaScript's, C++ shares C's.
std::string template_language(const grammars::Language& language);

// The templates that could serve a finding (its rule's CWEs and language), empty when none.
std::vector<const Template*> templates_for(const Finding& finding, const grammars::Language& language,
                                           const TemplateSet& templates);

// "pytest -q tests/test_x.py"-style display of run commands, joined with " && ".
std::string display_command(const std::vector<std::vector<std::string>>& commands);

}  // namespace vigil::testgen
