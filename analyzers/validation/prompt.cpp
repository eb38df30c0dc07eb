#include "analyzers/validation/prompt.hpp"

namespace vigil::validation {

using nlohmann::json;

const json& verdict_schema() {
  static const json schema = {
      {"type", "object"},
      {"additionalProperties", false},
      {"required", {"status", "explanation", "confidence", "suggestedFix"}},
      {"properties",
       {{"status", {{"type", "string"}, {"enum", {"confirmed", "refuted", "uncertain"}}}},
        {"explanation", {{"type", "string"}}},
        {"confidence", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
        {"suggestedFix", {{"type", "string"}}}}}};
  return schema;
}

Prompt build_prompt(const Request& r) {
  Prompt p;
  p.system =
      "You are a security reviewer giving a second opinion on one finding of a static analyzer. Decide whether the "
      "finding is real in this code: `confirmed` when untrusted or dangerous data can really reach the flagged code "
      "as the rule describes, `refuted` when it cannot (the value is constant, numeric, validated by a guard, "
      "sanitized, chosen from a fixed set, or the code is unreachable), `uncertain` when the code shown is not "
      "enough to decide. Judge only the rule given. Answer with one JSON object and nothing else: "
      "{\"status\": \"confirmed\"|\"refuted\"|\"uncertain\", \"explanation\": one paragraph naming the concrete "
      "path from source to sink or the reason it is safe, \"confidence\": a number from 0 to 1, \"suggestedFix\": "
      "the smallest code change that satisfies the rule, or an empty string}. Secrets in the code were replaced "
      "with <redacted:...>; ignore them.";
  std::string u;
  u += "Rule " + r.rule_id + " (" + r.severity;
  for (const auto& c : r.cwe) u += ", " + c;
  u += ")\nConstraint: " + r.constraint + "\n";
  if (!r.related_rules.empty()) {
    u += "Related rules that also apply to this code:\n";
    for (const auto& [id, c] : r.related_rules) u += "- " + id + ": " + c + "\n";
  }
  u += "\nFinding: " + r.message + "\n";
  u += "File: " + r.file + " (" + r.language + "), line " + std::to_string(r.line) + "\n";
  if (!r.provenance.empty()) u += "Written by: " + r.provenance + "\n";
  u += "Flagged code:\n```\n" + r.code + "\n```\n";
  if (!r.trace.empty()) {
    u += "Data flow reported by the fast pass (source first):\n";
    for (const auto& t : r.trace) u += "- line " + std::to_string(t.line) + ": " + t.label + "\n";
  }
  u += "\nEnclosing code (starting at line " + std::to_string(r.function_line) + "):\n```" + r.language + "\n" + r.function_code;
  if (!r.function_code.empty() && r.function_code.back() != '\n') u += "\n";
  u += "```\n";
  p.user = std::move(u);
  return p;
}

}  // namespace vigil::validation
