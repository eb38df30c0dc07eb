// The engine's front door: a set of compiled rules and the analysis of one snapshot against it.
// Pure computation (no IO, no protocol): callers bring snapshots and take findings.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzers/document/document.hpp"
#include "analyzers/rules/rule.hpp"

namespace vigil {

struct Finding {
  rules::RulePtr rule;
  rules::Severity severity;
  std::string message;  // placeholders filled in
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
  TSPoint start{};  // row, byte column
  TSPoint end{};
  std::string fingerprint;  // stable across line moves: rule id + normalized matched code (SHA-256)

  const std::string& rule_id() const { return rule->id; }
};

class RuleSet {
 public:
  // Adds a rule; a later rule with the same id replaces the earlier one (workspace rules override
  // built-in ones). Returns false when it replaced one.
  bool add(rules::RulePtr rule);
  const std::vector<rules::RulePtr>& all() const { return ordered_; }
  std::vector<rules::RulePtr> for_language(const grammars::Language& lang) const;
  size_t size() const { return ordered_.size(); }

 private:
  std::vector<rules::RulePtr> ordered_;
};

// Every finding of `rules` in `snapshot`, ordered by position then rule id, without duplicates.
std::vector<Finding> analyze(const RuleSet& rules, const document::Snapshot& snapshot);

// Fills `$NAME` placeholders from the capture texts (first line, shortened).
std::string interpolate(std::string_view templ, const std::map<std::string, std::string>& captures);

}  // namespace vigil
