#include "analyzers/rules/yaml_guard.hpp"

#include <yaml-cpp/yaml.h>

#include <vector>

namespace vigil::rules {

std::optional<std::string> yaml_nesting_problem(std::string_view text, size_t max_depth) {
  size_t flow = 0, deepest = 0;
  bool line_start = true;
  size_t block = 0;  // this line's block depth so far: indentation + compact entries
  char quote = 0;
  bool comment = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      line_start = true;
      block = 0;
      comment = false;
      if (quote == '\'') continue;  // quoted scalars may span lines
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (c == '\\' && quote == '"') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (line_start && (c == ' ' || c == '-' || c == '?' || c == ':')) {
      ++block;  // every column of indentation and every `- ` can open a level
      deepest = std::max(deepest, block + flow);
      continue;
    }
    line_start = false;
    if (c == '#') comment = true;
    else if (c == '"' || c == '\'') quote = c;
    else if (c == '[' || c == '{') deepest = std::max(deepest, ++flow + block);
    else if ((c == ']' || c == '}') && flow > 0) --flow;
    if (deepest > max_depth) break;
  }
  if (deepest <= max_depth) return std::nullopt;
  return "the YAML nests more than " + std::to_string(max_depth) + " levels deep: refused";
}

std::optional<std::string> yaml_expansion_problem(const YAML::Node& root, size_t budget) {
  std::vector<YAML::Node> stack{root};
  size_t count = 0;
  while (!stack.empty()) {
    YAML::Node node = stack.back();
    stack.pop_back();
    if (++count > budget)
      return "the YAML expands to more than " + std::to_string(budget) + " values (aliases repeat what they name): refused";
    if (node.IsSequence()) {
      for (const auto& child : node) stack.push_back(child);
    } else if (node.IsMap()) {
      for (const auto& kv : node) {
        stack.push_back(kv.first);
        stack.push_back(kv.second);
      }
    }
  }
  return std::nullopt;
}

}  // namespace vigil::rules
