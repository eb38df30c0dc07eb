// `mode: taint` rules end to end: loading (with precise errors), findings with message, fix and
// trace from analyze(), and incremental analysis equal to full analysis.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <random>
#include <sstream>

#include "tests/unit/sanitizer_rounds.hpp"
#include "analyzers/document/document.hpp"
#include "analyzers/engine.hpp"
#include "analyzers/match/rule_tree.hpp"
#include "analyzers/match/taint.hpp"
#include "analyzers/report/report.hpp"
#include "analyzers/rules/loader.hpp"

using namespace vigil;

namespace {

rules::LoadResult load(const std::string& yaml) { return rules::load_rules_from_yaml("r.yaml", yaml); }

std::string problems(const rules::LoadResult& r) {
  std::string out;
  for (const auto& p : r.problems) out += p.to_string() + "\n";
  return out;
}

const char* kPythonSql = R"(id: py-taint-sql
language: python
severity: error
message: SQL built from $SOURCE reaches $CUR.execute
constraint: Use bound parameters.
mode: taint
sources:
  - pattern: request.args.get($$$)
  - parameters: true
sinks:
  - pattern: $CUR.execute($Q, $$$)
    focus: Q
  - pattern: $CUR.execute($Q)
    focus: $Q
sanitizers:
  - pattern: int($X)
propagators:
  - pattern: $TO.stash($FROM)
    from: FROM
    to: TO
fix: $CUR.execute("SELECT ?", ($Q,))
)";

// Adds the rule of `loaded`, which must hold exactly one, loaded without errors.
void add_the_one_rule(RuleSet& set, const rules::LoadResult& loaded) {
  INFO(problems(loaded));
  REQUIRE(loaded.rules.size() == 1);
  REQUIRE(!loaded.has_errors());
  set.add(loaded.rules[0]);
}

}  // namespace

TEST_CASE("taint rules load; their findings carry message, fix and trace") {
  auto loaded = load(kPythonSql);
  INFO(problems(loaded));
  REQUIRE(loaded.rules.size() == 1);
  REQUIRE(!loaded.has_errors());
  RuleSet set;
  set.add(loaded.rules[0]);
  const auto& py = *grammars::by_name("python");
  auto snap = document::Snapshot::parse("t.py", py,
                                        "def f(cur):\n"
                                        "    name = request.args.get('n')\n"
                                        "    q = 'SELECT ' + name\n"
                                        "    cur.execute(q)\n"
                                        "    cur.execute('SELECT 1')\n"
                                        "    box = Box()\n"
                                        "    box.stash(name)\n"
                                        "    cur.execute(box)\n"
                                        "    cur.execute(int(name))\n");
  auto findings = analyze(set, *snap);
  REQUIRE(findings.size() == 2);
  const auto& f = findings[0];
  CHECK(f.start.row == 3);
  CHECK(snap->text.substr(f.start_byte, f.end_byte - f.start_byte) == "q");
  CHECK(f.message == "SQL built from request.args.get('n') reaches cur.execute");
  REQUIRE(f.fix);
  CHECK(f.fix->replacement == "cur.execute(\"SELECT ?\", (q,))");
  CHECK(snap->text.substr(f.fix->start_byte, f.fix->end_byte - f.fix->start_byte) == "cur.execute(q)");
  REQUIRE(f.trace.size() == 4);
  CHECK(f.trace.front().label == "source: request.args.get('n')");
  CHECK(f.trace.back().label == "sink: cur.execute(q)");
  CHECK(f.extent_start <= f.trace.front().start_byte);
  CHECK(findings[1].start.row == 7);  // through the propagator

  // SARIF carries the path as a code flow.
  std::ostringstream sarif;
  report::write_sarif(sarif, {{"t.py", "t.py", snap, findings}}, {"0", "file:///w/", &set});
  auto log = nlohmann::json::parse(sarif.str());
  const auto& flow = log["runs"][0]["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"];
  REQUIRE(flow.size() == 4);
  CHECK(flow[0]["location"]["message"]["text"] == "source: request.args.get('n')");
  CHECK(flow[0]["location"]["physicalLocation"]["region"]["startLine"] == 2);
  CHECK(flow[3]["location"]["message"]["text"] == "sink: cur.execute(q)");
}

// A sink that is an `any` of calls of two kinds (`new File(...)`, `Paths.get(...)`) is offered the
// calls of each kind by the names that kind's alternatives give (RuleMatcher::callee_names): both
// are found, in files where either form appears alone too.
TEST_CASE("a taint sink whose alternatives name callees in different fields finds every alternative") {
  auto loaded = load(R"(id: java-paths
language: java
severity: error
message: $SOURCE reaches a path
constraint: c
mode: taint
sources:
  - pattern: request.getParameter($$$)
sinks:
  - any:
      - pattern: new File($$$)
      - pattern: Paths.get($$$)
)");
  RuleSet set;
  add_the_one_rule(set, loaded);
  const auto& java = *grammars::by_name("java");
  auto rows = [&](const std::string& body) {
    auto snap = document::Snapshot::parse("A.java", java, "class A {\n  void f(HttpServletRequest request) {\n" + body + "  }\n}\n");
    std::vector<uint32_t> out;
    for (const auto& f : analyze(set, *snap)) out.push_back(f.start.row);
    return out;
  };
  const std::string source = "    String name = request.getParameter(\"n\");\n";
  CHECK(rows(source + "    File a = new File(name);\n    Path b = Paths.get(name);\n    Path c = Paths.get(\"x\");\n"
             "    list.get(name);\n    new Thread(name);\n") == std::vector<uint32_t>{3, 4});
  CHECK(rows(source + "    Path b = Paths.get(\"a\", name);\n") == std::vector<uint32_t>{3});
  CHECK(rows(source + "    File a = new File(\"/tmp\", name);\n") == std::vector<uint32_t>{3});
}

TEST_CASE("taint rule errors point at the offending item") {
  auto bad = load(R"(id: py-bad
language: python
message: m
constraint: c
mode: taint
sources:
  - parameters: sometimes
sinks:
  - pattern: run($X)
    focus: Y
)");
  CHECK(bad.rules.empty());
  const auto text = problems(bad);
  CHECK_THAT(text, Catch::Contains("r.yaml:7:17: error: `parameters` must be `true`"));
  CHECK_THAT(text, Catch::Contains("r.yaml:10:12: error: `focus` names $Y, which this rule object does not bind"));

  auto no_sinks = load("id: a\nlanguage: python\nmessage: m\nconstraint: c\nmode: taint\nsources:\n  - pattern: x\n");
  CHECK_THAT(problems(no_sinks), Catch::Contains("r.yaml:1:1: error: a taint rule needs `sinks`"));

  auto bad_key = load(
      "id: a\nlanguage: python\nmessage: m\nconstraint: c\nmode: taint\nsources:\n  - pattern: x\nsinks:\n  - pattern: y\n"
      "    fokus: Q\n");
  CHECK_THAT(problems(bad_key), Catch::Contains("r.yaml:10:5: error: unknown rule key `fokus`"));

  auto propagator = load(
      "id: a\nlanguage: python\nmessage: m\nconstraint: c\nmode: taint\nsources:\n  - pattern: x\nsinks:\n  - pattern: y\n"
      "propagators:\n  - pattern: $A.add($B)\n    from: B\n");
  CHECK_THAT(problems(propagator), Catch::Contains("r.yaml:11:5: error: a propagator needs `to`"));

  auto side_effect = load(
      "id: a\nlanguage: python\nmessage: m\nconstraint: c\nmode: taint\nsources:\n  - pattern: x\nsinks:\n  - pattern: y\n"
      "sanitizers:\n  - pattern: check($P)\n    by-side-effect: true\n");
  CHECK_THAT(problems(side_effect), Catch::Contains("r.yaml:12:21: error: `by-side-effect: true` needs `focus`"));

  auto outside = load("id: a\nlanguage: python\nmessage: m\nconstraint: c\nrule: {pattern: x}\nsinks:\n  - pattern: y\n");
  CHECK_THAT(problems(outside), Catch::Contains("r.yaml:7:3: error: `sinks` belongs to `mode: taint`"));
}

TEST_CASE("incremental analysis of taint rules equals full analysis") {
  RuleSet set;
  for (auto& r : load(kPythonSql).rules) set.add(r);
  for (auto& r : load(R"(id: js-taint-exec
language: [javascript]
message: $SOURCE reaches exec
constraint: c
mode: taint
sources:
  - pattern: $REQ.query
sinks:
  - pattern: exec($C)
)")
                     .rules)
    set.add(r);
  REQUIRE(set.size() == 2);
  struct Case {
    const char* lang;
    std::string text;
    std::vector<std::string> inserts;
  };
  const std::vector<Case> cases = {
      {"python",
       "name = request.args.get('n')\nq = 'x' + name\n\ndef a(cur, x):\n    cur.execute(x)\n\nclass C:\n"
       "    def m(self, cur):\n        v = request.args.get('a')\n        v = 'k'\n        cur.execute(v)\n\n"
       "q = 'const'\ncur.execute(q)\n",
       {"q = 'c'\n", "q", "\n", "    ", "#", "(", ")", "cur.execute(q)\n", "def f(q):\n", "name", "int(", "", "v"}},
      {"javascript",
       "const a = req.query.a;\nfunction f(req) {\n  let c = req.query.x;\n  exec(c);\n}\nexec(a);\n",
       {"exec(a);\n", "a", "\n", "  ", "//", "(", ")", "c = 'k';\n", "function g() {\n", "}", "", "req.query"}},
      // Allowlists in module-level variables guard other statements (constant_collection): an
      // edit of the variable, or of what changes it, must reach the functions that test it.
      {"python",
       "ALLOWED = {'a', 'b'}\n\ndef g(cur):\n    n = request.args.get('n')\n    if n not in ALLOWED:\n"
       "        return\n    cur.execute(n)\n\ndef h(cur):\n    cur.execute(request.args.get('m'))\n\n",
       {"ALLOWED", "ALLOWED = load()\n", "{'c'}", "ALLOWED.add(n)\n", "\n", "    ", "#", "n", "", "not ",
        "if n in ALLOWED:\n    pass\n", "ALLOWED = ['a']\n"}},
      {"javascript",
       "const ALLOWED = new Set(['a']);\nfunction g(req) {\n  const c = req.query.x;\n  if (!ALLOWED.has(c)) return;\n"
       "  exec(c);\n}\nfunction h(req) {\n  exec(req.query.y);\n}\n",
       {"ALLOWED", "const ALLOWED = load();\n", "ALLOWED.add(c);\n", "\n", "  ", "//", "c", "", "!", "'b', ",
        "let ALLOWED = [];\n"}},
  };
  for (const auto& c : cases) {
    const auto& lang = *grammars::by_name(c.lang);
    // Unrelated functions around the code, so that an edit's region stays small and most edits
    // are matched incrementally rather than by the full-analysis fallback.
    std::string filler;
    for (int i = 0; i < 8; ++i)
      filler += std::string(c.lang) == "python" ? "def filler" + std::to_string(i) + "(cur):\n    cur.execute('x')\n\n"
                                                : "function filler" + std::to_string(i) + "() {\n  exec('x');\n}\n";
    document::Document doc("t", lang, filler + c.text + filler, 1);
    std::mt19937 rng(GENERATE(3, 5, 8));
    auto before = doc.snapshot();
    auto before_findings = analyze(set, *before);
    CHECK(!before_findings.empty());
    for (int i = 0; i < vigil::test::random_edit_rounds(300); ++i) {
      const auto& text = doc.text();
      const uint32_t line = rng() % doc.lines().line_count();
      const uint32_t len = doc.lines().line_end(text, line) - doc.lines().line_start(line);
      const uint32_t start = len ? rng() % (len + 1) : 0;
      const uint32_t end = std::min(len, start + static_cast<uint32_t>(rng() % 4));
      doc.apply({{document::Range{{line, start}, {line, end}}, c.inserts[rng() % c.inserts.size()]}},
                document::Encoding::utf8, i + 2);
      auto now = doc.snapshot();
      auto incremental = analyze_incremental(set, *now, *before, before_findings);
      auto full = analyze(set, *now);
      auto key = [](const std::vector<Finding>& fs) {
        std::vector<std::string> out;
        for (const auto& f : fs) {
          std::string k = f.rule_id() + "@" + std::to_string(f.start_byte) + "-" + std::to_string(f.end_byte) + " " +
                          f.message + " " + f.fingerprint;
          for (const auto& s : f.trace)
            k += " [" + std::to_string(s.start_byte) + ":" + std::to_string(s.start.row) + "." +
                 std::to_string(s.start.column) + " " + s.label + "]";
          out.push_back(k);
        }
        return out;
      };
      INFO(c.lang << " edit " << i << "\n" << now->text);
      REQUIRE(key(incremental) == key(full));
      if (rng() % 3) {
        before = now;
        before_findings = incremental;
      }
    }
  }
}

// A sink that resolves an imported name (`from hashlib import md5 as h`) looks at the module's
// import statements from inside a function: the rule runs incrementally, and on the whole file
// when an edit touches an import (RuleMatcher::root_kinds).
TEST_CASE("incremental analysis of a taint rule that reads the imports equals full analysis") {
  RuleSet set;
  auto loaded = load(R"(id: py-imported-hash
language: python
message: $SOURCE reaches a hash imported from hashlib
constraint: c
mode: taint
sources:
  - pattern: request.args
sinks:
  - all:
      - kind: call
      - has: { field: function, kind: identifier, pattern: $FN }
      - inside:
          stopBy: end
          kind: module
          has:
            kind: import_from_statement
            all:
              - has: { field: module_name, regex: "^hashlib$" }
              - has: { any: [{ kind: dotted_name, pattern: $FN }, { kind: aliased_import, has: { field: alias, pattern: $FN } }] }
      - has: { field: arguments, pattern: $ARGS }
    focus: ARGS
)");
  REQUIRE_FALSE(loaded.has_errors());
  for (auto& r : loaded.rules) set.add(r);
  const auto& matcher = *set.all().front()->matcher_for(*grammars::by_name("python"));
  const auto* sink = dynamic_cast<const match::RuleMatcher*>(matcher.taint()->sinks.front().matcher.get());
  REQUIRE(sink);
  CHECK(sink->statement_local());
  CHECK(sink->root_kinds().size() == 1);
  std::string filler;
  for (int i = 0; i < 8; ++i) filler += "def filler" + std::to_string(i) + "(x):\n    return md5(x)\n\n";
  const std::string text = "from hashlib import md5\nimport os\n\n" + filler +
                           "def f():\n    v = request.args\n    return md5(v)\n\ndef g():\n    return h(request.args)\n\n" + filler;
  const std::vector<std::string> inserts = {"from hashlib import sha1 as h\n", "from hashlib import md5 as h\n",
                                            "import hashlib\n", "h", "md5", "#", "\n", "    ", "(", ")", "", "x"};
  document::Document doc("t", *grammars::by_name("python"), text, 1);
  std::mt19937 rng(GENERATE(2, 9, 31));
  auto before = doc.snapshot();
  auto before_findings = analyze(set, *before);
  CHECK(!before_findings.empty());
  for (int i = 0; i < vigil::test::random_edit_rounds(300); ++i) {
    const auto& now_text = doc.text();
    const uint32_t line = rng() % doc.lines().line_count();
    const uint32_t len = doc.lines().line_end(now_text, line) - doc.lines().line_start(line);
    const uint32_t start = len ? rng() % (len + 1) : 0;
    const uint32_t end = std::min(len, start + static_cast<uint32_t>(rng() % 4));
    doc.apply({{document::Range{{line, start}, {line, end}}, inserts[rng() % inserts.size()]}}, document::Encoding::utf8,
              i + 2);
    auto now = doc.snapshot();
    auto incremental = analyze_incremental(set, *now, *before, before_findings);
    auto full = analyze(set, *now);
    auto key = [](const std::vector<Finding>& fs) {
      std::vector<std::string> out;
      for (const auto& f : fs) out.push_back(f.rule_id() + "@" + std::to_string(f.start_byte) + "-" + std::to_string(f.end_byte));
      return out;
    };
    INFO("edit " << i << "\n" << now->text);
    REQUIRE(key(incremental) == key(full));
    if (rng() % 3) {
      before = now;
      before_findings = incremental;
    }
  }
}

// An allowlist kept in a variable guards only when the name is bound once to literals and nothing
// adds to it (Analyzer::constant_collection); the deep analyzer accepts any membership test, so
// these negative cases live here rather than in the rule fixtures that `check --validate` runs.
TEST_CASE("an allowlist variable is a guard only when it is constant") {
  RuleSet set;
  for (auto& r : load(kPythonSql).rules) set.add(r);
  for (auto& r : load("id: js-taint-exec\nlanguage: [javascript]\nmessage: m\nconstraint: c\nmode: taint\n"
                      "sources:\n  - pattern: $REQ.query\nsinks:\n  - pattern: exec($C)\n")
                     .rules)
    set.add(r);
  auto rows = [&](const char* lang, const std::string& text) {
    document::Document doc("t", *grammars::by_name(lang), text, 1);
    std::set<uint32_t> out;
    for (const auto& f : analyze(set, *doc.snapshot())) out.insert(f.start.row + 1);
    return out;
  };
  const std::string py =
      "ALLOWED = {'a', 'b'}\n"                                                             // 1
      "EXTRA = {'a'}\n"                                                                    // 2
      "EXTRA.add(request.args.get('x'))\n"                                                 // 3
      "def guarded(cur):\n    n = request.args.get('n')\n    if n not in ALLOWED:\n"      // 4-6
      "        return\n    cur.execute(n)\n"                                               // 7-8
      "def changed(cur):\n    n = request.args.get('n')\n    if n not in EXTRA:\n"        // 9-11
      "        return\n    cur.execute(n)\n"                                               // 12-13
      "def shadowed(cur, ALLOWED):\n    n = request.args.get('n')\n    if n not in ALLOWED:\n"  // 14-16
      "        return\n    cur.execute(n)\n"                                               // 17-18
      "def local(cur):\n    allowed = ['a']\n    allowed.append(request.args.get('y'))\n"  // 19-21
      "    n = request.args.get('n')\n    if n not in allowed:\n        return\n"          // 22-24
      "    cur.execute(n)\n"                                                               // 25
      "def not_exiting(cur):\n    n = request.args.get('n')\n    if n in ALLOWED:\n"      // 26-28
      "        pass\n    cur.execute(n)\n";                                                // 29-30
  CHECK(rows("python", py) == std::set<uint32_t>{13, 18, 25, 30});
  const std::string js =
      "const ALLOWED = new Set(['a']);\n"                                                  // 1
      "const EXTRA = new Set(['a']);\n"                                                    // 2
      "EXTRA.add(process.env.X);\n"                                                        // 3
      "function guarded(req) {\n  const c = req.query.x;\n  if (!ALLOWED.has(c)) return;\n  exec(c);\n}\n"  // 4-8
      "function changed(req) {\n  const c = req.query.x;\n  if (!EXTRA.has(c)) return;\n  exec(c);\n}\n"     // 9-13
      "function reassigned(req) {\n  let list = ['a'];\n  list = req.query.list;\n  const c = req.query.x;\n"
      "  if (!list.includes(c)) return;\n  exec(c);\n}\n";                                 // 14-20
  CHECK(rows("javascript", js) == std::set<uint32_t>{12, 19});
}

// The matchers' indexes are kept between analyses (match::TaintSpec::index_cache) while the text's
// words leave the same matchers live: an analysis where a sink's words are missing must not leave
// that sink out of the next analysis, whose text has them.
TEST_CASE("taint rules: a sink whose words appear later in the text is matched (kept indexes)") {
  auto loaded = load(R"(id: py-two-sinks
language: python
severity: error
message: $SOURCE reaches a sink
constraint: Do not.
mode: taint
sources:
  - pattern: request.args.get($$$)
sinks:
  - pattern: alpha_sink($X)
  - pattern: beta_sink($X)
)");
  RuleSet set;
  add_the_one_rule(set, loaded);
  const auto& py = *grammars::by_name("python");
  auto only_alpha = document::Snapshot::parse("t.py", py,
                                              "def f():\n"
                                              "    v = request.args.get('n')\n"
                                              "    alpha_sink(v)\n");
  auto both = document::Snapshot::parse("t.py", py,
                                        "def f():\n"
                                        "    v = request.args.get('n')\n"
                                        "    alpha_sink(v)\n"
                                        "    beta_sink(v)\n");
  for (int round = 0; round < 3; ++round) {
    CHECK(analyze(set, *only_alpha).size() == 1);
    auto findings = analyze(set, *both);
    REQUIRE(findings.size() == 2);
    CHECK(findings[1].start.row == 3);
  }
  // A copy of the spec shares the kept indexes; one changed since builds its own.
  const auto* compiled = loaded.rules[0]->matcher_for(py);
  REQUIRE(compiled);
  const auto* spec = compiled->taint();
  REQUIRE(spec);
  match::TaintSpec alpha_twice = *spec;  // as many matchers, all live: only the matchers differ
  alpha_twice.sinks[1] = alpha_twice.sinks[0];
  const match::MatchInput in{both->text, &py};
  CHECK(match::find_taint(*spec, in, both->root()).size() == 2);
  CHECK(match::find_taint(alpha_twice, in, both->root()).size() == 1);
  CHECK(match::find_taint(*spec, in, both->root()).size() == 2);
}
