// Helpers shared by the commands.
#include <fstream>
#include <iostream>
#include <sstream>

#include "analyzers/engine.hpp"
#include "analyzers/report/report.hpp"
#include "analyzers/workspace/files.hpp"
#include "cli/commands.hpp"

namespace vigil::cli {

bool load_rules(const RuleOptions& options, const workspace::Project& project, RuleSet& set,
                const std::set<const grammars::Language*>* languages) {
  // A command that names the languages it will see (`vigil check`) sees no other.
  auto loaded = workspace::load_rules(project, options.paths, options.builtin, languages, languages != nullptr);
  for (const auto& r : loaded.rules) set.add(r);
  for (const auto& p : loaded.problems) std::cerr << report::printable(p.to_string()) << '\n';
  return !loaded.has_errors();
}

std::string read_file(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace vigil::cli
