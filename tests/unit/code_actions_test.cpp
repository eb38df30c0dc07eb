// Code actions and hover built from diagnostics (lsp/code_actions, lsp/hover), without a server.
#include <catch2/catch.hpp>

#include "analyzers/rules/loader.hpp"
#include "lsp/code_actions.hpp"
#include "lsp/convert.hpp"
#include "lsp/jsonrpc.hpp"
#include "lsp/hover.hpp"

using nlohmann::json;
using namespace vigil;

namespace {

const char* kRule = R"(id: t-danger
language: python
severity: error
message: "`$MATCH` is dangerous"
constraint: Never call danger().
note: |
  Why: it is dangerous.
  **Instead:** call safe().
metadata:
  cwe: [CWE-78]
  owasp: "A03:2021 - Injection"
fix: safe()
fixApplicability: safe
query: |
  ((call function: (identifier) @f) @match (#eq? @f "danger"))
)";

// Adds kRule to `rules`.
void add_danger_rule(RuleSet& rules) {
  auto loaded = rules::load_rules_from_yaml("t.yaml", kRule);
  REQUIRE(loaded.problems.empty());
  rules.add(loaded.rules.at(0));
}

struct Fixture {
  RuleSet rules;
  std::shared_ptr<const document::Snapshot> snapshot;
  json::array_t items;
  explicit Fixture(std::string text, document::Encoding enc = document::Encoding::utf16) {
    add_danger_rule(rules);
    snapshot = document::Snapshot::parse("/tmp/t.py", *grammars::by_name("python"), std::move(text));
    items = lsp::diagnostics(analyze(rules, *snapshot), *snapshot, enc, "file:///tmp/t.py").get<json::array_t>();
  }
};

}  // namespace

TEST_CASE("fix edits in diagnostic data count UTF-16 units after non-ASCII text") {
  Fixture f("x = 'é😀'; y = danger()\n");
  REQUIRE(f.items.size() == 1);
  const json& fix = f.items[0]["data"]["fix"];
  // 'é' is 1 unit, '😀' 2: "x = 'é😀'; y = " is 15 units; `danger` is replaced, `()` kept.
  CHECK(fix["range"] == json::parse(R"({"start":{"line":0,"character":15},"end":{"line":0,"character":21}})"));
  CHECK(fix["newText"] == "safe");
  CHECK(fix["safe"] == true);
  CHECK(f.items[0]["data"]["version"] == 0);

  Fixture utf8("x = 'é😀'; y = danger()\n", document::Encoding::utf8);
  CHECK(utf8.items[0]["data"]["fix"]["range"]["start"]["character"] == 18);  // bytes: é 2, 😀 4
}

TEST_CASE("code actions: quick-fix, suppress and fix-all from diagnostics") {
  Fixture f("def g():\n    danger()\n    danger()\n");
  lsp::ActionDocument doc{"file:///tmp/t.py", f.snapshot, &f.items};
  lsp::ActionClient client = lsp::ActionClient::from_capabilities(json::parse(R"({
    "textDocument": {"codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": []}}}},
    "workspace": {"workspaceEdit": {"documentChanges": true}}})"));
  CHECK(client.literals);
  CHECK(client.document_changes);
  CHECK_FALSE(client.resolve_edit);
  json params = {{"textDocument", {{"uri", doc.uri}}},
                 {"range", f.items[0]["range"]},
                 {"context", {{"diagnostics", json::array({f.items[0]})}}}};
  lsp::CodeActionRequest request{doc, params, client, document::Encoding::utf16, lsp::current_diagnostics(params, doc)};
  json actions = json::array();
  lsp::quick_fix_actions(request, actions);
  lsp::suppress_actions(request, actions);
  lsp::fix_all_actions(request, actions);
  REQUIRE(actions.size() == 3);
  CHECK(actions[0]["title"] == "Replace `danger` with `safe` (t-danger)");
  CHECK(actions[0]["isPreferred"] == true);
  CHECK(actions[0]["edit"]["documentChanges"][0]["textDocument"]["version"] == 0);
  CHECK(actions[1]["title"] == "Suppress t-danger here…");
  CHECK(actions[1]["edit"]["documentChanges"][0]["edits"][0]["newText"] == "    # vigil-ignore: t-danger -- \n");
  CHECK(actions[2]["kind"] == "source.fixAll.vigil");
  CHECK(actions[2]["edit"]["documentChanges"][0]["edits"].size() == 2);

  // Only fix-all asked for.
  params["context"]["only"] = {"source.fixAll"};
  CHECK(lsp::kind_wanted(params, "source.fixAll.vigil"));
  CHECK_FALSE(lsp::kind_wanted(params, "quickfix"));
  params["context"]["only"] = {"source.fix"};
  CHECK_FALSE(lsp::kind_wanted(params, "source.fixAll.vigil"));  // kinds match by whole dotted parts
}

TEST_CASE("a stale diagnostic is matched to the current finding by fingerprint") {
  Fixture before("danger()\n");
  Fixture now("\n\ndanger()\n");
  lsp::ActionDocument doc{"file:///tmp/t.py", now.snapshot, &now.items};
  json stale = before.items[0];
  stale["data"]["version"] = -1;
  json params = {{"context", {{"diagnostics", json::array({stale})}}}};
  auto current = lsp::current_diagnostics(params, doc);
  REQUIRE(current.size() == 1);
  CHECK(current[0]["range"]["start"]["line"] == 2);
  CHECK(lsp::code_action_needs_analysis(params, 0));

  // A client that dropped `data`: matched by rule and line.
  json bare = now.items[0];
  bare.erase("data");
  params = {{"context", {{"diagnostics", json::array({bare})}}}};
  CHECK(lsp::code_action_needs_analysis(params, 0));
  current = lsp::current_diagnostics(params, doc);
  REQUIRE(current.size() == 1);
  CHECK(current[0]["data"]["fix"]["newText"] == "safe");
  bare["range"]["start"]["line"] = 0;  // no finding of the rule on that line
  params = {{"context", {{"diagnostics", json::array({bare})}}}};
  CHECK(lsp::current_diagnostics(params, doc).empty());
}

TEST_CASE("hover explains the rule") {
  Fixture f("danger()\n");
  const std::string md = lsp::hover_text(f.items[0], f.rules.all()[0].get(), true);
  CHECK(md.find("**t-danger** · error") != std::string::npos);
  CHECK(md.find("**Rule:** Never call danger().") != std::string::npos);
  CHECK(md.find("[CWE-78](https://cwe.mitre.org/data/definitions/78.html)") != std::string::npos);
  CHECK(md.find("OWASP [A03:2021 - Injection](https://owasp.org/Top10/A03_2021-Injection/)") != std::string::npos);
  CHECK(md.find("**Instead:** call safe().") != std::string::npos);
  CHECK(md.find("AI-written") == std::string::npos);
  json with_prov = f.items[0];
  with_prov["data"]["provenance"] = {{"origin", "ai"}, {"evidence", "bulk-insert"}, {"tool", "copilot"}};
  CHECK(lsp::hover_text(with_prov, nullptr, true).find("**AI-written:** evidence `bulk-insert`, tool `copilot`") !=
        std::string::npos);
  CHECK(lsp::owasp_url("A10:2021 - Server-Side Request Forgery") ==
        "https://owasp.org/Top10/A10_2021-Server-Side_Request_Forgery_%28SSRF%29/");
  CHECK(lsp::owasp_url("A1:2017-Injection") == "https://owasp.org/www-project-top-ten/");
  auto here = lsp::diagnostics_at(f.items, json{{"line", 0}, {"character", 3}});
  CHECK(here.size() == 1);
  CHECK(lsp::diagnostics_at(f.items, json{{"line", 1}, {"character", 0}}).empty());
}

TEST_CASE("a taint path becomes relatedInformation and the hover's data flow") {
  Fixture f("x = 'é'\ny = x\ndanger(y)\n");
  auto findings = analyze(f.rules, *f.snapshot);
  REQUIRE(findings.size() == 1);
  auto step = [&](std::string_view code, std::string label) {
    const auto at = static_cast<uint32_t>(f.snapshot->text.find(code));
    TraceStep s;
    s.start_byte = at;
    s.end_byte = at + static_cast<uint32_t>(code.size());
    s.label = std::move(label);
    return s;
  };
  findings[0].trace = {step("'é'", "source: 'é'"), step("y = x", "assigned to y"), step("danger(y)", "sink: danger(y)")};
  const json d = lsp::diagnostic(findings[0], *f.snapshot, document::Encoding::utf16, "file:///tmp/t.py");
  REQUIRE(d["relatedInformation"].size() == 3);
  CHECK(d["relatedInformation"][0] == json::parse(R"({"location":{"uri":"file:///tmp/t.py","range":
      {"start":{"line":0,"character":4},"end":{"line":0,"character":7}}},"message":"source: 'é'"})"));
  CHECK(d["relatedInformation"][2]["location"]["range"]["start"]["line"] == 2);
  const std::string md = lsp::hover_text(d, f.rules.all()[0].get(), true);
  CHECK(md.find("**Data flow:**\n1. line 1: source: 'é'\n2. line 2: assigned to y\n3. line 3: sink: danger(y)") !=
        std::string::npos);
  // Plain text for clients without markdown.
  const std::string plain = lsp::hover_text(d, f.rules.all()[0].get(), false);
  CHECK(plain.find("CWE-78 <https://cwe.mitre.org/data/definitions/78.html>") != std::string::npos);
  CHECK(plain.find("**") == plain.find("**Instead:**"));  // only the rule's own note keeps its markdown
}

namespace {

// A verdict and feedback numbers by fingerprint, as the server adds them; `generation` is in the
// key, as the server's verdict generation is.
struct TestDecoration final : lsp::DiagnosticDecoration {
  std::map<std::string, std::string> marks;  // fingerprint -> text appended to the message
  int generation = 0;
  void key(const Finding& f, std::string& key) const override {
    if (marks.contains(f.fingerprint)) key += "M" + std::to_string(generation);
  }
  void apply(const Finding& f, json& item) const override {
    auto it = marks.find(f.fingerprint);
    if (it == marks.end()) return;
    item["message"] = item["message"].get<std::string>() + it->second;
    item["data"]["feedback"] = {{"votes", generation}};
  }
};

// What a conversion from nothing gives: diagnostics() and the decoration.
json::array_t fresh(const std::vector<Finding>& findings, const document::Snapshot& snapshot, document::Encoding enc,
                    const std::string& uri, const lsp::ProvenanceScope* scope, const TestDecoration* decoration) {
  json::array_t items;
  for (const auto& f : findings) {
    json one = lsp::diagnostics({f}, snapshot, enc, uri, scope);
    if (one.empty()) continue;  // left out by the scope
    if (decoration) decoration->apply(f, one[0]);
    items.push_back(std::move(one[0]));
  }
  return items;
}

}  // namespace

TEST_CASE("a diagnostic list equals a conversion from nothing after every update, its text dump()'s") {
  // Typing reuses the last result's items; whatever changed (version, positions, the scope, the
  // decoration, findings that come and go, the same finding twice) must show as a fresh conversion
  // would show it, and the text sent must be dump() of the items.
  RuleSet rules;
  add_danger_rule(rules);
  const auto& python = *grammars::by_name("python");
  const std::string uri = "file:///tmp/t.py";
  const auto enc = document::Encoding::utf16;
  auto snapshot = [&](std::string text, int64_t version) {
    auto s = document::Snapshot::parse("/tmp/t.py", python, std::move(text));
    std::const_pointer_cast<document::Snapshot>(s)->version = version;
    return s;
  };
  session::ProvenanceScope ai_first;  // the first line written by an AI, the rest by a human
  ai_first.spans.push_back({0, 12, {provenance::Origin::ai, provenance::Evidence::declared, "claude"}});
  ai_first.scope = workspace::Scope::ai;
  ai_first.show_human_findings = true;
  session::ProvenanceScope ai_hidden = ai_first;
  ai_hidden.show_human_findings = false;

  lsp::DiagnosticList list;
  TestDecoration decoration;
  auto check = [&](const std::vector<Finding>& findings, const document::Snapshot& s,
                   const lsp::ProvenanceScope* scope, bool expect_changed) {
    size_t outside = 0, fresh_outside = 0;
    const bool changed = list.update(findings, s, enc, uri, scope, &decoration, &outside);
    CHECK(changed == expect_changed);
    const json::array_t want = fresh(findings, s, enc, uri, scope, &decoration);
    CHECK(json(list.items()) == json(want));
    lsp::diagnostics(findings, s, enc, uri, scope, &fresh_outside);
    CHECK(outside == fresh_outside);
    std::string text;
    list.append_array(text);
    CHECK(text == lsp::dump(json(want)));
  };
  auto v1 = snapshot("a = danger()\nb = 1\nc = danger()\n", 1);
  const auto f1 = analyze(rules, *v1);
  REQUIRE(f1.size() == 2);
  check(f1, *v1, &ai_first, true);
  CHECK(list.items()[0]["message"].get<std::string>().find("AI-suggested") != std::string::npos);
  CHECK(list.items()[1]["severity"] == 4);  // a human's finding under scope ai: a hint
  check(f1, *v1, &ai_first, false);         // the same result again: unchanged
  // A keystroke: every item's version changes, nothing else.
  auto v2 = snapshot("a = danger()\nb = 12\nc = danger()\n", 2);
  check(analyze(rules, *v2), *v2, &ai_first, true);
  CHECK(list.items()[1]["data"]["version"] == 2);
  // A line inserted above the second call (it moves), a third call appears; without a scope.
  auto v3 = snapshot("a = danger()\nb = 12\nx = danger()\n\nc = danger()\n", 3);
  const auto f3 = analyze(rules, *v3);
  REQUIRE(f3.size() == 3);
  check(f3, *v3, nullptr, true);
  CHECK_FALSE(list.items()[0]["data"].contains("provenance"));
  // The decoration changes one finding at the same version: changed, that item only rebuilt.
  decoration.marks[f3[1].fingerprint] = " [confirmed by test]";
  check(f3, *v3, nullptr, true);
  CHECK(list.items()[1]["message"].get<std::string>().ends_with("[confirmed by test]"));
  decoration.generation = 1;  // a new verdict generation
  check(f3, *v3, nullptr, true);
  CHECK(list.items()[1]["data"]["feedback"]["votes"] == 1);
  decoration.marks.clear();
  check(f3, *v3, &ai_first, true);
  CHECK(list.items()[1]["severity"] == 4);
  // Scope ai hiding humans' findings: only the AI's line is left, and the count says so.
  check(f3, *v3, &ai_hidden, true);
  CHECK(list.items().size() == 1);
  // Findings from a parameter (taint.parameters: ai): kept in AI-written code, left out elsewhere.
  auto p3 = f3;
  p3[0].from_parameter = p3[1].from_parameter = true;
  check(p3, *v3, &ai_first, true);
  CHECK(list.items().size() == 2);
  session::ProvenanceScope all_parameters = ai_first;
  all_parameters.taint_parameters = workspace::TaintParameters::all;
  check(p3, *v3, &all_parameters, true);
  CHECK(list.items().size() == 3);
  // The same finding twice (one fingerprint, two places), then gone, then an empty list twice:
  // two empty lists of two versions are the same result.
  auto v4 = snapshot("d = danger()\nd = danger()\n", 4);
  const auto f4 = analyze(rules, *v4);
  REQUIRE(f4.size() == 2);
  CHECK(f4[0].fingerprint == f4[1].fingerprint);
  check(f4, *v4, nullptr, true);
  auto v5 = snapshot("d = 1\n", 5);
  check(analyze(rules, *v5), *v5, nullptr, true);
  auto v6 = snapshot("d = 2\n", 6);
  check(analyze(rules, *v6), *v6, nullptr, false);
  // A message that is not valid UTF-8 is sent as dump() sends it.
  auto v7 = snapshot("danger()\n", 7);
  auto f7 = analyze(rules, *v7);
  REQUIRE(f7.size() == 1);
  f7[0].message = "not valid UTF-8: \xff";
  check(f7, *v7, nullptr, true);
  // And a list that has never converted anything sends an empty array.
  lsp::DiagnosticList empty;
  std::string text;
  empty.append_array(text);
  CHECK(text == "[]");
}

TEST_CASE("dump_with writes a serialised member in place") {
  json message = {{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", nullptr}};
  json params = {{"uri", "file:///tmp/é \"q\".py"}, {"version", 7}, {"diagnostics", json::array({{{"message", "x"}}})}};
  json whole = message;
  whole["params"] = params;
  const std::string params_text = lsp::dump_with(params, "diagnostics", lsp::dump(params["diagnostics"]));
  CHECK(params_text == lsp::dump(params));
  CHECK(lsp::dump_with(message, "params", params_text) == lsp::dump(whole));
}
