#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "analyzers/budget.hpp"
#include "analyzers/engine.hpp"
#include "analyzers/parse_errors.hpp"
#include "analyzers/rules/loader.hpp"
#include "analyzers/workspace/files.hpp"

using namespace vigil;

namespace {

std::shared_ptr<const rules::Rule> load(const std::string& yaml) {
  auto loaded = rules::load_rules_from_yaml("test.yaml", yaml);
  REQUIRE_FALSE(loaded.has_errors());
  return loaded.rules.front();
}

const std::string kEvalRule =
    "id: no-eval\nlanguage: python\nseverity: error\nmessage: eval\nconstraint: no eval.\n"
    "rule:\n  kind: call\n  has:\n    field: function\n    regex: ^eval$\n  inside:\n    kind: function_definition\n    stopBy: end\n";

}  // namespace

TEST_CASE("a syntax error in one function does not hide a finding in the next") {
  RuleSet set;
  set.add(load(kEvalRule));
  const std::string text = "def broken(x:\n    return [x +\n\n\ndef handler(a):\n    return eval(a)\n";
  auto snapshot = document::Snapshot::parse("a.py", *grammars::by_name("python"), text);
  REQUIRE(ts_node_has_error(snapshot->root()));

  auto repaired = without_broken_statements(*snapshot);
  REQUIRE(repaired);
  CHECK(repaired->text.size() == text.size());        // offsets unchanged
  CHECK(repaired->text.substr(0, 4) == "    ");       // the broken def is blanked
  CHECK(repaired->text.substr(text.find("def handler")) == text.substr(text.find("def handler")));

  auto findings = analyze_recovering(set, *snapshot);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule->id == "no-eval");
  CHECK(findings[0].start.row == 5);
  CHECK(findings[0].fingerprint == fingerprint_of("no-eval", "eval(a)"));

  auto notes = parse_error_findings(*snapshot);
  REQUIRE_FALSE(notes.empty());
  CHECK(notes[0].rule->id == kParseError);
  CHECK(notes[0].severity == rules::Severity::info);
  CHECK(notes[0].start.row == 0);
  CHECK(notes[0].end.row == 0);  // the first line only
}

TEST_CASE("independent syntax errors are blanked together, beyond the old limit of 16 rounds") {
  RuleSet set;
  set.add(load(kEvalRule));
  // 24 broken one-line statements, each error within its own line, a finding between each pair.
  std::string text;
  for (int i = 0; i < 24; ++i)
    text += "v" + std::to_string(i) + " = )\n\ndef h" + std::to_string(i) + "(a):\n    return eval(a)\n\n";
  auto snapshot = document::Snapshot::parse("a.py", *grammars::by_name("python"), text);
  REQUIRE(parse_error_findings(*snapshot, 100).size() == 24);
  auto repaired = without_broken_statements(*snapshot);
  REQUIRE(repaired);
  CHECK_FALSE(ts_node_has_error(repaired->root()));  // every broken line blanked, none left over
  CHECK(repaired->text.size() == text.size());
  CHECK(analyze_recovering(set, *snapshot).size() == 24);
  // The incremental reparse gives the tree a fresh parse of the blanked text gives.
  auto fresh = document::Snapshot::parse("a.py", *grammars::by_name("python"), repaired->text);
  const auto sexp = [](TSNode n) {
    char* c = ts_node_string(n);
    std::string out(c);
    free(c);
    return out;
  };
  CHECK(sexp(fresh->root()) == sexp(repaired->root()));
}

TEST_CASE("recovery stops where it no longer changes the parse of other code") {
  const auto& c = *grammars::by_name("c");
  // An unclosed function at the end: tree-sitter closes it with a MISSING `}` at the end of the
  // text, which hides no code after it. Blanking the last statement for it only moved it up.
  auto unclosed = document::Snapshot::parse("a.c", c, "int g(void) { return 0; }\n\nint f(void) {\n  return 1;\n");
  REQUIRE(ts_node_has_error(unclosed->root()));
  CHECK_FALSE(without_broken_statements(*unclosed));
  // Missing semicolons: tree-sitter inserted the tokens and parsed on as written. No round starts
  // at a MISSING node: blanking the statement around it only took its code away.
  std::string text;
  for (int i = 0; i < 5; ++i) text += "int v" + std::to_string(i) + " = " + std::to_string(i) + "\n\n";
  text += "int main(void) { return v0; }\n";
  auto missing = document::Snapshot::parse("a.c", c, text);
  REQUIRE(parse_error_findings(*missing, 100).size() >= 4);
  CHECK_FALSE(without_broken_statements(*missing));
  // An ERROR after them still gets its round.
  auto both = document::Snapshot::parse("a.c", c, text + "int w = 1 f(2) g(3);\nint z = 2;\n");
  auto repaired = without_broken_statements(*both);
  REQUIRE(repaired);
  CHECK(repaired->text.find("int v0") != std::string::npos);
  CHECK(repaired->text.find("int w") == std::string::npos);
  CHECK(repaired->text.find("int z = 2;") != std::string::npos);
}

TEST_CASE("a clean file needs no recovery and has no parse note") {
  auto snapshot = document::Snapshot::parse("a.py", *grammars::by_name("python"), "x = 1\n");
  CHECK_FALSE(without_broken_statements(*snapshot));
  CHECK(parse_error_findings(*snapshot).empty());
}

TEST_CASE("the analysis budget stops a long analysis naming the rule") {
  RuleSet set;
  set.add(load(kEvalRule));
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "def f" + std::to_string(i) + "(a):\n    return eval(a)\n";
  auto snapshot = document::Snapshot::parse("a.py", *grammars::by_name("python"), text);
  budget::Scope scope(std::chrono::microseconds(1));
  try {
    (void)analyze(set, *snapshot);
    FAIL("the budget did not stop the analysis");
  } catch (const budget::Exceeded& e) {
    CHECK(e.running == "no-eval");
  }
}

TEST_CASE("without a budget, checkpoints never throw") {
  RuleSet set;
  set.add(load(kEvalRule));
  auto snapshot = document::Snapshot::parse("a.py", *grammars::by_name("python"), "def f(a):\n    return eval(a)\n");
  CHECK(analyze(set, *snapshot).size() == 1);
}

TEST_CASE("shebangs name the language of extensionless scripts") {
  using workspace::language_of_shebang;
  CHECK(language_of_shebang("#!/usr/bin/env python3\nimport os\n")->id == "python");
  CHECK(language_of_shebang("#!/usr/bin/python3.11 -u\n")->id == "python");
  CHECK(language_of_shebang("#!/usr/bin/env node\n")->id == "javascript");
  CHECK(language_of_shebang("#!/usr/bin/env -S node --no-warnings\n")->id == "javascript");
  CHECK(language_of_shebang("#!/usr/bin/env ts-node\n")->id == "typescript");
  CHECK(language_of_shebang("#!/bin/sh\n") == nullptr);
  CHECK(language_of_shebang("import os\n") == nullptr);
}

namespace {
// C++ text with a syntax error, repaired: the error is gone and every byte keeps its offset.
std::shared_ptr<const document::Snapshot> repaired_cpp(const std::string& text) {
  auto snapshot = document::Snapshot::parse("a.cc", *grammars::by_name("cpp"), text);
  REQUIRE(ts_node_has_error(snapshot->root()));
  auto repaired = without_broken_statements(*snapshot);
  REQUIRE(repaired);
  CHECK_FALSE(ts_node_has_error(repaired->root()));
  CHECK(repaired->text.size() == text.size());
  return repaired;
}
}  // namespace

TEST_CASE("C and C++ recovery keeps the preprocessor directives of a blanked statement") {
  // The `#endif` in column 0 inside the broken function is not a top-level statement: blanking from
  // it down unbalanced the `#ifdef`, and every later round repaired what the previous one broke.
  const std::string text =
      "int f() {\n#ifdef X\n  call(2);\n#endif\n  int v = 1 f(2) g(3);\n}\n"
      "int g(int v) { return v; }\n";
  const auto repaired = repaired_cpp(text);
  CHECK(repaired->text.find("#ifdef X\n") == text.find("#ifdef X\n"));
  CHECK(repaired->text.find("#endif\n") == text.find("#endif\n"));
  CHECK(repaired->text.find("call(2)") == std::string::npos);  // the function around the error is blanked
  CHECK(repaired->text.substr(text.find("int g(")) == text.substr(text.find("int g(")));
}

TEST_CASE("an ERROR of single tokens is blanked token by token, in one round") {
  // Attribute macros before a function, and a stray `=`: blanking whole lines took a round per
  // macro line and blanked the function holding the stray token.
  const std::string text = "int f() {\n  x = = 1;\n  return 0;\n}\nMACRO_ONE\nMACRO_TWO\nint g(int v) { return v; }\n";
  const auto repaired = repaired_cpp(text);
  CHECK(repaired->text.find("  return 0;\n") == text.find("  return 0;\n"));  // f is kept
  CHECK(repaired->text.find("g(int v) { return v; }") == text.find("g(int v) { return v; }"));
}

TEST_CASE("the second analysis matches statement-local rules only where recovery changed the text or the parse") {
  RuleSet set;
  set.add(load("id: eval-call\nlanguage: python\nseverity: error\nmessage: eval\nconstraint: no eval.\n"
               "rule: {pattern: eval($X)}\n"));
  // nthChild looks at siblings: a context-dependent rule.
  set.add(load("id: first-return\nlanguage: python\nseverity: info\nmessage: r\nconstraint: r.\n"
               "rule: {kind: return_statement, nthChild: 1}\n"));
  const std::string text =
      "def first(x):\n    return eval(x)\n\n\ndef broken(x:\n    return [x +\n\n\ndef handler(a):\n    return eval(a)\n";
  auto snapshot = document::Snapshot::parse("a.py", *grammars::by_name("python"), text);
  std::vector<std::pair<uint32_t, uint32_t>> changed;
  auto repaired = without_broken_statements(*snapshot, &changed);
  REQUIRE(repaired);
  REQUIRE_FALSE(changed.empty());
  const auto key = [](const Finding& f) { return f.rule->id + "@" + std::to_string(f.start_byte); };
  std::vector<std::string> partial, whole;
  for (const auto& f : analyze_changed(set, *repaired, changed)) partial.push_back(key(f));
  for (const auto& f : analyze(set, *repaired)) whole.push_back(key(f));
  const auto at = [&](const std::string& id, const std::string& code) { return id + "@" + std::to_string(text.find(code)); };
  // `first` is the same statement in both trees: its statement-local finding is the first analysis's.
  CHECK(std::find(whole.begin(), whole.end(), at("eval-call", "eval(x)")) != whole.end());
  CHECK(std::find(partial.begin(), partial.end(), at("eval-call", "eval(x)")) == partial.end());
  // `handler` was swallowed by the error: matched again.
  CHECK(std::find(partial.begin(), partial.end(), at("eval-call", "eval(a)")) != partial.end());
  // Context-dependent rules run on the whole tree.
  CHECK(std::find(partial.begin(), partial.end(), at("first-return", "return eval(x)")) != partial.end());
  // The recovering analysis finds what the first analysis and a whole second one find together.
  std::set<std::string> expected;
  for (const auto& f : analyze(set, *snapshot)) expected.insert(key(f));
  expected.insert(whole.begin(), whole.end());
  std::set<std::string> got;
  for (const auto& f : analyze_recovering(set, *snapshot)) got.insert(key(f));
  CHECK(got == expected);
}

TEST_CASE("the second analysis runs context-dependent rules at the top level and where the first saw them look there") {
  // Both rules count a function among the top-level statements: the stray `)` is one more (an
  // ERROR) until recovery blanks it. handler's statement itself is unchanged and apart from the
  // change, so the walk of the changed regions does not reach it: the top-level statement is
  // matched again for `third-def`, and the call inside it only because the first analysis noted
  // that the rule looked at the top level from there (its memo's spots).
  RuleSet set;
  set.add(load("id: third-def\nlanguage: python\nseverity: info\nmessage: d\nconstraint: d.\n"
               "rule: {kind: function_definition, nthChild: 3}\n"));
  set.add(load("id: call-in-third-def\nlanguage: python\nseverity: info\nmessage: c\nconstraint: c.\n"
               "rule:\n  kind: call\n  inside:\n    stopBy: end\n    kind: function_definition\n    nthChild: 3\n"));
  const std::string text = "x = 1\n)\ny = 2\n\n\ndef handler(a):\n    return eval(a)\n";
  auto snapshot = document::Snapshot::parse("a.py", *grammars::by_name("python"), text);
  const auto key = [](const Finding& f) { return f.rule->id + "@" + std::to_string(f.start_byte); };
  std::set<std::string> first;
  for (const auto& f : analyze(set, *snapshot)) first.insert(key(f));  // leaves the memo
  std::vector<std::pair<uint32_t, uint32_t>> changed;
  auto repaired = without_broken_statements(*snapshot, &changed);
  REQUIRE(repaired);
  REQUIRE_FALSE(changed.empty());
  const uint32_t handler = static_cast<uint32_t>(text.find("def handler"));
  for (const auto& [from, to] : changed) REQUIRE(to + 1 < handler);  // handler's statement is outside the regions
  const auto at = [&](const std::string& id, const std::string& code) { return id + "@" + std::to_string(text.find(code)); };
  std::set<std::string> whole, partial, without_memo;
  for (const auto& f : analyze(set, *repaired)) whole.insert(key(f));
  REQUIRE(whole.contains(at("third-def", "def handler")));
  REQUIRE(whole.contains(at("call-in-third-def", "eval(a)")));
  CHECK_FALSE(first.contains(at("third-def", "def handler")));
  CHECK_FALSE(first.contains(at("call-in-third-def", "eval(a)")));
  for (const auto& f : analyze_changed(set, *repaired, changed, {}, snapshot.get())) partial.insert(key(f));
  CHECK(partial == whole);
  // Without the earlier analysis (another snapshot, no memo): every node, the same findings.
  auto other = document::Snapshot::parse("a.py", *grammars::by_name("python"), text);
  for (const auto& f : analyze_changed(set, *repaired, changed, {}, other.get())) without_memo.insert(key(f));
  CHECK(without_memo == whole);
  std::set<std::string> got;
  for (const auto& f : analyze_recovering(set, *snapshot)) got.insert(key(f));
  std::set<std::string> expected = first;
  expected.insert(whole.begin(), whole.end());
  CHECK(got == expected);
}

TEST_CASE("test code by the default globs") {
  workspace::TestCodeSettings t;
  CHECK(workspace::is_test_code(t, "tests/test_app.py"));
  CHECK(workspace::is_test_code(t, "pkg/sub/test_app.py"));
  CHECK(workspace::is_test_code(t, "pkg/server_test.go"));
  CHECK(workspace::is_test_code(t, "web/app.spec.ts"));
  CHECK(workspace::is_test_code(t, "src/test/java/AppTest.java"));
  CHECK_FALSE(workspace::is_test_code(t, "src/app.py"));
  CHECK_FALSE(workspace::is_test_code(t, "src/contest.py"));
}

TEST_CASE("a tree nested deeper than kMaxNesting is refused before any walk recurses into it") {
  RuleSet set;
  set.add(load(kEvalRule));
  const auto& python = *grammars::by_name("python");
  auto nested = [&](unsigned levels) {
    return document::Snapshot::parse("a.py", python, "x = " + std::string(levels, '(') + "eval(a)" + std::string(levels, ')') + "\n");
  };
  CHECK_NOTHROW(analyze(set, *nested(2000)));
  try {
    (void)analyze(set, *nested(budget::kMaxNesting + 5));
    FAIL("the nesting bound did not stop the analysis");
  } catch (const budget::Exceeded& e) {
    CHECK(std::string(e.what()).find("nests deeper than " + std::to_string(budget::kMaxNesting)) != std::string::npos);
  }
  // An edit that deepens one statement is refused by the incremental analysis as well.
  auto before = document::Snapshot::parse("a.py", python, "y = 1\nx = 1\n");
  auto before_findings = analyze(set, *before);
  auto now = document::Snapshot::parse("a.py", python, "y = 1\nx = " + std::string(budget::kMaxNesting + 5, '(') + "1" +
                                                           std::string(budget::kMaxNesting + 5, ')') + "\n");
  CHECK_THROWS_AS(analyze_incremental(set, *now, *before, before_findings), budget::Exceeded);
}

// The depth of the deepest visible node below `n`, walking every node (what check_nesting did).
static unsigned full_depth(TSNode n) {
  unsigned deepest = 0;
  for (uint32_t i = 0; i < ts_node_child_count(n); ++i) deepest = std::max(deepest, 1 + full_depth(ts_node_child(n, i)));
  return deepest;
}

TEST_CASE("check_nesting refuses exactly the trees a walk of every node finds too deep") {
  // It walks only into subtrees with more descendants than the depth left: the bound must be the
  // same, level for level, in a deep spine beside wide shallow statements.
  const auto& python = *grammars::by_name("python");
  std::string text;
  for (int i = 0; i < 300; ++i) text += "a" + std::to_string(i) + " = [1, 2, 3, f(x, y), {'k': v}]\n";
  text += "x = " + std::string(40, '(') + "g(a, [b, (c)])" + std::string(40, ')') + "\n";
  auto snapshot = document::Snapshot::parse("a.py", python, text);
  const unsigned depth = full_depth(snapshot->root());
  REQUIRE(depth > 40);
  for (unsigned limit = depth - 3; limit <= depth + 3; ++limit) {
    INFO("limit " << limit << ", depth " << depth);
    if (limit >= depth) CHECK_NOTHROW(budget::check_nesting(snapshot->root(), limit));
    else CHECK_THROWS_AS(budget::check_nesting(snapshot->root(), limit), budget::Exceeded);
  }
}

TEST_CASE("a file cut short by its budget gets one warning on its first line") {
  auto snapshot = document::Snapshot::parse("a.py", *grammars::by_name("python"), "import os\nx = 1\n");
  const auto f = budget_exceeded_finding(*snapshot, "analysis took longer than the 5s budget (running: r)");
  CHECK(f.rule->id == kAnalysisBudget);
  CHECK(f.severity == rules::Severity::warning);
  CHECK(f.start.row == 0);
  CHECK(f.end.row == 0);
  CHECK(f.end_byte == 9);
  CHECK(f.message.find("5s budget (running: r)") != std::string::npos);
}
