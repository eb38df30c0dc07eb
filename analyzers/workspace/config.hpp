// The project's `.vigil/config.yaml`, validated: an unknown key is a warning, a wrong type an error.
#pragma once

#include <string>
#include <vector>

#include "analyzers/rules/loader.hpp"

namespace vigil::workspace {

struct ProjectConfig {
  std::vector<std::string> exclude;     // gitignore-style patterns, relative to the project root
  std::vector<std::string> rule_paths;  // extra rule files or directories, relative to the root
  bool builtin_rules = true;
};

// Parses config text; problems use the Problem type of rule files (path:line:col).
ProjectConfig parse_config(std::string_view path, std::string_view text, std::vector<rules::Problem>& problems);

}  // namespace vigil::workspace
