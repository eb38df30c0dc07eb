// The model's share of a security test: the prompt that asks for more cases, and the gate its
// answer passes before it reaches the user's test file. Pure.
#include "analyzers/testgen/model.hpp"

#include <tree_sitter/api.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "analyzers/document/document.hpp"

namespace vigil::testgen {
namespace {

constexpr size_t kMaxAnswer = 64 * 1024;  // a few tests, not a file: larger answers are refused

enum class Kind { python, javascript, go, none };

Kind kind_of(std::string_view framework) {
  if (framework == "pytest" || framework == "unittest") return Kind::python;
  if (framework == "node:test" || framework == "jest" || framework == "vitest") return Kind::javascript;
  if (framework == "go") return Kind::go;
  return Kind::none;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// Whether `text` defines `name` ("def name", "class name", "func name", "function name").
bool defines(std::string_view text, std::string_view name) {
  for (std::string_view keyword : {"def ", "class ", "func ", "function "}) {
    const std::string needle = std::string(keyword) + std::string(name);
    for (size_t at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1)) {
      const size_t end = at + needle.size();
      const bool starts_word = at == 0 || !is_word_char(text[at - 1]);
      if (starts_word && (end >= text.size() || !is_word_char(text[end]))) return true;
    }
  }
  return false;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == '\n' || s.front() == '\r' || s.front() == ' ')) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// The first fenced block's body, else the whole answer.
std::string code_of(std::string_view answer) {
  const size_t open = answer.find("```");
  if (open == std::string_view::npos) return trim(answer);
  const size_t body = answer.find('\n', open);
  if (body == std::string_view::npos) return {};
  const size_t close = answer.find("```", body + 1);
  return trim(answer.substr(body + 1, (close == std::string_view::npos ? answer.size() : close) - body - 1));
}

// "line N" of the first syntax error below `node`, for the reason given to the user.
std::string first_error(TSNode node) {
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  std::string where = "somewhere";
  // Iterative pre-order walk into the subtrees that hold an error.
  for (bool more = true; more;) {
    TSNode n = ts_tree_cursor_current_node(&cursor);
    if (ts_node_is_error(n) || ts_node_is_missing(n)) {
      where = "line " + std::to_string(ts_node_start_point(n).row + 1);
      break;
    }
    if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&cursor)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&cursor))
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        more = false;
        break;
      }
  }
  ts_tree_cursor_delete(&cursor);
  return where;
}

std::string text_of(const document::Snapshot& s, TSNode n) { return std::string(s.node_text(n)); }

std::string field_text(const document::Snapshot& s, TSNode n, const char* field) {
  TSNode f = ts_node_child_by_field_name(n, field, static_cast<uint32_t>(std::strlen(field)));
  return ts_node_is_null(f) ? std::string() : text_of(s, f);
}

struct Parts {
  std::vector<std::string> tests;    // names (Python, Go) or titles (JavaScript) of the tests defined
  std::vector<std::string> defined;  // every top-level name the snippet defines
  std::string problem;               // the first top-level part that is not allowed
};

// What the snippet's top level holds, per language: tests, helpers, and nothing that runs at
// import time or changes the file's imports.
Parts top_level(const document::Snapshot& s, Kind kind) {
  Parts parts;
  const TSNode root = s.root();
  const uint32_t count = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < count && parts.problem.empty(); ++i) {
    TSNode n = ts_node_named_child(root, i);
    const std::string type = ts_node_type(n);
    const auto line = std::to_string(ts_node_start_point(n).row + 1);
    if (type == "comment") continue;
    if (kind == Kind::python) {
      TSNode def = n;
      if (type == "decorated_definition") def = ts_node_child_by_field_name(n, "definition", 10);
      const std::string def_type = ts_node_is_null(def) ? "" : ts_node_type(def);
      if (def_type == "function_definition" || def_type == "class_definition") {
        const std::string name = field_text(s, def, "name");
        parts.defined.push_back(name);
        if (name.starts_with("test") || (def_type == "class_definition" && name.starts_with("Test"))) parts.tests.push_back(name);
        continue;
      }
      if (type == "import_statement" || type == "import_from_statement") continue;  // stdlib for a test
      parts.problem = "line " + line + ": a top-level " + type + " runs when the test file is imported";
    } else if (kind == Kind::javascript) {
      if (type == "function_declaration") {
        parts.defined.push_back(field_text(s, n, "name"));
        continue;
      }
      if (type == "expression_statement") {
        TSNode call = ts_node_named_child(n, 0);
        if (!ts_node_is_null(call) && std::string_view(ts_node_type(call)) == "call_expression") {
          TSNode callee = ts_node_child_by_field_name(call, "function", 8);
          std::string name = ts_node_is_null(callee) ? "" : text_of(s, callee);
          if (const auto dot = name.find('.'); dot != std::string::npos) name.resize(dot);  // test.skip, it.each
          if (name == "test" || name == "it" || name == "describe") {
            TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
            TSNode title = ts_node_is_null(args) ? TSNode{} : ts_node_named_child(args, 0);
            parts.tests.push_back(ts_node_is_null(title) ? name : text_of(s, title));
            continue;
          }
        }
      }
      parts.problem = "line " + line + ": a top-level " + type + " is neither a test nor a helper function";
    } else if (kind == Kind::go) {
      if (type == "function_declaration") {
        const std::string name = field_text(s, n, "name");
        parts.defined.push_back(name);
        const std::string params = field_text(s, n, "parameters");
        if (name.starts_with("Test") && params.find("*testing.T") != std::string::npos) parts.tests.push_back(name);
        continue;
      }
      parts.problem = "line " + line + ": a top-level " + type + " (the file's package clause and imports stay as generated)";
    }
  }
  return parts;
}

// The last Go test the file defines ("TestVigilRunCmd"): the model's tests are named after it.
std::string last_go_test(std::string_view content) {
  std::string name = "TestVigil";
  for (size_t at = content.find("func Test"); at != std::string_view::npos; at = content.find("func Test", at + 1)) {
    size_t end = at + 5;
    while (end < content.size() && is_word_char(content[end])) ++end;
    name = std::string(content.substr(at + 5, end - at - 5));
  }
  return name;
}

std::string comment_prefix(Kind kind) { return kind == Kind::python ? "# " : "// "; }

}  // namespace

bool model_extends(std::string_view framework) { return kind_of(framework) != Kind::none; }

ModelPrompt model_prompt(const GeneratedTest& test, const FunctionInfo& function, const Template& family,
                         std::string_view language_id) {
  const Kind kind = kind_of(test.framework);
  const std::string id = test.test_names.empty() ? function.name : test.test_names.front();
  std::string naming;
  switch (kind) {
    case Kind::python:
      naming = "top-level functions named test_" + id + "_model_1, test_" + id + "_model_2, ... (plain functions: the file's " +
               test.framework + " setup collects them)";
      break;
    case Kind::javascript:
      naming = "top-level test('" + id + " (model 1): ...', ...) calls, as the existing test does";
      break;
    case Kind::go: {
      const std::string base = last_go_test(test.content);
      naming = "top-level func " + base + "Model1(t *testing.T), " + base + "Model2, ... using only the packages the file already imports";
      break;
    }
    case Kind::none: break;
  }
  ModelPrompt p;
  p.system =
      "You write security unit tests. You extend an existing generated test file with a few more cases of the same "
      "vulnerability family. Answer with exactly one fenced code block that holds only the new tests, nothing else.";
  std::string payloads;
  for (const auto& x : family.payloads) payloads += "  - " + x + "\n";
  p.user = "Language: " + std::string(language_id) + "\nTest framework: " + test.framework + "\nVulnerability: " + family.title + " (" +
           test.cwe + ")\nFunction under test: " + function.name + "\n\n```\n" + function.text + "\n```\n\n" +
           "The test file " + test.path + " (run with `" + display_command(test.run_commands) + "`) is:\n\n```\n" + test.content +
           "\n```\n\nIts attack inputs so far:\n" + payloads +
           "\nWrite 1 to 3 further tests as " + naming +
           ". Each one calls the real function " + function.name +
           " through the file's helpers, with attack inputs of this family the file does not try yet (other encodings, "
           "separators, absolute or normalised paths, unicode look-alikes, boundary sizes), and checks the same property "
           "as the existing test. Each must fail while the function is vulnerable, pass once it is fixed the way a "
           "developer would fix it, and must not pass when the function does nothing: also check that an ordinary "
           "input still reaches the spied sink or gives a result. Do not repeat the file's header, imports or "
           "existing tests. No network access, no files written outside a temporary directory.\n";
  return p;
}

std::optional<ModelPrompt> model_prompt_for(const GeneratedTest& test, const document::Snapshot& snapshot,
                                            const TemplateSet& templates) {
  if (!model_extends(test.framework)) return std::nullopt;
  const auto function = find_function(snapshot, test.function);
  const Template* family = templates.by_family(template_language(*snapshot.language), test.family);
  if (!function || !family) return std::nullopt;
  return model_prompt(test, *function, *family, snapshot.language->id);
}

ModelMerge merge_model_tests(GeneratedTest& test, std::string_view answer, const grammars::Language& test_language,
                             std::string_view model_name) {
  ModelMerge out;
  const Kind kind = kind_of(test.framework);
  if (kind == Kind::none) {
    out.reason = "the " + test.framework + " test layout is not extended by a model";
    return out;
  }
  if (answer.size() > kMaxAnswer) {
    out.reason = "the model's answer is larger than " + std::to_string(kMaxAnswer / 1024) + " KiB";
    return out;
  }
  const std::string code = code_of(answer);
  if (code.empty()) {
    out.reason = "the model's answer holds no code";
    return out;
  }
  const auto alone = document::Snapshot::parse(test.path, test_language, code);
  if (ts_node_has_error(alone->root())) {
    out.reason = "the model's code does not parse (" + first_error(alone->root()) + " of its answer)";
    return out;
  }
  const Parts parts = top_level(*alone, kind);
  if (!parts.problem.empty()) {
    out.reason = "the model's code was refused: " + parts.problem;
    return out;
  }
  if (parts.tests.empty()) {
    out.reason = "the model's code defines no test that " + test.framework + " would run";
    return out;
  }
  for (const auto& name : parts.defined)
    if (!name.empty() && defines(test.content, name)) {
      out.reason = "the model's code redefines " + name + ", which the test file already has";
      return out;
    }

  const std::string c = comment_prefix(kind);
  std::string block = "\n\n" + c + "--- Added by the model " + std::string(model_name.empty() ? "endpoint" : model_name) +
                      " (vigil gen-tests --with-model): checked to parse only; review it like any contributed test.\n" + code + "\n";
  if (test.framework == "unittest")
    // unittest collects TestCase methods, not module functions: one case per model test function.
    for (const auto& name : parts.tests)
      if (name.starts_with("test"))
        block += "\n\nclass Test_" + name + "(unittest.TestCase):\n    def test_" + name + "(self):\n        " + name + "()\n";
  std::string content = test.content;
  if (!content.ends_with("\n")) content += "\n";
  content += block;
  const auto whole = document::Snapshot::parse(test.path, test_language, content);
  if (ts_node_has_error(whole->root())) {
    out.reason = "the test file with the model's code does not parse (" + first_error(whole->root()) + ")";
    return out;
  }
  test.content = std::move(content);
  test.unchanged = false;
  for (const auto& t : parts.tests) test.test_names.push_back(t);
  out.kept = true;
  out.test_names = parts.tests;
  return out;
}

}  // namespace vigil::testgen
