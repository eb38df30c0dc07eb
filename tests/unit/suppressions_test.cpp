#include <catch2/catch.hpp>

#include "analyzers/engine.hpp"
#include "analyzers/rules/loader.hpp"
#include "analyzers/suppressions.hpp"

using namespace vigil;

namespace {

// A rule flagging every call of `danger` in the five languages the suppression syntax covers.
std::string danger_rule(std::string_view lang, std::string_view call_kind, std::string_view fn_field) {
  return "id: danger-" + std::string(lang) + "\nlanguage: " + std::string(lang) +
         "\nseverity: error\nmessage: danger\nconstraint: no danger.\nquery: |\n  (" + std::string(call_kind) + " " +
         std::string(fn_field) + ": (_) @fn (#match? @fn \"danger$\")) @match\n";
}

struct Checked {
  std::vector<Finding> findings;
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const auto& f : findings) out.push_back(std::to_string(f.start.row + 1) + ":" + f.rule->id);
    return out;
  }
};

Checked check(std::string_view lang, const std::string& rule_yaml, std::string path, std::string text) {
  auto loaded = rules::load_rules_from_yaml("test.yaml", rule_yaml);
  REQUIRE_FALSE(loaded.has_errors());
  RuleSet set;
  for (auto& r : loaded.rules) set.add(r);
  auto snapshot = document::Snapshot::parse(path, *grammars::by_name(lang), std::move(text));
  return {apply_suppressions(*snapshot, analyze(set, *snapshot), set)};
}

}  // namespace

TEST_CASE("vigil-ignore above or on the line silences the named rule, in each comment syntax") {
  using V = std::vector<std::string>;
  SECTION("python") {
    auto r = check("python", danger_rule("python", "call", "function"), "a.py",
                   "def f(x):\n"
                   "    # vigil-ignore: danger-python -- input is a constant table\n"
                   "    danger(x)\n"
                   "    danger(x)  # vigil-ignore: danger-python -- same\n"
                   "    danger(x)\n");
    CHECK(r.lines() == V{"5:danger-python"});
  }
  SECTION("javascript, with a block comment and two stacked suppressions") {
    auto r = check("javascript", danger_rule("javascript", "call_expression", "function"), "a.js",
                   "function f(x) {\n"
                   "  /* vigil-ignore: danger-javascript -- vetted */\n"
                   "  danger(x);\n"
                   "  // vigil-ignore: other-rule -- not this one\n"
                   "  // vigil-ignore: danger-javascript -- stacked\n"
                   "  danger(x);\n"
                   "}\n");
    // other-rule is unknown: reported, and never "unused" on top of that.
    CHECK(r.lines() == V{"4:vigil-suppression-unknown-rule"});
  }
  SECTION("go") {
    auto r = check("go", danger_rule("go", "call_expression", "function"), "a.go",
                   "package p\nfunc f(x string) {\n\t// vigil-ignore: danger-go -- reviewed\n\tdanger(x)\n\tdanger(x)\n}\n");
    CHECK(r.lines() == V{"5:danger-go"});
  }
  SECTION("java") {
    auto r = check("java", danger_rule("java", "method_invocation", "name"), "A.java",
                   "class A {\n  void f(String x) {\n    // vigil-ignore: danger-java -- reviewed\n    danger(x);\n"
                   "    danger(x);\n  }\n}\n");
    CHECK(r.lines() == V{"5:danger-java"});
  }
  SECTION("c") {
    auto r = check("c", danger_rule("c", "call_expression", "function"), "a.c",
                   "void f(char *x) {\n  danger(x); // vigil-ignore: danger-c -- reviewed\n  danger(x);\n}\n");
    CHECK(r.lines() == V{"3:danger-c"});
  }
}

TEST_CASE("suppressions report their own problems") {
  using V = std::vector<std::string>;
  const auto rule = danger_rule("python", "call", "function");
  SECTION("a missing reason is a warning, but the finding is still silenced") {
    auto r = check("python", rule, "a.py", "danger(1)  # vigil-ignore: danger-python\n");
    CHECK(r.lines() == V{"1:vigil-suppression-no-reason"});
  }
  SECTION("a missing rule id silences nothing") {
    auto r = check("python", rule, "a.py", "# vigil-ignore -- trust me\ndanger(1)\n");
    CHECK(r.lines() == V{"1:vigil-suppression-no-reason", "2:danger-python"});
  }
  SECTION("a suppression that silences nothing is a hint") {
    auto r = check("python", rule, "a.py", "# vigil-ignore: danger-python -- was needed once\nsafe(1)\n");
    CHECK(r.lines() == V{"1:vigil-unused-suppression"});
    CHECK(r.findings[0].severity == rules::Severity::hint);
    CHECK(r.findings[0].message.find("danger-python") != std::string::npos);
  }
  SECTION("a blank line ends the reach of a suppression") {
    auto r = check("python", rule, "a.py", "# vigil-ignore: danger-python -- x\n\ndanger(1)\n");
    CHECK(r.lines() == V{"1:vigil-unused-suppression", "3:danger-python"});
  }
  SECTION("markers in strings and prose are not directives") {
    auto r = check("python", rule, "a.py",
                   "s = '# vigil-ignore: danger-python -- no'\ndanger(s)\n# we removed every nosemgrep marker\ndanger(s)\n");
    CHECK(r.lines() == V{"2:danger-python", "4:danger-python"});
  }
}

TEST_CASE("nosemgrep and ast-grep-ignore are honoured") {
  using V = std::vector<std::string>;
  const auto rule = danger_rule("python", "call", "function");
  auto r = check("python", rule, "a.py",
                 "danger(1)  # nosemgrep\n"
                 "danger(2)  # nosemgrep: danger-python\n"
                 "danger(3)  # nosemgrep: some-semgrep-rule\n"
                 "# ast-grep-ignore\n"
                 "danger(4)\n"
                 "# ast-grep-ignore: danger-python, other\n"
                 "danger(5)\n"
                 "safe(6)  # nosemgrep: danger-python\n"
                 "safe(7)  # nosemgrep\n");
  // Bare or foreign-rule directives that silence nothing belong to the other tool: not reported.
  CHECK(r.lines() == V{"3:danger-python", "8:vigil-unused-suppression"});
}
