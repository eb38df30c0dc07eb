// Loads rules from YAML text with precise errors. A broken rule never takes the others down:
// every problem is reported with its file:line:col and the rules that are sound still load.
// Parsing only; reading files is done by rules/sources.hpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzers/rules/rule.hpp"

namespace vigil::rules {

struct Problem {
  enum class Level { error, warning } level = Level::error;
  std::string path;
  uint32_t line = 1;    // 1-based
  uint32_t column = 1;  // 1-based, in bytes
  std::string message;
  std::string rule_id;  // when known

  // "path:line:col: error: message", as compilers print it.
  std::string to_string() const;
};

struct LoadResult {
  std::vector<RulePtr> rules;
  std::vector<Problem> problems;
  bool has_errors() const;
};

struct LoadOptions {
  // Compile every query now, reporting query errors as problems. Off for the built-in packs, which
  // CI validates (`vigil test-rules`); their queries then compile on first use.
  bool validate_queries = true;
};

// Parses one rule file (one or more YAML documents, one rule each).
LoadResult load_rules_from_yaml(std::string_view path, std::string_view text, const LoadOptions& options = {});

}  // namespace vigil::rules
