// The editor's two passes after an edit (session::AnalysisScheduler): a local pass that builds on
// the last result, local or not, then a complete pass from the last complete result. At quiescence
// the complete pass must equal a fresh full analysis; a local pass that says it is complete must too.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "analyzers/document/document.hpp"
#include "analyzers/engine.hpp"
#include "analyzers/rules/sources.hpp"

using namespace vigil::document;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> key(const std::vector<vigil::Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs)
    out.push_back(f.rule_id() + "@" + std::to_string(f.start_byte) + "-" + std::to_string(f.end_byte) + ":" +
                  std::to_string(f.start.row) + "." + std::to_string(f.start.column) + " " + f.message + " " +
                  f.fingerprint + (f.fix ? " fix " + f.fix->replacement : std::string()));
  return out;
}

}  // namespace

TEST_CASE("local passes then a complete pass equal a full analysis over random edits of the examples") {
  vigil::RuleSet rules;
  for (auto& r : vigil::rules::load_builtin_rules().rules) rules.add(r);
  struct Case {
    const char* lang;
    const char* file;
    std::vector<std::string> inserts;
  };
  const std::vector<Case> cases = {
      {"python", "examples/python/flask_app.py",
       {"eval(y)\n", "x", "\n", "    ", "#", "(", ")", "os.system(c)\n", "def f():\n", "'s'", "", "request.args['q']",
        "    return x\n    return x\n    return x\n"}},
      {"python", "examples/python/account_utils.py", {"x", "\n", "  ", "#", "import os\n", "pickle.loads(d)\n", ""}},
      {"javascript", "examples/javascript/server.js",
       {"eval(y);\n", "x", "\n", "  ", "//", "(", ")", "`${a}`", "function f() {\n", "}", "", "req.query.q"}},
  };
  for (const auto& c : cases) {
    const auto& lang = *vigil::grammars::by_name(c.lang);
    const std::string text = read(std::string(VIGIL_SOURCE_DIR) + "/" + c.file);
    REQUIRE_FALSE(text.empty());
    Document doc("t", lang, text, 1);
    std::mt19937 rng(GENERATE(3, 19));
    auto latest = doc.snapshot(), complete = latest;
    auto latest_findings = vigil::analyze(rules, *latest), complete_findings = latest_findings;
    for (int i = 0; i < 150; ++i) {
      const auto& t = doc.text();
      const uint32_t line = rng() % doc.lines().line_count();
      const uint32_t len = doc.lines().line_end(t, line) - doc.lines().line_start(line);
      const uint32_t start = len ? rng() % (len + 1) : 0;
      const uint32_t end = std::min(len, start + static_cast<uint32_t>(rng() % 4));
      doc.apply({{Range{{line, start}, {line, end}}, c.inserts[rng() % c.inserts.size()]}}, Encoding::utf8, i + 2);
      auto now = doc.snapshot();
      auto local = vigil::analyze_local(rules, *now, *latest, latest_findings);
      const auto full = key(vigil::analyze(rules, *now));
      INFO(c.file << " edit " << i << "\n" << now->text);
      if (local.complete) REQUIRE(key(local.findings) == full);
      latest = now;
      latest_findings = local.findings;
      // The complete pass runs only when typing pauses: sometimes after several local passes.
      if (local.complete || rng() % 3 == 0) {
        auto completed = vigil::analyze_incremental(rules, *now, *complete, complete_findings);
        REQUIRE(key(completed) == full);
        complete = latest = now;
        complete_findings = latest_findings = completed;
      }
    }
  }
}
