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
  json items;
  explicit Fixture(std::string text, document::Encoding enc = document::Encoding::utf16) {
    add_danger_rule(rules);
    snapshot = document::Snapshot::parse("/tmp/t.py", *grammars::by_name("python"), std::move(text));
    items = lsp::diagnostics(analyze(rules, *snapshot), *snapshot, enc, "file:///tmp/t.py");
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

TEST_CASE("the diagnostic cache reuses the last result's items and undoes what came after them") {
  // Each conversion with the last items handed back equals a conversion from nothing, whatever the
  // scope, a verdict or the feedback had added to them.
  RuleSet rules;
  add_danger_rule(rules);
  const auto& python = *grammars::by_name("python");
  const std::string uri = "file:///tmp/t.py";
  const auto enc = document::Encoding::utf16;
  // Two versions: the second inserts a line above the second call (its diagnostic moves), the
  // first call is the same diagnostic but for the version; a third call appears.
  auto v1 = document::Snapshot::parse("/tmp/t.py", python, "a = danger()\nb = 1\nc = danger()\n");
  auto v2 = document::Snapshot::parse("/tmp/t.py", python, "a = danger()\nb = 1\nx = danger()\n\nc = danger()\n");
  std::const_pointer_cast<document::Snapshot>(v2)->version = 2;
  const auto f1 = analyze(rules, *v1), f2 = analyze(rules, *v2);
  REQUIRE(f1.size() == 2);
  REQUIRE(f2.size() == 3);

  session::ProvenanceScope ai_first;  // the first line written by an AI, the rest by a human
  ai_first.spans.push_back({0, 12, {provenance::Origin::ai, provenance::Evidence::declared, "claude"}});
  ai_first.scope = workspace::Scope::ai;
  ai_first.show_human_findings = true;

  lsp::DiagnosticCache cache;
  json items = cache.diagnostics(f1, *v1, enc, uri, &ai_first);
  REQUIRE(items.size() == 2);
  CHECK(items == lsp::diagnostics(f1, *v1, enc, uri, &ai_first));
  CHECK(items[0]["message"].get<std::string>().find("AI-suggested") != std::string::npos);
  CHECK(items[1]["severity"] == 4);  // a human's finding under scope ai: a hint
  // What the server adds afterwards: a verdict and the feedback.
  items[0]["message"] = items[0]["message"].get<std::string>() + " [confirmed by test]";
  items[0]["data"]["validation"] = {{"status", "confirmed"}};
  items[0]["data"]["feedback"] = {{"votes", 1}};

  // Without a scope: none of it may remain.
  json again = cache.diagnostics(f2, *v2, enc, uri, nullptr, nullptr, std::move(items));
  CHECK(again == lsp::diagnostics(f2, *v2, enc, uri));
  CHECK(again[0]["data"]["version"] == 2);
  CHECK_FALSE(again[0]["data"].contains("provenance"));
  CHECK_FALSE(again[0]["data"].contains("validation"));
  CHECK_FALSE(again[0]["data"].contains("feedback"));
  // And back under the scope, the items of the second conversion handed back in turn.
  json third = cache.diagnostics(f2, *v2, enc, uri, &ai_first, nullptr, std::move(again));
  CHECK(third == lsp::diagnostics(f2, *v2, enc, uri, &ai_first));
  // Items that are not the last result (another length) are not reused: built anew, still equal.
  json fourth = cache.diagnostics(f1, *v1, enc, uri, nullptr, nullptr, json::array({json::object()}));
  CHECK(fourth == lsp::diagnostics(f1, *v1, enc, uri));
  // Findings whose source is a parameter (taint.parameters: ai): kept in AI-written code, left out
  // elsewhere before a diagnostic is built, the same way in both conversions; the items around
  // them are reused, and the left-out one comes back when the scope keeps it.
  auto p2 = f2;
  p2[0].from_parameter = p2[1].from_parameter = true;  // the first in the AI's line, the second not
  json fifth = cache.diagnostics(f2, *v2, enc, uri, &ai_first);
  REQUIRE(fifth.size() == 3);
  json sixth = cache.diagnostics(p2, *v2, enc, uri, &ai_first, nullptr, std::move(fifth));
  CHECK(sixth == lsp::diagnostics(p2, *v2, enc, uri, &ai_first));
  REQUIRE(sixth.size() == 2);
  CHECK(sixth[0]["data"]["provenance"]["origin"] == "ai");
  session::ProvenanceScope all_parameters = ai_first;
  all_parameters.taint_parameters = workspace::TaintParameters::all;
  json seventh = cache.diagnostics(p2, *v2, enc, uri, &all_parameters, nullptr, std::move(sixth));
  CHECK(seventh == lsp::diagnostics(p2, *v2, enc, uri, &all_parameters));
  CHECK(seventh.size() == 3);
}

TEST_CASE("diagnostics are sent as the text dump() gives, kept items serialised again only when they changed") {
  RuleSet rules;
  add_danger_rule(rules);
  const auto& python = *grammars::by_name("python");
  const std::string uri = "file:///tmp/t.py";
  const auto enc = document::Encoding::utf16;
  auto convert = [&](const std::string& text, int64_t version) {
    auto snapshot = document::Snapshot::parse("/tmp/t.py", python, text);
    std::const_pointer_cast<document::Snapshot>(snapshot)->version = version;
    return lsp::diagnostics(analyze(rules, *snapshot), *snapshot, enc, uri);
  };
  lsp::DiagnosticTexts texts;
  auto sent = [&](const json& items) {
    std::string out;
    texts.append_array(items, out);
    return out;
  };
  // Typing: the version changes every item; a line inserted moves the ones below; one appears,
  // one goes; the same finding twice (one fingerprint) at two places.
  json v1 = convert("a = danger()\nb = 1\nc = danger()\n", 1);
  REQUIRE(v1.size() == 2);
  CHECK(sent(v1) == lsp::dump(v1));
  json v2 = convert("a = danger()\nb = 12\nc = danger()\n", 2);
  CHECK(sent(v2) == lsp::dump(v2));
  json v3 = convert("a = danger()\n\nb = 12\nc = danger()\nd = danger()\n", 3);
  REQUIRE(v3.size() == 3);
  CHECK(sent(v3) == lsp::dump(v3));
  json v4 = convert("d = danger()\n", 4);
  CHECK(sent(v4) == lsp::dump(v4));
  json v5 = convert("d = danger()\nd = danger()\n", 5);
  CHECK(sent(v5) == lsp::dump(v5));
  // What the server adds after the conversion changes an item without changing its fingerprint
  // or version: the kept text must not be sent for it.
  json marked = v5;
  marked[1]["data"]["feedback"] = {{"confirmed", 1}, {"falsePositives", 0}, {"votes", 1}};
  marked[1]["message"] = "not valid UTF-8: \xff";
  CHECK(sent(marked) == lsp::dump(marked));
  CHECK(lsp::dump(marked).find("\"votes\":1") != std::string::npos);
  CHECK(sent(v5) == lsp::dump(v5));
  // Items without data (or without a version) and an empty list.
  json plain = json::array({{{"message", "m"}, {"range", lsp::to_json(document::Range{{0, 0}, {0, 1}})}},
                            {{"message", "n"}, {"data", {{"fingerprint", "x"}}}}});
  CHECK(sent(plain) == lsp::dump(plain));
  CHECK(sent(json::array()) == "[]");
  CHECK(sent(v1) == lsp::dump(v1));
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
