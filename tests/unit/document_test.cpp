#include <catch2/catch.hpp>

#include <random>
#include <tuple>

#include "tests/unit/sanitizer_rounds.hpp"
#include "analyzers/document/document.hpp"

using namespace vigil::document;

namespace {
std::string tree_string(TSNode n) {
  char* s = ts_node_string(n);
  std::string out(s);
  free(s);
  return out;
}
}  // namespace

TEST_CASE("incremental edits keep the tree equal to a fresh parse") {
  const auto& python = *vigil::grammars::by_name("python");
  Document doc("t.py", python, "def f(a):\n    return a + 1\n\nx = f(2)\n", 1);
  std::mt19937 rng(42);
  const std::vector<std::string> inserts = {"b", "\n", "    ", "é", "😀", "(", ")", "g(x)\n", "", "# c\n", ":"};
  int64_t version = 1;
  for (int i = 0; i < 300; ++i) {
    const auto& text = doc.text();
    const uint32_t lines = doc.lines().line_count();
    const uint32_t line = rng() % lines;
    const uint32_t len = vigil::document::length_in(
        std::string_view(text).substr(doc.lines().line_start(line), doc.lines().line_end(text, line) - doc.lines().line_start(line)),
        Encoding::utf16);
    const uint32_t start = len ? rng() % (len + 1) : 0;
    const uint32_t end = std::min(len, start + static_cast<uint32_t>(rng() % 3));
    TextChange change{Range{{line, start}, {line, end}}, inserts[rng() % inserts.size()]};
    doc.apply({change}, Encoding::utf16, ++version);
    auto fresh = Snapshot::parse("t.py", python, doc.text());
    REQUIRE(tree_string(doc.root()) == tree_string(fresh->root()));
  }
  CHECK(doc.version() == 301);
}

TEST_CASE("several changes in one notification apply in order") {
  const auto& js = *vigil::grammars::by_name("javascript");
  Document doc("t.js", js, "let a = 1;\n", 1);
  doc.apply({{Range{{0, 4}, {0, 5}}, "bb"}, {Range{{0, 0}, {0, 0}}, "// x\n"}, {Range{{1, 9}, {1, 10}}, "2"}},
            Encoding::utf16, 2);
  CHECK(doc.text() == "// x\nlet bb = 2;\n");
  CHECK_FALSE(ts_node_has_error(doc.root()));
}

TEST_CASE("a change without a range replaces the whole text") {
  const auto& go = *vigil::grammars::by_name("go");
  Document doc("t.go", go, "package a\n", 1);
  doc.apply({{std::nullopt, "package b\n\nfunc F() {}\n"}}, Encoding::utf16, 2);
  CHECK(doc.lines().line_count() == 4);
  CHECK_FALSE(ts_node_has_error(doc.root()));
  auto snap = doc.snapshot();
  CHECK(snap->version == 2);
  CHECK(snap->text == doc.text());
}

TEST_CASE("every registered grammar loads and parses") {
  for (const auto& lang : vigil::grammars::all()) {
    auto snap = Snapshot::parse("x", lang, "");
    CHECK(snap->tree != nullptr);
  }
  CHECK(vigil::grammars::by_path("a/b.tsx")->id == "tsx");
  CHECK(vigil::grammars::by_path("x.H") != nullptr);
  CHECK(vigil::grammars::by_path("Makefile") == nullptr);
  CHECK(vigil::grammars::by_lsp_language_id("typescriptreact")->id == "tsx");
  CHECK(vigil::grammars::by_name("JS")->id == "javascript");
}

#include "analyzers/engine.hpp"
#include "analyzers/rules/sources.hpp"

TEST_CASE("incremental analysis finds exactly what a full analysis finds") {
  vigil::RuleSet rules;
  for (auto& r : vigil::rules::load_builtin_rules().rules) rules.add(r);
  // ast-grep rules that look beyond the matched node: ancestors, siblings, positions.
  std::string tree_rules;
  for (const auto& [lang, def, cls, args, top, decl] :
       {std::tuple{"python", "function_definition", "class_definition", "argument_list", "module", "import_statement"},
        std::tuple{"javascript", "function_declaration", "class_declaration", "arguments", "program",
                   "lexical_declaration"}}) {
    const std::string l = lang, d = def, c = cls, a = args, t = top, i = decl;
    tree_rules +=
        // Depends on the whole file from deep inside a function: only the memo of top-level
        // lookups can tell that an edit elsewhere matters.
        "---\nid: t-eval-with-import-" + l + "\nlanguage: " + l + "\nmessage: eval with a declaration\n" +
        "rule: {pattern: eval($X), inside: {kind: " + t + ", has: {kind: " + i + "}, stopBy: end}}\n" +
        "---\nid: t-eval-in-def-" + l + "\nlanguage: " + l + "\nmessage: eval $X in a function\n" +
        "rule: {pattern: eval($X), inside: {kind: " + d + ", stopBy: end}}\nfix: safe($X)\n" +
        "---\nid: t-after-import-" + l + "\nlanguage: " + l + "\nmessage: statement after an import\n" +
        "rule: {kind: expression_statement, follows: {regex: '^(import|const)', stopBy: end}}\n" +
        "---\nid: t-before-class-" + l + "\nlanguage: " + l + "\nmessage: def before a class\n" +
        "rule: {kind: " + d + ", precedes: {kind: " + c + ", stopBy: end}}\n" +
        "---\nid: t-first-arg-" + l + "\nlanguage: " + l + "\nmessage: first argument $A\n" +
        "rule: {pattern: $A, kind: identifier, nthChild: 1, inside: {kind: " + a + "}}\n" +
        "---\nid: t-has-return-" + l + "\nlanguage: " + l + "\nmessage: returns\n" +
        "rule: {kind: " + d + ", has: {kind: return_statement, stopBy: end}}\n" +
        // Depends on the file's imports from anywhere: an added or removed alias changes it.
        "---\nid: t-resolves-" + l + "\nlanguage: " + l + "\nmessage: runs a shell\n" +
        "rule: {kind: " + (l == "python" ? std::string("call") : std::string("call_expression")) +
        ", has: {field: function, resolves: [os.system, subprocess.call, child_process.exec]}}\n";
  }
  auto loaded = vigil::rules::load_rules_from_yaml("tree.yaml", tree_rules);
  REQUIRE_FALSE(loaded.has_errors());
  REQUIRE(loaded.rules.size() == 14);
  for (auto& r : loaded.rules) rules.add(r);
  struct Case {
    const char* lang;
    std::string text;
    std::vector<std::string> inserts;
  };
  const std::vector<Case> cases = {
      {"python",
       "import os, pickle, subprocess\n\ndef a(x):\n    return eval(x)\n\nclass C:\n    def m(self, cmd):\n"
       "        os.system(cmd)\n        return pickle.loads(cmd)\n\nsubprocess.run(x, shell=True)\n"
       // Module-level siblings: a finding whose pattern spans two top-level statements.
       "q = f\"SELECT * FROM t WHERE id = {x}\"\ncursor.execute(q)\n",
       {"eval(y)\n", "x", "\n", "    ", "#", "(", ")", "os.system(c)\n", "def f():\n", "'s'", "", "{", "}", "q"}},
      {"javascript",
       "const cp = require('child_process');\nfunction a(x) { return eval(x); }\n\nclass C {\n  m(cmd) {\n"
       "    cp.exec(`ls ${cmd}`);\n    el.innerHTML = cmd;\n  }\n}\n",
       {"eval(y);\n", "x", "\n", "  ", "//", "(", ")", "`${a}`", "function f() {\n", "}", ""}},
      // Aliases come and go: `resolves` rules must follow every import edit, wherever the call is.
      {"python",
       "import os as o\nfrom subprocess import call as c\n\ndef f(x):\n    o.system(x)\n    c(x)\n    s(x)\n\n"
       "def g(y):\n    return sp.call(y)\n",
       {"import os as s\n", "from os import system as s\n", "import subprocess as sp\n", "o", "s", "c", "#", "\n",
        "    ", "from os import *\n", "system(x)\n", ""}},
      {"javascript",
       "const cp = require('child_process');\nconst { exec: run } = require('node:child_process');\n\n"
       "function f(x) {\n  cp.exec(x);\n  run(x);\n  ex(x);\n}\n",
       {"const ex = require('child_process').exec;\n", "import { exec as ex } from 'child_process';\n", "cp", "run",
        "ex", "//", "\n", "  ", "exec", ""}},
      // Built-in taint rules whose sources look at ancestors (route handlers' parameters) and
      // whose sinks test argument positions.
      {"python",
       "import requests\nfrom flask import request, redirect\n\n@app.route('/f/<name>')\ndef f(name, db):\n"
       "    url = 'http://' + name\n    requests.get(url)\n    db.execute('SELECT ' + name)\n"
       "    return redirect(request.args.get('next'))\n\ndef g(path):\n    return open(path + request.args['p'])\n\n"
       "q = request.args.get('q')\nrequests.post(q, data=1)\n",
       {"@app.get('/x')\n", "name", "\n", "    ", "#", "(", ")", "int(", "requests.get(name)\n", "def h(name):\n", ""}},
  };
  for (const auto& c : cases) {
    const auto& lang = *vigil::grammars::by_name(c.lang);
    Document doc("t", lang, c.text, 1);
    std::mt19937 rng(GENERATE(7, 11, 23));
    auto before = doc.snapshot();
    auto before_findings = vigil::analyze(rules, *before);
    for (int i = 0; i < vigil::test::random_edit_rounds(400); ++i) {
      const auto& text = doc.text();
      const uint32_t line = rng() % doc.lines().line_count();
      const uint32_t len = doc.lines().line_end(text, line) - doc.lines().line_start(line);
      const uint32_t start = len ? rng() % (len + 1) : 0;
      const uint32_t end = std::min(len, start + static_cast<uint32_t>(rng() % 4));
      doc.apply({{Range{{line, start}, {line, end}}, c.inserts[rng() % c.inserts.size()]}}, Encoding::utf8, i + 2);
      auto now = doc.snapshot();
      auto incremental = vigil::analyze_incremental(rules, *now, *before, before_findings);
      auto full = vigil::analyze(rules, *now);
      auto key = [](const std::vector<vigil::Finding>& fs) {
        std::vector<std::string> out;
        for (const auto& f : fs)
          out.push_back(f.rule_id() + "@" + std::to_string(f.start_byte) + "-" + std::to_string(f.end_byte) + ":" +
                        std::to_string(f.start.row) + "." + std::to_string(f.start.column) + " " + f.message + " " +
                        f.fingerprint + (f.fix ? " fix " + std::to_string(f.fix->start_byte) + "-" +
                                                     std::to_string(f.fix->end_byte) + " " + f.fix->replacement
                                               : std::string()));
        return out;
      };
      INFO(c.lang << " edit " << i << "\n" << now->text);
      REQUIRE(key(incremental) == key(full));
      // Skip some versions, as the scheduler does under a burst.
      if (rng() % 3) {
        before = now;
        before_findings = incremental;
      }
    }
  }
}
