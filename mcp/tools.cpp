// The MCP tools: their JSON schemas (tools/list) and what they do over the session.
#include <spdlog/spdlog.h>

#include <future>
#include <set>
#include <thread>

#include "analyzers/fix/fix.hpp"
#include "analyzers/provenance/tracker.hpp"
#include "analyzers/rules/prompt.hpp"
#include "analyzers/session/session.hpp"
#include "analyzers/text/patch.hpp"
#include "analyzers/workspace/boundary.hpp"
#include "mcp/protocol.hpp"
#include "analyzers/feedback/effects.hpp"
#include "mcp/server.hpp"

namespace vigil::mcp {

using nlohmann::json;

namespace {

// --- schemas

json string_schema(const char* description) { return {{"type", "string"}, {"description", description}}; }
const json kInt = {{"type", "integer"}};

json finding_schema() {
  json fix = {{"type", "object"},
              {"description", "The rule's fix: replace [line:column, endLine:endColumn) with `replacement`"},
              {"properties",
               {{"replacement", {{"type", "string"}}},
                {"safe", {{"type", "boolean"}, {"description", "true: does exactly what the constraint asks"}}},
                {"line", kInt}, {"column", kInt}, {"endLine", kInt}, {"endColumn", kInt},
                {"fixedLines", string_schema("the affected lines with the fix applied")}}},
              {"required", {"replacement", "safe", "line", "column", "endLine", "endColumn", "fixedLines"}}};
  return {{"type", "object"},
          {"properties",
           {{"ruleId", {{"type", "string"}}},
            {"fingerprint", string_schema("stable across line moves: give it to record_verdict")},
            {"severity", {{"type", "string"}, {"enum", {"error", "warning", "info", "hint"}}}},
            {"message", {{"type", "string"}}},
            {"constraint", string_schema("the security rule the code breaks, in one sentence")},
            {"cwe", {{"type", "array"}, {"items", {{"type", "string"}}}}},
            {"category", {{"type", "string"}}},
            {"path", {{"type", "string"}}},
            {"line", {{"type", "integer"}, {"description", "1-based"}}},
            {"column", {{"type", "integer"}, {"description", "1-based, in characters"}}},
            {"endLine", kInt},
            {"endColumn", kInt},
            {"code", string_schema("the flagged code (shortened)")},
            {"origin", string_schema("ai, human or reviewed: who wrote the flagged code, as far as Vigil knows")},
            {"fix", fix},
            {"dataFlow",
             {{"type", "array"},
              {"description", "taint path, source first"},
              {"items",
               {{"type", "object"},
                {"properties", {{"line", kInt}, {"column", kInt}, {"label", {{"type", "string"}}}}},
                {"required", {"line", "column", "label"}}}}}}}},
          {"required", {"ruleId", "severity", "message", "constraint", "cwe", "line", "column", "endLine", "endColumn", "code"}}};
}

json tool_list() {
  const json findings = {{"type", "array"}, {"items", finding_schema()}};
  json rules_tool = {
      {"name", "security_rules"},
      {"title", "Security rules"},
      {"description",
       "The security constraints Vigil enforces for a language or file, as instructions to follow while writing "
       "code (the same text `vigil prompt` gives). Call it before writing code."},
      {"inputSchema",
       {{"type", "object"},
        {"properties",
         {{"language", string_schema("python, javascript, typescript, tsx, go, java, c, cpp, ...")},
          {"path", string_schema("a file path; its extension picks the language")}}},
        {"additionalProperties", false}}},
      {"outputSchema",
       {{"type", "object"},
        {"properties",
         {{"language", {{"type", "string"}}},
          {"count", kInt},
          {"prompt", {{"type", "string"}}},
          {"rules",
           {{"type", "array"},
            {"items",
             {{"type", "object"},
              {"properties",
               {{"id", {{"type", "string"}}},
                {"severity", {{"type", "string"}}},
                {"languages", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                {"constraint", {{"type", "string"}}},
                {"cwe", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                {"category", {{"type", "string"}}},
                {"hasFix", {{"type", "boolean"}}}}},
              {"required", {"id", "severity", "languages", "constraint", "cwe", "category", "hasFix"}}}}}}}},
        {"required", {"count", "prompt", "rules"}}}},
      {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}};
  json check_code = {
      {"name", "check_code"},
      {"title", "Check code"},
      {"description",
       "Checks code against Vigil's security rules before it is written: a snippet (`code` + `language`), a "
       "workspace file (`path`), or the full proposed new content of a workspace file (`path` + `code`). Returns "
       "each finding with its constraint, CWE and fix, and `fixedCode` with every safe fix applied. Proposed "
       "content for a workspace file is recorded as AI-written for the editor."},
      {"inputSchema",
       {{"type", "object"},
        {"properties",
         {{"code", string_schema("the code to check: a snippet or a whole file's proposed content")},
          {"path", string_schema("a file inside the workspace (relative to its root, or absolute)")},
          {"language", string_schema("the language of `code` when no path names it")}}},
        {"additionalProperties", false}}},
      {"outputSchema",
       {{"type", "object"},
        {"properties",
         {{"path", {{"type", "string"}}},
          {"language", {{"type", "string"}}},
          {"clean", {{"type", "boolean"}}},
          {"findings", findings},
          {"hidden", {{"type", "integer"}, {"description", "findings hidden as false positives marked before (record_verdict, the editor)"}}},
          {"fixedCode", string_schema("the code with every safe fix applied (only when there is one)")},
          {"recordedLines", {{"type", "integer"}, {"description", "lines recorded as AI-written"}}}}},
        {"required", {"language", "clean", "findings"}}}},
      {"annotations", {{"readOnlyHint", false}, {"destructiveHint", false}, {"idempotentHint", true}, {"openWorldHint", false}}}};
  json check_diff = {
      {"name", "check_diff"},
      {"title", "Check a diff"},
      {"description",
       "Checks a unified diff (as `git diff` writes it) that you are about to apply to workspace files: the "
       "diff is applied to each file as it is on disk (`--- /dev/null` for a new file) and only findings on "
       "added lines are reported, with constraint, CWE and fix. The added lines are recorded as AI-written."},
      {"inputSchema",
       {{"type", "object"},
        {"properties", {{"diff", string_schema("a unified diff with ---/+++ headers and @@ hunks")}}},
        {"required", {"diff"}},
        {"additionalProperties", false}}},
      {"outputSchema",
       {{"type", "object"},
        {"properties",
         {{"clean", {{"type", "boolean"}}},
          {"findingCount", kInt},
          {"files",
           {{"type", "array"},
            {"items",
             {{"type", "object"},
              {"properties",
               {{"path", {{"type", "string"}}},
                {"language", {{"type", "string"}}},
                {"checked", {{"type", "boolean"}}},
                {"reason", string_schema("why the file was not checked")},
                {"addedLines", kInt},
                {"recordedLines", kInt},
                {"findings", findings},
                {"fixedCode", string_schema("the file after the diff, with every safe fix applied")}}},
              {"required", {"path", "checked", "addedLines", "findings"}}}}}}}},
        {"required", {"clean", "findingCount", "files"}}}},
      {"annotations", {{"readOnlyHint", false}, {"destructiveHint", false}, {"idempotentHint", true}, {"openWorldHint", false}}}};
  // The finding a call is about: the code as check_code takes it, then the line (and rule).
  const json finding_input = {
      {"code", string_schema("the code: a snippet (with `language`) or a workspace file's proposed content (with `path`)")},
      {"path", string_schema("a file inside the workspace (relative to its root, or absolute)")},
      {"language", string_schema("the language of `code` when no path names it")},
      {"line", {{"type", "integer"}, {"minimum", 1}, {"description", "the finding's line (1-based), as check_code reported it"}}},
      {"ruleId", string_schema("the finding's rule, when several findings share the line")}};
  json validate_input = finding_input;
  validate_input["validator"] = {{"type", "string"},
                                 {"enum", {"deep", "endpoint", "command"}},
                                 {"description", "deep (default: Vigil's offline analyzer); endpoint or command only when the user's own "
                                                 "settings configure one"}};
  json validate_finding = {
      {"name", "validate_finding"},
      {"title", "Validate a finding"},
      {"description",
       "A second opinion on one finding of check_code: is it a real vulnerability? The deep analyzer follows the "
       "data across the file's functions and fields, and knows guards, casts, allow-lists, constants and dead "
       "branches. Returns confirmed, refuted, uncertain or error, with an explanation and a confidence. A "
       "refuted finding can be left as it is; fix a confirmed one."},
      {"inputSchema", {{"type", "object"}, {"properties", validate_input}, {"required", {"line"}}, {"additionalProperties", false}}},
      {"outputSchema",
       {{"type", "object"},
        {"properties",
         {{"ruleId", {{"type", "string"}}},
          {"line", kInt},
          {"path", {{"type", "string"}}},
          {"fingerprint", {{"type", "string"}}},
          {"status", {{"type", "string"}, {"enum", {"confirmed", "refuted", "uncertain", "error"}}}},
          {"explanation", {{"type", "string"}}},
          {"confidence", {{"type", "number"}}},
          {"validator", {{"type", "string"}}},
          {"model", {{"type", "string"}}},
          {"suggestedFix", {{"type", "string"}}}}},
        {"required", {"ruleId", "line", "fingerprint", "status", "explanation", "confidence", "validator"}}}},
      {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}};
  json tests_input = finding_input;
  tests_input.erase("language");
  tests_input["line"]["description"] = "the finding's line (1-based); or give `function` and `cwe` instead";
  tests_input["function"] = string_schema("without a finding: the function to test");
  tests_input["cwe"] = string_schema("without a finding: the weakness to test for, e.g. CWE-78");
  json generate_tests = {
      {"name", "generate_security_tests"},
      {"title", "Generate security tests"},
      {"description",
       "Writes (as text: nothing is saved or run) a security test in the project's own framework (pytest or "
       "unittest, node:test/jest/vitest, Go testing, a C harness under AddressSanitizer) for a finding or for a "
       "function and a CWE. The test calls the real function with attack inputs and fails while it is "
       "vulnerable. Save `content` at `path` (it extends an existing test file) and run `command` from the "
       "workspace root."},
      {"inputSchema", {{"type", "object"}, {"properties", tests_input}, {"required", {"path"}}, {"additionalProperties", false}}},
      {"outputSchema",
       {{"type", "object"},
        {"properties",
         {{"path", string_schema("the test file, relative to the workspace root")},
          {"content", string_schema("the whole test file after the change")},
          {"created", {{"type", "boolean"}, {"description", "false: an existing test file is extended"}}},
          {"unchanged", {{"type", "boolean"}, {"description", "the file already has this test"}}},
          {"framework", {{"type", "string"}}},
          {"function", {{"type", "string"}}},
          {"family", {{"type", "string"}}},
          {"cwe", {{"type", "string"}}},
          {"tests", {{"type", "array"}, {"items", {{"type", "string"}}}}},
          {"command", string_schema("how to run it, from the workspace root")},
          {"argv", {{"type", "array"}, {"items", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}}},
        {"required", {"path", "content", "created", "unchanged", "framework", "function", "family", "cwe", "command", "argv"}}}},
      {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}};
  json verdict_input = finding_input;
  verdict_input["line"]["description"] = "the finding's line (1-based), as check_code reported it; or give `fingerprint`";
  verdict_input["fingerprint"] = string_schema("the finding's fingerprint from check_code (with `ruleId`), instead of code/path and line");
  verdict_input["verdict"] = {{"type", "string"},
                              {"enum", {"confirmed", "false_positive"}},
                              {"description", "confirmed: a real problem; false_positive: the rule is wrong here"}};
  verdict_input["reason"] = string_schema("why (kept with the verdict; say it for a false positive)");
  json record_verdict = {
      {"name", "record_verdict"},
      {"title", "Record a verdict on a finding"},
      {"description",
       "Tells Vigil's feedback bank whether a finding of check_code is real. A false positive is then hidden "
       "wherever the same code appears again (in the editor and in `vigil check`), and each rule's measured "
       "precision counts the verdict. Give the finding as check_code did (code or path, line, ruleId) or by "
       "its fingerprint and ruleId. Only record what you checked: a wrong false_positive hides a real problem."},
      {"inputSchema", {{"type", "object"}, {"properties", verdict_input}, {"required", {"verdict"}}, {"additionalProperties", false}}},
      {"outputSchema",
       {{"type", "object"},
        {"properties",
         {{"ruleId", {{"type", "string"}}},
          {"fingerprint", {{"type", "string"}}},
          {"verdict", {{"type", "string"}}},
          {"confirmed", kInt},
          {"falsePositives", kInt},
          {"precision", {{"type", "number"}}}}},
        {"required", {"ruleId", "fingerprint", "verdict", "confirmed", "falsePositives"}}}},
      {"annotations", {{"readOnlyHint", false}, {"destructiveHint", false}, {"idempotentHint", false}, {"openWorldHint", false}}}};
  return json::array({rules_tool, check_code, check_diff, validate_finding, generate_tests, record_verdict});
}

// --- arguments

void check_keys(const json& args, std::initializer_list<const char*> known) {
  for (const auto& [key, value] : args.items()) {
    bool ok = false;
    std::string list;
    for (const char* k : known) {
      ok = ok || key == k;
      list += (list.empty() ? "" : ", ") + std::string(k);
    }
    if (!ok) throw ToolError("unknown argument `" + key + "` (this tool takes: " + list + ")");
  }
}

std::optional<std::string> string_arg(const json& args, const char* key) {
  auto it = args.find(key);
  if (it == args.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw ToolError(std::string("`") + key + "` must be a string");
  return it->get<std::string>();
}

std::string known_languages() {
  std::string out;
  for (const auto& l : grammars::all()) out += (out.empty() ? "" : ", ") + std::string(l.id);
  return out;
}

const grammars::Language& language_named(const std::string& name) {
  if (const auto* l = grammars::by_name(name)) return *l;
  throw ToolError("unknown language `" + name + "`: Vigil checks " + known_languages());
}

void check_size(const std::string& what, size_t size, size_t max) {
  if (size > max)
    throw ToolError(what + " is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(max) +
                    ": check it in smaller parts");
}

// --- results

std::string origin_at(const std::vector<provenance::Span>& spans, const Finding& f) {
  if (provenance::ai_span_for(spans, f.start_byte, f.end_byte)) return "ai";
  for (const auto& s : spans)
    if (s.start <= f.start_byte && f.start_byte < s.end) return std::string(provenance::to_string(s.label.origin));
  return "human";
}

json finding_json(const Finding& f, const document::Snapshot& snap, const std::vector<provenance::Span>& spans,
                  const std::string& path) {
  const auto enc = document::Encoding::utf32;  // columns in characters
  const auto start = snap.position_of(f.start_byte, enc), end = snap.position_of(f.end_byte, enc);
  const auto& rule = *f.rule;
  std::string code = snap.text.substr(f.start_byte, std::min<uint32_t>(f.end_byte - f.start_byte, 300));
  json out = {{"ruleId", rule.id},
              {"fingerprint", f.fingerprint},
              {"severity", std::string(rules::to_string(f.severity))},
              {"message", f.message},
              {"constraint", rule.constraint.empty() ? rule.message : rule.constraint},
              {"cwe", rule.metadata.cwe},
              {"category", rule.metadata.category},
              {"line", start.line + 1},
              {"column", start.character + 1},
              {"endLine", end.line + 1},
              {"endColumn", end.character + 1},
              {"code", code},
              {"origin", origin_at(spans, f)}};
  if (!path.empty()) out["path"] = path;
  if (f.fix) {
    const FixEdit edit = fix::minimal(*f.fix, snap.text);
    const auto a = snap.position_of(edit.start_byte, enc), b = snap.position_of(edit.end_byte, enc);
    // The whole lines the fix touches, as they read after it.
    const uint32_t line_start = snap.lines.line_start(snap.lines.line_of(edit.start_byte));
    size_t line_end = snap.text.find('\n', edit.end_byte);
    if (line_end == std::string::npos) line_end = snap.text.size();
    const std::string fixed = snap.text.substr(line_start, edit.start_byte - line_start) + edit.replacement +
                              snap.text.substr(edit.end_byte, line_end - edit.end_byte);
    out["fix"] = {{"replacement", edit.replacement}, {"safe", edit.safe},   {"line", a.line + 1},
                  {"column", a.character + 1},       {"endLine", b.line + 1}, {"endColumn", b.character + 1},
                  {"fixedLines", fixed}};
  }
  if (!f.trace.empty()) {
    json flow = json::array();
    for (const auto& step : f.trace) {
      const auto p = snap.position_of(step.start_byte, enc);
      flow.push_back({{"line", p.line + 1}, {"column", p.character + 1}, {"label", step.label}});
    }
    out["dataFlow"] = std::move(flow);
  }
  return out;
}

// "app.py:4:37 error py-tls-verify-disabled: message" with the constraint and the fix.
std::string describe_findings(const json& findings, const std::string& display) {
  std::string out;
  for (const auto& f : findings) {
    out += "- " + (display.empty() ? std::string("line ") : display + ":") + std::to_string(f["line"].get<int>()) + ":" +
           std::to_string(f["column"].get<int>()) + " " + f["severity"].get<std::string>() + " " +
           f["ruleId"].get<std::string>() + ": " + f["message"].get<std::string>() + "\n";
    out += "  Constraint: " + f["constraint"].get<std::string>() + "\n";
    if (f.contains("fix"))
      out += std::string("  Fix") + (f["fix"]["safe"].get<bool>() ? " (safe)" : " (review it)") + ": line " +
             std::to_string(f["fix"]["line"].get<int>()) + " becomes `" + f["fix"]["fixedLines"].get<std::string>() + "`\n";
  }
  return out;
}

// The code with every safe fix of `findings` applied; nullopt when none has one.
std::optional<std::string> fixed_code(const std::vector<Finding>& findings, const std::string& text) {
  auto edits = fix::applicable(findings, text, false);
  if (edits.empty()) return std::nullopt;
  return fix::apply(text, edits);
}

}  // namespace

// ---------------------------------------------------------------------------------------------

json Server::list_tools() const { return {{"tools", tool_list()}}; }

namespace {

// Runs one analysis on its own thread under `timeout`: the engine is linear in its input, but a
// call must answer in bounded time whatever it is given. An abandoned analysis finishes unseen.
session::Analysis analyse_with_deadline(const session::Session& s, const std::string& path, const grammars::Language& lang,
                                        std::string text, std::vector<provenance::Span> spans,
                                        std::chrono::milliseconds timeout, bool& abandoned) {
  auto task = std::make_shared<std::packaged_task<session::Analysis()>>(
      [rules = s.rule_set(), scope = s.scope_with(std::move(spans)), path, lang = &lang, text = std::move(text)]() mutable {
        return session::analyse_text(*rules, scope, path, *lang, std::move(text));
      });
  auto done = task->get_future();
  std::thread([task] { (*task)(); }).detach();
  if (done.wait_for(timeout) != std::future_status::ready) {
    abandoned = true;
    throw ToolError("checking " + path + " took longer than " + std::to_string(timeout.count() / 1000) +
                    " s and was abandoned: check a smaller part");
  }
  return done.get();
}

}  // namespace

Server::ToolResult Server::security_rules(const json& args) const {
  check_keys(args, {"language", "path"});
  const auto language = string_arg(args, "language");
  const auto path = string_arg(args, "path");
  const grammars::Language* lang = nullptr;
  if (language) lang = &language_named(*language);
  else if (path && !(lang = grammars::by_path(*path)))
    throw ToolError("no grammar for `" + *path + "`: give `language` (one of " + known_languages() + ")");
  const auto rules = lang ? session_->rules().for_language(*lang) : session_->rules().all();
  const std::string scope = path ? std::string(lang->id) + " (" + *path + ")" : lang ? std::string(lang->id) : "all languages";
  ToolResult result;
  json list = json::array();
  for (const auto& r : rules) {
    json languages = json::array();
    for (const auto* l : r->languages) languages.push_back(std::string(l->id));
    list.push_back({{"id", r->id},
                    {"severity", std::string(rules::to_string(r->severity))},
                    {"languages", languages},
                    {"constraint", r->constraint.empty() ? r->message : r->constraint},
                    {"cwe", r->metadata.cwe},
                    {"category", r->metadata.category},
                    {"hasFix", r->fix.has_value()}});
  }
  result.text = rules::constraints_prompt(rules, scope);
  result.structured = {{"count", rules.size()}, {"prompt", result.text}, {"rules", std::move(list)}};
  if (lang) result.structured["language"] = std::string(lang->id);
  return result;
}

Server::Target Server::read_target(const json& args) {
  const auto code = string_arg(args, "code");
  const auto path = string_arg(args, "path");
  const auto language = args.contains("language") ? string_arg(args, "language") : std::nullopt;
  if (!code && !path)
    throw ToolError("give `code` (a snippet, with `language`), `path` (a workspace file), or both (the proposed content of that file)");
  Target t;
  t.code = code;
  std::string error;
  if (path) {
    auto resolved = workspace::resolve_inside(session_->root(), *path, error);
    if (!resolved) throw ToolError(error);
    t.abs = *resolved;
    t.display = session_->relative_path(t.abs);
  }
  t.lang = language ? &language_named(*language) : path ? grammars::by_path(t.abs) : nullptr;
  if (!t.lang)
    throw ToolError(path ? "no grammar for `" + *path + "`: give `language` (one of " + known_languages() + ")"
                         : "give `language` for a snippet (one of " + known_languages() + ")");
  if (code) {
    check_size("`code`", code->size(), options_.max_input_bytes);
    t.text = *code;
    // A proposal: all of it is the agent's.
    if (!t.text.empty())
      t.spans.push_back({0, static_cast<uint32_t>(t.text.size()), {provenance::Origin::ai, provenance::Evidence::agent_mcp, client_name_}});
  } else {
    auto disk = workspace::read_regular_file(t.abs, options_.max_input_bytes, error);
    if (!disk) throw ToolError(error);
    t.text = std::move(*disk);
    if (auto file = session_->file_provenance(t.abs); file && file->text == t.text) t.spans = file->spans;
  }
  return t;
}

session::Analysis Server::analyse_target(const Target& t) {
  return analyse_with_deadline(*session_, t.abs.empty() ? "snippet" : t.abs, *t.lang, t.text, t.spans, options_.timeout, abandoned_);
}

Server::ToolResult Server::check_code(const json& args) {
  check_keys(args, {"code", "path", "language"});
  const Target target = read_target(args);
  const auto& [code, abs, display, lang, text, spans] = target;
  const std::optional<std::string> path = abs.empty() ? std::nullopt : std::optional<std::string>(abs);
  std::string error;
  auto analysis = analyse_target(target);
  // The feedback bank: false positives marked here before (editor, agents, the team's import) are hidden.
  const size_t hidden = feedback::apply(analysis.findings, session_->feedback_view(), session_->config().feedback);
  ToolResult result;
  json findings = json::array();
  for (const auto& f : analysis.findings) findings.push_back(finding_json(f, *analysis.snapshot, spans, display));
  result.structured = {{"language", std::string(lang->id)}, {"clean", findings.empty()}, {"findings", findings}};
  if (path) result.structured["path"] = display;
  if (hidden) result.structured["hidden"] = hidden;
  const std::string subject = path ? display : "the " + std::string(lang->id) + " snippet";
  result.text = findings.empty() ? subject + ": no findings.\n"
                                 : subject + ": " + std::to_string(findings.size()) + " finding" +
                                       (findings.size() == 1 ? "" : "s") + "\n" + describe_findings(findings, display);
  if (hidden) result.text += std::to_string(hidden) + " more marked false positive in this repository before (hidden).\n";
  if (auto fixed = fixed_code(analysis.findings, text)) {
    result.structured["fixedCode"] = *fixed;
    result.text += "\nThe code with every safe fix applied (structuredContent.fixedCode):\n" + *fixed;
  }
  if (path && code) {
    // The agent is about to write this: its lines are AI-written once the file holds them.
    auto recorded = session_->record_agent_proposal(abs, *code, std::nullopt, client_name_, error);
    if (recorded) result.structured["recordedLines"] = *recorded;
    else spdlog::warn("mcp: could not record the proposal for {}: {}", display, error);
  }
  return result;
}

Server::ToolResult Server::check_diff(const json& args) {
  check_keys(args, {"diff"});
  const auto diff = string_arg(args, "diff");
  if (!diff) throw ToolError("give `diff`: a unified diff with `--- a/PATH`, `+++ b/PATH` and `@@` hunks");
  check_size("`diff`", diff->size(), options_.max_input_bytes);
  std::string error;
  auto patches = text::parse_unified_diff(*diff, error);
  if (!patches) throw ToolError("the diff cannot be read: " + error);
  ToolResult result;
  json files = json::array();
  size_t total = 0;
  for (const auto& patch : *patches) {
    if (patch.new_path.empty()) continue;  // a deletion adds no code
    auto abs = workspace::resolve_inside(session_->root(), patch.new_path, error);
    if (!abs) throw ToolError(error);
    const std::string display = session_->relative_path(*abs);
    std::string before;
    if (!patch.old_path.empty()) {
      auto old_abs = workspace::resolve_inside(session_->root(), patch.old_path, error);
      if (!old_abs) throw ToolError(error);
      auto disk = workspace::read_regular_file(*old_abs, options_.max_input_bytes, error);
      if (!disk)
        throw ToolError(error + " (diff against the files as they are on disk; a new file's diff starts with `--- /dev/null`)");
      before = std::move(*disk);
    }
    auto applied = text::apply_patch(before, patch, error);
    if (!applied) throw ToolError(error);
    check_size(display + " after the diff", applied->text.size(), options_.max_input_bytes);
    json entry = {{"path", display}, {"addedLines", applied->added_lines.size()}, {"findings", json::array()}};
    const auto* lang = grammars::by_path(*abs);
    if (!lang) {
      entry["checked"] = false;
      entry["reason"] = "no grammar for this file type (Vigil checks " + known_languages() + ")";
      files.push_back(std::move(entry));
      continue;
    }
    entry["checked"] = true;
    entry["language"] = std::string(lang->id);
    // The added lines are the agent's; the rest keeps what Vigil knows (or counts as not AI).
    std::vector<provenance::Span> spans;
    {
      provenance::ProvenanceMap map;
      for (uint32_t line : applied->added_lines) {
        auto [a, b] = provenance::line_span(applied->text, line, 1);
        map.mark(a, b, {provenance::Origin::ai, provenance::Evidence::agent_mcp, client_name_});
      }
      spans = map.spans();
    }
    auto analysis = analyse_with_deadline(*session_, *abs, *lang, applied->text, spans, options_.timeout, abandoned_);
    feedback::apply(analysis.findings, session_->feedback_view(), session_->config().feedback);
    const std::set<uint32_t> added(applied->added_lines.begin(), applied->added_lines.end());
    std::vector<Finding> kept;
    for (auto& f : analysis.findings) {
      auto it = added.lower_bound(f.start.row);
      if (it != added.end() && *it <= f.end.row) kept.push_back(std::move(f));
    }
    for (const auto& f : kept) entry["findings"].push_back(finding_json(f, *analysis.snapshot, spans, display));
    total += kept.size();
    result.text += display + ": " + (kept.empty() ? "no findings on the added lines.\n"
                                                  : std::to_string(kept.size()) + " finding" + (kept.size() == 1 ? "" : "s") +
                                                        " on the added lines\n" + describe_findings(entry["findings"], display));
    if (auto fixed = fixed_code(kept, applied->text)) entry["fixedCode"] = *fixed;
    if (auto recorded = session_->record_agent_proposal(*abs, applied->text, applied->added_lines, client_name_, error))
      entry["recordedLines"] = *recorded;
    else
      spdlog::warn("mcp: could not record the proposal for {}: {}", display, error);
    files.push_back(std::move(entry));
  }
  if (files.empty()) throw ToolError("the diff adds nothing to check (only deletions)");
  result.structured = {{"clean", total == 0}, {"findingCount", total}, {"files", std::move(files)}};
  return result;
}

namespace {

// The finding on `line` (1-based; of `rule` when given) among an analysis' findings.
const Finding& finding_on_line(const session::Analysis& analysis, uint32_t line, const std::optional<std::string>& rule) {
  const Finding* found = nullptr;
  std::string there;
  for (const auto& f : analysis.findings) {
    if (f.start.row + 1 <= line && line <= f.end.row + 1 && (!rule || f.rule_id() == *rule) && !found) found = &f;
    there += (there.empty() ? "" : ", ") + f.rule_id() + " on line " + std::to_string(f.start.row + 1);
  }
  if (found) return *found;
  throw ToolError("no finding" + (rule ? " of " + *rule : std::string()) + " on line " + std::to_string(line) +
                  (there.empty() ? ": the code has no findings" : " (the code has: " + there + ")") +
                  ". Give the line check_code reported.");
}

uint32_t line_arg(const json& args) {
  const auto it = args.find("line");
  if (it == args.end() || !it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > (1 << 30))
    throw ToolError("`line` must be a line number (1-based)");
  return static_cast<uint32_t>(it->get<int64_t>());
}

}  // namespace

Server::ToolResult Server::validate_finding(const json& args) {
  check_keys(args, {"code", "path", "language", "line", "ruleId", "validator"});
  const uint32_t line = line_arg(args);
  const auto rule = string_arg(args, "ruleId");
  const std::string validator = string_arg(args, "validator").value_or(session_->config().validation.validator);
  if (validator != "deep" && validator != "endpoint" && validator != "command")
    throw ToolError("`validator` is deep, endpoint or command (got `" + validator + "`)");
  const Target target = read_target(args);
  const auto analysis = analyse_target(target);
  const Finding& f = finding_on_line(analysis, line, rule);
  std::string error;
  auto verdict = session_->validate_now(analysis.snapshot, f, target.spans, validator, options_.timeout, error);
  if (!verdict) throw ToolError(error);
  ToolResult result;
  result.structured = verdict->to_json();
  result.structured.erase("path");
  result.structured["ruleId"] = f.rule_id();
  result.structured["line"] = f.start.row + 1;
  result.structured["fingerprint"] = f.fingerprint;
  if (!target.display.empty()) result.structured["path"] = target.display;
  result.text = f.rule_id() + " on line " + std::to_string(f.start.row + 1) + ": " + std::string(validation::to_string(verdict->status)) +
                " by " + verdict->validator + (verdict->model.empty() ? "" : " (" + verdict->model + ")") + ", confidence " +
                std::to_string(static_cast<int>(verdict->confidence * 100 + 0.5)) + "%.\n" + verdict->explanation + "\n";
  if (!verdict->suggested_fix.empty()) result.text += "Suggested fix:\n" + verdict->suggested_fix + "\n";
  return result;
}

Server::ToolResult Server::generate_security_tests(const json& args) {
  check_keys(args, {"code", "path", "line", "ruleId", "function", "cwe"});
  if (!args.contains("path")) throw ToolError("give `path`: the workspace file that holds the function (tests import it from there)");
  const auto function = string_arg(args, "function");
  const auto cwe = string_arg(args, "cwe");
  const auto rule = string_arg(args, "ruleId");
  if (!args.contains("line") && !(function && cwe))
    throw ToolError("give `line` (a finding's line, as check_code reported it) or both `function` and `cwe`");
  const Target target = read_target(args);
  const auto analysis = analyse_target(target);
  const Finding* f = args.contains("line") ? &finding_on_line(analysis, line_arg(args), rule) : nullptr;
  session::Session::GeneratedTests generated;
  try {
    generated = session_->generate_tests_for(*analysis.snapshot, f, function.value_or(""), cwe.value_or(""));
  } catch (const testgen::GenerateError& e) {
    throw ToolError(std::string("no security test: ") + e.what());
  }
  const auto& t = generated.test;
  json argv = json::array();
  for (const auto& c : t.run_commands) argv.push_back(c);
  const std::string command = testgen::display_command(t.run_commands);
  ToolResult result;
  result.structured = {{"path", t.path}, {"content", t.content}, {"created", t.created}, {"unchanged", t.unchanged},
                       {"framework", t.framework}, {"function", t.function}, {"family", t.family}, {"cwe", t.cwe},
                       {"tests", t.test_names}, {"command", command}, {"argv", argv}};
  result.text = t.unchanged ? t.path + " already has the security tests for " + t.function + ". Run: " + command + "\n"
                            : std::string(t.created ? "Create " : "Replace ") + t.path + " with the content below (" + t.framework +
                                  " tests of " + t.function + " for " + t.family + ", " + t.cwe + "), then run from the workspace root: " +
                                  command + "\nThey fail while " + t.function + " is vulnerable and pass once it is fixed.\n\n" + t.content;
  return result;
}

Server::ToolResult Server::record_verdict(const json& args) {
  check_keys(args, {"code", "path", "language", "line", "ruleId", "fingerprint", "verdict", "reason"});
  const auto kind_name = string_arg(args, "verdict");
  const auto kind = kind_name ? feedback::parse_kind(*kind_name) : std::nullopt;
  if (!kind || *kind == feedback::Kind::fixed) throw ToolError("`verdict` is confirmed or false_positive");
  feedback::Verdict v;
  v.kind = *kind;
  v.source = "agent";
  v.tool = client_name_;
  v.reason = string_arg(args, "reason").value_or("");
  check_size("`reason`", v.reason.size(), 4000);
  if (const auto fingerprint = string_arg(args, "fingerprint")) {
    const auto rule = string_arg(args, "ruleId");
    if (!rule) throw ToolError("give `ruleId` with `fingerprint` (both as check_code reported them)");
    if (args.contains("code") || args.contains("line")) throw ToolError("give either `fingerprint` or `code`/`path` and `line`, not both");
    if (!session_->rule(*rule)) throw ToolError("no rule `" + *rule + "` is loaded");
    v.fingerprint = *fingerprint;
    v.rule_id = *rule;
    if (const auto path = string_arg(args, "path")) {
      std::string error;
      auto resolved = workspace::resolve_inside(session_->root(), *path, error);
      if (!resolved) throw ToolError(error);
      v.path = session_->relative_path(*resolved);
    }
  } else {
    const uint32_t line = line_arg(args);
    const Target target = read_target(args);
    const auto analysis = analyse_target(target);
    const Finding& f = finding_on_line(analysis, line, string_arg(args, "ruleId"));
    v.fingerprint = f.fingerprint;
    v.rule_id = f.rule_id();
    v.path = target.display;
    v.line = f.start.row + 1;
    v.context = feedback::context_of(target.text, f.start_byte, f.end_byte);
    v.provenance = origin_at(target.spans, f);
  }
  const std::string fingerprint = v.fingerprint, rule_id = v.rule_id;
  std::string error;
  if (!session_->record_verdict(std::move(v), error)) throw ToolError(error);
  const auto stats = session_->rule_stats(rule_id);
  ToolResult result;
  result.structured = {{"ruleId", rule_id},
                       {"fingerprint", fingerprint},
                       {"verdict", feedback::to_string(*kind)},
                       {"confirmed", stats.confirmed},
                       {"falsePositives", stats.false_positives}};
  if (auto p = stats.precision()) result.structured["precision"] = *p;
  result.text = "Recorded: " + rule_id + " " + std::string(feedback::to_string(*kind)) + " (" + feedback::precision_text(stats) +
                " for this rule in this repository).\n";
  return result;
}

}  // namespace vigil::mcp
