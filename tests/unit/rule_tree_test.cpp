// ast-grep rule objects: atomic, relational and composite rules, utils, constraints, the loader's
// errors and the engine's findings for `rule:` rules. Expected results were checked against
// ast-grep 0.51.1 (`ast-grep scan -r rule.yml`).
#include <catch2/catch.hpp>

#include "analyzers/budget.hpp"
#include "analyzers/document/document.hpp"
#include "analyzers/engine.hpp"
#include "analyzers/match/imports.hpp"
#include "analyzers/match/regex_cache.hpp"
#include "analyzers/match/rule_tree.hpp"
#include "analyzers/match/words.hpp"
#include "analyzers/rules/fixture_tests.hpp"
#include "analyzers/rules/loader.hpp"
#include "analyzers/rules/sources.hpp"

#include <pthread.h>
#include <re2/re2.h>

#include <chrono>
#include <functional>
#include <random>

using namespace vigil;
using namespace vigil::match;

namespace {

using V = std::vector<std::string>;

// Texts of every node matched by a rule core (`rule`, `utils`, `constraints`) written in YAML.
V hits(std::string_view lang_name, const std::string& yaml, const std::string& code,
       std::map<std::string, std::string>* first_vars = nullptr) {
  const auto& lang = *grammars::by_name(lang_name);
  YAML::Node doc = YAML::Load(yaml);
  RuleCompiler compiler(lang, doc["utils"]);
  auto rule = compiler.compile(doc["rule"], doc["constraints"]);
  auto snap = document::Snapshot::parse("t", lang, code);
  MatchInput in{snap->text, &lang};
  V out;
  for (const auto& m : rule->find_all(in, snap->root())) {
    out.emplace_back(in.node_text(m.node));
    if (first_vars && out.size() == 1)
      for (const auto& [k, v] : m.env.single) (*first_vars)[k] = std::string(in.node_text(v));
  }
  return out;
}

// The error a rule core fails to compile with, as "line:col: message" (1-based).
std::string compile_error(std::string_view lang_name, const std::string& yaml) {
  YAML::Node doc = YAML::Load(yaml);
  try {
    RuleCompiler compiler(*grammars::by_name(lang_name), doc["utils"]);
    compiler.compile(doc["rule"], doc["constraints"]);
  } catch (const RuleError& e) {
    return std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " + e.what();
  }
  return "no error";
}

const rules::Problem* first_error(const rules::LoadResult& r) {
  for (const auto& p : r.problems)
    if (p.level == rules::Problem::Level::error) return &p;
  return nullptr;
}

}  // namespace

// The ASCII form of a rule regex (match::Regex) matches exactly where its Unicode form does, on
// every text of ASCII bytes: RE2's \w, \d, \W, \D are the Unicode classes restricted to ASCII, and
// \s written out keeps \v. Each regex below: its Unicode form as rule_tree.cpp writes it, and its
// ASCII form.
TEST_CASE("Regex: the ASCII form matches where the Unicode form does on ASCII texts") {
  const std::string word = "[\\p{L}\\p{M}\\p{Nd}\\p{Pc}]", space = "\\t\\n\\v\\f\\r \\x{85}\\p{Z}";
  const std::vector<std::pair<std::string, std::string>> forms = {
      {"^" + word + "+$", "^\\w+$"},
      {"(?i)(ctx|context|ldap" + word + "*|" + word + "*template)$", "(?i)(ctx|context|ldap\\w*|\\w*template)$"},
      {"[" + space + "]", "[\\t\\n\\v\\f\\r ]"},
      {"^[^" + space + ",]+[^" + space + "]$", "^[^\\t\\n\\v\\f\\r ,]+[^\\t\\n\\v\\f\\r ]$"},
      {"[^\\p{L}\\p{M}\\p{Nd}\\p{Pc}]\\p{Nd}\\P{Nd}", "\\W\\d\\D"},
      {"(?i)k.s", "(?i)k.s"},
      {"(?s)^.{3}$", "(?s)^.{3}$"},
  };
  std::vector<std::string> texts = {"", "ctx", "myLdapTemplate", "KS", "k\ns", "a\vb", "x_1", "é"};
  const std::string alphabet = "aK_1 ,\v\t\nsxé.";
  for (char a : alphabet)
    for (char b : alphabet)
      for (char c : alphabet) texts.push_back(std::string{a, b, c});
  for (const auto& [unicode, ascii] : forms) {
    const match::Regex both(unicode, ascii), only(unicode);
    CHECK(both.error().empty());
    for (const auto& t : texts) {
      INFO(ascii << " on `" << t << "`");
      CHECK(both.search(t) == only.search(t));
    }
  }
  // An invalid regex reports the Unicode form's error.
  const match::Regex bad("(" + word, "(\\w");
  CHECK_FALSE(bad.error().empty());
}

TEST_CASE("rules: kind, regex and nthChild") {
  CHECK(hits("python", "rule: {kind: string}", "x = 'a'\ny = 1\n") == V{"'a'"});
  // regex is unanchored, on the node's text (Rust's is_match).
  CHECK(hits("javascript", "rule: {kind: identifier, regex: 'ev.l'}", "eval(x); medieval(y); z();") ==
        V{"eval", "medieval"});
  // \w, \d and \s are Unicode-aware, as in Rust's regex.
  CHECK(hits("python", "rule: {kind: identifier, regex: '^\\w+$'}", "naïve = 1\n") == V{"naïve"});
  CHECK(hits("python", "rule: {kind: identifier, regex: '^v\\d$'}", "v١ = 1\nvx = 2\n") == V{"v١"});
  // A failed `all` leaves no binding behind: the next child may bind $V afresh.
  CHECK(hits("python", "rule: {kind: argument_list, has: {nthChild: 2, pattern: $V}}", "f(a, b)\n") == V{"(a, b)"});
  CHECK(hits("go", "rule: {kind: call_expression, regex: '^os\\.'}",
             "package p\nfunc f() { os.Exit(1); fmt.Println(os.Args) }\n") == V{"os.Exit(1)"});
  // nthChild counts named siblings, 1-based.
  CHECK(hits("javascript", "rule: {kind: number, nthChild: 3}", "[1,2,3,4]") == V{"3"});
  CHECK(hits("javascript", "rule: {kind: number, nthChild: {position: 2n + 2}}", "[1,2,3,4]") == V{"2", "4"});
  CHECK(hits("javascript", "rule: {kind: number, nthChild: {position: 2n + 2, reverse: true}}", "[1,2,3,4]") ==
        V{"1", "3"});
  CHECK(hits("javascript", "rule: {kind: number, nthChild: {position: 2n + 2, ofRule: {regex: '2|3'}}}",
             "[1,2,3,4]") == V{"3"});
  CHECK(hits("java", "rule: {kind: formal_parameter, nthChild: 1}",
             "class A { void f(int a, String b) {} void g(long c) {} }") == V{"int a", "long c"});
}

TEST_CASE("rules: inside, has, follows, precedes with stopBy and field") {
  const std::string py = "def f():\n    if a:\n        eval(x)\n    eval(y)\n\neval(z)\n";
  // inside: neighbor (the parent only) by default, `end` for any ancestor.
  CHECK(hits("python", "rule: {pattern: eval($X), inside: {kind: function_definition}}", py).empty());
  CHECK(hits("python", "rule: {pattern: eval($X), inside: {kind: function_definition, stopBy: end}}", py) ==
        V{"eval(x)", "eval(y)"});
  // stopBy a rule: the search ends at (and includes) the first node matching it.
  CHECK(hits("python", "rule: {pattern: eval($X), inside: {kind: function_definition, stopBy: {kind: if_statement}}}",
             py) == V{"eval(y)"});
  // field: inside the `condition` of an if.
  CHECK(hits("javascript", "rule: {kind: call_expression, inside: {kind: parenthesized_expression, field: condition}}",
             "if (ok()) { run(); }") == V{});
  CHECK(hits("javascript",
             "rule: {kind: parenthesized_expression, has: {kind: call_expression}, inside: {kind: if_statement, "
             "field: condition}}",
             "if (ok()) { run(); }") == V{"(ok())"});
  // has: children by default, descendants with `end`; field selects one child.
  CHECK(hits("python", "rule: {kind: function_definition, has: {pattern: eval($X)}}", py).empty());
  CHECK(hits("python", "rule: {kind: function_definition, has: {pattern: eval($X), stopBy: end}}", py).size() == 1);
  CHECK(hits("python", "rule: {kind: keyword_argument, has: {field: value, kind: string}}",
             "f(a='x', b=1, c=\"y\")\n") == V{"a='x'", "c=\"y\""});
  // follows / precedes: the previous / next sibling, or any with `end`.
  const std::string js = "var b = 2; alert(b); var a = 1;";
  CHECK(hits("javascript", "rule: {pattern: var a = 1, follows: {pattern: var b = 2}}", js).empty());
  CHECK(hits("javascript", "rule: {pattern: var a = 1, follows: {pattern: var b = 2, stopBy: end}}", js) ==
        V{"var a = 1;"});
  CHECK(hits("javascript", "rule: {pattern: var b = 2, precedes: {pattern: var a = 1, stopBy: end}}", js) ==
        V{"var b = 2;"});
  CHECK(hits("c", "rule: {kind: return_statement, follows: {kind: expression_statement}}",
             "int f(void) { g(); return 1; }") == V{"return 1;"});
  CHECK_THAT(compile_error("javascript", "rule: {kind: identifier, follows: {kind: number, field: left}}"),
             Catch::Contains("field is only supported in has/inside"));
  CHECK_THAT(compile_error("javascript", "rule: {kind: identifier, has: {kind: number, field: nosuchfield}}"),
             Catch::Contains("invalid field nosuchfield"));
  CHECK_THAT(compile_error("javascript", "rule: {kind: identifier, has: {kind: number, stopBy: somewhere}}"),
             Catch::Contains("expected `neighbor`, `end` or a rule object"));
}

TEST_CASE("rules: all binds in order, any keeps one branch, not and matches") {
  std::map<std::string, std::string> vars;
  // all: bindings flow from the first rule into the second.
  CHECK(hits("python", "rule: {all: [{pattern: '$A = $B'}, {has: {field: right, pattern: '$A + 1'}}]}",
             "x = x + 1\ny = x + 1\n", &vars) == V{"x = x + 1"});
  CHECK(vars["A"] == "x");
  // any: the bindings of the branch that matched.
  vars.clear();
  CHECK(hits("javascript", "rule: {any: [{all: [{pattern: 'foo($A)'}, {regex: impossible}]}, {pattern: 'foo($B)'}]}",
             "foo(123)", &vars) == V{"foo(123)"});
  CHECK(vars.count("A") == 0);
  CHECK(vars["B"] == "123");
  CHECK(hits("cpp", "rule: {kind: call_expression, not: {regex: '^std::'}}", "void f() { std::move(x); g(y); }") ==
        V{"g(y)"});
  // matches: local utils, which may use each other.
  CHECK(hits("python",
             "utils: {is-call: {kind: call}, is-eval: {all: [{matches: is-call}, {regex: '^eval'}]}}\n"
             "rule: {matches: is-eval}",
             "eval(a)\nexec(b)\n") == V{"eval(a)"});
  // A util may refer to itself through a relational rule (recursion), but not directly.
  CHECK(hits("javascript",
             "utils: {nested: {any: [{kind: number}, {kind: array, has: {matches: nested}}]}}\n"
             "rule: {kind: array, matches: nested}",
             "[[[1]]]; [['a']];") == V{"[[[1]]]", "[[1]]", "[1]"});
  CHECK_THAT(compile_error("python", "utils: {a: {matches: b}, b: {any: [{matches: a}]}}\nrule: {matches: a}"),
             Catch::Contains("cyclic util rules"));
  CHECK_THAT(compile_error("python", "rule: {matches: nowhere}"), Catch::Contains("undefined util rule `nowhere`"));
}

TEST_CASE("rules: constraints filter (and may bind) single metavariables") {
  CHECK(hits("python", "rule: {pattern: 'isinstance($A, $T)'}\nconstraints: {T: {kind: tuple}}",
             "isinstance(a, (int, str))\nisinstance(b, int)\n") == V{"isinstance(a, (int, str))"});
  // In Go, $B binds the right-hand expression_list (its text is the metavariable), as in ast-grep.
  CHECK(hits("go", "rule: {pattern: '$A := $B'}\nconstraints: {B: {regex: '^(os|exec)\\.'}}",
             "package p\nfunc f() { a := os.Getenv(x); b := 2; c := exec.Command(z) }\n") ==
        V{"a := os.Getenv(x)", "c := exec.Command(z)"});
  std::map<std::string, std::string> vars;
  CHECK(hits("javascript", "rule: {pattern: '$A = $B'}\nconstraints: {B: {pattern: '$C + $D'}}", "a = a; b = 1 + 2;",
             &vars) == V{"b = 1 + 2"});
  CHECK(vars["C"] == "1");
}

TEST_CASE("rules: compile errors say where and what") {
  CHECK(compile_error("python", "rule:\n  kind: functoin_definition\n") ==
        "2:9: Kind `functoin_definition` is invalid for python");
  CHECK_THAT(compile_error("python", "rule:\n  regex: '(unclosed'\n"), Catch::StartsWith("2:10: invalid regex"));
  CHECK_THAT(compile_error("javascript", "rule:\n  pattern: 'a b c'\n"), Catch::StartsWith("2:12: invalid pattern"));
  CHECK_THAT(compile_error("python", "rule:\n  kind: call\n  transform: x\n"),
             Catch::StartsWith("3:3: unknown rule key `transform`"));
  CHECK_THAT(compile_error("python", "rule:\n  inside: {stopBy: end}\n"),
             Catch::Contains("Rule must have one positive matcher"));
  CHECK_THAT(compile_error("javascript", "rule: {kind: number, nthChild: 'n + 3n'}"), Catch::Contains("invalid nthChild"));
}

TEST_CASE("loader: ast-grep rule files load, with errors at file:line:col") {
  const std::string good =
      "id: py-eval\nlanguage: Python\nseverity: error\nmessage: eval of $X\nnote: Why it matters\n"
      "url: https://example.com/eval\nrule:\n  pattern: eval($X)\nfix: safe_eval($X)\n";
  auto r = rules::load_rules_from_yaml("r.yaml", good);
  REQUIRE(r.rules.size() == 1);
  CHECK_FALSE(r.has_errors());
  CHECK(r.rules[0]->note == "Why it matters");
  CHECK(r.rules[0]->metadata.references == V{"https://example.com/eval"});
  CHECK(r.rules[0]->matchers.at(0)->rule_tree() != nullptr);

  auto bad = rules::load_rules_from_yaml("r.yaml", "id: a\nlanguage: python\nmessage: m\nrule:\n  kind: nope\n");
  REQUIRE(first_error(bad));
  CHECK(first_error(bad)->to_string() == "r.yaml:5:9: error: Kind `nope` is invalid for python");
  CHECK(bad.rules.empty());
  // A kind with a NUL byte (YAML's "\0") that starts with a real kind: refused, not read past the
  // end of the grammar's shorter symbol name (fuzz/pattern found it under ASan).
  bad = rules::load_rules_from_yaml("r.yaml", "id: a\nlanguage: python\nmessage: m\nrule:\n  kind: \"pair\\0\\0\\0\\0\\0\\0\\0\\0\"\n");
  CHECK(first_error(bad));
  CHECK(bad.rules.empty());
  bad = rules::load_rules_from_yaml("r.yaml", "id: a\nlanguage: python\nmessage: m\nrule:\n  kind: \"pair\\0\"\n");
  CHECK(first_error(bad));
  CHECK(bad.rules.empty());

  bad = rules::load_rules_from_yaml("r.yaml", "id: a\nlanguage: python\nmessage: m\nrule:\n  regex: '^eval'\n");
  REQUIRE(first_error(bad));
  CHECK_THAT(first_error(bad)->message, Catch::StartsWith("Rule must specify a set of AST kinds"));

  for (const char* key : {"transform", "rewriters"}) {
    bad = rules::load_rules_from_yaml("r.yaml", "id: a\nlanguage: python\nmessage: m\nrule: {kind: call}\n" +
                                                    std::string(key) + ": {}\n");
    REQUIRE(first_error(bad));
    CHECK(first_error(bad)->line == 5);
    CHECK_THAT(first_error(bad)->message, Catch::StartsWith("unsupported key `" + std::string(key) + "`"));
  }
  // A pattern with a syntax error still loads (ast-grep accepts it) but is worth a warning.
  auto warned = rules::load_rules_from_yaml("r.yaml", "id: a\nlanguage: python\nmessage: m\nrule:\n  kind: call\n"
                                                      "  has: {pattern: 'foo('}\n");
  CHECK(warned.rules.size() == 1);
  CHECK(std::any_of(warned.problems.begin(), warned.problems.end(), [](const rules::Problem& p) {
    return p.level == rules::Problem::Level::warning && p.line == 6 && p.message.find("does not parse cleanly") != std::string::npos;
  }));
  // ast-grep's `severity: off` turns the rule off.
  auto off = rules::load_rules_from_yaml("r.yaml", "id: a\nlanguage: python\nmessage: m\nseverity: off\nrule: {kind: call}\n");
  CHECK(off.rules.empty());
  CHECK_FALSE(off.has_errors());

  bad = rules::load_rules_from_yaml("r.yaml", "id: a\nlanguage: python\nmessage: m\nmode: taint\n");
  REQUIRE(first_error(bad));
  CHECK_THAT(first_error(bad)->message, Catch::Contains("a taint rule needs `sources`"));
}

TEST_CASE("loader: util rule files shared by rule files") {
  std::vector<rules::Problem> problems;
  auto utils = rules::load_util_files(
      {{".vigil/rules/utils/is-exec.yml", "id: is-exec\nlanguage: python\nrule:\n  pattern: os.system($$$)\n"}},
      problems);
  CHECK(problems.empty());
  rules::LoadOptions options;
  options.global_utils = utils;
  auto r = rules::load_rules_from_yaml("r.yaml", "id: a\nlanguage: python\nmessage: m\nrule:\n  matches: is-exec\n", options);
  REQUIRE(r.rules.size() == 1);
  RuleSet set;
  set.add(r.rules[0]);
  auto snap = document::Snapshot::parse("t.py", *grammars::by_name("python"), "os.system(cmd)\nos.path.join(a)\n");
  auto findings = analyze(set, *snap);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].start.row == 0);

  problems.clear();
  rules::load_util_files({{"utils/a.yml", "id: a\nlanguage: python\nrule: {matches: b}\n"},
                          {"utils/b.yml", "id: b\nlanguage: python\nrule: {not: {matches: a}}\n"}},
                         problems);
  REQUIRE(!problems.empty());
  CHECK_THAT(problems[0].message, Catch::Contains("cyclic util rules"));
  CHECK(rules::is_util_file(".vigil/rules/utils/x.yml"));
  CHECK(rules::is_util_file("builtin:utils/x.yaml"));
  CHECK_FALSE(rules::is_util_file(".vigil/rules/python/x.yml"));
}

TEST_CASE("engine: findings of rule: rules carry the node range, message and fix") {
  auto r = rules::load_rules_from_yaml(
      "r.yaml",
      "id: js-log\nlanguage: JavaScript\nmessage: 'console.$M with $$$ARGS'\nfixApplicability: safe\n"
      "rule:\n  pattern: console.$M($$$ARGS)\n  inside: {kind: function_declaration, stopBy: end}\n"
      "fix: logger.$M($$$ARGS)\n");
  REQUIRE(r.rules.size() == 1);
  RuleSet set;
  set.add(r.rules[0]);
  auto snap = document::Snapshot::parse("t.js", *grammars::by_name("javascript"),
                                        "console.log(1);\nfunction f() {\n  console.warn(a, b);\n}\n");
  auto findings = analyze(set, *snap);
  REQUIRE(findings.size() == 1);
  const auto& f = findings[0];
  CHECK(f.message == "console.warn with a, b");
  CHECK(snap->text.substr(f.start_byte, f.end_byte - f.start_byte) == "console.warn(a, b)");
  REQUIRE(f.fix);
  CHECK(f.fix->replacement == "logger.warn(a, b)");
  CHECK(f.fix->safe);
  CHECK(f.fix->start_byte == f.start_byte);
  CHECK(f.fix->end_byte == f.end_byte);
}

TEST_CASE("test-rules: ast-grep style tests blocks") {
  const std::string rule =
      "id: py-eval\nlanguage: python\nmessage: m\nrule:\n  pattern: eval($X)\n"
      "tests:\n  valid: ['safe_eval(x)', 'ast.literal_eval(x)']\n  invalid: ['eval(x)', 'y = eval(input())']\n";
  auto reports = rules::run_fixtures({{"rules/py-eval.yaml", rule}}, {});
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].passed);
  CHECK(reports[0].positives == 2);
  CHECK(reports[0].negatives == 2);
  // A wrong expectation fails and names the snippet.
  auto broken = rule;
  broken.replace(broken.find("'safe_eval(x)'"), 14, "'eval(q)'");
  reports = rules::run_fixtures({{"rules/py-eval.yaml", broken}}, {});
  REQUIRE(reports.size() == 1);
  CHECK_FALSE(reports[0].passed);
  REQUIRE(reports[0].failures.size() == 1);
  CHECK_THAT(reports[0].failures[0], Catch::Contains("tests.valid snippet `eval(q)` has a finding"));
}

namespace {
// Texts of every node a rule core matches, with the memo of relational results and the cheap-first
// order of `all` (inside a per-analysis scope) or without either.
V hits_memo(std::string_view lang_name, const std::string& yaml, const std::string& code, bool memo,
            std::map<std::string, std::string>* first_vars = nullptr) {
  set_memo_for_testing(memo);
  std::optional<WideChildrenCache> scope;
  scope.emplace();
  V out = hits(lang_name, yaml, code, first_vars);
  set_memo_for_testing(true);
  return out;
}

// Every finding as text: rule, place, message (metavariables filled in), fix, trace length.
V describe(const std::vector<Finding>& findings) {
  V out;
  for (const auto& f : findings)
    out.push_back(f.rule_id() + " " + std::to_string(f.start_byte) + "-" + std::to_string(f.end_byte) + " [" +
                  std::to_string(f.extent_start) + "-" + std::to_string(f.extent_end) + "] " + f.message +
                  (f.fix ? " fix:" + f.fix->replacement : "") + " trace:" + std::to_string(f.trace.size()));
  return out;
}

// Findings of `rules` on `code` with the memo and the cheap-first order on or off. A rule compiles on
// first use and keeps what it compiled: each setting needs rules loaded for it.
V analyze_with(const std::vector<rules::RulePtr>& loaded, const grammars::Language& lang, const std::string& code,
               bool memo) {
  set_memo_for_testing(memo);
  RuleSet set;
  for (const auto& r : loaded) set.add(r);
  auto snap = document::Snapshot::parse("t", lang, code);
  V out = describe(analyze(set, *snap));
  set_memo_for_testing(true);
  return out;
}

// Python whose functions, classes, loops, comprehensions and calls nest a few levels.
std::string nested_python(int copies) {
  std::string code = "import os\nfrom x import y\n\n";
  for (int i = 0; i < copies; ++i)
    code += "def f" + std::to_string(i) + "(a, b=1):\n    if a:\n        for x in a:\n            g(x, [h(y) for y in x])\n"
            "            os.system(x + b)\n    else:\n        eval(a)\n    return eval(a)\n\nclass C" + std::to_string(i) +
            ":\n    def m(self, q):\n        try:\n            return self.k(q, 1)\n        except E:\n            pass\n\n";
  return code;
}
}  // namespace

TEST_CASE("resolves: a name matches through the file's imports, the way the language resolves it") {
  const std::string py = "rule: {kind: call, has: {field: function, resolves: [os.system, hashlib.md5, subprocess.*]}}";
  CHECK(hits("python", py,
             "import os as o, hashlib\nfrom hashlib import md5 as h\nimport subprocess as sp\n"
             "o.system(a)\nh(b)\nhashlib.md5(c)\nsp.run(d)\nsystem(e)\nmd5(f)\nos2.system(g)\n") ==
        V{"o.system(a)", "h(b)", "hashlib.md5(c)", "sp.run(d)"});
  // Written fully qualified, with no import in sight; a wildcard import; a shadowing alias.
  CHECK(hits("python", py, "os.system(a)\n") == V{"os.system(a)"});
  CHECK(hits("python", py, "from os import *\nsystem(a)\n") == V{"system(a)"});
  CHECK(hits("python", py, "import posix as os\nos.system(a)\n").empty());
  // Imports inside a function count too (assistants write them there).
  CHECK(hits("python", py, "def f(x):\n    from os import system as run\n    run(x)\n") == V{"run(x)"});
  // ...and only there: another function's `run` is its own.
  CHECK(hits("python", py, "def f(x):\n    from os import system as run\n    run(x)\n\ndef g(y):\n    run(y)\n") ==
        V{"run(x)"});
  CHECK(hits("javascript", "rule: {kind: call_expression, has: {field: function, resolves: child_process.exec}}",
             "function f(d) {\n  const { exec } = require('child_process');\n  exec(d);\n}\nfunction g(d) { exec(d); }\n") ==
        V{"exec(d)"});

  const std::string js = "rule: {kind: call_expression, has: {field: function, resolves: [child_process.exec, crypto.createHash]}}";
  CHECK(hits("javascript", js,
             "const cp = require('child_process');\nconst { exec: run, spawn } = require('node:child_process');\n"
             "import * as c from 'crypto';\nimport { createHash as ch } from 'crypto';\n"
             "const ex = require('child_process').exec;\n"
             "cp.exec(a);\nrun(b);\nc.createHash(x);\nch(y);\nex(z);\nrequire('child_process').exec(w);\n"
             "spawn(q);\nre.exec(s);\nexec(t);\n") ==
        V{"cp.exec(a)", "run(b)", "c.createHash(x)", "ch(y)", "ex(z)", "require('child_process').exec(w)"});
  CHECK(hits("typescript", js, "import cp from 'child_process';\ncp?.exec(a);\ncp\n  .exec(b);\n") ==
        V{"cp?.exec(a)", "cp\n  .exec(b)"});

  const std::string go = "rule: {kind: call_expression, has: {field: function, resolves: [os/exec.Command, crypto/md5.Sum, github.com/go-chi/chi/v5.URLParam]}}";
  CHECK(hits("go", go,
             "package p\nimport (\n\tex \"os/exec\"\n\t\"crypto/md5\"\n\t\"github.com/go-chi/chi/v5\"\n)\n"
             "func f() { ex.Command(a); md5.Sum(b); chi.URLParam(r, c); exec.Command(d) }\n") ==
        V{"ex.Command(a)", "md5.Sum(b)", "chi.URLParam(r, c)"});

  const std::string java = "rule: {kind: method_invocation, has: {field: object, resolves: [java.security.MessageDigest, java.lang.Runtime]}}";
  CHECK(hits("java", java,
             "import java.security.*;\nclass C { void f() { MessageDigest.getInstance(a); "
             "java.security.MessageDigest.getInstance(b); Runtime.getRuntime(); other.MessageDigest.getInstance(c); } }\n") ==
        V{"MessageDigest.getInstance(a)", "java.security.MessageDigest.getInstance(b)", "Runtime.getRuntime()"});
  CHECK(hits("java", java, "class C { void f() { MessageDigest.getInstance(a); } }\n").empty());
  CHECK(hits("java", java, "import com.example.MessageDigest;\nimport java.security.*;\nclass C { void f() { MessageDigest.getInstance(a); } }\n").empty());

  CHECK(compile_error("python", "rule: {resolves: {a: b}}") == "1:18: `resolves` must be a qualified name or a list of them");
  CHECK(compile_error("python", "rule: {resolves: []}") == "1:18: `resolves` needs at least one qualified name");
}

TEST_CASE("relational memo: hand-written rules give the same matches and bindings with and without it") {
  const std::string code = nested_python(4);
  const std::vector<std::string> rules = {
      "rule: {kind: identifier, inside: {kind: for_statement, stopBy: end}}",
      "rule: {kind: call, inside: {kind: function_definition, stopBy: end, has: {kind: return_statement, stopBy: end}}}",
      "rule: {kind: identifier, not: {inside: {kind: class_definition, stopBy: end}}}",
      "rule: {kind: call, inside: {stopBy: end, kind: block, inside: {stopBy: end, kind: if_statement}}}",
      "rule: {kind: function_definition, has: {stopBy: end, kind: call, has: {stopBy: end, kind: identifier, regex: '^y$'}}}",
      "rule: {pattern: $F($$$), inside: {stopBy: end, kind: function_definition, has: {stopBy: end, pattern: $F}}}",
      "rule: {kind: identifier, inside: {stopBy: {kind: block}, kind: if_statement}}",
      "rule: {kind: identifier, inside: {stopBy: end, field: body, kind: for_statement}}",
      "rule: {all: [{inside: {kind: module, stopBy: end}}, {kind: integer}]}",
      "rule: {kind: call, has: {stopBy: end, pattern: $X}, inside: {stopBy: end, has: {stopBy: end, pattern: $X, kind: "
      "identifier}}}",
      "rule: {kind: identifier, pattern: $N, precedes: {stopBy: end, has: {stopBy: end, pattern: $N}}}",
      "rule: {kind: identifier, pattern: $N, follows: {stopBy: end, has: {stopBy: end, pattern: $N}}}",
      "rule: {kind: return_statement, has: {stopBy: {kind: call}, pattern: $R, kind: identifier}, inside: {stopBy: end, "
      "kind: function_definition, has: {stopBy: end, pattern: $R, kind: identifier}}}",
      // Partial bindings of a failed `all` inside `not`, then read further on.
      "rule: {kind: identifier, pattern: $A, not: {inside: {stopBy: end, all: [{has: {stopBy: end, pattern: $A}}, "
      "{kind: class_definition}]}}}",
      // Utils, recursive through relational rules, and constraints.
      "utils: {up: {any: [{kind: function_definition}, {inside: {matches: up}}]}}\nrule: {kind: identifier, matches: up}",
      "utils: {down: {any: [{kind: integer}, {has: {matches: down}}]}}\nrule: {kind: call, has: {stopBy: end, matches: "
      "down}}",
      "utils: {arg: {pattern: $V, kind: identifier}}\nrule: {pattern: $F($$$), has: {stopBy: end, matches: arg}, "
      "inside: {stopBy: end, has: {stopBy: end, pattern: $V}}}",
      "rule: {pattern: $F($$$A), inside: {stopBy: end, kind: function_definition, has: {stopBy: end, pattern: $F}}}\n"
      "constraints: {F: {regex: '^(g|h|eval)$'}}",
  };
  for (const auto& r : rules) {
    INFO(r);
    std::map<std::string, std::string> fresh_vars, memo_vars;
    const auto fresh = hits_memo("python", r, code, false, &fresh_vars);
    CHECK(hits_memo("python", r, code, true, &memo_vars) == fresh);
    CHECK(memo_vars == fresh_vars);
  }
}

TEST_CASE("relational memo: every built-in rule on every fixture, the same findings with and without it") {
  const auto loaded = rules::load_builtin_rules(), loaded_off = rules::load_builtin_rules();
  REQUIRE_FALSE(loaded.has_errors());
  size_t files = 0, findings = 0;
  for (const auto& file : rules::builtin_pack()) {
    if (rules::is_rule_file(file.path) || file.path.find("/utils/") != std::string::npos) continue;
    const auto* lang = grammars::by_path(file.path);
    if (!lang) continue;
    INFO(file.path);
    const V fresh = analyze_with(loaded_off.rules, *lang, file.content, false);
    CHECK(analyze_with(loaded.rules, *lang, file.content, true) == fresh);
    ++files, findings += fresh.size();
  }
  CHECK(files > 100);
  CHECK(findings > 300);
}

TEST_CASE("relational memo: random rules (nested relations, metavariables, utils), findings and incremental ones") {
  // Rule objects drawn at random from Python node kinds, patterns with metavariables, regexes and
  // every relational rule with every stopBy; each is analysed with and without the memo, whole and
  // after an edit (incremental analysis relies on knowing which matches looked at the top level).
  std::mt19937 rng(20261203);
  auto pick = [&](std::initializer_list<const char*> xs) { return std::string(xs.begin()[rng() % xs.size()]); };
  std::function<std::string(int)> rule = [&](int depth) -> std::string {
    const int choice = static_cast<int>(rng() % (depth <= 0 ? 4 : 11));
    switch (choice) {
      case 0: return "{kind: " + pick({"identifier", "call", "block", "function_definition", "if_statement", "integer",
                                       "for_statement", "return_statement", "module", "argument_list"}) + "}";
      case 1: return "{pattern: " + pick({"$X", "$Y", "$F($$$)", "$F($$$A)", "eval($X)", "$X + $Y", "$_"}) + "}";
      case 2: return "{regex: '" + pick({"^e", "a", "x", "^self", "\\\\("}) + "'}";
      case 3: return "{kind: identifier, pattern: " + pick({"$X", "$Y", "$N"}) + "}";
      case 4:
      case 5:
      case 6:
      case 7: {
        const std::string rel = pick({"inside", "has", "follows", "precedes", "inside", "has"});
        std::string stop = pick({"end", "end", "neighbor", "{kind: block}", "{kind: function_definition}"});
        std::string field;
        if ((rel == "inside" || rel == "has") && rng() % 5 == 0) field = ", field: " + pick({"body", "arguments", "function"});
        std::string inner = rule(depth - 1);
        inner.pop_back();  // add stopBy (and field) to the inner rule object
        return "{" + rel + ": " + inner + ", stopBy: " + stop + field + "}}";
      }
      case 8: return "{all: [" + rule(depth - 1) + ", " + rule(depth - 1) + "]}";
      case 9: return "{any: [" + rule(depth - 1) + ", " + rule(depth - 1) + "]}";
      default: return "{not: " + rule(depth - 1) + ", kind: " + pick({"identifier", "call", "block"}) + "}";
    }
  };
  const auto& python = *grammars::by_name("python");
  const std::string code = nested_python(3);
  std::string edited = code;
  edited.insert(code.find("class C1"), "z = eval(q) + w\n\n");
  int compared = 0, matched = 0;
  for (int i = 0; i < 250; ++i) {
    std::string yaml = "id: r" + std::to_string(i) + "\nlanguage: python\nseverity: warning\nmessage: m $X $Y $N $F $A\n";
    if (rng() % 4 == 0)
      yaml += "utils:\n  u: " + pick({"{any: [{kind: function_definition}, {inside: {matches: u}}]}",
                                      "{any: [{kind: integer}, {has: {matches: u, stopBy: end}}]}",
                                      "{any: [{pattern: $X, kind: integer}, {has: {matches: u}}]}"}) +
              "\nrule: {all: [" + rule(3) + ", {matches: u}]}\n";
    else
      yaml += "rule: " + rule(4) + "\n";
    auto loaded = rules::load_rules_from_yaml("r.yaml", yaml), loaded_off = rules::load_rules_from_yaml("r.yaml", yaml);
    if (loaded.has_errors() || loaded.rules.empty()) continue;
    INFO(yaml);
    const V fresh = analyze_with(loaded_off.rules, python, code, false);
    CHECK(analyze_with(loaded.rules, python, code, true) == fresh);
    // Incremental, with the memo, against a fresh whole analysis without it.
    const V fresh_edited = analyze_with(loaded_off.rules, python, edited, false);
    {
      RuleSet set;
      for (const auto& r : loaded.rules) set.add(r);
      auto before = document::Snapshot::parse("t", python, code);
      auto now = document::Snapshot::parse("t", python, edited);
      const auto first = analyze(set, *before);
      CHECK(describe(analyze_incremental(set, *now, *before, first)) == fresh_edited);
    }
    ++compared, matched += fresh.empty() ? 0 : 1;
  }
  CHECK(compared > 80);
  CHECK(matched > 40);
}

TEST_CASE("relational memo: six nested inside/has and recursive utils stay polynomial") {
  // A small file; without the memo each level multiplies the work by the file's size.
  std::string code;
  for (int i = 0; i < 40; ++i) code += "def f" + std::to_string(i) + "(a, b):\n    return g(a + b * 2, [a, b, (a, b)])\n";
  auto nested = [](int depth, const std::string& innermost) {
    std::string rule = innermost;
    for (int i = 0; i < depth; ++i) rule = std::string((depth - i) % 2 == 1 ? "{inside: " : "{has: ") + rule.substr(0, rule.size() - 1) + ", stopBy: end}}";
    return "rule: {kind: identifier, all: [" + rule + "]}";
  };
  const size_t identifiers = hits("python", "rule: {kind: identifier}", code).size();
  REQUIRE(identifiers == 400);
  const auto start = std::chrono::steady_clock::now();
  // Metavariables bound deep inside (the hostile-workspace rule) and pure kinds.
  CHECK(hits_memo("python", nested(6, "{pattern: $X}"), code, true).size() == identifiers);
  CHECK(hits_memo("python", nested(8, "{pattern: $X}"), code, true).size() == identifiers);
  CHECK(hits_memo("python", nested(6, "{kind: integer}"), code, true).size() == identifiers);
  // A util recursing through inside with stopBy end: every ancestor asks for its own ancestors.
  CHECK(hits_memo("python", "utils: {u: {any: [{kind: module}, {inside: {matches: u, stopBy: end}, kind: identifier}]}}\n"
                            "rule: {kind: identifier, inside: {stopBy: end, matches: u}}",
                  code, true)
            .size() == identifiers);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 10);
  // And the same matches as without the memo, on a file small enough to evaluate that way.
  const std::string small = "def f(a):\n    return g(a, [a, (a, 1)])\n";
  CHECK(hits_memo("python", nested(6, "{pattern: $X}"), small, true) == hits_memo("python", nested(6, "{pattern: $X}"), small, false));
}

TEST_CASE("all: cheap conditions run first unless metavariables tie the order") {
  // The same matches whatever the order written: the relational condition written first runs last.
  const std::string code = "def f(a):\n    eval(a)\n    print(a)\n\neval(b)\n";
  CHECK(hits("python", "rule: {all: [{inside: {kind: function_definition, stopBy: end}}, {kind: call}, {regex: '^eval'}]}",
             code) == V{"eval(a)"});
  // With metavariables the written order decides bindings, as in ast-grep: `has` binds $X first (to
  // the first identifier among the arguments).
  CHECK(hits("python", "rule: {all: [{has: {pattern: $X, kind: identifier, stopBy: end, field: arguments}}, {pattern: print($X)}]}", code) ==
        V{"print(a)"});
}

TEST_CASE("all: a pure constraint is tested as soon as no later step can touch its metavariable") {
  // F's constraint is tested right after the pattern binds it, before the walk of the function:
  // the same matches as testing it after the whole rule.
  const std::string code = "def f(a):\n    eval(a)\n    print(a)\n\neval(b)\nprint(b)\n";
  const std::string early =
      "rule: {all: [{pattern: $F($A)}, {not: {inside: {kind: function_definition, stopBy: end}}}]}\n"
      "constraints: {F: {regex: ^eval$}}";
  CHECK(hits_memo("python", early, code, true) == V{"eval(b)"});
  CHECK(hits_memo("python", early, code, false) == V{"eval(b)"});
  // A later step that meets X again re-points it to the later occurrence (as ast-grep does), where
  // the constraint's verdict differs: its test waits for the end of the rule.
  // (`has` of a child: through the memo of a walking relation the re-pointed binding is not kept.)
  const std::string late =
      "rule: {all: [{pattern: $X + $Y}, {has: {pattern: g($X)}}]}\n"
      "constraints: {X: {inside: {kind: argument_list, stopBy: end}}}";
  const std::string code2 = "x + g(x)\n";
  CHECK(hits_memo("python", late, code2, true) == V{"x + g(x)"});
  CHECK(hits_memo("python", late, code2, false) == V{"x + g(x)"});
}

TEST_CASE("utils: compiled utils are freed with the rules that use them (no reference cycle)") {
  // The server compiles rules again on every reload: a util kept alive by a cycle leaks each time.
  const auto& lang = *grammars::by_name("python");
  const size_t before = live_util_slots();
  {
    auto globals = std::make_shared<GlobalUtils>();
    globals->add({"g-up", "utils/g-up.yml", {"python"},
                  YAML::Load("id: g-up\nlanguage: python\nrule: {any: [{kind: function_definition}, {inside: {matches: g-up}}]}")});
    globals->add({"g-call", "utils/g-call.yml", {}, YAML::Load("id: g-call\nrule: {kind: call, matches: g-up}")});
    std::weak_ptr<const GlobalUtils> weak = globals;
    {
      YAML::Node doc = YAML::Load("utils: {u: {any: [{kind: integer}, {has: {matches: u}}]}}\n"
                                  "rule: {kind: call, has: {matches: u, stopBy: end}, matches: g-call}");
      RuleCompiler compiler(lang, doc["utils"], globals);
      auto rule = compiler.compile(doc["rule"]);
      CHECK(live_util_slots() == before + 3);
      auto snap = document::Snapshot::parse("t", lang, "def f():\n    g(1)\nh(2)\n");
      MatchInput in{snap->text, &lang};
      CHECK(rule->find_all(in, snap->root()).size() == 1);
      globals.reset();
      CHECK_FALSE(weak.expired());  // the rule keeps its global utils
    }
    CHECK(weak.expired());
  }
  CHECK(live_util_slots() == before);
  // And through the loader, as a reload does.
  for (int i = 0; i < 2; ++i) {
    auto loaded = rules::load_rules_from_yaml(
        "r.yaml", "id: r\nlanguage: python\nseverity: warning\nmessage: m\nutils:\n  u:\n    any: [{kind: integer}, {has: "
                  "{matches: u}}]\nrule: {kind: call, has: {matches: u}}\n");
    REQUIRE_FALSE(loaded.has_errors());
    RuleSet set;
    for (const auto& r : loaded.rules) set.add(r);
    auto snap = document::Snapshot::parse("t", lang, "g(1)\n");
    CHECK(analyze(set, *snap).size() == 1);
  }
  CHECK(live_util_slots() == before);
}

TEST_CASE("utils: recursion that can come back to the same node is refused when the rule loads") {
  // inside then has (or follows then precedes) can return to the node it started from, with the
  // same util to match there: the recursion never ends (issue 18: a cloned repository's rule
  // crashed `vigil check` and the server). One direction, or two that both move the same way in
  // document order (inside and follows), always ends.
  const std::string never = "can reach itself by moving both";
  CHECK_THAT(compile_error("python", "utils: {u: {any: [{inside: {matches: u}}, {has: {matches: u}}, {kind: call}]}}\n"
                                     "rule: {kind: expression_statement, matches: u}"),
             Catch::Contains(never) && Catch::Contains("`u`"));
  CHECK_THAT(compile_error("python", "utils: {u: {any: [{follows: {matches: u}}, {precedes: {matches: u}}, {kind: return_statement}]}}\n"
                                     "rule: {kind: expression_statement, matches: u}"),
             Catch::Contains(never));
  // One relation inside another, through a second util, through `not`, through stopBy and ofRule.
  CHECK_THAT(compile_error("python", "utils: {u: {any: [{kind: call}, {inside: {has: {matches: u}}}]}}\nrule: {matches: u}"),
             Catch::Contains(never));
  CHECK_THAT(compile_error("python", "utils: {a: {any: [{kind: call}, {inside: {matches: b}}]}, b: {not: {has: {matches: a}}}}\n"
                                     "rule: {kind: call, matches: a}"),
             Catch::Contains(never));
  CHECK_THAT(compile_error("python", "utils: {u: {any: [{kind: call}, {inside: {kind: block, stopBy: {matches: u}}},"
                                     " {has: {matches: u}}]}}\nrule: {kind: call, matches: u}"),
             Catch::Contains(never));
  CHECK_THAT(compile_error("python", "utils: {u: {kind: call, nthChild: {position: 1, ofRule: {matches: u}}}}\nrule: {matches: u}"),
             Catch::Contains(never));
  // Util files (global utils) are refused the same way, on their file.
  std::vector<rules::Problem> problems;
  rules::load_util_files({{"utils/a.yml", "id: a\nlanguage: python\nrule: {any: [{kind: call}, {follows: {matches: b}}]}\n"},
                          {"utils/b.yml", "id: b\nlanguage: python\nrule: {precedes: {matches: a}}\n"}},
                         problems);
  REQUIRE(!problems.empty());
  CHECK_THAT(problems[0].message, Catch::Contains(never));
  CHECK_THAT(problems[0].path, Catch::StartsWith("utils/"));
  // Recursion that always ends still loads and matches.
  CHECK(hits("python", "utils: {u: {any: [{kind: function_definition}, {inside: {matches: u}}]}}\nrule: {kind: call, matches: u}",
             "def f():\n    g(1)\nh(2)\n") == V{"g(1)"});
  CHECK(hits("python", "utils: {u: {any: [{regex: '^x'}, {follows: {matches: u}}]}}\n"
                       "rule: {kind: expression_statement, matches: u}",
             "a = 1\nx = 2\nb = 3\nc = 4\n") == V{"x = 2", "b = 3", "c = 4"});
  CHECK(hits("python", "utils: {u: {any: [{kind: function_definition}, {inside: {matches: u}}, {follows: {matches: u}}]}}\n"
                       "rule: {kind: call, matches: u}",
             "def f():\n    g(1)\nh(2)\n") == V{"g(1)", "h(2)"});
}

TEST_CASE("utils: recursion deeper than any syntax tree is cut short and reported, never a stack overflow") {
  // A util recursing through precedes walks on one sibling per level: a file of 30,000
  // statements recurses 30,000 levels from its first one, deeper than the nesting bound any walk is sized for. It
  // stops at kMaxUtilRecursion with budget::Exceeded (a reported, skipped file). Run on a thread
  // with vigil's stack size, as every analysis is.
  std::string code;
  for (int i = 0; i < 30000; ++i) code += "a" + std::to_string(i) + " = 1\n";
  std::string error;
  size_t found = 0;
  auto body = [&] {
    try {
      found = hits("python", "utils: {u: {any: [{regex: '^nothing'}, {precedes: {matches: u}}]}}\n"
                             "rule: {kind: expression_statement, matches: u}",
                   code)
                  .size();
    } catch (const budget::Exceeded& e) {
      error = e.what();
    }
  };
  pthread_attr_t attr;
  REQUIRE(pthread_attr_init(&attr) == 0);
  REQUIRE(pthread_attr_setstacksize(&attr, size_t{256} << 20) == 0);
  pthread_t thread;
  REQUIRE(pthread_create(&thread, &attr, [](void* f) -> void* { (*static_cast<decltype(body)*>(f))(); return nullptr; }, &body) == 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  CHECK(found == 0);
  CHECK_THAT(error, Catch::Contains("util rule `u` recursed deeper than"));
  // 1,000 siblings stay under the bound and match normally.
  code.clear();
  for (int i = 0; i < 1000; ++i) code += "a" + std::to_string(i) + " = 1\n";
  code += "x = 2\n";
  CHECK(hits("python", "utils: {u: {any: [{regex: '^x'}, {precedes: {matches: u}}]}}\nrule: {kind: expression_statement, matches: u}",
             code).size() == 1001);
}

TEST_CASE("prefilter words: regex literals, every branch of an `any`, the names `resolves` accepts") {
  using O = std::optional<V>;
  CHECK(regex_literals("^xpath$") == O{V{"xpath"}});
  CHECK(regex_literals("^((lxml\\.)?etree\\.)?(XPath|ETXPath)$") == O{V{"ETXPath", "XPath"}});
  CHECK(regex_literals("^(find|findall|iterfind|findtext)$") == O{V{"find", "findall", "findtext", "iterfind"}});
  // A group of literal alternatives joins the literal text around it.
  CHECK(regex_literals("^(os\\.(system|popen)|subprocess\\.getoutput)$") == O{V{"os.popen", "os.system", "subprocess.getoutput"}});
  CHECK(regex_literals("^(md5|sha1)\\.New$") == O{V{"md5.New", "sha1.New"}});
  CHECK(regex_literals("^(crypto|hashlib)\\.(md5|sha1)\\(") == O{V{"crypto.md5(", "crypto.sha1(", "hashlib.md5(", "hashlib.sha1("}});
  CHECK(regex_literals("x(ab)+y") == O{V{"xab"}});
  // Optional parts, classes, repetitions and `.` end a literal; what is left must be 3 bytes long.
  CHECK(regex_literals("^@[\\w.]*\\.(route|get|post)\\(") == O{V{".get(", ".post(", ".route("}});
  CHECK(regex_literals("^(request\\.|self\\.request\\.)?session$") == O{V{"session"}});
  CHECK(regex_literals("abcd?e") == O{V{"abc"}});
  CHECK(regex_literals("xy+zzz") == O{V{"zzz"}});
  CHECK(regex_literals("a{0,2}bcd") == O{V{"bcd"}});
  // Nothing certain: an empty or short alternative, a wholly optional group, flags, Unicode classes.
  CHECK(regex_literals("^(abc|)$") == std::nullopt);
  CHECK(regex_literals("^(abc|de)$") == std::nullopt);
  CHECK(regex_literals("(abc)?") == std::nullopt);
  CHECK(regex_literals("(?i)password") == std::nullopt);
  CHECK(regex_literals("\\p{L}+name") == std::nullopt);
  CHECK(regex_literals("caf\xC3\xA9?s") == std::nullopt);

  // Whatever a regex matches holds one of its literals.
  // (No structured binding: clang 14 refuses a lambda capturing one.)
  for (const auto& pair : std::vector<std::pair<std::string, std::string>>{
           {"^(os\\.(system|popen)|subprocess\\.getoutput)$", "os.popen"},
           {"^[rfRF]*[\"'](\\.|/)|\\[@", "'//a[@b]'"},
           {"(?:abc|abd)e+f", "abdeeef"},
           {"x[a-z]{2,}yzw(uv|uvw)", "xabyzwuvw"}}) {
    const std::string& re = pair.first;
    const std::string& text = pair.second;
    re2::RE2 compiled(re);
    REQUIRE(compiled.ok());
    REQUIRE(re2::RE2::PartialMatch(text, compiled));
    auto literals = regex_literals(re);
    if (!literals) continue;
    CHECK(std::any_of(literals->begin(), literals->end(), [&](const std::string& l) { return text.find(l) != std::string::npos; }));
  }

  auto may = [](std::string_view lang_name, const std::string& yaml, std::string_view text) {
    const auto& lang = *grammars::by_name(lang_name);
    YAML::Node doc = YAML::Load(yaml);
    RuleCompiler compiler(lang, doc["utils"]);
    auto rule = compiler.compile(doc["rule"]);
    return rule->may_match(TextWords(text));
  };
  const std::string xpath = "rule: {all: [{any: [{pattern: $X.$F($E)}, {pattern: '$X.$F($E, $$$)'}]}, "
                            "{has: {field: function, has: {field: attribute, regex: '^xpath$'}}}]}";
  CHECK_FALSE(may("python", xpath, "def f(x):\n    return x.find('a')\n"));
  CHECK(may("python", xpath, "def f(x):\n    return tree.xpath(x)\n"));
  // An `any`: a text needs a word of some branch; a branch without words leaves the rule open.
  const std::string any = "rule: {any: [{pattern: hashlib.md5($$$)}, {pattern: sha1($$$)}]}";
  CHECK_FALSE(may("python", any, "print(1)\n"));
  CHECK(may("python", any, "sha1(b)\n"));
  CHECK(may("python", "rule: {any: [{pattern: hashlib.md5($$$)}, {kind: call}]}", "print(1)\n"));
  // `resolves`: the last member of a target is in the text, written or imported under an alias.
  const std::string resolves = "rule: {kind: call, has: {field: function, resolves: [os.system, os.popen]}}";
  CHECK_FALSE(may("python", resolves, "import os\nos.getcwd()\n"));
  CHECK(may("python", resolves, "from os import system as run\nrun(x)\n"));
  // And its first segment, which names the module in the import (or is written): a target `x.*`
  // too, whose last member is any.
  CHECK_FALSE(may("python", "rule: {kind: call, has: {field: function, resolves: [subprocess.*]}}", "print(1)\n"));
  CHECK(may("python", "rule: {kind: call, has: {field: function, resolves: [subprocess.*]}}", "import subprocess as sp\nsp.run(x)\n"));
  CHECK_FALSE(may("python", "rule: {kind: call, has: {field: function, resolves: hashlib.new}}", "h = new(x)\n"));
  CHECK(may("python", "rule: {kind: call, has: {field: function, resolves: hashlib.new}}", "from hashlib import new as n\nn('md5')\n"));
  CHECK(may("javascript", "rule: {kind: call_expression, has: {field: function, resolves: child_process.exec}}",
            "const {exec: run} = require('node:child_process');\nrun(cmd);\n"));
  // An `any` of a regex and a `resolves` (a util per API): the resolves branch offers the module,
  // not the short last member (`New` is in most Go files).
  const std::string weak_new = "rule: {kind: call_expression, has: {field: function, any: [{regex: '^(md5|sha1)\\.New$'}, "
                               "{resolves: [crypto/md5.New, crypto/sha1.New]}]}}";
  CHECK_FALSE(may("go", weak_new, "package p\nfunc f() { h := sha256.New(); h.Write(b) }\n"));
  CHECK(may("go", weak_new, "package p\nimport h1 \"crypto/sha1\"\nfunc f() { h := h1.New(); h.Write(b) }\n"));
  CHECK(may("go", weak_new, "package p\nfunc f() { h := md5.New() }\n"));
  // Java imports java.lang.* unwritten: no module word for such a target.
  CHECK(may("java", "rule: {kind: method_invocation, has: {field: object, resolves: java.lang.Runtime}}",
            "class A { void f() { Runtime.getRuntime(); } }\n"));
  CHECK_FALSE(may("java", "rule: {kind: object_creation_expression, has: {field: type, resolves: java.util.Random}}",
                  "class A { void f() { new Random(); } }\n"));
  CHECK(may("java", "rule: {kind: object_creation_expression, has: {field: type, resolves: java.util.Random}}",
            "import java.util.*;\nclass A { void f() { new Random(); } }\n"));
  // Through a util and a relational rule; not through `not`.
  CHECK_FALSE(may("python", "utils: {u: {regex: '^eval$'}}\nrule: {kind: call, has: {field: function, matches: u}}", "print(1)\n"));
  CHECK(may("python", "rule: {kind: call, not: {regex: '^eval'}}", "print(1)\n"));
}

TEST_CASE("callee names: the last name a regex leaves a text, and the key of a call's callee") {
  using O = std::optional<V>;
  CHECK(regex_last_names("^((child_process|cp|require\\([\"'](node:)?child_process[\"']\\))\\.)?(exec|execSync)$") ==
        O{V{"exec", "execSync"}});
  CHECK(regex_last_names("^(os\\.(system|popen)|subprocess\\.getoutput)$") == O{V{"getoutput", "popen", "system"}});
  CHECK(regex_last_names("(^|\\.)(md5|sha1)$") == O{V{"md5", "sha1"}});
  CHECK(regex_last_names("\\.New$") == O{V{"New"}});
  CHECK(regex_last_names("^x$|^[a-z]+\\.y$") == O{V{"x", "y"}});
  // Nothing certain: the name may go on before the literal, or the text after it.
  CHECK(regex_last_names("exec$") == std::nullopt);
  CHECK(regex_last_names("^(cp\\.)?exec") == std::nullopt);
  CHECK(regex_last_names("^a*exec$") == std::nullopt);
  CHECK(regex_last_names("^(a|b)?exec$") == std::nullopt);
  CHECK(regex_last_names("^exec(Sync)?$") == std::nullopt);
  CHECK(regex_last_names("(?i)^exec$") == std::nullopt);
  CHECK(regex_last_names("^a|^b$") == std::nullopt);

  // Every text a regex matches ends with one of its names, after a `.` or alone.
  for (const auto& pair : std::vector<std::pair<std::string, std::string>>{
           {"^((child_process|cp)\\.)?(exec|execSync)$", "cp.execSync"},
           {"^((child_process|cp)\\.)?(exec|execSync)$", "exec"},
           {"(^|\\.)(md5|sha1)$", "hashlib.md5"},
           {"\\.New$", "a.b.New"}}) {
    const std::string& re = pair.first;
    const std::string& text = pair.second;
    REQUIRE(re2::RE2::PartialMatch(text, re2::RE2(re)));
    auto names = regex_last_names(re);
    REQUIRE(names);
    const auto dot = text.rfind('.');
    const std::string last = dot == std::string::npos ? text : text.substr(dot + 1);
    CHECK(std::find(names->begin(), names->end(), last) != names->end());
  }

  // Keys: the callee's name, or the member name that ends it; none for other callees.
  auto keys = [](std::string_view lang_name, const std::string& code) {
    const auto& lang = *grammars::by_name(lang_name);
    auto snap = document::Snapshot::parse("t", lang, code);
    MatchInput in{snap->text, &lang};
    const auto& kinds = CalleeKinds::of(lang);
    V out;
    std::function<void(TSNode)> walk = [&](TSNode n) {
      if (kinds.field(ts_node_symbol(n))) {
        const CalleeKey k = callee_key(in, n, kinds);
        out.push_back(k.field ? std::string(k.name) + (k.dotted ? "." : "") : "?");
      }
      for (uint32_t i = 0; i < ts_node_child_count(n); ++i) walk(ts_node_child(n, i));
    };
    walk(snap->root());
    return out;
  };
  CHECK(keys("javascript", "cp.exec(a); exec(b); a?.b.run(c); new RegExp(d); f()(e); a[0](f);") ==
        V{"exec.", "exec", "run.", "RegExp", "?", "f", "?"});
  CHECK(keys("python", "os.system(a)\nsystem(b)\nx[0](c)\n") == V{"system.", "system", "?"});
  CHECK(keys("go", "package p\nfunc f() { exec.Command(a); g(b) }\n") == V{"Command.", "g"});
  CHECK(keys("java", "class A { void f() { rt.exec(a); exec(b); new File(c); new java.io.File(d); } }") ==
        V{"exec", "exec", "File", "File."});
  CHECK(keys("c", "void f() { system(a); p->run(b); }") == V{"system", "run"});
}

TEST_CASE("callee names: an `any` of calls of two kinds names the callees of each kind") {
  const auto& java = *grammars::by_name("java");
  const TSLanguage* tl = java.ts_language();
  auto symbol = [&](std::string_view name) { return ts_language_symbol_for_name(tl, name.data(), static_cast<uint32_t>(name.size()), true); };
  const TSSymbol invocation = symbol("method_invocation"), creation = symbol("object_creation_expression");
  const TSFieldId name = ts_language_field_id_for_name(tl, "name", 4), type = ts_language_field_id_for_name(tl, "type", 4);
  auto compile = [&](const std::string& yaml) {
    YAML::Node doc = YAML::Load(yaml);
    RuleCompiler compiler(java, doc["utils"]);
    return compiler.compile(doc["rule"], doc["constraints"]);
  };
  // `new File(...)` names its callee in `type`, `Paths.get(...)` in `name`: one set of names for
  // both kinds could say nothing, each kind's set does.
  const std::string paths = "{any: [{pattern: new File($$$)}, {pattern: new java.io.File($$$)}, {pattern: Paths.get($$$)}, {pattern: Path.of($$$)}]}";
  for (const std::string& yaml : {"rule: " + paths, "rule: {all: [" + paths + ", {not: {regex: '^new File\\(\\)$'}}]}",
                                  "utils: {p: " + paths + "}\nrule: {matches: p}"}) {
    INFO(yaml);
    auto m = compile(yaml);
    REQUIRE(m->names_callees());
    const auto& made = m->callee_names(creation);
    REQUIRE(made);
    CHECK(made->field == type);
    CHECK(made->names == V{"File"});
    const auto& called = m->callee_names(invocation);
    REQUIRE(called);
    CHECK(called->field == name);
    CHECK(called->names == V{"get", "of"});
    // Each name lets its calls through, and only those.
    auto snap = document::Snapshot::parse("t", java, "class A { void f() { new File(a); Paths.get(b); new Thread(c); list.get(d); x.run(e); } }");
    MatchInput in{snap->text, &java};
    const auto& kinds = CalleeKinds::of(java);
    V offered, found;
    std::function<void(TSNode)> walk = [&](TSNode n) {
      if (const auto& names = m->callee_names(ts_node_symbol(n)); names && kinds.field(ts_node_symbol(n))) {
        if (names->may_match(callee_key(in, n, kinds))) offered.emplace_back(in.node_text(n));
        Bindings env;
        if (m->match(in, n, env)) found.emplace_back(in.node_text(n));
      }
      for (uint32_t i = 0; i < ts_node_child_count(n); ++i) walk(ts_node_child(n, i));
    };
    walk(snap->root());
    CHECK(offered == V{"new File(a)", "Paths.get(b)", "list.get(d)"});
    CHECK(found == V{"new File(a)", "Paths.get(b)"});
  }
  // An alternative that says nothing of a kind's callees leaves that kind open, not the others.
  auto open = compile("rule: {any: [{pattern: new File($$$)}, {kind: method_invocation, regex: '^Paths'}]}");
  REQUIRE(open->callee_names(creation));
  CHECK(open->callee_names(creation)->names == V{"File"});
  CHECK_FALSE(open->callee_names(invocation));
  // A `has` on another field than the callee's says nothing of the callee (CalleeNames::may_match).
  auto object = compile("rule: {any: [{pattern: new File($$$)}, {kind: method_invocation, has: {field: object, regex: '^Paths$'}}]}");
  REQUIRE(object->callee_names(invocation));
  CHECK(object->callee_names(invocation)->field != name);
  // Two alternatives of one kind with different fields: nothing for that kind.
  auto mixed = compile("rule: {any: [{pattern: Paths.get($$$)}, {kind: method_invocation, has: {field: object, regex: '^Paths$'}}]}");
  CHECK_FALSE(mixed->callee_names(invocation));
  REQUIRE(mixed->callee_names(creation));
  CHECK(mixed->callee_names(creation)->field == 0);  // matches no object creation
}

TEST_CASE("callee names: every built-in rule and taint item matches only calls whose key it names") {
  // The claim the index rests on (RuleMatcher::callee_names), checked at every node of every
  // fixture, for tree rules and every taint source, sink, sanitizer and propagator.
  const auto loaded = rules::load_builtin_rules();
  REQUIRE_FALSE(loaded.has_errors());
  size_t named = 0, calls = 0, matched = 0;
  for (const auto& file : rules::builtin_pack()) {
    if (rules::is_rule_file(file.path) || file.path.find("/utils/") != std::string::npos) continue;
    const auto* lang = grammars::by_path(file.path);
    if (!lang) continue;
    INFO(file.path);
    auto snap = document::Snapshot::parse("t", *lang, file.content);
    MatchInput in{snap->text, lang};
    ImportCache imports;
    in.imports = &imports;
    const auto& kinds = CalleeKinds::of(*lang);
    std::vector<const RuleMatcher*> matchers;
    for (const auto& rule : loaded.rules) {
      const auto* m = rule->matcher_for(*lang);
      if (!m) continue;
      if (m->rule_tree()) matchers.push_back(m->rule_tree());
      if (const auto* spec = m->taint()) {
        auto add = [&](const std::shared_ptr<const NodeMatcher>& nm) {
          if (const auto* tree = dynamic_cast<const RuleMatcher*>(nm.get())) matchers.push_back(tree);
        };
        for (const auto& x : spec->sources) add(x.matcher);
        for (const auto& x : spec->sinks) add(x.matcher);
        for (const auto& x : spec->sanitizers) add(x.matcher);
        for (const auto& x : spec->propagators) add(x.matcher);
      }
    }
    std::erase_if(matchers, [](const RuleMatcher* m) { return !m->names_callees(); });
    named += matchers.size();
    std::function<void(TSNode)> walk = [&](TSNode n) {
      if (kinds.field(ts_node_symbol(n))) {
        ++calls;
        const CalleeKey key = callee_key(in, n, kinds);
        for (const RuleMatcher* m : matchers) {
          const auto& names = m->callee_names(ts_node_symbol(n));
          if (!names) continue;
          Bindings env;
          if (!m->match(in, n, env)) continue;
          ++matched;
          INFO(in.node_text(n));
          CHECK(names->may_match(key));
        }
      }
      for (uint32_t i = 0; i < ts_node_child_count(n); ++i) walk(ts_node_child(n, i));
    };
    walk(snap->root());
  }
  CHECK(named > 500);
  CHECK(calls > 1000);
  CHECK(matched > 300);
}
