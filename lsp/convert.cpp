#include "lsp/convert.hpp"

#include <algorithm>
#include <optional>

#include "analyzers/fix/fix.hpp"
#include "analyzers/provenance/tracker.hpp"
#include "analyzers/report/report.hpp"
#include "lsp/jsonrpc.hpp"

namespace vigil::lsp {

using nlohmann::json;

document::Position position_from_json(const json& j) {
  return {j.at("line").get<uint32_t>(), j.at("character").get<uint32_t>()};
}

document::Range range_from_json(const json& j) {
  return {position_from_json(j.at("start")), position_from_json(j.at("end"))};
}

json to_json(document::Position p) { return {{"line", p.line}, {"character", p.character}}; }
json to_json(const document::Range& r) { return {{"start", to_json(r.start)}, {"end", to_json(r.end)}}; }

namespace {
int lsp_severity(rules::Severity s) {
  switch (s) {
    case rules::Severity::error: return 1;
    case rules::Severity::warning: return 2;
    case rules::Severity::info: return 3;
    case rules::Severity::hint: return 4;
  }
  return 2;
}
}  // namespace

json text_edit(const document::Snapshot& snapshot, uint32_t start_byte, uint32_t end_byte, const std::string& new_text,
               document::Encoding enc) {
  document::Range range{snapshot.position_of(start_byte, enc), snapshot.position_of(end_byte, enc)};
  return {{"range", to_json(range)}, {"newText", new_text}};
}

json diagnostic(const Finding& f, const document::Snapshot& snapshot, document::Encoding enc, std::string_view uri) {
  document::Range range{snapshot.position_of(f.start_byte, enc), snapshot.position_of(f.end_byte, enc)};
  json d = {{"range", to_json(range)},
            {"severity", lsp_severity(f.severity)},
            {"code", f.rule_id()},
            {"source", "vigil"},
            {"message", f.message},
            {"data", {{"fingerprint", f.fingerprint}, {"ruleId", f.rule_id()}, {"version", snapshot.version}}}};
  if (!f.rule->metadata.cwe.empty()) {
    d["codeDescription"] = {{"href", rules::cwe_url(f.rule->metadata.cwe.front())}};
    d["data"]["cwe"] = f.rule->metadata.cwe;
  }
  if (f.fix) {
    const FixEdit edit = fix::minimal(*f.fix, snapshot.text);
    json e = text_edit(snapshot, edit.start_byte, edit.end_byte, edit.replacement, enc);
    e["safe"] = edit.safe;
    d["data"]["fix"] = std::move(e);
  }
  if (!f.trace.empty()) {
    const std::string doc_uri = uri.empty() ? path_to_uri(snapshot.path) : std::string(uri);
    json related = json::array();
    for (const auto& step : f.trace) {
      document::Range r{snapshot.position_of(step.start_byte, enc), snapshot.position_of(step.end_byte, enc)};
      related.push_back({{"location", {{"uri", doc_uri}, {"range", to_json(r)}}}, {"message", step.label}});
    }
    d["relatedInformation"] = std::move(related);
  }
  return d;
}

namespace {

// False when scope `scope` leaves finding `f` out whatever its diagnostic: a finding from a
// parameter outside AI-written code (taintParameters). Tested before the diagnostic is built: the
// JavaScript typing benchmark's file has 57 of them, built (80 k instructions each) and dropped on
// every keystroke.
bool scope_keeps(const Finding& f, const ProvenanceScope* scope) {
  if (!scope || !f.from_parameter) return true;
  const auto* span = provenance::ai_span_for(scope->spans, f.start_byte, f.end_byte);
  return workspace::keep_parameter_finding(scope->taint_parameters, f.from_parameter, span != nullptr);
}

// What scope `scope` makes of the diagnostic of finding `f`, a finding scope_keeps() kept.
struct ScopeView {
  bool keep = true;                            // false: a human's finding under scope ai, not shown
  const provenance::Span* ai_span = nullptr;   // the AI range under it
  std::string_view origin;                     // else the origin there (human, reviewed...)
  bool hint = false;                           // shown as a hint (scope ai, outside AI ranges)
};

// `outside_ai` counts the findings scope ai turned into hints or hid (rule severity above hint).
ScopeView scope_view(const Finding& f, const ProvenanceScope* scope, size_t* outside_ai) {
  ScopeView v;
  if (!scope) return v;
  v.ai_span = provenance::ai_span_for(scope->spans, f.start_byte, f.end_byte);
  if (v.ai_span) return v;
  v.origin = "human";  // or the non-AI label there (reviewed, human)
  auto it = std::upper_bound(scope->spans.begin(), scope->spans.end(), f.start_byte,
                             [](uint32_t s, const provenance::Span& sp) { return s < sp.end; });
  if (it != scope->spans.end() && it->start <= f.start_byte) v.origin = provenance::to_string(it->label.origin);
  if (scope->scope == workspace::Scope::ai) {
    if (outside_ai && f.severity != rules::Severity::hint) ++*outside_ai;
    v.keep = scope->show_human_findings;
    v.hint = true;
  }
  return v;
}

// Appends to a diagnostic's key what apply_scope() writes for `v`.
void scope_key(const ScopeView& v, const ProvenanceScope* scope, std::string& key) {
  if (!scope) return;
  key += '\x1f';  // not a digit nor 'F': diagnostic_key()'s parts end here
  if (v.ai_span) {
    const auto& l = v.ai_span->label;
    const std::string described = provenance::describe(l);
    const std::string_view evidence = provenance::to_string(l.evidence);
    for (std::string_view part : {std::string_view("ai"), std::string_view(described), evidence, std::string_view(l.tool)}) {
      key += std::to_string(part.size());
      key += ':';
      key += part;
    }
    return;
  }
  key += std::to_string(v.origin.size());
  key += ':';
  key += v.origin;
  key += v.hint ? 'h' : '-';
}

// Writes scope view `v` into `d`, a diagnostic diagnostic() built for `f`.
void apply_scope(json& d, const Finding& f, const ScopeView& v, const ProvenanceScope* scope) {
  if (!scope) return;
  if (v.ai_span) {
    const auto& l = v.ai_span->label;
    d["message"] = f.message + " (AI-suggested: " + provenance::describe(l) + ")";
    d["data"]["provenance"] = {{"origin", "ai"}, {"evidence", provenance::to_string(l.evidence)}, {"tool", l.tool}};
    return;
  }
  d["data"]["provenance"] = {{"origin", v.origin}};
  if (v.hint) d["severity"] = 4;  // hint: shown faintly, not in the problems count
}

// Everything diagnostic() makes `f`'s diagnostic of, but for the snapshot's version: the rule (by
// identity: a reloaded rule may say more), the texts, and the positions in `enc`.
std::string diagnostic_key(const Finding& f, const document::Snapshot& snapshot, document::Encoding enc,
                           std::string_view uri) {
  std::string key;
  auto number = [&](uint64_t n) {
    key += std::to_string(n);
    key += ',';
  };
  auto position = [&](uint32_t byte) {
    const auto p = snapshot.position_of(byte, enc);
    number(p.line);
    number(p.character);
  };
  auto text = [&](std::string_view t) {
    number(t.size());  // lengths first: no text can pass for two
    key += t;
  };
  number(reinterpret_cast<uintptr_t>(f.rule.get()));
  number(static_cast<uint64_t>(f.severity));
  text(f.message);
  text(f.fingerprint);
  position(f.start_byte);
  position(f.end_byte);
  if (f.fix) {
    const FixEdit edit = fix::minimal(*f.fix, snapshot.text);
    key += 'F';
    position(edit.start_byte);
    position(edit.end_byte);
    number(edit.safe);
    text(edit.replacement);
  }
  if (!f.trace.empty()) {
    text(uri.empty() ? std::string_view(snapshot.path) : uri);
    for (const auto& step : f.trace) {
      position(step.start_byte);
      position(step.end_byte);
      text(step.label);
    }
  }
  return key;
}

}  // namespace

json diagnostics(const std::vector<Finding>& findings, const document::Snapshot& snapshot, document::Encoding enc,
                 std::string_view uri, const ProvenanceScope* scope, size_t* outside_ai) {
  json out = json::array();
  for (const auto& f : findings) {
    if (!scope_keeps(f, scope)) continue;
    const ScopeView v = scope_view(f, scope, outside_ai);
    if (!v.keep) continue;
    json d = diagnostic(f, snapshot, enc, uri);
    apply_scope(d, f, v, scope);
    out.push_back(std::move(d));
  }
  return out;
}

namespace {

// `item`'s text, dump(item), cut at the value of data.version: dump_with() writes a mark in its
// place, a control character that dumped JSON never holds unescaped.
void split_at_version(const json& item, std::string& head, std::string& tail, bool& versioned) {
  const json& data = member(item, "data");
  versioned = data.is_object() && data.contains("version");
  tail.clear();
  if (!versioned) {
    head = dump(item);
    return;
  }
  constexpr char kMark = '\x01';
  head = dump_with(item, "data", dump_with(data, "version", std::string_view(&kMark, 1)));
  const size_t at = head.find(kMark);
  tail = head.substr(at + 1);
  head.resize(at);
}

}  // namespace

bool DiagnosticList::update(const std::vector<Finding>& findings, const document::Snapshot& snapshot,
                            document::Encoding enc, std::string_view uri, const ProvenanceScope* scope,
                            const DiagnosticDecoration* decoration, size_t* outside_ai) {
  json::array_t items;
  std::vector<std::string> keys;
  std::vector<Text> texts;
  items.reserve(findings.size());
  keys.reserve(findings.size());
  texts.reserve(findings.size());
  std::vector<bool> taken(keys_.size());
  // The last result's items by key, built at the first item not found at its own index (typing
  // keeps them in order: most keystrokes never build it). Views into keys_, which stays put.
  std::unordered_multimap<std::string_view, size_t> by_key;
  bool indexed = false;
  auto reusable = [&](size_t i, const std::string& key) -> std::optional<size_t> {
    if (i < keys_.size() && !taken[i] && keys_[i] == key) return i;
    if (!indexed) {
      indexed = true;
      by_key.reserve(keys_.size());
      for (size_t k = 0; k < keys_.size(); ++k) by_key.emplace(keys_[k], k);
    }
    auto [from, to] = by_key.equal_range(key);
    for (auto it = from; it != to; ++it)
      if (!taken[it->second]) return it->second;
    return std::nullopt;
  };
  for (const auto& f : findings) {
    if (!scope_keeps(f, scope)) continue;
    const ScopeView v = scope_view(f, scope, outside_ai);
    if (!v.keep) continue;
    std::string key = diagnostic_key(f, snapshot, enc, uri);
    scope_key(v, scope, key);
    if (decoration) {
      key += '\x1e';
      decoration->key(f, key);
    }
    if (auto old = reusable(items.size(), key)) {
      taken[*old] = true;
      json item = std::move(items_[*old]);
      if (version_ != snapshot.version) {
        json& data = item["data"];
        if (data.is_object() && data.contains("version")) data["version"] = snapshot.version;
      }
      items.push_back(std::move(item));
      texts.push_back(std::move(texts_[*old]));
    } else {
      json item = diagnostic(f, snapshot, enc, uri);
      apply_scope(item, f, v, scope);
      if (decoration) decoration->apply(f, item);
      items.push_back(std::move(item));
      texts.emplace_back();
    }
    keys.push_back(std::move(key));
  }
  // Items carry their version: those of two versions differ unless both lists are empty.
  const bool changed = !converted_ || (version_ != snapshot.version ? !(items.empty() && items_.empty()) : keys != keys_);
  items_ = std::move(items);
  keys_ = std::move(keys);
  texts_ = std::move(texts);
  version_ = snapshot.version;
  converted_ = true;
  return changed;
}

void DiagnosticList::append_array(std::string& out) {
  const std::string version_text = std::to_string(version_);
  out += '[';
  for (size_t i = 0; i < items_.size(); ++i) {
    Text& t = texts_[i];
    if (!t.built) {  // the text of a new item, kept with it
      split_at_version(items_[i], t.head, t.tail, t.versioned);
      t.built = true;
    }
    if (i) out += ',';
    out += t.head;
    if (t.versioned) {
      out += version_text;
      out += t.tail;
    }
  }
  out += ']';
}

json rule_problem_diagnostics(const std::vector<rules::Problem>& problems) {
  json out = json::array();
  for (const auto& p : problems) {
    document::Position pos{p.line - 1, p.column - 1};
    out.push_back({{"range", to_json(document::Range{pos, {pos.line, pos.character + 1}})},
                   {"severity", p.level == rules::Problem::Level::error ? 1 : 2},
                   {"source", "vigil"},
                   {"code", "rule-file"},
                   {"message", p.message}});
  }
  return out;
}

std::string uri_to_path(std::string_view uri) {
  if (!uri.starts_with("file://")) return std::string(uri);
  uri.remove_prefix(7);
  if (auto slash = uri.find('/'); slash != 0 && slash != std::string_view::npos) uri.remove_prefix(slash);  // host
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size()) {
      int hi = hex(uri[i + 1]), lo = hex(uri[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += uri[i];
  }
  return out;
}

const json& member(const json& j, const char* key) {
  static const json null_value;
  if (!j.is_object()) return null_value;
  auto it = j.find(key);
  return it == j.end() ? null_value : *it;
}

std::string path_to_uri(std::string_view path) { return "file://" + report::uri_escape_path(path); }

}  // namespace vigil::lsp
