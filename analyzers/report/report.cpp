#include "analyzers/report/report.hpp"

#include <nlohmann/json.hpp>

#include <map>

namespace vigil::report {
namespace {

using nlohmann::json;
using document::Encoding;

struct Span {
  uint32_t start_line, start_col, end_line, end_col;  // 1-based, code points
};

Span span_of(const FileResult& r, const Finding& f) {
  auto s = r.snapshot->position_of(f.start_byte, Encoding::utf32);
  auto e = r.snapshot->position_of(f.end_byte, Encoding::utf32);
  return {s.line + 1, s.character + 1, e.line + 1, e.character + 1};
}

std::string cwe_suffix(const rules::Rule& rule) {
  if (rule.metadata.cwe.empty()) return {};
  std::string s = " (";
  for (size_t i = 0; i < rule.metadata.cwe.size(); ++i) s += (i ? ", " : "") + rule.metadata.cwe[i];
  return s + ")";
}

std::string sarif_level(rules::Severity s) {
  switch (s) {
    case rules::Severity::error: return "error";
    case rules::Severity::warning: return "warning";
    default: return "note";
  }
}

json with_index(json location, size_t index) {
  location["index"] = index;
  return location;
}

std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

}  // namespace

bool is_refuted(const FileResult& r, size_t i) {
  const auto* v = r.verdict(i);
  return v && v->status == validation::Status::refuted;
}

std::string uri_escape_path(std::string_view path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

void write_text(std::ostream& out, const std::vector<FileResult>& results) {
  for (const auto& r : results)
    for (size_t i = 0; i < r.findings.size(); ++i) {
      const auto& f = r.findings[i];
      auto sp = span_of(r, f);
      out << r.display_path << ':' << sp.start_line << ':' << sp.start_col << ": "
          << (is_refuted(r, i) ? std::string_view("note") : rules::to_string(f.severity)) << " [" << f.rule_id() << "] " << f.message
          << cwe_suffix(*f.rule) << '\n';
      if (const auto* v = r.verdict(i)) {
        out << "  = " << validation::to_string(v->status) << " by " << v->validator << (v->model.empty() ? "" : " (" + v->model + ")");
        if (v->status != validation::Status::error) out << ", confidence " << static_cast<int>(v->confidence * 100 + 0.5) << "%";
        out << ": " << one_line(v->explanation) << '\n';
      }
    }
}

void write_json(std::ostream& out, const std::vector<FileResult>& results) {
  json findings = json::array();
  for (const auto& r : results)
    for (size_t i = 0; i < r.findings.size(); ++i) {
      const auto& f = r.findings[i];
      auto sp = span_of(r, f);
      findings.push_back({{"path", r.display_path},
                          {"rule", f.rule_id()},
                          {"severity", rules::to_string(f.severity)},
                          {"message", f.message},
                          {"cwe", f.rule->metadata.cwe},
                          {"start", {{"line", sp.start_line}, {"column", sp.start_col}}},
                          {"end", {{"line", sp.end_line}, {"column", sp.end_col}}},
                          {"byteOffset", {{"start", f.start_byte}, {"end", f.end_byte}}},
                          {"fingerprint", f.fingerprint}});
      if (f.fix) {
        // The rule's fix as an edit on the file (same coordinates as start/end), for tools and
        // agents that apply fixes themselves.
        auto s = r.snapshot->position_of(f.fix->start_byte, Encoding::utf32);
        auto e = r.snapshot->position_of(f.fix->end_byte, Encoding::utf32);
        findings.back()["fix"] = {{"start", {{"line", s.line + 1}, {"column", s.character + 1}}},
                                  {"end", {{"line", e.line + 1}, {"column", e.character + 1}}},
                                  {"replacement", f.fix->replacement},
                                  {"safe", f.fix->safe}};
      }
      if (const auto* v = r.verdict(i)) findings.back()["validation"] = v->to_json();
    }
  out << json{{"version", 1}, {"findings", findings}}.dump(2) << '\n';
}

void write_sarif(std::ostream& out, const std::vector<FileResult>& results, const RunInfo& info) {
  // Rules: every loaded rule, so that a clean run still documents what was checked.
  json rules_json = json::array();
  std::map<std::string, size_t> rule_index;
  if (info.rules) {
    for (const auto& rule : info.rules->all()) {
      json tags = json::array({"security"});
      for (const auto& c : rule->metadata.cwe) tags.push_back("external/cwe/" + c);
      if (!rule->metadata.category.empty()) tags.push_back(rule->metadata.category);
      json props = {{"tags", tags}};
      if (!rule->metadata.confidence.empty())
        props["precision"] = rule->metadata.confidence == "high" ? "high" : rule->metadata.confidence == "low" ? "low" : "medium";
      json r = {{"id", rule->id},
                {"shortDescription", {{"text", rule->constraint.empty() ? rule->id : rule->constraint}}},
                {"fullDescription", {{"text", rule->constraint.empty() ? rule->message : rule->constraint}}},
                {"defaultConfiguration", {{"level", sarif_level(rule->severity)}}},
                {"properties", props}};
      if (!rule->metadata.cwe.empty()) r["helpUri"] = rules::cwe_url(rule->metadata.cwe.front());
      rule_index[rule->id] = rules_json.size();
      rules_json.push_back(std::move(r));
    }
  }
  json results_json = json::array();
  json artifacts = json::array();
  for (const auto& r : results) {
    const size_t artifact_index = artifacts.size();
    const bool below_root = !r.root_path.empty() && r.root_path.front() != '/';
    json artifact_location = below_root ? json{{"uri", uri_escape_path(r.root_path)}, {"uriBaseId", "%SRCROOT%"}}
                                        : json{{"uri", "file://" + uri_escape_path(r.root_path.empty() ? r.display_path : r.root_path)}};
    artifacts.push_back({{"location", artifact_location}});
    for (size_t i = 0; i < r.findings.size(); ++i) {
      const auto& f = r.findings[i];
      auto sp = span_of(r, f);
      json region = {{"startLine", sp.start_line}, {"startColumn", sp.start_col}, {"endLine", sp.end_line},
                     {"endColumn", sp.end_col}};
      json result = {{"ruleId", f.rule_id()},
                     {"level", sarif_level(f.severity)},
                     {"message", {{"text", f.message}}},
                     {"locations",
                      json::array({{{"physicalLocation",
                                     {{"artifactLocation", with_index(artifact_location, artifact_index)},
                                      {"region", region}}}}})},
                     {"partialFingerprints", {{"vigilFingerprint/v1", f.fingerprint}}}};
      if (auto it = rule_index.find(f.rule_id()); it != rule_index.end()) result["ruleIndex"] = it->second;
      if (const auto* v = r.verdict(i)) {
        // A refuted finding stays in the log as a note (SARIF allows a level only with kind `fail`).
        result["kind"] = "fail";
        if (v->status == validation::Status::refuted) result["level"] = "note";
        result["properties"]["validation"] = v->to_json();
      }
      if (!f.trace.empty()) {
        // A taint finding's path, source to sink: SARIF's code flow (one thread flow).
        json steps = json::array();
        for (const auto& step : f.trace) {
          auto s = r.snapshot->position_of(step.start_byte, Encoding::utf32);
          auto e = r.snapshot->position_of(step.end_byte, Encoding::utf32);
          json step_region = {{"startLine", s.line + 1}, {"startColumn", s.character + 1}, {"endLine", e.line + 1},
                              {"endColumn", e.character + 1}};
          steps.push_back({{"location",
                            {{"physicalLocation",
                              {{"artifactLocation", with_index(artifact_location, artifact_index)}, {"region", step_region}}},
                             {"message", {{"text", step.label}}}}}});
        }
        result["codeFlows"] = json::array({{{"threadFlows", json::array({{{"locations", steps}}})}}});
      }
      results_json.push_back(std::move(result));
    }
  }
  json run = {{"tool",
               {{"driver",
                 {{"name", "vigil"},
                  {"semanticVersion", info.tool_version},
                  {"version", info.tool_version},
                  {"informationUri", "https://github.com/vigil-lsp/vigil"},
                  {"rules", rules_json}}}}},
              {"artifacts", artifacts},
              {"results", results_json},
              {"columnKind", "unicodeCodePoints"}};
  if (!info.root_uri.empty()) run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", info.root_uri}}}};
  json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", json::array({run})}};
  out << log.dump(2) << '\n';
}

}  // namespace vigil::report
