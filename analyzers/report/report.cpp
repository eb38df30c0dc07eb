#include "analyzers/report/report.hpp"
#include "analyzers/report/merge.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
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

// ANSI styles, empty strings when colour is off.
struct Style {
  explicit Style(bool on) : on_(on), bold(on ? "\033[1m" : ""), dim(on ? "\033[2m" : ""), reset(on ? "\033[0m" : "") {}
  const char* severity(rules::Severity s) const {
    if (!on_) return "";
    switch (s) {
      case rules::Severity::error: return "\033[1;31m";
      case rules::Severity::warning: return "\033[1;33m";
      case rules::Severity::info: return "\033[1;36m";
      default: return "\033[2m";
    }
  }
  bool on_;
  const char* bold;
  const char* dim;
  const char* reset;
};

bool is_fixable(const Finding& f, bool unsafe) { return f.fix && (f.fix->safe || unsafe); }

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The finding's first line, and a caret line under [start, end of span or line), as ruff and
// rustc show it. Tabs stay tabs in the caret line so that it lines up under any tab width; a very
// long line (minified code) is cut to a window around the finding.
// One byte per control character, so the caret below stays aligned.
std::string visible_line(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) c = '?';
  return out;
}

void write_source(std::ostream& out, const FileResult& r, const Finding& f, const Style& st) {
  const auto& s = *r.snapshot;
  const uint32_t line = s.lines.line_of(f.start_byte);
  const uint32_t begin = s.lines.line_start(line);
  uint32_t end = line + 1 < s.lines.line_count() ? s.lines.line_start(line + 1) : static_cast<uint32_t>(s.text.size());
  while (end > begin && (s.text[end - 1] == '\n' || s.text[end - 1] == '\r')) --end;
  std::string_view text = std::string_view(s.text).substr(begin, end - begin);
  uint32_t from = f.start_byte - begin;
  uint32_t to = std::max(from + 1, std::min(f.end_byte, end) - begin);
  constexpr uint32_t kWindow = 160;
  std::string prefix, suffix;
  if (text.size() > kWindow) {
    uint32_t cut = from > 40 ? from - 40 : 0;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    uint32_t stop = std::min<uint32_t>(static_cast<uint32_t>(text.size()), cut + kWindow);
    while (stop < text.size() && (static_cast<unsigned char>(text[stop]) & 0xC0) == 0x80) ++stop;
    if (cut > 0) prefix = "…";
    if (stop < text.size()) suffix = "…";
    text = text.substr(cut, stop - cut);
    from -= cut;
    to = std::min<uint32_t>(to - cut, static_cast<uint32_t>(text.size()));
    if (to <= from) to = from + 1;
  }
  const std::string number = std::to_string(line + 1);
  const std::string gutter(number.size(), ' ');
  out << st.dim << gutter << " |" << st.reset << '\n';
  out << st.dim << number << " |" << st.reset << ' ' << prefix << visible_line(text) << suffix << '\n';
  std::string pad = prefix.empty() ? "" : " ";
  for (uint32_t i = 0; i < from && i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\t') pad += '\t';
    else if ((c & 0xC0) != 0x80) pad += ' ';
  }
  const size_t carets = std::max<size_t>(1, code_points(text.substr(std::min<size_t>(from, text.size()), to - from)));
  out << st.dim << gutter << " |" << st.reset << ' ' << pad << st.severity(f.severity) << std::string(carets, '^') << st.reset
      << '\n';
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

void Tally::add(const FileResult& r, bool unsafe_fixes) {
  if (!r.findings.empty()) ++files;
  for (const auto& f : r.findings) {
    ++total;
    ++by_severity[static_cast<int>(f.severity)];
    ++rows_[{f.rule_id(), static_cast<int>(f.severity)}];
    if (is_fixable(f, unsafe_fixes)) ++fixable;
    else if (f.fix) ++unsafe;
  }
}

std::vector<Tally::Row> Tally::rows() const {
  std::vector<Row> out;
  for (const auto& [key, n] : rows_) out.push_back({key.first, static_cast<rules::Severity>(key.second), n});
  std::sort(out.begin(), out.end(), [](const Row& a, const Row& b) {
    if (a.severity != b.severity) return a.severity < b.severity;
    if (a.count != b.count) return a.count > b.count;
    return a.rule < b.rule;
  });
  return out;
}

std::string printable(std::string_view text) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

void write_text(std::ostream& out, const FileResult& r, const TextOptions& options) {
  const Style st(options.color);
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const auto& f = r.findings[i];
    auto sp = span_of(r, f);
    // A finding the validator refuted is reported as a note (it does not fail the build).
    const bool refuted = is_refuted(r, i);
    out << st.bold << printable(r.display_path) << ':' << sp.start_line << ':' << sp.start_col << ':' << st.reset << ' '
        << (refuted ? st.dim : st.severity(f.severity)) << (refuted ? std::string_view("note") : rules::to_string(f.severity))
        << st.reset << " [" << f.rule_id() << "] " << (is_fixable(f, options.unsafe_fixes) ? "[*] " : "") << printable(f.message)
        << cwe_suffix(*f.rule) << '\n';
    if (const auto* v = r.verdict(i)) {
      out << "  = " << validation::to_string(v->status) << " by " << v->validator << (v->model.empty() ? "" : " (" + v->model + ")");
      if (v->status != validation::Status::error) out << ", confidence " << static_cast<int>(v->confidence * 100 + 0.5) << "%";
      out << ": " << printable(one_line(v->explanation)) << '\n';
    }
    if (options.show_source) write_source(out, r, f, st);
  }
}

void write_text(std::ostream& out, const std::vector<FileResult>& results, const TextOptions& options) {
  for (const auto& r : results) write_text(out, r, options);
}

void write_text_summary(std::ostream& out, const Tally& c, const RunSummary& summary, const TextOptions& options) {
  if (c.total == 0) return;
  const Style st(options.color);
  out << '\n' << st.bold << "Found " << c.total << (c.total == 1 ? " finding" : " findings") << " in " << c.files
      << (c.files == 1 ? " file" : " files") << st.reset << " (";
  bool first = true;
  for (const auto& [sev, n] : c.by_severity) {
    out << (first ? "" : ", ") << n << ' ' << rules::to_string(static_cast<rules::Severity>(sev));
    first = false;
  }
  out << "):\n";
  const auto rows = c.rows();
  size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.rule.size());
  for (const auto& row : rows) {
    std::string sev(rules::to_string(row.severity));
    out << "  " << st.severity(row.severity) << sev << st.reset << std::string(8 - std::min<size_t>(sev.size(), 7), ' ')
        << row.rule << std::string(width - row.rule.size() + 2, ' ') << row.count << '\n';
  }
  if (c.fixable > 0)
    out << "[*] " << c.fixable << " fixable with `vigil check --fix" << (summary.unsafe_fixes ? " --unsafe-fixes" : "") << "`\n";
  if (!summary.unsafe_fixes && c.unsafe > 0)
    out << "    " << c.unsafe << " more with `--unsafe-fixes` (review them: they change behaviour)\n";
}

std::string json_indented(const json& value, int depth) {
  std::string text = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::string pad(static_cast<size_t>(depth) * 2, ' ');
  std::string out = pad;
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out;
}

void JsonWriter::add(const FileResult& r) {
  if (!started_) {
    out_ << "{\n  \"version\": 1,\n  \"findings\": [";
    started_ = true;
  }
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const auto& f = r.findings[i];
    auto sp = span_of(r, f);
    json finding = {{"path", r.display_path},
                    {"rule", f.rule_id()},
                    {"severity", rules::to_string(f.severity)},
                    {"message", f.message},
                    {"cwe", f.rule->metadata.cwe},
                    {"start", {{"line", sp.start_line}, {"column", sp.start_col}}},
                    {"end", {{"line", sp.end_line}, {"column", sp.end_col}}},
                    {"byteOffset", {{"start", f.start_byte}, {"end", f.end_byte}}},
                    {"fingerprint", f.fingerprint}};
    if (f.fix) {
      // The rule's fix as an edit on the file (same coordinates as start/end), for tools and
      // agents that apply fixes themselves.
      auto s = r.snapshot->position_of(f.fix->start_byte, Encoding::utf32);
      auto e = r.snapshot->position_of(f.fix->end_byte, Encoding::utf32);
      finding["fix"] = {{"start", {{"line", s.line + 1}, {"column", s.character + 1}}},
                        {"end", {{"line", e.line + 1}, {"column", e.character + 1}}},
                        {"replacement", f.fix->replacement},
                        {"safe", f.fix->safe}};
    }
    if (const auto* v = r.verdict(i)) finding["validation"] = v->to_json();
    out_ << (any_ ? ",\n" : "\n") << json_indented(finding, 2);
    any_ = true;
  }
}

void JsonWriter::finish(const RunSummary* summary, const Tally* c) {
  if (!started_) out_ << "{\n  \"version\": 1,\n  \"findings\": [";
  out_ << (any_ ? "\n  ]" : "]");
  if (summary && c) {
    json by_severity = json::object();
    for (const auto* sev : {"error", "warning", "info", "hint"}) by_severity[sev] = 0;
    for (const auto& [sev, n] : c->by_severity) by_severity[std::string(rules::to_string(static_cast<rules::Severity>(sev)))] = n;
    json by_rule = json::array();
    for (const auto& row : c->rows())
      by_rule.push_back({{"rule", row.rule}, {"severity", rules::to_string(row.severity)}, {"count", row.count}});
    json skipped = json::array();
    for (const auto& s : summary->skipped) skipped.push_back({{"path", s.path}, {"reason", s.reason}});
    json object = {{"filesChecked", summary->files_checked}, {"filesWithFindings", c->files}, {"rules", summary->rules},
                   {"findings", c->total}, {"bySeverity", by_severity}, {"byRule", by_rule},
                   {"fixable", c->fixable}, {"fixableUnsafe", summary->unsafe_fixes ? 0 : c->unsafe}, {"skipped", skipped}};
    std::string text = json_indented(object, 1);
    out_ << ",\n  \"summary\": " << text.substr(2);
  }
  out_ << "\n}\n";
}

void write_json(std::ostream& out, const std::vector<FileResult>& results, const RunSummary* summary) {
  JsonWriter writer(out);
  Tally tally;
  for (const auto& r : results) {
    writer.add(r);
    if (summary) tally.add(r, summary->unsafe_fixes);
  }
  writer.finish(summary, &tally);
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
                {"help", {{"text", rule->constraint.empty() ? rule->id : rule->constraint}, {"markdown", rule_help_markdown(*rule)}}},
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
    auto location = with_index(artifact_location, artifact_index);
    auto region_of = [&](uint32_t start_byte, uint32_t end_byte) {
      auto s = r.snapshot->position_of(start_byte, Encoding::utf32);
      auto e = r.snapshot->position_of(end_byte, Encoding::utf32);
      return json{{"startLine", s.line + 1}, {"startColumn", s.character + 1}, {"endLine", e.line + 1}, {"endColumn", e.character + 1}};
    };
    auto result_of = [&](const Finding& f) {
      json result = {{"ruleId", f.rule_id()},
                     {"level", sarif_level(f.severity)},
                     {"message", {{"text", f.message}}},
                     {"locations",
                      json::array({{{"physicalLocation", {{"artifactLocation", location}, {"region", region_of(f.start_byte, f.end_byte)}}}}})},
                     {"partialFingerprints", {{"vigilFingerprint/v1", f.fingerprint}}}};
      if (auto it = rule_index.find(f.rule_id()); it != rule_index.end()) result["ruleIndex"] = it->second;
      if (!f.trace.empty()) {
        // A taint finding's path, source to sink: SARIF's code flow (one thread flow).
        json steps = json::array();
        for (const auto& step : f.trace)
          steps.push_back({{"location",
                            {{"physicalLocation", {{"artifactLocation", location}, {"region", region_of(step.start_byte, step.end_byte)}}},
                             {"message", {{"text", step.label}}}}}});
        result["codeFlows"] = json::array({{{"threadFlows", json::array({{{"locations", steps}}})}}});
      }
      if (f.fix) {
        // The rule's fix as a replacement (code scanning offers it; SARIF §3.55).
        const bool insertion = f.fix->start_byte == f.fix->end_byte;
        json deleted = region_of(f.fix->start_byte, f.fix->end_byte);
        if (insertion) deleted.erase("endLine");  // an insertion point: startColumn == endColumn on one line
        json replacement = {{"deletedRegion", deleted}, {"insertedContent", {{"text", f.fix->replacement}}}};
        result["fixes"] = json::array({{{"description", {{"text", std::string(f.fix->safe ? "Safe fix" : "Unsafe fix (review it)") +
                                                                   " for " + f.rule_id()}}},
                                        {"artifactChanges", json::array({{{"artifactLocation", location},
                                                                          {"replacements", json::array({replacement})}}})}}});
      }
      return result;
    };
    for (size_t i = 0; i < r.findings.size(); ++i) {
      json result = result_of(r.findings[i]);
      if (const auto* v = r.verdict(i)) {
        // A refuted finding stays in the log as a note (SARIF allows a level only with kind `fail`).
        result["kind"] = "fail";
        if (v->status == validation::Status::refuted) result["level"] = "note";
        result["properties"]["validation"] = v->to_json();
      }
      if (const auto* p = r.provenance_of(i))
        result["properties"]["provenance"] = {{"origin", (*p)->origin}, {"evidence", (*p)->evidence}, {"tool", (*p)->tool}};
      results_json.push_back(std::move(result));
    }
    for (const auto& s : r.suppressed) {
      json result = result_of(s.finding);
      json suppression = {{"kind", "inSource"}, {"status", "accepted"}};
      if (!s.justification.empty()) suppression["justification"] = s.justification;
      suppression["properties"] = {{"marker", s.marker}};
      result["suppressions"] = json::array({suppression});
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
  if (!info.automation_id.empty()) run["automationDetails"] = {{"id", info.automation_id}};
  sort_sarif_run(run);
  json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", json::array({run})}};
  out << log.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void write_codequality(std::ostream& out, const std::vector<FileResult>& results) {
  json issues = json::array();
  for (const auto& r : results) {
    std::map<std::string, size_t> seen;  // the same code twice in a file: GitLab needs distinct fingerprints
    for (const auto& f : r.findings) {
      const char* severity = f.severity == rules::Severity::error     ? "critical"
                             : f.severity == rules::Severity::warning ? "major"
                             : f.severity == rules::Severity::info    ? "minor"
                                                                      : "info";
      const size_t nth = seen[f.fingerprint]++;
      const std::string path = r.root_path.empty() ? r.display_path : r.root_path;
      auto sp = span_of(r, f);
      issues.push_back({{"description", f.message + cwe_suffix(*f.rule)},
                        {"check_name", f.rule_id()},
                        {"fingerprint", f.fingerprint + "-" + path + (nth ? "-" + std::to_string(nth) : "")},
                        {"severity", severity},
                        {"categories", json::array({"Security"})},
                        {"location", {{"path", path}, {"lines", {{"begin", sp.start_line}, {"end", sp.end_line}}}}}});
    }
  }
  out << issues.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

std::string rule_help_markdown(const rules::Rule& rule) {
  std::string md;
  if (!rule.constraint.empty()) md += "**Constraint:** " + rule.constraint + "\n\n";
  if (!rule.note.empty()) {
    md += rule.note;
    if (md.back() != '\n') md += '\n';
    md += '\n';
  } else if (rule.constraint.empty()) {
    md += rule.message + "\n\n";
  }
  if (!rule.metadata.cwe.empty()) {
    md += "**CWE:**";
    for (size_t i = 0; i < rule.metadata.cwe.size(); ++i)
      md += std::string(i ? "," : "") + " [" + rule.metadata.cwe[i] + "](" + rules::cwe_url(rule.metadata.cwe[i]) + ")";
    md += "\n";
  }
  if (!rule.metadata.owasp.empty()) md += "**OWASP:** " + rule.metadata.owasp + "\n";
  if (!rule.metadata.references.empty()) {
    md += "\n**References:**\n";
    for (const auto& ref : rule.metadata.references) md += "- " + ref + "\n";
  }
  while (!md.empty() && md.back() == '\n') md.pop_back();
  return md + "\n";
}

namespace {

// Text from the checked code (messages quote it) in a comment: no HTML, no @mention that pings
// someone, no table or line break; `code spans` are kept as they are, where nothing renders.
std::string markdown_text(std::string_view text) {
  std::string out;
  bool in_code = false;
  for (char c : text) {
    if (c == '`') in_code = !in_code;
    if (c == '\n' || c == '\r') out += ' ';
    else if (c == '|') out += "\\|";
    else if (in_code) out += c;
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '@') out += "&#64;";
    else if (c == '*' || c == '_' || c == '[' || c == ']' || c == '\\') (out += '\\') += c;
    else out += c;
  }
  if (in_code) out += '`';
  return out;
}

std::string markdown_link(const std::string& label, const std::string& target) {
  return target.empty() ? "`" + label + "`" : "[`" + label + "`](" + target + ")";
}

}  // namespace

void write_markdown(std::ostream& out, const std::vector<FileResult>& results, const Tally& tally, const RunSummary& summary,
                    const MarkdownOptions& options) {
  size_t ai = 0;
  for (const auto& r : results)
    for (size_t i = 0; i < r.findings.size(); ++i) ai += r.provenance_of(i) != nullptr;
  out << "## Vigil: ";
  if (tally.total == 0) out << "no findings";
  else out << tally.total << (tally.total == 1 ? " finding" : " findings") << " in " << tally.files << (tally.files == 1 ? " file" : " files");
  if (ai) out << ", " << ai << " in AI-written code";
  out << "\n\n";
  out << summary.files_checked << (summary.files_checked == 1 ? " file" : " files") << " checked with " << summary.rules << " rules";
  if (!summary.skipped.empty()) out << ", " << summary.skipped.size() << " skipped";
  out << ".\n";
  if (tally.total == 0) return;

  out << "\n| Severity | Findings |\n|---|---:|\n";
  for (const auto& [sev, n] : tally.by_severity) out << "| " << rules::to_string(static_cast<rules::Severity>(sev)) << " | " << n << " |\n";
  out << "\n| Rule | Severity | Findings |\n|---|---|---:|\n";
  for (const auto& row : tally.rows()) out << "| `" << row.rule << "` | " << rules::to_string(row.severity) << " | " << row.count << " |\n";

  auto link_to = [&](const FileResult& r, const Span* sp) -> std::string {
    if (options.link_base.empty() || r.root_path.empty() || r.root_path.front() == '/') return {};
    std::string link = options.link_base + uri_escape_path(r.root_path);
    if (sp) {
      link += "#L" + std::to_string(sp->start_line);
      if (sp->end_line > sp->start_line)
        link += (options.gitlab_lines ? "-" : "-L") + std::to_string(sp->end_line);
    }
    return link;
  };
  size_t listed = 0;
  auto section = [&](bool ai_section, const char* title) {
    bool titled = false;
    for (const auto& r : results) {
      bool file_titled = false;
      for (size_t i = 0; i < r.findings.size(); ++i) {
        const auto* prov = r.provenance_of(i);
        if ((prov != nullptr) != ai_section) continue;
        if (listed == options.max_findings) return;
        if (!titled) {
          out << "\n### " << title << "\n";
          titled = true;
        }
        if (!file_titled) {
          out << "\n" << markdown_link(r.root_path.empty() ? r.display_path : r.root_path, link_to(r, nullptr)) << "\n\n";
          file_titled = true;
        }
        const auto& f = r.findings[i];
        const Span sp = span_of(r, f);
        const std::string where = "line " + std::to_string(sp.start_line);
        out << "- **" << rules::to_string(f.severity) << "** " << markdown_link(f.rule_id(), "") << " "
            << (options.link_base.empty() ? where : "[" + where + "](" + link_to(r, &sp) + ")") << ": " << markdown_text(f.message)
            << cwe_suffix(*f.rule);
        if (prov) out << " — AI-written (" << (*prov)->evidence << ((*prov)->tool.empty() ? "" : ", " + (*prov)->tool) << ")";
        if (f.fix) out << (f.fix->safe ? " — fix available" : " — unsafe fix available");
        out << "\n";
        if (const auto* v = r.verdict(i)) {
          out << "  - validation: **" << validation::to_string(v->status) << "** by " << markdown_text(v->validator);
          if (v->status != validation::Status::error) out << ", confidence " << static_cast<int>(v->confidence * 100 + 0.5) << "%";
          out << ": " << markdown_text(v->explanation) << "\n";
        }
        ++listed;
      }
    }
  };
  section(true, "In AI-written code");
  section(false, ai ? "In other code" : "Findings");
  if (listed < tally.total) out << "\n" << tally.total - listed << " more not listed (see the SARIF or JSON report).\n";
  out << "\n<sub>vigil " << markdown_text(options.tool_version) << "</sub>\n";
}

}  // namespace vigil::report
