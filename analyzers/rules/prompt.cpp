#include "analyzers/rules/prompt.hpp"

#include <algorithm>
#include <map>

namespace vigil::rules {

std::string constraints_prompt(const std::vector<RulePtr>& rules, const std::string& scope) {
  std::map<std::string, std::vector<const Rule*>> by_category;
  for (const auto& r : rules) by_category[r->metadata.category.empty() ? "other" : r->metadata.category].push_back(r.get());
  std::string out = "Security constraints for " + scope + " (" + std::to_string(rules.size()) +
                    " Vigil rules). Code you write must satisfy every one; Vigil checks it.\n";
  for (auto& [category, list] : by_category) {
    std::sort(list.begin(), list.end(), [](const Rule* a, const Rule* b) { return a->id < b->id; });
    out += "\n## " + category + "\n";
    for (const Rule* r : list) {
      out += "- [" + r->id + "] " + (r->constraint.empty() ? r->message : r->constraint);
      std::string tags;
      for (const auto& cwe : r->metadata.cwe) tags += (tags.empty() ? "" : ", ") + cwe;
      tags += (tags.empty() ? "" : ", ") + std::string(to_string(r->severity));
      out += " (" + tags + ")\n";
    }
  }
  return out;
}

}  // namespace vigil::rules
