#include "analyzers/rules/rule.hpp"

#include <cctype>

namespace vigil::rules {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "info";
    case Severity::hint: return "hint";
  }
  return "warning";
}

bool parse_severity(std::string_view name, Severity& out) {
  if (name == "error") out = Severity::error;
  else if (name == "warning") out = Severity::warning;
  else if (name == "info") out = Severity::info;
  else if (name == "hint") out = Severity::hint;
  else return false;
  return true;
}

std::string cwe_url(std::string_view cwe) {
  if (cwe.size() < 5 || (cwe.substr(0, 4) != "CWE-" && cwe.substr(0, 4) != "cwe-")) return {};
  auto digits = cwe.substr(4);
  for (char c : digits)
    if (!std::isdigit(static_cast<unsigned char>(c))) return {};
  return "https://cwe.mitre.org/data/definitions/" + std::string(digits) + ".html";
}

}  // namespace vigil::rules
