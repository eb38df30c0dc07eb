// The loaded rules' constraints as instructions for a coding agent: what `vigil mcp`'s
// security_rules tool returns, what `vigil prompt` writes into AGENTS.md and its kin, and what
// secondary validation tells a model the code must satisfy. One source for all three. Pure: no IO.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzers/rules/rule.hpp"

namespace vigil::rules {

struct PromptOptions {
  std::string scope = "this project";     // what the rules apply to ("Python", "src/app.py")
  std::map<std::string, size_t> broken;   // rule id -> findings here: the most broken come first
  // Lessons from the feedback bank (confirmed findings and false positives turned into sentences),
  // once it exists: a section of their own after the constraints.
  std::vector<std::string> lessons;
};

// One constraint sentence and every rule that states it (rules of several languages often share
// one), with their CWEs, the highest severity and how often they were broken.
struct PromptItem {
  std::string text;
  std::vector<std::string> rule_ids;
  std::vector<std::string> cwe;
  Severity severity = Severity::hint;
  size_t broken = 0;
};
struct PromptSection {
  std::string category;
  std::vector<PromptItem> items;
  size_t broken = 0;
};

// The rules grouped by category, each constraint once (rules without a constraint use their
// message); categories and items ordered by how often they were broken, then by severity, then
// by text.
std::vector<PromptSection> prompt_sections(const std::vector<RulePtr>& rules, const PromptOptions& options);

// The sections as markdown: a short preamble naming the scope, `## category` headings, one line
// per constraint: `- [ids] sentence (CWE-.., severity)`, then the lessons. `heading_level` is the
// level of the category headings (2: `##`).
std::string constraints_prompt(const std::vector<RulePtr>& rules, const PromptOptions& options, int heading_level = 2);
std::string constraints_prompt(const std::vector<RulePtr>& rules, const std::string& scope);

}  // namespace vigil::rules
