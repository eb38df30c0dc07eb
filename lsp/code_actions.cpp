#include "lsp/code_actions.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "analyzers/engine.hpp"
#include "analyzers/fix/fix.hpp"
#include "analyzers/suppressions.hpp"
#include "lsp/convert.hpp"
#include "lsp/jsonrpc.hpp"

namespace vigil::lsp {

using nlohmann::json;

namespace {

bool flag(const json& j, std::initializer_list<const char*> path) {
  const json* at = &j;
  for (const char* key : path) at = &member(*at, key);
  return at->is_boolean() && at->get<bool>();
}

bool holds_string(const json& array, std::string_view value) {
  if (!array.is_array()) return false;
  return std::any_of(array.begin(), array.end(), [&](const json& v) { return v.is_string() && v.get<std::string>() == value; });
}

// One of ours. Clients that do not keep `data` (it is optional in LSP) still send source and code.
bool is_vigil_diagnostic(const json& d) { return member(d, "source") == "vigil" && member(d, "code").is_string(); }

// Its `data` is for `version`: usable as it is.
bool is_current(const json& d, int64_t version) {
  const json& data = member(d, "data");
  return member(data, "fingerprint").is_string() && member(data, "ruleId").is_string() && member(data, "version") == version;
}

int64_t start_line(const json& d) {
  const json& line = member(member(member(d, "range"), "start"), "line");
  return line.is_number_integer() ? line.get<int64_t>() : 0;
}

uint32_t byte_at(const ActionDocument& doc, const json& position, document::Encoding enc) {
  return doc.snapshot->lines.offset_of(doc.snapshot->text, position_from_json(position), enc);
}

// The current diagnostic with `fingerprint` nearest to `line`; null when it is gone. Without a
// fingerprint (a client that dropped `data`), the diagnostic of rule `code` on `line` itself.
const json* find_item(const ActionDocument& doc, const std::string& fingerprint, int64_t line,
                      const std::string& code = {}) {
  if (!doc.items) return nullptr;
  const json* best = nullptr;
  int64_t best_distance = std::numeric_limits<int64_t>::max();
  for (const auto& item : *doc.items) {
    if (!fingerprint.empty() && member(member(item, "data"), "fingerprint") != fingerprint) continue;
    if (fingerprint.empty() && (member(item, "code") != code || start_line(item) != line)) continue;
    const int64_t distance = std::llabs(item.at("range").at("start").at("line").get<int64_t>() - line);
    if (distance < best_distance) best = &item, best_distance = distance;
  }
  return best;
}

// A short, one-line rendering of code for a title.
std::string snippet_of(std::string_view code) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!code.empty() && blank(code.front())) code.remove_prefix(1);
  while (!code.empty() && blank(code.back())) code.remove_suffix(1);
  std::string s(code.substr(0, code.find('\n')));
  bool cut = s.size() < code.size();
  if (s.size() > 40) {
    s.resize(37);
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
    cut = true;
  }
  return "`" + s + (cut ? "…" : "") + "`";
}

// "Replace `load` with `safe_load`", "Remove `verify=False`", "Insert `…`".
std::string describe_edit(const ActionDocument& doc, const json& edit, document::Encoding enc) {
  const uint32_t start = byte_at(doc, edit.at("range").at("start"), enc);
  const uint32_t end = std::max(start, byte_at(doc, edit.at("range").at("end"), enc));
  const std::string_view old_text = std::string_view(doc.snapshot->text).substr(start, end - start);
  const std::string new_text = edit.at("newText").get<std::string>();
  if (old_text.empty()) return "Insert " + snippet_of(new_text);
  if (new_text.empty()) return "Remove " + snippet_of(old_text);
  return "Replace " + snippet_of(old_text) + " with " + snippet_of(new_text);
}

json fix_text_edit(const json& fix) { return {{"range", fix.at("range")}, {"newText", fix.at("newText")}}; }

// Every safe fix of the current analysis, minimal and free of overlaps, as LSP text edits.
json fix_all_edits(const ActionDocument& doc, document::Encoding enc) {
  std::vector<FixEdit> edits;
  if (doc.items)
    for (const auto& item : *doc.items) {
      const json& fix = member(member(item, "data"), "fix");
      if (!fix.is_object() || !member(fix, "safe").is_boolean() || !fix.at("safe").get<bool>()) continue;
      FixEdit e;
      e.start_byte = byte_at(doc, fix.at("range").at("start"), enc);
      e.end_byte = std::max(e.start_byte, byte_at(doc, fix.at("range").at("end"), enc));
      e.replacement = fix.at("newText").get<std::string>();
      e.safe = true;
      edits.push_back(std::move(e));
    }
  json out = json::array();
  for (const auto& e : fix::non_overlapping(std::move(edits)))
    out.push_back(text_edit(*doc.snapshot, e.start_byte, e.end_byte, e.replacement, enc));
  return out;
}

std::string escape_snippet(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '$' || c == '}' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The suppression comment above the finding at `start` (a position in `enc`). The reason is left to
// the user: an empty tab stop where the client expands snippets in edits (the cursor lands after
// "-- "), else the comment ends with "-- " and the cursor's next keystrokes. Placeholder text would
// stay in the file when the user presses Escape; an empty reason keeps it reported until written
// (and the engine treats Vigil's own placeholder words as no reason: is_placeholder_reason).
json suppression_edit(const ActionDocument& doc, const std::string& rule_id, const json& start, const ActionClient& client,
                      document::Encoding enc) {
  const auto s = fix::suppression(*doc.snapshot, byte_at(doc, start, enc), rule_id);
  json edit = text_edit(*doc.snapshot, s.offset, s.offset, s.text(""), enc);
  if (client.snippet_edits && client.document_changes) {
    edit.erase("newText");
    edit["snippet"] = {{"kind", "snippet"},
                       {"value", escape_snippet(s.before_reason) + "$1" + escape_snippet(s.after_reason)}};
  }
  return edit;
}

json command(const std::string& title, const std::string& name, json argument) {
  return {{"title", title}, {"command", name}, {"arguments", json::array({std::move(argument)})}};
}

// The finding an action or a command argument names, as it is in the current analysis.
const json& named_item(const ActionDocument& doc, const json& data) {
  const json* item = find_item(doc, data.at("fingerprint").get<std::string>(), data.value("line", int64_t{0}));
  if (!item)
    throw RpcError(ErrorCode::request_failed, "the finding is no longer in " + doc.uri + " (the document changed)");
  return *item;
}

}  // namespace

ActionClient ActionClient::from_capabilities(const json& caps) {
  ActionClient c;
  const json& code_action = member(member(caps, "textDocument"), "codeAction");
  c.literals = member(code_action, "codeActionLiteralSupport").is_object();
  c.resolve_edit = holds_string(member(member(code_action, "resolveSupport"), "properties"), "edit");
  c.document_changes = flag(caps, {"workspace", "workspaceEdit", "documentChanges"});
  c.snippet_edits = flag(caps, {"workspace", "workspaceEdit", "snippetEditSupport"});
  c.apply_edit = flag(caps, {"workspace", "applyEdit"});
  c.create_files = holds_string(member(member(member(caps, "workspace"), "workspaceEdit"), "resourceOperations"), "create");
  c.hover_markdown = holds_string(member(member(member(caps, "textDocument"), "hover"), "contentFormat"), "markdown");
  return c;
}

bool kind_wanted(const json& params, std::string_view kind) {
  const json& only = member(member(params, "context"), "only");
  if (!only.is_array() || only.empty()) return true;
  for (const auto& k : only) {
    if (!k.is_string()) continue;
    const std::string prefix = k.get<std::string>();
    if (kind == prefix || (kind.starts_with(prefix) && kind.size() > prefix.size() && kind[prefix.size()] == '.'))
      return true;
  }
  return false;
}

bool code_action_needs_analysis(const json& params, int64_t current_version) {
  static const json no_diagnostics = json::array();
  for (const auto& d : member(member(params, "context"), "diagnostics").is_array()
                           ? member(member(params, "context"), "diagnostics")
                           : no_diagnostics)
    if (is_vigil_diagnostic(d) && !is_current(d, current_version)) return true;
  // Fix-all covers the whole document: it needs every current finding.
  return kind_wanted(params, "source.fixAll.vigil");
}

bool CodeActionRequest::wants(std::string_view kind) const { return kind_wanted(params, kind); }

std::vector<json> current_diagnostics(const json& params, const ActionDocument& doc) {
  std::vector<json> out;
  const json& context_diagnostics = member(member(params, "context"), "diagnostics");
  if (!context_diagnostics.is_array()) return out;
  for (const auto& d : context_diagnostics) {
    if (!is_vigil_diagnostic(d)) continue;
    if (is_current(d, doc.version())) {
      out.push_back(d);
      continue;
    }
    const json& fingerprint = member(member(d, "data"), "fingerprint");
    if (const json* item = find_item(doc, fingerprint.is_string() ? fingerprint.get<std::string>() : std::string(),
                                     start_line(d), d.at("code").get<std::string>()))
      out.push_back(*item);  // same finding, current range, fix and data
  }
  return out;
}

json workspace_edit(const ActionDocument& doc, json edits, const ActionClient& client) {
  if (client.document_changes)
    return {{"documentChanges",
             json::array({{{"textDocument", {{"uri", doc.uri}, {"version", doc.version()}}}, {"edits", std::move(edits)}}})}};
  return {{"changes", {{doc.uri, std::move(edits)}}}};
}

void quick_fix_actions(const CodeActionRequest& request, json& actions) {
  if (!request.wants("quickfix")) return;
  for (const auto& d : request.diagnostics) {
    const json& fix = member(d.at("data"), "fix");
    if (!fix.is_object()) continue;
    const bool safe = member(fix, "safe").is_boolean() && fix.at("safe").get<bool>();
    const std::string rule_id = d.at("data").at("ruleId");
    std::string title = describe_edit(request.doc, fix, request.encoding) + " (" + rule_id + ")";
    if (!safe) title += " — unsafe fix, review it";
    if (!request.client.literals) {
      actions.push_back(command(title, "vigil.applyFix",
                                {{"uri", request.doc.uri},
                                 {"fingerprint", d.at("data").at("fingerprint")},
                                 {"line", d.at("range").at("start").at("line")}}));
      continue;
    }
    json action = {{"title", title},
                   {"kind", "quickfix"},
                   {"diagnostics", json::array({d})},
                   {"edit", workspace_edit(request.doc, json::array({fix_text_edit(fix)}), request.client)}};
    if (safe) action["isPreferred"] = true;
    actions.push_back(std::move(action));
  }
}

void suppress_actions(const CodeActionRequest& request, json& actions) {
  if (!request.wants("quickfix")) return;
  std::vector<std::pair<std::string, int64_t>> offered;  // one per rule and line
  for (const auto& d : request.diagnostics) {
    const std::string rule_id = d.at("data").at("ruleId");
    // Vigil's findings about suppression comments are fixed in the comment, not silenced.
    if (rule_id == kUnusedSuppression || rule_id == kSuppressionNoReason || rule_id == kSuppressionUnknownRule) continue;
    const int64_t line = d.at("range").at("start").at("line");
    if (std::find(offered.begin(), offered.end(), std::pair{rule_id, line}) != offered.end()) continue;
    offered.emplace_back(rule_id, line);
    const std::string title = "Suppress " + rule_id + " here…";
    const json argument = {{"vigil", "suppress"},
                           {"uri", request.doc.uri},
                           {"version", request.doc.version()},
                           {"fingerprint", d.at("data").at("fingerprint")},
                           {"ruleId", rule_id},
                           {"line", line}};
    if (!request.client.literals) {
      actions.push_back(command(title, "vigil.suppress", argument));
      continue;
    }
    json action = {{"title", title}, {"kind", "quickfix"}, {"diagnostics", json::array({d})}};
    if (request.client.resolve_edit) {
      action["data"] = argument;  // the edit is computed on codeAction/resolve
    } else {
      action["edit"] = workspace_edit(
          request.doc, json::array({suppression_edit(request.doc, rule_id, d.at("range").at("start"), request.client,
                                                     request.encoding)}),
          request.client);
    }
    actions.push_back(std::move(action));
  }
}

void unused_suppression_actions(const CodeActionRequest& request, json& actions) {
  if (!request.wants("quickfix") || !request.client.literals) return;
  const auto& snap = *request.doc.snapshot;
  for (const auto& d : request.diagnostics) {
    if (d.at("data").at("ruleId").get<std::string>() != kUnusedSuppression) continue;
    // The finding covers the directive; the edit removes the whole comment when the directive is
    // all it says (only comment markers before it), with its line when it is alone there.
    const uint32_t directive = byte_at(request.doc, d.at("range").at("start"), request.encoding);
    const TSNode n = comment_at(snap.root(), directive);
    if (ts_node_is_null(n)) continue;
    const uint32_t start = ts_node_start_byte(n), end = ts_node_end_byte(n);
    const std::string_view before = std::string_view(snap.text).substr(start, directive - start);
    if (before.find_first_not_of("#/*;- \t") != std::string_view::npos) continue;  // other text shares the comment
    const FixEdit removal = fix::minimal(FixEdit{start, end, "", true}, snap.text);
    json action = {{"title", "Remove the unused suppression"},
                   {"kind", "quickfix"},
                   {"diagnostics", json::array({d})},
                   {"isPreferred", true},
                   {"edit", workspace_edit(request.doc,
                                           json::array({text_edit(snap, removal.start_byte, removal.end_byte, "", request.encoding)}),
                                           request.client)}};
    actions.push_back(std::move(action));
  }
}

void fix_all_actions(const CodeActionRequest& request, json& actions) {
  if (!request.wants("source.fixAll.vigil") || !request.doc.items) return;
  json edits = fix_all_edits(request.doc, request.encoding);
  if (edits.empty()) return;
  const std::string title = "Fix all safe Vigil findings (" + std::to_string(edits.size()) +
                            (edits.size() == 1 ? " fix)" : " fixes)");
  const json argument = {{"vigil", "fixAll"}, {"uri", request.doc.uri}, {"version", request.doc.version()}};
  if (!request.client.literals) {
    actions.push_back(command(title, "vigil.fixAll", argument));
    return;
  }
  json action = {{"title", title}, {"kind", "source.fixAll.vigil"}};
  if (request.client.resolve_edit) action["data"] = argument;
  else action["edit"] = workspace_edit(request.doc, std::move(edits), request.client);
  actions.push_back(std::move(action));
}

std::string action_uri(const json& action_or_argument) {
  const json& data = member(action_or_argument, "data").is_object() ? action_or_argument.at("data") : action_or_argument;
  const json& uri = member(data, "uri");
  if (!uri.is_string()) throw RpcError(ErrorCode::invalid_params, "not an action or argument of Vigil's (no `uri`)");
  return uri.get<std::string>();
}

json resolve_code_action(json action, const ActionDocument& doc, const ActionClient& client, document::Encoding enc) {
  const json& data = member(action, "data");
  const std::string what = member(data, "vigil").is_string() ? data.at("vigil").get<std::string>() : "";
  if (what == "fixAll") {
    action["edit"] = workspace_edit(doc, fix_all_edits(doc, enc), client);
  } else if (what == "suppress") {
    const json& item = named_item(doc, data);
    action["edit"] = workspace_edit(
        doc, json::array({suppression_edit(doc, data.at("ruleId"), item.at("range").at("start"), client, enc)}), client);
  } else {
    throw RpcError(ErrorCode::invalid_params, "not a code action of Vigil's");
  }
  return action;
}

const std::vector<std::string>& command_names() {
  static const std::vector<std::string> names = {"vigil.applyFix", "vigil.fixAll", "vigil.suppress"};
  return names;
}

json command_edit(const std::string& name, const json& argument, const ActionDocument& doc, const ActionClient& client,
                  document::Encoding enc) {
  if (!argument.is_object()) throw RpcError(ErrorCode::invalid_params, name + " takes one object argument");
  if (name == "vigil.fixAll") return workspace_edit(doc, fix_all_edits(doc, enc), client);
  if (name == "vigil.suppress") {
    const json& item = named_item(doc, argument);
    return workspace_edit(
        doc, json::array({suppression_edit(doc, item.at("data").at("ruleId"), item.at("range").at("start"), client, enc)}),
        client);
  }
  if (name == "vigil.applyFix") {
    const json& item = named_item(doc, argument);
    const json& fix = member(item.at("data"), "fix");
    if (!fix.is_object()) throw RpcError(ErrorCode::request_failed, "rule " + item.at("data").at("ruleId").get<std::string>() + " has no fix");
    return workspace_edit(doc, json::array({fix_text_edit(fix)}), client);
  }
  throw RpcError(ErrorCode::invalid_params, "unknown command " + name);
}

}  // namespace vigil::lsp
