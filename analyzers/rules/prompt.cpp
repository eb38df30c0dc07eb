#include "analyzers/rules/prompt.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace vigil::rules {

namespace {

// Sentences equal but for case, spacing and a final period are one constraint.
std::string normalized(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '\n' || c == '\r' ? ' ' : c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

std::vector<PromptSection> prompt_sections(const std::vector<RulePtr>& rules, const PromptOptions& options) {
  std::map<std::string, PromptSection> sections;
  std::map<std::pair<std::string, std::string>, size_t> index;  // (category, normalized text) -> item
  for (const auto& r : rules) {
    const std::string category = r->metadata.category.empty() ? "other" : r->metadata.category;
    const std::string text = one_line(r->constraint.empty() ? r->message : r->constraint);
    auto& section = sections[category];
    section.category = category;
    auto [it, inserted] = index.emplace(std::make_pair(category, normalized(text)), section.items.size());
    if (inserted) section.items.push_back({text, {}, {}, r->severity, 0});
    auto& item = section.items[it->second];
    item.rule_ids.push_back(r->id);
    for (const auto& c : r->metadata.cwe)
      if (std::find(item.cwe.begin(), item.cwe.end(), c) == item.cwe.end()) item.cwe.push_back(c);
    item.severity = std::min(item.severity, r->severity);  // error is the smallest
    if (auto b = options.broken.find(r->id); b != options.broken.end()) {
      item.broken += b->second;
      section.broken += b->second;
    }
  }
  std::vector<PromptSection> out;
  for (auto& [name, section] : sections) {
    for (auto& item : section.items) std::sort(item.rule_ids.begin(), item.rule_ids.end());
    std::sort(section.items.begin(), section.items.end(), [](const PromptItem& a, const PromptItem& b) {
      return std::make_tuple(-static_cast<long>(a.broken), a.severity, a.text) <
             std::make_tuple(-static_cast<long>(b.broken), b.severity, b.text);
    });
    out.push_back(std::move(section));
  }
  std::stable_sort(out.begin(), out.end(), [](const PromptSection& a, const PromptSection& b) { return a.broken > b.broken; });
  return out;
}

std::string constraints_prompt(const std::vector<RulePtr>& rules, const PromptOptions& options, int heading_level) {
  const auto sections = prompt_sections(rules, options);
  size_t constraints = 0;
  for (const auto& s : sections) constraints += s.items.size();
  std::string out = "Security constraints for " + options.scope + " (" + std::to_string(constraints) + " from " +
                    std::to_string(rules.size()) + " Vigil rules). Code you write must satisfy every one; Vigil checks it.\n";
  const std::string heading(static_cast<size_t>(std::max(1, heading_level)), '#');
  for (const auto& section : sections) {
    out += "\n" + heading + " " + section.category + "\n";
    for (const auto& item : section.items) {
      std::string ids;
      for (const auto& id : item.rule_ids) ids += (ids.empty() ? "" : ", ") + id;
      std::string tags;
      for (const auto& cwe : item.cwe) tags += (tags.empty() ? "" : ", ") + cwe;
      tags += (tags.empty() ? "" : ", ") + std::string(to_string(item.severity));
      out += "- [" + ids + "] " + item.text + " (" + tags + ")\n";
    }
  }
  if (!options.lessons.empty()) {
    out += "\n" + heading + " lessons from this project\n";
    for (const auto& lesson : options.lessons) out += "- " + one_line(lesson) + "\n";
  }
  return out;
}

std::string constraints_prompt(const std::vector<RulePtr>& rules, const std::string& scope) {
  PromptOptions options;
  options.scope = scope;
  return constraints_prompt(rules, options);
}

}  // namespace vigil::rules
