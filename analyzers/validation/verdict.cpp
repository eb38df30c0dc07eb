#include "analyzers/validation/verdict.hpp"
#include "analyzers/text/digest.hpp"
#include "analyzers/json_input.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>

#include "analyzers/match/taint.hpp"
#include "analyzers/rules/prompt.hpp"

namespace vigil::validation {

using nlohmann::json;

std::string_view to_string(Status s) {
  switch (s) {
    case Status::confirmed: return "confirmed";
    case Status::refuted: return "refuted";
    case Status::uncertain: return "uncertain";
    case Status::error: return "error";
  }
  return "error";
}

std::optional<Status> parse_status(std::string_view raw) {
  std::string s;
  for (char c : raw)
    if (!std::isspace(static_cast<unsigned char>(c)) && c != '_' && c != '-') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "confirmed" || s == "confirm" || s == "truepositive" || s == "vulnerable" || s == "valid" || s == "real")
    return Status::confirmed;
  if (s == "refuted" || s == "refute" || s == "falsepositive" || s == "notvulnerable" || s == "safe" || s == "invalid")
    return Status::refuted;
  if (s == "uncertain" || s == "unknown" || s == "unsure" || s == "inconclusive") return Status::uncertain;
  if (s == "error") return Status::error;
  return std::nullopt;
}

json Verdict::to_json() const {
  json j = {{"status", std::string(validation::to_string(status))},
            {"explanation", explanation},
            {"confidence", std::round(confidence * 100) / 100},
            {"validator", validator}};
  if (!model.empty()) j["model"] = model;
  if (!suggested_fix.empty()) j["suggestedFix"] = suggested_fix;
  if (!path.empty()) j["path"] = path;
  return j;
}

namespace {

const json* first_of(const json& j, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (auto it = j.find(k); it != j.end() && !it->is_null()) return &*it;
  return nullptr;
}

double confidence_of(const json& c) {
  double v = 0.5;
  if (c.is_number()) v = c.get<double>();
  else if (c.is_string()) {
    const std::string s = c.get<std::string>();
    if (s == "high") return 0.9;
    if (s == "medium") return 0.6;
    if (s == "low") return 0.3;
    try {
      v = std::stod(s);
    } catch (...) {
      return 0.5;
    }
  }
  if (v > 1.0 && v <= 100.0) v /= 100.0;  // a percentage
  return std::clamp(v, 0.0, 1.0);
}

}  // namespace

std::optional<Verdict> verdict_from_json(const json& j, std::string& error) {
  if (!j.is_object()) {
    error = "the answer is not a JSON object";
    return std::nullopt;
  }
  const json* status = first_of(j, {"status", "verdict", "result", "classification"});
  if (!status || !status->is_string()) {
    error = "the answer has no `status` (confirmed, refuted or uncertain)";
    return std::nullopt;
  }
  auto parsed = parse_status(status->get<std::string>());
  if (!parsed) {
    error = "unknown status `" + status->get<std::string>() + "`";
    return std::nullopt;
  }
  Verdict v;
  v.status = *parsed;
  if (const json* e = first_of(j, {"explanation", "reason", "reasoning", "rationale"}); e && e->is_string()) v.explanation = *e;
  if (const json* c = first_of(j, {"confidence", "score"})) v.confidence = confidence_of(*c);
  else v.confidence = 0.5;
  if (const json* f = first_of(j, {"suggestedFix", "suggested_fix", "fix"}); f && f->is_string()) v.suggested_fix = *f;
  return v;
}

std::optional<Verdict> parse_model_answer(std::string_view text, std::string& error) {
  // 1. The whole answer, or a ```json fence, or the outermost {...} in prose.
  auto try_json = [&](std::string_view s) -> std::optional<Verdict> {
    json j = json_input::parse_or_discard(s);
    if (j.is_discarded()) return std::nullopt;
    std::string e;
    auto v = verdict_from_json(j, e);
    if (!v) error = e;
    return v;
  };
  if (auto v = try_json(text)) return v;
  static const RE2 fence("(?s)```(?:json|JSON)?\\s*(\\{.*?\\})\\s*```");
  std::string fenced;
  if (RE2::PartialMatch(text, fence, &fenced))
    if (auto v = try_json(fenced)) return v;
  if (auto open = text.find('{'), close = text.rfind('}'); open != std::string_view::npos && close != std::string_view::npos && close > open)
    if (auto v = try_json(text.substr(open, close - open + 1))) return v;
  // 2. Prose: an explicit verdict word wins over a phrase; the first one found decides.
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const RE2 labelled("(?:verdict|status|answer|conclusion)\\W{0,3}\\s*\\**\\s*(confirmed|refuted|uncertain|true positive|false positive)");
  static const RE2 phrase("(false positive|not (?:a |actually )?vulnerable|not exploitable|is safe|true positive|is vulnerable|confirmed|refuted|uncertain)");
  std::string word;
  if (!RE2::PartialMatch(lower, labelled, &word) && !RE2::PartialMatch(lower, phrase, &word)) {
    if (error.empty()) error = "the answer holds no verdict (neither JSON nor a verdict in words)";
    return std::nullopt;
  }
  Verdict v;
  if (word == "confirmed" || word == "true positive" || word == "is vulnerable") v.status = Status::confirmed;
  else if (word == "uncertain") v.status = Status::uncertain;
  else v.status = Status::refuted;
  v.confidence = 0.5;  // prose carries no calibrated confidence
  std::string_view trimmed = text.substr(0, std::min<size_t>(text.size(), 1200));
  v.explanation = std::string(trimmed);
  error.clear();
  return v;
}

json Request::to_json() const {
  json trace_json = json::array();
  for (const auto& t : trace) trace_json.push_back({{"line", t.line}, {"step", t.label}});
  json related = json::array();
  for (const auto& [id, c] : related_rules) related.push_back({{"id", id}, {"constraint", c}});
  return {{"fingerprint", fingerprint},
          {"rule", {{"id", rule_id}, {"message", message}, {"constraint", constraint}, {"severity", severity},
                    {"cwe", cwe}, {"category", category}}},
          {"file", file},
          {"language", language},
          {"range", {{"line", line}, {"column", column}, {"endLine", end_line}}},
          {"code", code},
          {"function", {{"line", function_line}, {"code", function_code}}},
          {"trace", trace_json},
          {"provenance", provenance},
          {"relatedRules", related}};
}

namespace {

uint32_t line_of(const document::Snapshot& s, uint32_t byte) { return s.lines.position_of(s.text, byte, document::Encoding::utf8).line + 1; }

}  // namespace

Request make_request(const Finding& f, const document::Snapshot& snap, const RuleSet* rules, std::string provenance) {
  Request r;
  r.fingerprint = f.fingerprint;
  r.rule_id = f.rule->id;
  r.message = f.message;
  r.constraint = f.rule->constraint;
  r.severity = std::string(rules::to_string(f.severity));
  r.cwe = f.rule->metadata.cwe;
  r.category = f.rule->metadata.category;
  r.file = snap.path;
  r.language = snap.language ? std::string(snap.language->id) : "";
  r.line = f.start.row + 1;
  r.column = f.start.column + 1;
  r.end_line = f.end.row + 1;
  r.code = std::string(std::string_view(snap.text).substr(f.start_byte, f.end_byte - f.start_byte));
  // The enclosing function, or (top level) 10 lines either side, capped at 200 lines.
  TSNode node = ts_node_descendant_for_byte_range(snap.root(), f.start_byte, f.end_byte);
  TSNode fn = snap.language ? match::enclosing_taint_scope(*snap.language, node) : TSNode{};
  uint32_t from = 0, to = static_cast<uint32_t>(snap.text.size());
  if (!ts_node_is_null(fn)) {
    from = ts_node_start_byte(fn);
    to = ts_node_end_byte(fn);
    // Python decorators and the like belong with the function.
    TSNode parent = ts_node_parent(fn);
    if (!ts_node_is_null(parent) && std::string_view(ts_node_type(parent)) == "decorated_definition") from = ts_node_start_byte(parent);
    const size_t newline = from == 0 ? std::string::npos : snap.text.rfind('\n', from - 1);
    from = newline == std::string::npos ? 0 : static_cast<uint32_t>(newline + 1);
  } else {
    uint32_t start_line = f.start.row > 10 ? f.start.row - 10 : 0, end_line = f.end.row + 11;
    from = snap.lines.offset_of(snap.text, {start_line, 0}, document::Encoding::utf8);
    to = snap.lines.offset_of(snap.text, {end_line, 0}, document::Encoding::utf8);
  }
  std::string_view body = std::string_view(snap.text).substr(from, to - from);
  size_t lines = 0, cut = body.size();
  for (size_t i = 0; i < body.size(); ++i)
    if (body[i] == '\n' && ++lines == 200) {
      cut = i + 1;
      break;
    }
  r.function_code = std::string(body.substr(0, cut));
  r.function_line = line_of(snap, from);
  for (const auto& step : f.trace) r.trace.push_back({step.start.row + 1, step.label});
  r.provenance = std::move(provenance);
  if (rules && snap.language && !f.rule->metadata.category.empty()) {
    // The same constraint sentences as `vigil prompt` and MCP's security_rules (one source: rules/prompt.hpp).
    std::vector<rules::RulePtr> same_category;
    for (const auto& other : rules->for_language(*snap.language))
      if (other->id != f.rule->id && !other->constraint.empty() && other->metadata.category == f.rule->metadata.category)
        same_category.push_back(other);
    for (const auto& section : rules::prompt_sections(same_category, {}))
      for (const auto& item : section.items) {
        if (r.related_rules.size() == 8) break;
        std::string ids;
        for (const auto& id : item.rule_ids) ids += (ids.empty() ? "" : ", ") + id;
        r.related_rules.emplace_back(ids, item.text);
      }
  }
  return r;
}

std::string context_key(const Request& r, std::string_view validator) {
  // The finding's place inside its function tells apart two identical lines in one function.
  const std::string place = std::to_string(r.line - std::min(r.line, r.function_line)) + ":" + std::to_string(r.column);
  std::string material = std::string(validator) + '\0' + r.rule_id + '\0' + r.constraint + '\0' + r.code + '\0' + place + '\0' +
                         r.function_code;
  for (const auto& t : r.trace) material += '\0' + t.label;
  return text::sha256_hex(material);
}

}  // namespace vigil::validation
