#include "lsp/convert.hpp"

#include <algorithm>

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

// What scope `scope` makes of finding `f`'s diagnostic `d`, a finding scope_keeps() kept; false when
// it leaves it out (a human's finding under scope ai, unless shown). data.provenance is left as it is when it already holds the value (a reused item's usually does:
// renew() keeps it), else set; without a scope it is removed.
bool apply_scope(json& d, const Finding& f, const ProvenanceScope* scope, size_t* outside_ai) {
  if (!scope) {
    if (auto data = d.find("data"); data != d.end() && data->is_object()) data->erase("provenance");
    return true;
  }
  const auto* span = provenance::ai_span_for(scope->spans, f.start_byte, f.end_byte);
  if (span) {
    const auto& l = span->label;
    d["message"] = f.message + " (AI-suggested: " + provenance::describe(l) + ")";
    d["data"]["provenance"] = {{"origin", "ai"}, {"evidence", provenance::to_string(l.evidence)}, {"tool", l.tool}};
    return true;
  }
  std::string origin = "human";  // or the non-AI label there (reviewed, human)
  auto it = std::upper_bound(scope->spans.begin(), scope->spans.end(), f.start_byte,
                             [](uint32_t s, const provenance::Span& sp) { return s < sp.end; });
  if (it != scope->spans.end() && it->start <= f.start_byte) origin = provenance::to_string(it->label.origin);
  json& data = d["data"];
  const json& kept = member(data, "provenance");
  const json& kept_origin = member(kept, "origin");
  if (!(kept.size() == 1 && kept_origin.is_string() && kept_origin.get_ref<const std::string&>() == origin))
    data["provenance"] = {{"origin", origin}};
  if (scope->scope == workspace::Scope::ai) {
    if (outside_ai && f.severity != rules::Severity::hint) ++*outside_ai;
    if (!scope->show_human_findings) return false;
    d["severity"] = 4;  // hint: shown faintly, not in the problems count
  }
  return true;
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
    json d = diagnostic(f, snapshot, enc, uri);
    if (apply_scope(d, f, scope, outside_ai)) out.push_back(std::move(d));
  }
  return out;
}

namespace {

// A diagnostic of the last result made new for `f` at `version`: what diagnostic() makes of the
// parts of the key stays, what came after it is undone (the scope's message and severity, a
// verdict's message, severity and validation, the feedback). The scope's data.provenance stays:
// apply_scope(), which follows, sets or removes it.
void renew(json& d, const Finding& f, int64_t version) {
  if (json& m = d["message"]; !(m.is_string() && m.get_ref<const std::string&>() == f.message)) m = f.message;
  d["severity"] = lsp_severity(f.severity);
  json& data = d["data"];
  data["version"] = version;
  data.erase("validation");
  data.erase("feedback");
}

}  // namespace

json DiagnosticCache::diagnostics(const std::vector<Finding>& findings, const document::Snapshot& snapshot,
                                  document::Encoding enc, std::string_view uri, const ProvenanceScope* scope,
                                  size_t* outside_ai, json previous) {
  std::unordered_map<std::string, size_t> next;  // this conversion's: the index never outgrows one result
  next.reserve(findings.size());
  const bool reusable = previous.is_array() && previous.size() == last_size_;
  json out = json::array();
  for (const auto& f : findings) {
    if (!scope_keeps(f, scope)) continue;
    std::string key = diagnostic_key(f, snapshot, enc, uri);
    json d;
    auto old = reusable && !next.contains(key) ? entries_.find(key) : entries_.end();
    if (old != entries_.end() && !previous[old->second].is_null()) {
      d = std::move(previous[old->second]);  // leaves a null: a second finding with this key builds its own
      renew(d, f, snapshot.version);
    } else {
      d = diagnostic(f, snapshot, enc, uri);
    }
    if (!apply_scope(d, f, scope, outside_ai)) continue;
    next.try_emplace(std::move(key), out.size());
    out.push_back(std::move(d));
  }
  entries_ = std::move(next);
  last_size_ = out.size();
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

const json& fingerprint_of(const json& item) { return member(member(item, "data"), "fingerprint"); }

}  // namespace

void DiagnosticTexts::append_array(const json& items, std::string& out) {
  std::vector<Entry> next;
  next.reserve(items.size());
  std::vector<bool> taken(entries_.size());
  // The last list's items by fingerprint, built at the first item not found at its own index.
  std::unordered_multimap<std::string, size_t> by_fingerprint;
  bool indexed = false;
  auto candidate = [&](size_t i, const json& fp) -> Entry* {
    if (!fp.is_string()) return nullptr;
    if (i < entries_.size() && !taken[i] && fingerprint_of(entries_[i].item) == fp) {
      taken[i] = true;
      return &entries_[i];
    }
    if (!indexed) {
      indexed = true;
      for (size_t k = 0; k < entries_.size(); ++k)
        if (const json& f = fingerprint_of(entries_[k].item); f.is_string()) by_fingerprint.emplace(f.get<std::string>(), k);
    }
    auto [from, to] = by_fingerprint.equal_range(fp.get<std::string>());
    for (auto it = from; it != to; ++it)
      if (!taken[it->second]) {
        taken[it->second] = true;
        return &entries_[it->second];
      }
    return nullptr;
  };
  const json* last_version = nullptr;
  std::string version_text;
  out += '[';
  for (size_t i = 0; i < items.size(); ++i) {
    const json& item = items[i];
    const json& version = member(member(item, "data"), "version");
    Entry* old = candidate(i, fingerprint_of(item));
    if (old && old->versioned && !version.is_null()) old->item["data"]["version"] = version;  // all else must be equal
    if (old && old->item == item) {
      next.push_back(std::move(*old));
    } else {
      Entry e;
      e.item = item;
      split_at_version(item, e.head, e.tail, e.versioned);
      next.push_back(std::move(e));
    }
    const Entry& e = next.back();
    if (i) out += ',';
    out += e.head;
    if (e.versioned) {
      if (!last_version || *last_version != version) {
        last_version = &version;
        version_text = dump(version);
      }
      out += version_text;
      out += e.tail;
    }
  }
  out += ']';
  entries_ = std::move(next);
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
