// Loads rules from YAML text with precise errors. A broken rule never takes the others down:
// every problem is reported with its file:line:col and the rules that are sound still load.
// Parsing only; reading files is done by rules/sources.hpp.
#pragma once

#include <set>
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
  // Util rules shared by the rule files (ast-grep's utilDirs), for `matches:`.
  std::shared_ptr<const match::GlobalUtils> global_utils;
  // When set, matchers are compiled for these languages only; a rule still lists all of its
  // languages. For a run that will see files of these languages only (a one-file `vigil check`).
  const std::set<const grammars::Language*>* compile_only = nullptr;
};

// Parses one rule file (one or more YAML documents, one rule each).
LoadResult load_rules_from_yaml(std::string_view path, std::string_view text, const LoadOptions& options = {});

// A util rule file's text (`id`, `language`, `rule`, optional `utils` and `constraints`).
struct UtilFile {
  std::string path;
  std::string text;
};
// Parses util rule files into one registry; problems (bad YAML, duplicate ids, cycles) are added.
std::shared_ptr<const match::GlobalUtils> load_util_files(const std::vector<UtilFile>& files, std::vector<Problem>& problems);
// Whether a pack path is a util rule file: a .yml/.yaml file in a directory named `utils`.
bool is_util_file(std::string_view path);

}  // namespace vigil::rules
