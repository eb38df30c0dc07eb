// The loaded rules' constraints as instructions for a coding agent: what `vigil mcp`'s
// security_rules tool returns (and what an AGENTS.md can carry). Pure: no IO.
#pragma once

#include <string>
#include <vector>

#include "analyzers/rules/rule.hpp"

namespace vigil::rules {

// One section per category, one line per rule: `- [id] constraint (CWE-.., severity)`. Rules
// without a constraint use their message. `scope` names what the rules apply to ("Python",
// "src/app.py").
std::string constraints_prompt(const std::vector<RulePtr>& rules, const std::string& scope);

}  // namespace vigil::rules
