#include <catch2/catch.hpp>

#include "analyzers/engine.hpp"
#include "analyzers/rules/fixture_tests.hpp"
#include "analyzers/rules/loader.hpp"
#include "analyzers/rules/sources.hpp"
#include "analyzers/rules/yaml_guard.hpp"

using namespace vigil;
using rules::Problem;

namespace {
const Problem* first_error(const rules::LoadResult& r) {
  for (const auto& p : r.problems)
    if (p.level == Problem::Level::error) return &p;
  return nullptr;
}

const char* kGood = R"(id: good
language: [python]
severity: error
message: "`$FN` is bad"
constraint: Never call bad.
metadata:
  cwe: [CWE-95, 78]
  category: injection
  confidence: high
query: |
  (call function: (identifier) @fn (#eq? @fn "bad")) @match
)";
}  // namespace

TEST_CASE("a sound rule loads with its metadata") {
  auto r = rules::load_rules_from_yaml("good.yaml", kGood);
  REQUIRE(r.problems.empty());
  REQUIRE(r.rules.size() == 1);
  const auto& rule = *r.rules[0];
  CHECK(rule.id == "good");
  CHECK(rule.severity == rules::Severity::error);
  CHECK(rule.metadata.cwe == std::vector<std::string>{"CWE-95", "CWE-78"});
  CHECK(rule.matchers.size() == 1);
}

TEST_CASE("loader errors say where and what") {
  SECTION("invalid YAML") {
    auto r = rules::load_rules_from_yaml("x.yaml", "id: a\nlanguage: [python\n");
    REQUIRE(first_error(r));
    CHECK(first_error(r)->to_string().rfind("x.yaml:3:1: error: invalid YAML", 0) == 0);
  }
  SECTION("unknown language, at the value") {
    std::string text = kGood;
    text.replace(text.find("[python]"), 8, "[python, cobol]");
    auto r = rules::load_rules_from_yaml("x.yaml", text);
    REQUIRE(first_error(r));
    CHECK(first_error(r)->line == 2);
    CHECK(first_error(r)->column == 20);
    CHECK(first_error(r)->message.rfind("unknown language `cobol`", 0) == 0);
    CHECK(r.rules.empty());
  }
  SECTION("a query error points into the block scalar") {
    std::string text = kGood;
    text.replace(text.find("(identifier)"), 12, "(identifer)");
    auto r = rules::load_rules_from_yaml("x.yaml", text);
    REQUIRE(first_error(r));
    CHECK(first_error(r)->line == 11);
    CHECK(first_error(r)->column == 20);
    CHECK(first_error(r)->message == "unknown node type 'identifer' for this language (language python)");
  }
  SECTION("missing fields and bad values") {
    auto r = rules::load_rules_from_yaml("x.yaml", "id: a\nlanguage: python\nseverity: fatal\nquery: \"(call) @match\"\n");
    std::vector<std::string> messages;
    for (const auto& p : r.problems) messages.push_back(p.message);
    CHECK(std::any_of(messages.begin(), messages.end(), [](const std::string& m) { return m.starts_with("missing `message`"); }));
    CHECK(std::find(messages.begin(), messages.end(), "severity must be one of error, warning, info, hint (got `fatal`)") !=
          messages.end());
  }
  SECTION("matchers this version does not implement are refused by name") {
    auto r = rules::load_rules_from_yaml("x.yaml",
                                         "id: a\nlanguage: python\nmessage: m\nrule:\n  pattern: eval($X)\n"
                                         "transform:\n  Y:\n    substring: {source: $X}\n");
    REQUIRE(first_error(r));
    CHECK(first_error(r)->message.rfind("unsupported key `transform`", 0) == 0);
    CHECK(first_error(r)->line == 6);
    CHECK(r.rules.empty());
  }
  SECTION("unknown keys only warn") {
    std::string text = std::string(kGood) + "colour: blue\n";
    auto r = rules::load_rules_from_yaml("x.yaml", text);
    CHECK(r.rules.size() == 1);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].level == Problem::Level::warning);
  }
  SECTION("one broken document does not take its siblings down") {
    std::string text = std::string(kGood) + "---\nid: broken\nlanguage: python\nmessage: m\nquery: \"(nope) @match\"\n";
    auto r = rules::load_rules_from_yaml("x.yaml", text);
    CHECK(r.rules.size() == 1);
    REQUIRE(first_error(r));
    CHECK(first_error(r)->rule_id == "broken");
    CHECK(first_error(r)->line == 16);
  }
}

TEST_CASE("messages interpolate captures") {
  auto r = rules::load_rules_from_yaml("good.yaml", kGood);
  RuleSet set;
  set.add(r.rules[0]);
  auto snap = document::Snapshot::parse("t.py", *grammars::by_name("python"), "x = 1\nbad(1)\n");
  auto findings = analyze(set, *snap);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "`bad` is bad");
  CHECK(findings[0].start.row == 1);
  CHECK(findings[0].fingerprint.size() == 32);
  // Moving the code keeps the fingerprint.
  auto moved = document::Snapshot::parse("t.py", *grammars::by_name("python"), "\n\n\nbad(1)\n");
  CHECK(analyze(set, *moved)[0].fingerprint == findings[0].fingerprint);
  CHECK(interpolate("$A and $b and $missing and $", {{"a", "1"}, {"b", "2"}}) == "1 and 2 and $missing and $");
}

TEST_CASE("fixture annotations") {
  const char* fixture = "# ruleid: r1, r2\nbad()\n# ok: r1 -- a note\n# ok: r2\n\nfine()\n# todoruleid: r1\nmissed()\n";
  auto a = rules::parse_annotations(fixture, "#", "r1");
  CHECK(a.ruleid == std::vector<uint32_t>{1});
  CHECK(a.ok == std::vector<uint32_t>{5});
  CHECK(a.todoruleid == std::vector<uint32_t>{7});
  auto b = rules::parse_annotations(fixture, "#", "r2");
  CHECK(b.ruleid == std::vector<uint32_t>{1});
  CHECK(b.ok == std::vector<uint32_t>{5});
}

TEST_CASE("fixture runs report missing and unexpected findings") {
  std::vector<rules::PackFile> pack = {
      {"p/good.yaml", kGood},
      {"p/good.py", "# ruleid: good\nbad(1)\n# ok: good\nbad(2)\n# ruleid: good\nfine()\n"},
  };
  auto reports = rules::run_fixtures(pack, {});
  REQUIRE(reports.size() == 1);
  CHECK_FALSE(reports[0].passed);
  CHECK(reports[0].failures == std::vector<std::string>{"p/good.py:6: expected a finding, got none",
                                                        "p/good.py:4: unexpected finding on an `ok:` line"});
}

TEST_CASE("YAML bombs and deep nesting are refused before anything walks them") {
  // Billion laughs: ten levels of nine aliases each.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'k'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) bomb += (i ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = std::string(1, c);
  }
  auto loaded = rules::load_rules_from_yaml("bomb.yaml", bomb + "id: bomb\nlanguage: python\nmessage: m\nrule: {kind: *k}\n", {});
  REQUIRE(loaded.rules.empty());
  REQUIRE(loaded.problems.size() == 1);
  CHECK(loaded.problems[0].message.find("aliases") != std::string::npos);

  const std::string deep = "id: deep\nlanguage: python\nmessage: m\nrule: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  loaded = rules::load_rules_from_yaml("deep.yaml", deep, {});
  REQUIRE(loaded.problems.size() == 1);
  CHECK(loaded.problems[0].message.find("nests more than") != std::string::npos);
  std::string compact = "id: c\nlanguage: python\nmessage: m\nrule:\n";
  for (int i = 0; i < 50000; ++i) compact += "- ";
  loaded = rules::load_rules_from_yaml("compact.yaml", compact + " y\n", {});
  REQUIRE(loaded.problems.size() == 1);
  CHECK(loaded.problems[0].message.find("nests more than") != std::string::npos);

  // yaml-cpp 0.7 hangs, allocating, on a `,` where a block node starts (fuzz/rule_loader found `,`).
  for (const char* comma : {",", ",a: b", "# c\n,", "- a\n,", "--- ,", "id: x\n---\n,", "!t &a ,", "  ,", "\t,", "\xEF\xBB\xBF,",
                            // after a quoted scalar or a flow collection at the top (fuzz/rule_loader, `" "...,`)
                            "\"a\",", "'a' ,", "[a],", "{a: 1},", "\"a\"\n,",
                            // an anchor, tag or alias right after such a node (fuzz/rule_loader, `""&""#",`)
                            "\"a\"&x,", "\"a\" !t ,", "[a]*x,", "\" \"\"&\"\"#\",\"\""}) {
    INFO(comma);
    loaded = rules::load_rules_from_yaml("comma.yaml", comma, {});
    REQUIRE(loaded.problems.size() == 1);
    CHECK(loaded.problems[0].message.find("a `,` outside") != std::string::npos);
  }
  // A leading NUL makes yaml-cpp read UTF-16 or UTF-32, where "\0," is a `,` (fuzz/rule_loader).
  loaded = rules::load_rules_from_yaml("nul.yaml", std::string("\0\0\0,,,", 6), {});
  REQUIRE(loaded.problems.size() == 1);
  CHECK(loaded.problems[0].message.find("NUL byte") != std::string::npos);
  // Commas that are YAML: in flow collections (also at a line's start), in scalars of every kind.
  for (const char* fine : {"a: [b,\n  ,c]\n", "a: {b: 1\n, c: 2}\n", "a: b, c\n", "a: b ,c\n", "a: |\n  ,x\n  ,y\nb: 1\n",
                           "- >-\n  ,x\n", "a: 'x\n  ,y'\n", "a: \"x\\\"\n  ,y\"\n", "a: b # ,\n", "a: x#,y\n",
                           "\"a\": b, c\n", "a: [b, c]\nd: 'e, f'\n", "- \"x\"\n- [y, z]\n",
                           "c: use f(a, \"{0}\", new Object[]{uid}, b), or g\n", "a: &x b, c\n", "a: x & y, z\n",
                           "a: &x [b, c]\nd: *x\n", "a: !!str x, y\n"}) {
    INFO(fine);
    CHECK_FALSE(rules::yaml_flow_entry_problem(fine));
  }

  // Ordinary rules, with an alias or two, still load.
  loaded = rules::load_rules_from_yaml(
      "ok.yaml", "id: ok\nlanguage: python\nseverity: warning\nmessage: m\nconstraint: c\nrule:\n  pattern: &p eval($X)\n", {});
  CHECK(loaded.rules.size() == 1);
}

// The built-in packs load without validation (their queries and regexes compile on first use, for
// start-up time): this is the validation they skip, so a broken one cannot ship.
TEST_CASE("every built-in rule compiles with full validation: queries and regexes") {
  std::vector<rules::PackFile> pack(rules::builtin_pack().begin(), rules::builtin_pack().end());
  std::vector<rules::Problem> problems;
  auto utils = rules::pack_utils(pack, problems);
  size_t loaded = 0;
  for (const auto& f : pack) {
    if (!rules::is_rule_file(f.path)) continue;
    auto result = rules::load_rules_from_yaml(f.path, f.content, {.validate_queries = true, .global_utils = utils});
    loaded += result.rules.size();
    for (auto& p : result.problems) problems.push_back(std::move(p));
  }
  std::string errors;
  for (const auto& p : problems)
    if (p.level == Problem::Level::error) errors += p.path + ":" + std::to_string(p.line) + ": " + p.message + "\n";
  CHECK(errors == "");
  CHECK(loaded > 100);
}
