#include "lsp/hover.hpp"

#include <cctype>
#include <tuple>

#include "lsp/convert.hpp"

namespace vigil::lsp {

using nlohmann::json;

namespace {

std::string text_of(const json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_array()) {
    std::string out;
    for (const auto& e : j) out += (out.empty() ? "" : ", ") + text_of(e);
    return out;
  }
  return j.is_null() ? "" : j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Markdown or plain text from the same calls.
struct Writer {
  bool markdown;
  std::string out;
  std::string bold(std::string_view s) const { return markdown ? "**" + std::string(s) + "**" : std::string(s); }
  std::string code(std::string_view s) const { return markdown ? "`" + std::string(s) + "`" : std::string(s); }
  std::string link(std::string_view text, std::string_view url) const {
    if (url.empty()) return std::string(text);
    return markdown ? "[" + std::string(text) + "](" + std::string(url) + ")" : std::string(text) + " <" + std::string(url) + ">";
  }
  void paragraph(std::string_view s) {
    if (s.empty()) return;
    if (!out.empty()) out += "\n\n";
    out += s;
  }
};

std::string_view severity_word(const json& severity) {
  switch (severity.is_number_integer() ? severity.get<int>() : 0) {
    case 1: return "error";
    case 2: return "warning";
    case 3: return "info";
    case 4: return "hint";
  }
  return "finding";
}

}  // namespace

std::string owasp_url(std::string_view category) {
  // "A03:2021 - Injection" -> A03, 2021.
  while (!category.empty() && std::isspace(static_cast<unsigned char>(category.front()))) category.remove_prefix(1);
  static const char* kTop10_2021[] = {"A01_2021-Broken_Access_Control",
                                      "A02_2021-Cryptographic_Failures",
                                      "A03_2021-Injection",
                                      "A04_2021-Insecure_Design",
                                      "A05_2021-Security_Misconfiguration",
                                      "A06_2021-Vulnerable_and_Outdated_Components",
                                      "A07_2021-Identification_and_Authentication_Failures",
                                      "A08_2021-Software_and_Data_Integrity_Failures",
                                      "A09_2021-Security_Logging_and_Monitoring_Failures",
                                      "A10_2021-Server-Side_Request_Forgery_%28SSRF%29"};
  if (category.size() >= 8 && category[0] == 'A' && std::isdigit(static_cast<unsigned char>(category[1])) &&
      std::isdigit(static_cast<unsigned char>(category[2])) && category[3] == ':' && category.substr(4, 4) == "2021") {
    const int n = (category[1] - '0') * 10 + (category[2] - '0');
    if (n >= 1 && n <= 10) return "https://owasp.org/Top10/" + std::string(kTop10_2021[n - 1]) + "/";
  }
  return "https://owasp.org/www-project-top-ten/";
}

std::string hover_text(const json& d, const rules::Rule* rule, bool markdown) {
  Writer w{markdown, {}};
  const json& data = member(d, "data");
  const std::string rule_id = member(data, "ruleId").is_string() ? data.at("ruleId").get<std::string>() : text_of(member(d, "code"));
  w.paragraph(w.bold(rule_id) + " · " + std::string(severity_word(member(d, "severity"))) + " · Vigil");
  w.paragraph(text_of(member(d, "message")));
  if (rule && !rule->constraint.empty()) w.paragraph(w.bold("Rule:") + " " + rule->constraint);

  std::string refs;
  if (rule) {
    for (const auto& cwe : rule->metadata.cwe) refs += (refs.empty() ? "" : " · ") + w.link(cwe, rules::cwe_url(cwe));
    // The loader joins several OWASP categories with "; ".
    std::string_view owasp = rule->metadata.owasp;
    while (!owasp.empty()) {
      auto semi = owasp.find("; ");
      std::string_view one = owasp.substr(0, semi);
      refs += (refs.empty() ? "" : " · ") + std::string("OWASP ") + w.link(one, owasp_url(one));
      owasp = semi == std::string_view::npos ? std::string_view{} : owasp.substr(semi + 2);
    }
  } else if (member(data, "cwe").is_array()) {
    for (const auto& cwe : data.at("cwe"))
      if (cwe.is_string()) refs += (refs.empty() ? "" : " · ") + w.link(cwe.get<std::string>(), rules::cwe_url(cwe.get<std::string>()));
  }
  w.paragraph(refs);
  if (rule && !rule->note.empty()) {
    std::string note = rule->note;
    while (!note.empty() && (note.back() == '\n' || note.back() == ' ')) note.pop_back();
    w.paragraph(note);
  }

  if (const json& related = member(d, "relatedInformation"); related.is_array() && !related.empty()) {
    std::string path = w.bold("Data flow:");
    int n = 0;
    for (const auto& r : related) {
      const json& start = member(member(member(r, "location"), "range"), "start");
      const int64_t line = member(start, "line").is_number_integer() ? start.at("line").get<int64_t>() + 1 : 0;
      path += "\n" + std::to_string(++n) + ". line " + std::to_string(line) + ": " + text_of(member(r, "message"));
    }
    w.paragraph(path);
  }

  if (const json& fix = member(data, "fix"); fix.is_object()) {
    const bool safe = member(fix, "safe").is_boolean() && fix.at("safe").get<bool>();
    const std::string replacement = text_of(member(fix, "newText"));
    w.paragraph(w.bold("Fix available") + (safe ? " (safe, applied by fix-all): " : " (unsafe, review it): ") +
                (replacement.empty() ? "remove the flagged code" : "replace with " + w.code(replacement.substr(0, 80))));
  }

  // Secondary validation's verdict: who said what, and why.
  if (const json& v = member(data, "validation"); v.is_object()) {
    std::string who = text_of(member(v, "validator"));
    if (const std::string model = text_of(member(v, "model")); !model.empty()) who += " (" + model + ")";
    std::string line = w.bold("Validation: " + text_of(member(v, "status"))) + " by " + who;
    if (member(v, "confidence").is_number() && text_of(member(v, "status")) != "error")
      line += ", confidence " + std::to_string(static_cast<int>(v.at("confidence").get<double>() * 100 + 0.5)) + "%";
    w.paragraph(line);
    w.paragraph(text_of(member(v, "explanation")));
    if (const std::string fix = text_of(member(v, "suggestedFix")); !fix.empty()) w.paragraph(w.bold("Suggested fix:") + " " + w.code(fix.substr(0, 200)));
  }

  // The feedback bank: this rule's measured precision in this repository, and this finding's verdict.
  if (const json& fb = member(data, "feedback"); fb.is_object()) {
    const uint64_t confirmed = member(fb, "confirmed").is_number_unsigned() ? fb.at("confirmed").get<uint64_t>() : 0;
    const uint64_t false_positives = member(fb, "falsePositives").is_number_unsigned() ? fb.at("falsePositives").get<uint64_t>() : 0;
    std::string line = w.bold("Feedback:") + " ";
    if (confirmed + false_positives == 0) line += "no votes on this rule yet";
    else
      line += "precision " + std::to_string(static_cast<int>(member(fb, "precision").is_number() ? fb.at("precision").get<double>() * 100 + 0.5 : 0)) +
              "% over " + std::to_string(confirmed + false_positives) + (confirmed + false_positives == 1 ? " vote" : " votes") + " (" +
              std::to_string(confirmed) + " confirmed, " + std::to_string(false_positives) +
              (false_positives == 1 ? " false positive)" : " false positives)");
    if (const std::string mine = text_of(member(fb, "verdict")); !mine.empty()) line += "; this finding: " + mine;
    w.paragraph(line);
  }

  // Filled by the provenance tracker: {origin, evidence, tool}.
  if (const json& prov = member(data, "provenance"); prov.is_object()) {
    const std::string origin = text_of(member(prov, "origin"));
    if (origin == "ai" || origin == "reviewed") {
      std::string line = w.bold(origin == "ai" ? "AI-written:" : "AI-written, since reviewed:");
      if (const std::string evidence = text_of(member(prov, "evidence")); !evidence.empty()) line += " evidence " + w.code(evidence);
      if (const std::string tool = text_of(member(prov, "tool")); !tool.empty()) line += ", tool " + w.code(tool);
      w.paragraph(line);
    }
  }
  return w.out;
}

json hover(const std::vector<const json*>& diagnostics, const RuleSet& rules, bool markdown) {
  if (diagnostics.empty()) return nullptr;
  std::string text;
  for (const json* d : diagnostics) {
    const rules::Rule* rule = nullptr;
    const json& id = member(member(*d, "data"), "ruleId");
    for (const auto& r : rules.all())
      if (id.is_string() && r->id == id.get<std::string>()) rule = r.get();
    if (!text.empty()) text += markdown ? "\n\n---\n\n" : "\n\n";
    text += hover_text(*d, rule, markdown);
  }
  return {{"contents", {{"kind", markdown ? "markdown" : "plaintext"}, {"value", text}}},
          {"range", diagnostics.front()->at("range")}};
}

std::vector<const json*> diagnostics_at(const json::array_t& items, const json& position) {
  std::vector<const json*> out;
  const auto at = std::tuple{position.at("line").get<int64_t>(), position.at("character").get<int64_t>()};
  for (const auto& d : items) {
    const json& r = member(d, "range");
    if (!r.is_object()) continue;
    const auto start = std::tuple{r.at("start").at("line").get<int64_t>(), r.at("start").at("character").get<int64_t>()};
    const auto end = std::tuple{r.at("end").at("line").get<int64_t>(), r.at("end").at("character").get<int64_t>()};
    if (start <= at && at <= end) out.push_back(&d);
  }
  return out;
}

}  // namespace vigil::lsp
