// The editor's two passes after an edit (session::AnalysisScheduler): a local pass that builds on
// the last result, local or not, then a complete pass from the last complete result. At quiescence
// the complete pass must equal a fresh full analysis; a local pass that says it is complete must too.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <numeric>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "tests/unit/sanitizer_rounds.hpp"
#include "analyzers/document/document.hpp"
#include "analyzers/engine.hpp"
#include "analyzers/match/imports.hpp"
#include "analyzers/match/taint_top_level.hpp"
#include "analyzers/rules/sources.hpp"
#include "analyzers/session/scheduler.hpp"

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
  vigil::RuleSet rules, reference;  // the full analyses to compare with leave their memos elsewhere
  for (auto& r : vigil::rules::load_builtin_rules().rules) rules.add(r);
  for (auto& r : vigil::rules::load_builtin_rules().rules) reference.add(r);
  struct Case {
    const char* lang;
    const char* file;  // under the source tree, or the code itself when `inline_text`
    std::vector<std::string> inserts;
    bool inline_text = false;
  };
  // Flows across top-level statements, around classes and functions, with sinks at the top level:
  // edits inside functions keep the top level's findings (match::same_top_level); edits that add,
  // rename or clean a top-level binding, or add code to a class body, must not.
  const char* top_level_py = R"(import os
import subprocess
from flask import request

data = request.args.get("q")


@decorate(data)
class Handler:
    """Handles."""
    label = data

    def run(self, x):
        # run it
        return os.system(x)

    def other(self):
        cmd = request.args.get("c")
        os.system("ls " + cmd)


def helper(v):
    cmd = request.form["v"] + v
    subprocess.call(cmd, shell=True)
    return cmd


alias = data
os.system(alias)
# a comment between
eval(Handler.label)
subprocess.call("echo " + data, shell=True)
)";
  const char* top_level_js = R"(const cp = require('child_process');
const express = require('express');
const app = express();

function handler(req, res) {
  // comment
  const q = req.query.q;
  cp.exec("ls " + q);
}

class Box {
  open(req) {
    eval(req.body.code);
  }
}

app.get('/a', (req, res) => {
  const name = req.query.name;
  res.send("<p>" + name);
});

const input = process.argv[2];
let alias = input;
cp.exec("cat " + alias);
// between
eval(input);
)";
  // Sibling patterns (match::Query's joined children, `(_ (A) (B))`) at the file's top level: a
  // header pair and a decoded token stored on the request, with their two halves in separate
  // top-level statements, unrelated statements between and around them. An edit between the halves
  // keeps the joined match; an edit of a half, or one that adds a half, matches the root again.
  std::string top_level_siblings = R"(const jwt = require('jsonwebtoken');
const express = require('express');
const app = express();
)";
  // Names resolved through imports bound inside top-level compound statements (`try: import`):
  // an edit there changes the file's import table, which is otherwise carried from the last pass.
  const char* compound_imports_py = R"(from flask import request

try:
    import os as o
except ImportError:
    o = None

if o:
    from subprocess import call as run


def f():
    x = request.args["q"]
    o.system(x)
    run(x, shell=True)


def g(y):
    return y
)";
  for (int i = 0; i < 4; ++i) {
    const auto n = std::to_string(i);
    top_level_siblings += "res.setHeader(\"Access-Control-Allow-Origin\", req.headers.origin);\n";
    top_level_siblings += "// between " + n + "\nconst a" + n + " = app.get('/" + n + "');\nlet b" + n + " = a" + n + ";\n";
    top_level_siblings += "function f" + n + "(x) {\n  return x + " + n + ";\n}\n";
    top_level_siblings += "const claims" + n + " = jwt.decode(token" + n + ");\n";
    top_level_siblings += "res.setHeader(\"Access-Control-Allow-Credentials\", \"true\");\n";
    top_level_siblings += "app.use(b" + n + ");\nreq.user = claims" + n + ";\n";
  }
  const std::vector<Case> cases = {
      {"python", "examples/python/flask_app.py",
       {"eval(y)\n", "x", "\n", "    ", "#", "(", ")", "os.system(c)\n", "def f():\n", "'s'", "", "request.args['q']",
        "    return x\n    return x\n    return x\n"}},
      {"python", "examples/python/account_utils.py", {"x", "\n", "  ", "#", "import os\n", "pickle.loads(d)\n", ""}},
      {"javascript", "examples/javascript/server.js",
       {"eval(y);\n", "x", "\n", "  ", "//", "(", ")", "`${a}`", "function f() {\n", "}", "", "req.query.q"}},
      {"python", top_level_py,
       {"x", "#", "\n", "    ", "alias = 'safe'\n", "data = 1\n", "def g(a):\n    os.system(a)\n", "os.system(data)\n",
        "label = data\n", "request.args['q']", "", ")", "class C:\n"},
       true},
      {"javascript", top_level_js,
       {"x", "//", "\n", "  ", "alias = 'safe';\n", "function g(a) {\n", "}", "cp.exec(input);\n", "req.query.q", "",
        "(", "input = 1;\n", "static k = input;\n"},
       true},
      {"python", compound_imports_py,
       {"x", "#", "\n", "    ", "    import subprocess as o\n", "    from os import system as run\n", "import os as o\n",
        "o.system(y)\n", "    o.system(y)\n", "try:\n", "", "pass\n"},
       true},
      {"javascript", top_level_siblings.c_str(),
       {"x", "//", "\n", "", "(", "}", "req.user = claims0;\n", "const claims1 = jwt.decode(t);\n",
        "res.setHeader(\"Access-Control-Allow-Origin\", req.headers.origin);\n",
        "res.setHeader(\"Access-Control-Allow-Credentials\", \"true\");\n", "function g() {\n", "const z = 1;\n"},
       true},
  };
  for (const auto& c : cases) {
    const auto& lang = *vigil::grammars::by_name(c.lang);
    const std::string text = c.inline_text ? std::string(c.file) : read(std::string(VIGIL_SOURCE_DIR) + "/" + c.file);
    REQUIRE_FALSE(text.empty());
    Document doc("t", lang, text, 1);
    std::mt19937 rng(GENERATE(3, 19));
    auto latest = doc.snapshot(), complete = latest;
    auto latest_findings = vigil::analyze(rules, *latest), complete_findings = latest_findings;
    vigil::EarlierResult chain;  // what the local passes since the last complete one carried over
    for (int i = 0; i < vigil::test::random_edit_rounds(150); ++i) {
      const auto& t = doc.text();
      const uint32_t line = rng() % doc.lines().line_count();
      const uint32_t len = doc.lines().line_end(t, line) - doc.lines().line_start(line);
      const uint32_t start = len ? rng() % (len + 1) : 0;
      const uint32_t end = std::min(len, start + static_cast<uint32_t>(rng() % 4));
      doc.apply({{Range{{line, start}, {line, end}}, c.inserts[rng() % c.inserts.size()]}}, Encoding::utf8, i + 2);
      auto now = doc.snapshot();
      auto local = vigil::analyze_local(rules, *now, *latest, latest_findings, {}, chain);
      const auto full = key(vigil::analyze(reference, *now));
      INFO(c.file << " edit " << i << "\n" << now->text);
      if (local.complete) REQUIRE(key(local.findings) == full);
      latest = now;
      latest_findings = local.findings;
      chain = local.complete ? vigil::EarlierResult{} : vigil::EarlierResult{true, chain.carried_taint || local.carried_taint};
      chain.memo = local.memo;  // as the scheduler keeps it
      // The complete pass runs only when typing pauses: sometimes after several local passes. It
      // builds on the newest local result (as the scheduler does) or on the last complete one.
      if (local.complete || rng() % 3 == 0) {
        auto completed = rng() % 2 ? vigil::analyze_incremental(rules, *now, *now, latest_findings, {}, chain)
                                   : vigil::analyze_incremental(rules, *now, *complete, complete_findings);
        REQUIRE(key(completed) == full);
        chain = {};
        complete = latest = now;
        complete_findings = latest_findings = completed;
      }
    }
  }
}

TEST_CASE("the import table is carried across edits only when no statement that binds imports changed") {
  // Each pass resolves names through the file's import table, carried from the last pass unless
  // the edit touched a top-level statement that can bind an import (an import, or a compound
  // statement holding one). Edits: the alias in a top-level `try:` changes (no longer os), then
  // an edit inside the function whose taint finding depends on it, which resolves `o.system` again.
  vigil::RuleSet rules, reference;
  for (auto& r : vigil::rules::load_builtin_rules().rules) rules.add(r);
  for (auto& r : vigil::rules::load_builtin_rules().rules) reference.add(r);
  const auto& python = *vigil::grammars::by_name("python");
  const std::string v1 = R"(from flask import request

try:
    import os as o
except ImportError:
    o = None


def f():
    x = request.args["q"]
    o.system(x)
)";
  // Beyond a third of the file an edit is analysed as a whole file: other code around it.
  std::string filler;
  for (int i = 0; i < 12; ++i)
    filler += "\n\ndef g" + std::to_string(i) + "(y):\n    z = y + " + std::to_string(i) + "\n    return z\n";
  Document doc("t", python, v1 + filler, 1);
  auto latest = doc.snapshot();
  auto latest_findings = vigil::analyze(rules, *latest);
  REQUIRE(std::any_of(latest_findings.begin(), latest_findings.end(),
                      [](const vigil::Finding& f) { return f.rule_id() == "py-os-command-injection"; }));
  vigil::EarlierResult chain;
  int version = 1;
  auto edit = [&](const std::string& from, const std::string& to, bool complete) {
    const auto at = doc.text().find(from);
    REQUIRE(at != std::string::npos);
    const auto start = doc.lines().position_of(doc.text(), static_cast<uint32_t>(at), Encoding::utf8);
    const auto end = doc.lines().position_of(doc.text(), static_cast<uint32_t>(at + from.size()), Encoding::utf8);
    doc.apply({{Range{start, end}, to}}, Encoding::utf8, ++version);
    auto now = doc.snapshot();
    const auto full = key(vigil::analyze(reference, *now));
    INFO(now->text);
    auto local = vigil::analyze_local(rules, *now, *latest, latest_findings, {}, chain);
    if (local.complete) REQUIRE(key(local.findings) == full);
    chain = local.complete ? vigil::EarlierResult{} : vigil::EarlierResult{true, chain.carried_taint || local.carried_taint};
    chain.memo = local.memo;
    latest = now;
    latest_findings = local.findings;
    if (complete) {
      latest_findings = vigil::analyze_incremental(rules, *now, *now, latest_findings, {}, chain);
      REQUIRE(key(latest_findings) == full);
      chain = {};
    }
    return full;
  };
  for (bool complete : {true, false}) {
    const auto after_alias = edit("import os as o", "import shlex as o", complete);
    CHECK(std::none_of(after_alias.begin(), after_alias.end(),
                       [](const std::string& k) { return k.starts_with("py-os-command-injection"); }));
    edit("o.system(x)", "o.system(x + 'a')", true);  // resolved again in the function, with the table of now
    edit("import shlex as o", "import os as o", complete);
    const auto back = edit("o.system(x + 'a')", "o.system(x)", true);
    CHECK(std::any_of(back.begin(), back.end(), [](const std::string& k) { return k.starts_with("py-os-command-injection"); }));
  }
}

TEST_CASE("after local passes the complete pass matches context-dependent rules at the memo's places only") {
  // `call-in-third` finds a call inside the function that is the root's third child: whether the
  // call inside `third` matches changes when a top-level statement is added or removed before it,
  // an edit outside the call's own top-level statement, which no local pass walks again. Only the
  // memo's place for that call (carried through the local passes, moved with their edits) lets the
  // complete pass that follows them find the change without walking the whole tree: without it the
  // local result's stale finding (or missing one) stays. The full analyses to compare with run in
  // another rule set, so that no memo of theirs stands in for the carried one.
  const char* yaml = "id: call-in-third\nlanguage: javascript\nseverity: info\nmessage: c\n"
                     "rule:\n  kind: call_expression\n  inside:\n    stopBy: end\n    kind: function_declaration\n    nthChild: 3\n";
  const char* sibling = "id: after-fn\nlanguage: javascript\nseverity: info\nmessage: a\n"
                        "rule:\n  kind: lexical_declaration\n  follows: {kind: function_declaration}\n";
  vigil::RuleSet rules, reference;
  for (const char* y : {yaml, sibling}) {
    auto loaded = vigil::rules::load_rules_from_yaml("r.yaml", y);
    REQUIRE_FALSE(loaded.has_errors());
    for (auto& r : loaded.rules) rules.add(r);
    auto again = vigil::rules::load_rules_from_yaml("r.yaml", y);
    for (auto& r : again.rules) reference.add(r);
  }
  const auto& lang = *vigil::grammars::by_name("javascript");
  // Enough statements after them that each edit is matched again locally, not as a whole file.
  std::string text =
      "const a = 1;\nlet b = 2;\nfunction third(x) {\n  return run(x);\n}\nfunction fourth(y) {\n  return go(y);\n}\n"
      "const c = 3;\n";
  for (int i = 0; i < 40; ++i) text += "const v" + std::to_string(i) + " = w(" + std::to_string(i) + ");\n";
  text += "// end\n";
  const uint32_t end = 9 + 40;  // the comment's line before the first edit
  Document doc("t", lang, text, 1);
  auto latest = doc.snapshot();
  auto latest_findings = vigil::analyze(rules, *latest);
  auto calls_of = [&](const std::vector<vigil::Finding>& fs, const Snapshot& s) {
    std::set<std::string> out;
    for (const auto& f : fs)
      if (f.rule_id() == "call-in-third") out.insert(std::string(s.text.substr(f.start_byte, f.end_byte - f.start_byte)));
    return out;
  };
  REQUIRE(calls_of(latest_findings, *latest) == std::set<std::string>{"run(x)"});
  int version = 1;
  vigil::EarlierResult chain;
  auto local_pass = [&](uint32_t line, uint32_t from, uint32_t to, const std::string& insert) {
    doc.apply({{Range{{line, from}, {line, to}}, insert}}, Encoding::utf8, ++version);
    auto now = doc.snapshot();
    auto local = vigil::analyze_local(rules, *now, *latest, latest_findings, {}, chain);
    REQUIRE_FALSE(local.complete);
    CHECK(local.memo != nullptr);  // carried: the complete pass need not walk the whole tree
    chain = {true, chain.carried_taint || local.carried_taint, local.memo};
    latest = now;
    latest_findings = local.findings;
  };
  auto complete_pass = [&] {
    INFO(latest->text);
    const auto full = vigil::analyze(reference, *latest);
    auto completed = vigil::analyze_incremental(rules, *latest, *latest, latest_findings, {}, chain);
    CHECK(key(completed) == key(full));
    chain = {};
    latest_findings = completed;
    return calls_of(full, *latest);
  };

  // A statement added before `third` (now the fourth child), an edit inside `fourth`'s call (a
  // place of the memo: walked again, its place noted again), one at the end.
  local_pass(0, 0, 0, "var z = 0;\n");
  local_pass(7, 14, 14, ", go2(y)");
  local_pass(end + 1, 6, 6, " here");
  CHECK(calls_of(latest_findings, *latest) == std::set<std::string>{"run(x)"});  // stale, carried
  CHECK(complete_pass().empty());
  // Two statements removed before it: `third` is second; another added back: third again. The
  // local results lack the call's finding; the complete pass finds it at the memo's place.
  local_pass(1, 0, 12, "");  // "const a = 1;"
  local_pass(2, 0, 10, "");  // "let b = 2;"
  local_pass(end + 1, 0, 0, "let d = 4;\n");
  local_pass(1, 0, 0, "let e = 5;\n");
  CHECK(calls_of(latest_findings, *latest).empty());
  CHECK(complete_pass() == std::set<std::string>{"run(x)"});
  // A function added before `third`: the new one is third, its call found in the region; `run(x)`
  // is no longer, at a place of the memo.
  local_pass(3, 0, 0, "function f() {\n  return h();\n}\n");
  CHECK(complete_pass() == std::set<std::string>{"h()"});
}

TEST_CASE("the top level's taint analysis is kept only when the edit leaves its code as it was") {
  vigil::RuleSet rules;
  for (auto& r : vigil::rules::load_builtin_rules().rules) rules.add(r);
  const auto& lang = *vigil::grammars::by_name("python");
  std::vector<const vigil::match::TaintSpec*> specs;
  for (const auto& r : rules.for_language(lang))
    if (const auto* t = r->matcher_for(lang)->taint()) specs.push_back(t);
  REQUIRE_FALSE(specs.empty());
  const std::string before_text =
      "import os\nfrom flask import request\n\ndata = request.args.get('q')\n\n\n"
      "class Handler:\n    label = data\n\n    def run(self, x):\n        # run it\n        return len(x)\n\n\n"
      "os.system(data)\n";
  // The top-level statements of `text` that hold `needle`, and whether the top level kept its code.
  auto same = [&](const std::string& after_text, const std::string& needle, const std::string& base = std::string()) {
    Document before("t", lang, base.empty() ? before_text : base, 1), after("t", lang, after_text, 2);
    auto b = before.snapshot(), a = after.snapshot();
    auto holding = [&](const Snapshot& s) {
      std::vector<TSNode> out;
      const auto at = static_cast<uint32_t>(s.text.find(needle));
      for (uint32_t i = 0; i < ts_node_child_count(s.root()); ++i) {
        TSNode c = ts_node_child(s.root(), i);
        if (ts_node_start_byte(c) <= at && at < ts_node_end_byte(c)) out.push_back(c);
      }
      return out;
    };
    vigil::match::ImportCache bi, ai;
    const vigil::match::MatchInput bin{b->text, b->language, nullptr, nullptr, &bi};
    const vigil::match::MatchInput ain{a->text, a->language, nullptr, nullptr, &ai};
    return vigil::match::same_top_level(specs, bin, b->root(), holding(*b), ain, a->root(), holding(*a), {});
  };
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string t = before_text;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  // Inside a method, or a comment: the same top level.
  CHECK(same(replaced("return len(x)", "return len(xy)"), "class Handler"));
  CHECK(same(replaced("# run it", "# run it now"), "class Handler"));
  CHECK(same(replaced("return len(x)", "return os.system(x)"), "class Handler"));
  // The class body is top-level code: a binding there changes it; so does a sink or a source.
  CHECK_FALSE(same(replaced("label = data", "label = datum"), "class Handler"));
  CHECK_FALSE(same(replaced("    label = data\n", "    label = data\n    os.system(label)\n"), "class Handler"));
  CHECK_FALSE(same(replaced("    label = data\n", "    label = request.args\n"), "class Handler"));
  // The same code, but a sink in the class body: its match may read the methods.
  const std::string with_sink = replaced("    label = data\n", "    label = os.system(data)\n");
  std::string with_sink_edited = with_sink;
  with_sink_edited.replace(with_sink_edited.find("return len(x)"), 13, "return len(xy)");
  CHECK_FALSE(same(with_sink_edited, "class Handler", with_sink));
}

TEST_CASE("no keystroke compiles the merged query: the scheduler builds it after the first publish") {
  auto rules = std::make_shared<vigil::RuleSet>();
  for (auto& r : vigil::rules::load_builtin_rules().rules) rules->add(r);
  const auto& lang = *vigil::grammars::by_name("javascript");
  const auto plan = rules->plan_for(lang);
  REQUIRE(plan->rules.size() > 1);
  // The words of one query rule only: the analysis on opening runs that rule's own query. Enough
  // top-level statements for an edit to be matched again locally, not as a whole file.
  std::string text = "const app = express();\napp.use(cors({ origin: \"*\", credentials: true }));\n";
  for (int i = 0; i < 30; ++i) text += "const v" + std::to_string(i) + " = app.get(" + std::to_string(i) + ");\n";
  Document doc("t", lang, text, 1);
  const auto opened = doc.snapshot();
  const auto first = vigil::analyze(*rules, *opened);
  REQUIRE(std::count_if(first.begin(), first.end(), [](const auto& f) { return f.rule_id() == "js-cors-credentials-any-origin"; }) == 1);
  CHECK(plan->merged_if_built() == nullptr);
  doc.apply({{Range{{10, 0}, {10, 0}}, "// x\n"}}, Encoding::utf8, 2);
  const auto edited = doc.snapshot();
  const auto local = vigil::analyze_local(*rules, *edited, *opened, first);
  CHECK(key(local.findings) == key(vigil::analyze(*rules, *edited)));
  (void)vigil::analyze_incremental(*rules, *edited, *opened, first);
  CHECK(plan->merged_if_built() == nullptr);

  std::mutex mutex;
  std::condition_variable published;
  int count = 0;
  {
    vigil::session::AnalysisScheduler scheduler(
        [&](const auto&, std::vector<vigil::Finding>, const std::string&, bool) {
          std::lock_guard lock(mutex);
          ++count;
          published.notify_all();
        },
        1);
    vigil::session::AnalysisScheduler::Job job;
    job.uri = "file:///t.js";
    job.snapshot = opened;
    job.rules = rules;
    scheduler.schedule(job);
    std::unique_lock lock(mutex);
    REQUIRE(published.wait_for(lock, std::chrono::seconds(60), [&] { return count > 0; }));
    lock.unlock();
    // Built in the background (slowly under valgrind or sanitizers).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!plan->merged_if_built() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(plan->merged_if_built() != nullptr);
  REQUIRE(plan->merged_if_built()->query != nullptr);
  // The merged query finds what the rules' own queries found.
  CHECK(key(vigil::analyze_local(*rules, *edited, *opened, first).findings) == key(local.findings));
  CHECK(key(vigil::analyze(*rules, *edited)) == key(local.findings));
}

TEST_CASE("opening starts the merged build when a query rule may match; the analysis waits for it when most may") {
  auto rules = std::make_shared<vigil::RuleSet>();
  for (auto& r : vigil::rules::load_builtin_rules().rules) rules->add(r);
  const auto plan = rules->plan_for(*vigil::grammars::by_name("javascript"));
  REQUIRE(plan->rules.size() > 2);
  CHECK(plan->any_query_rule_may_match("app.use(cors({ origin: \"*\", credentials: true }));\n"));
  CHECK_FALSE(plan->any_query_rule_may_match("const total = items.length + 1;\n"));
  std::vector<uint32_t> all(plan->rules.size());
  std::iota(all.begin(), all.end(), 0u);
  CHECK(plan->waiting_for_merged_pays(all));
  // One rule of several: its own query compiles in a fraction of the merged one's time.
  uint32_t smallest = 0;
  for (uint32_t i = 0; i < plan->rules.size(); ++i)
    if (plan->rules[i]->matcher_for(*plan->language)->source().size() <
        plan->rules[smallest]->matcher_for(*plan->language)->source().size())
      smallest = i;
  CHECK_FALSE(plan->waiting_for_merged_pays({smallest}));
  all.erase(all.begin() + smallest);
  CHECK(plan->waiting_for_merged_pays(all));
}

TEST_CASE("a sibling match kept around an edit, and found again through another join when its own is edited") {
  vigil::RuleSet rules;
  for (auto& r : vigil::rules::load_builtin_rules().rules) rules.add(r);
  const auto& lang = *vigil::grammars::by_name("javascript");
  // One Access-Control-Allow-Origin header joined with either of two later credentials headers: the
  // findings keep one of the two joins; editing either header away must leave the finding.
  std::string text = "res.setHeader(\"Access-Control-Allow-Origin\", req.headers.origin);\n";
  for (int i = 0; i < 12; ++i) text += "const v" + std::to_string(i) + " = app.get(" + std::to_string(i) + ");\n";
  const std::string header = "res.setHeader(\"Access-Control-Allow-Credentials\", \"true\");\n";
  text += header;
  for (int i = 12; i < 24; ++i) text += "const v" + std::to_string(i) + " = app.get(" + std::to_string(i) + ");\n";
  text += header;
  for (int i = 24; i < 36; ++i) text += "const v" + std::to_string(i) + " = app.get(" + std::to_string(i) + ");\n";
  for (const uint32_t line : {13u, 26u, 6u}) {  // each credentials header, then a statement between
    Document doc("t", lang, text, 1);
    const auto before = doc.snapshot();
    const auto first = vigil::analyze(rules, *before);
    REQUIRE(std::count_if(first.begin(), first.end(), [](const auto& f) { return f.rule_id() == "js-cors-credentials-any-origin"; }) == 1);
    // "Credentials" -> "Credentialz", or a statement between changed.
    doc.apply({{Range{{line, line == 6 ? 6u : 46u}, {line, line == 6 ? 8u : 47u}}, line == 6 ? "w" : "z"}}, Encoding::utf8, 2);
    const auto now = doc.snapshot();
    const auto full = key(vigil::analyze(rules, *now));
    INFO("line " << line << "\n" << now->text);
    CHECK(key(vigil::analyze_local(rules, *now, *before, first).findings) == full);
    CHECK(key(vigil::analyze_incremental(rules, *now, *before, first)) == full);
  }
}

TEST_CASE("the memory releaser trims once a burst of requests is over") {
  using namespace std::chrono_literals;
  vigil::session::MemoryReleaser releaser(300ms);
  CHECK(releaser.releases() == 0);
  for (int i = 0; i < 10; ++i) {
    releaser.request();
    std::this_thread::sleep_for(1ms);  // each request well within the quiet time of the last
  }
  CHECK(releaser.releases() == 0);
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (releaser.releases() == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  CHECK(releaser.releases() == 1);
  releaser.request();
  while (releaser.releases() == 1 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  CHECK(releaser.releases() == 2);
}

TEST_CASE("a closed document leaves nothing in the scheduler, even when its job was running") {
  auto rules = std::make_shared<vigil::RuleSet>();
  for (auto& r : vigil::rules::load_builtin_rules().rules) rules->add(r);
  const auto& python = *vigil::grammars::by_name("python");
  std::mutex mutex;
  std::condition_variable published;
  std::set<std::string> seen;
  vigil::session::AnalysisScheduler scheduler(
      [&](const auto& job, std::vector<vigil::Finding>, const std::string&, bool) {
        std::lock_guard lock(mutex);
        seen.insert(job.uri);
        published.notify_all();
      },
      1);
  auto job_for = [&](const std::string& uri) {
    vigil::session::AnalysisScheduler::Job job;
    job.uri = uri;
    job.snapshot = Snapshot::parse("/t.py", python, "import os\ndef f(x):\n    os.system('ls ' + x)\n" + std::string(2000, '#') + "\n");
    job.rules = rules;
    return job;
  };
  // Opened, analysed, closed, 40 times over: the old scheduler kept an epoch per URI ever seen.
  for (int i = 0; i < 40; ++i) scheduler.schedule(job_for("file:///a" + std::to_string(i) + ".py"));
  {
    std::unique_lock lock(mutex);
    REQUIRE(published.wait_for(lock, std::chrono::seconds(120), [&] { return seen.size() == 40; }));
  }
  CHECK(scheduler.documents() == 40);
  for (int i = 0; i < 40; ++i) scheduler.cancel("file:///a" + std::to_string(i) + ".py");
  CHECK(scheduler.documents() == 0);
  // Closed while queued or running: whatever the worker was doing finishes before the next job
  // (one worker), and leaves nothing behind.
  for (int i = 0; i < 10; ++i) {
    const std::string uri = "file:///b" + std::to_string(i) + ".py";
    scheduler.schedule(job_for(uri));
    scheduler.cancel(uri);
  }
  scheduler.schedule(job_for("file:///last.py"));
  {
    std::unique_lock lock(mutex);
    REQUIRE(published.wait_for(lock, std::chrono::seconds(120), [&] { return seen.contains("file:///last.py"); }));
  }
  CHECK(scheduler.documents() == 1);
  scheduler.cancel("file:///last.py");
  CHECK(scheduler.documents() == 0);
}

namespace {

// A JavaScript file and an edit whose local pass carries whole-file work over (a complete pass
// follows it), with all built-in rules.
struct EditNeedingCompletion {
  std::shared_ptr<vigil::RuleSet> rules = std::make_shared<vigil::RuleSet>();
  std::unique_ptr<Document> doc;
  std::shared_ptr<const vigil::document::Snapshot> opened, edited;
  EditNeedingCompletion() {
    for (auto& r : vigil::rules::load_builtin_rules().rules) rules->add(r);
    std::string text = "const cp = require('child_process');\n";
    for (int i = 0; i < 30; ++i) text += "const v" + std::to_string(i) + " = cp.exec(process.argv[" + std::to_string(i) + "]);\n";
    doc = std::make_unique<Document>("t", *vigil::grammars::by_name("javascript"), text, 1);
    opened = doc->snapshot();
    doc->apply({{Range{{10, 0}, {10, 0}}, "// x\n"}}, Encoding::utf8, 2);
    edited = doc->snapshot();
  }
};

}  // namespace

TEST_CASE("a complete pass waits for its quiet time from when the local result was shown") {
  const EditNeedingCompletion setup;
  const auto& rules = setup.rules;
  const auto& opened = setup.opened;
  const auto& edited = setup.edited;
  // The local pass carries whole-file work over: a complete pass follows it.
  REQUIRE_FALSE(vigil::analyze_local(*rules, *edited, *opened, vigil::analyze(*rules, *opened)).complete);

  using clock = std::chrono::steady_clock;
  const auto quiet = std::chrono::milliseconds(1000);
  std::mutex mutex;
  std::condition_variable done;
  std::vector<std::pair<bool, clock::time_point>> results;  // complete?, when it was handed over
  vigil::session::AnalysisScheduler scheduler(
      [&](const auto&, std::vector<vigil::Finding>, const std::string&, bool complete) {
        std::lock_guard lock(mutex);
        results.emplace_back(complete, clock::now());
        done.notify_all();
      },
      1, quiet);
  auto wait_for = [&](size_t n) {
    std::unique_lock lock(mutex);
    return done.wait_for(lock, std::chrono::seconds(120), [&] { return results.size() >= n; });
  };
  vigil::session::AnalysisScheduler::Job job;
  job.uri = "file:///t.js";
  job.snapshot = opened;
  job.rules = rules;
  scheduler.schedule(job);
  REQUIRE(wait_for(1));
  job.snapshot = edited;
  scheduler.schedule(job);
  REQUIRE(wait_for(2));
  clock::time_point local_done;
  {
    std::lock_guard lock(mutex);
    REQUIRE(results.size() == 2);
    REQUIRE_FALSE(results[1].first);
    local_done = results[1].second;
  }
  // Shown well after the local pass ended (a slow publish), before its quiet time ran out: the
  // complete pass starts a whole quiet time after that, not after the end of the local pass.
  std::this_thread::sleep_until(local_done + quiet * 6 / 10);
  const auto shown_at = clock::now();
  scheduler.shown(job.uri);
  REQUIRE(wait_for(3));
  std::lock_guard lock(mutex);
  CHECK(results[2].first);
  CHECK(results[2].second >= shown_at + quiet);
}

TEST_CASE("a document's change drops the complete pass of its older version before the new one is parsed") {
  const EditNeedingCompletion setup;
  const auto& rules = setup.rules;
  const auto& opened = setup.opened;
  const auto& edited = setup.edited;
  REQUIRE_FALSE(vigil::analyze_local(*rules, *edited, *opened, vigil::analyze(*rules, *opened)).complete);

  const auto quiet = std::chrono::milliseconds(200);
  std::mutex mutex;
  std::condition_variable done;
  std::vector<bool> results;  // complete?
  vigil::session::AnalysisScheduler scheduler(
      [&](const auto&, std::vector<vigil::Finding>, const std::string&, bool complete) {
        std::lock_guard lock(mutex);
        results.push_back(complete);
        done.notify_all();
      },
      1, quiet);
  auto wait_for = [&](size_t n, std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex);
    return done.wait_for(lock, limit, [&] { return results.size() >= n; });
  };
  vigil::session::AnalysisScheduler::Job job;
  job.uri = "file:///t.js";
  job.snapshot = opened;
  job.rules = rules;
  scheduler.schedule(job);
  REQUIRE(wait_for(1, std::chrono::seconds(120)));
  job.snapshot = edited;
  scheduler.schedule(job);
  REQUIRE(wait_for(2, std::chrono::seconds(120)));
  REQUIRE_FALSE(results[1]);
  // The next version is on its way (its text changes, then parses): the pending complete pass of
  // this one never runs, however long the parse takes.
  scheduler.superseded(job.uri);
  CHECK_FALSE(wait_for(3, quiet * 5));
  setup.doc->apply({{Range{{20, 0}, {20, 0}}, "// y\n"}}, Encoding::utf8, 3);
  job.snapshot = setup.doc->snapshot();
  scheduler.schedule(job);
  REQUIRE(wait_for(3, std::chrono::seconds(120)));
  std::lock_guard lock(mutex);
  CHECK(results.size() == 3);
}
