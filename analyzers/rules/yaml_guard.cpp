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

std::optional<std::string> yaml_flow_entry_problem(std::string_view text) {
  size_t flow = 0;             // depth of [ and {
  char quote = 0;              // inside a quoted scalar (they may span lines)
  bool token_start = true;     // a node may start here
  bool after_node = false;     // a quoted scalar or a flow collection just ended, at flow depth 0
  bool line_start = true;      // only indentation so far on this line
  size_t indent = 0;           // this line's indentation
  constexpr size_t kNoBlockScalar = static_cast<size_t>(-1);
  size_t block_scalar = kNoBlockScalar;  // the indentation of the line that opened `|` or `>`
  size_t line = 1, column = 0;
  // yaml-cpp reads a stream starting with a NUL byte as UTF-16 or UTF-32, where `,` can follow; YAML
  // allows no NUL, and rule files and settings are UTF-8.
  if (text.find('\0') != std::string_view::npos) return "the file holds a NUL byte (YAML is UTF-8 text): refused";
  size_t start = 0;
  if (text.starts_with("\xEF\xBB\xBF")) start = 3;  // a UTF-8 byte order mark
  auto space_or_end = [&](size_t i) { return i >= text.size() || text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'; };
  for (size_t i = start; i < text.size(); ++i) {
    const char c = text[i];
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
      line_start = true;
      indent = 0;
      if (!quote && flow == 0) token_start = true;
      continue;
    }
    if (quote) {
      if (c == '\\' && quote == '"') ++i, ++column;
      else if (c == quote) quote = 0, token_start = false, after_node = flow == 0;
      continue;
    }
    if (line_start && (c == ' ' || c == '\t' || c == '\r')) {
      ++indent;
      continue;
    }
    if (line_start) {
      line_start = false;
      // The content of a block scalar: lines indented deeper than the line that opened it.
      if (block_scalar != kNoBlockScalar && indent > block_scalar) {
        while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
        continue;
      }
      block_scalar = kNoBlockScalar;
      if (indent == 0 && (text.substr(i, 3) == "---" || text.substr(i, 3) == "...") && space_or_end(i + 3)) {
        i += 2, column += 2;
        token_start = true;
        continue;
      }
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if (c == ',') {
      if (flow == 0 && (token_start || after_node))
        return "line " + std::to_string(line) + ", column " + std::to_string(column) +
               ": a `,` outside [...] or {...} where a value starts or after a quoted or bracketed value: refused "
               "(not YAML a rule or setting can hold)";
      token_start = flow > 0;
      continue;
    }
    // yaml-cpp starts another quoted scalar right after one ends (`"a""b"`), as at a node's start.
    const bool quote_may_open = token_start || after_node;
    after_node = false;
    // Brackets open a flow collection where a node starts or inside one; in a plain scalar of block
    // context (`message: use f(a, {b})`) they are text.
    if (c == '[' || c == '{') {
      if (flow > 0 || token_start) ++flow, token_start = true;
      continue;
    }
    if (c == ']' || c == '}') {
      if (flow > 0) --flow, after_node = flow == 0;
      token_start = false;
      continue;
    }
    if ((c == '-' || c == '?' || c == ':') && space_or_end(i + 1)) {
      token_start = true;
      continue;
    }
    // A tag, anchor or alias (where a node starts, or right after a quoted or bracketed node, where
    // yaml-cpp's scanner starts a token too: `"a"&x,`): the node follows.
    if (quote_may_open && (c == '!' || c == '&' || c == '*')) {
      token_start = true;
      // yaml-cpp ends an anchor's name at a flow indicator as at a blank.
      while (!space_or_end(i + 1) && std::string_view(",[]{}").find(text[i + 1]) == std::string_view::npos) ++i, ++column;
      continue;
    }
    if (quote_may_open && (c == '"' || c == '\'')) {
      quote = c;
      continue;
    }
    if (token_start && flow == 0 && (c == '|' || c == '>')) {
      block_scalar = indent;
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    token_start = false;  // a plain scalar: a `,` inside it is text
  }
  return std::nullopt;
}

std::optional<std::string> yaml_text_problem(std::string_view text, size_t max_depth) {
  if (auto why = yaml_nesting_problem(text, max_depth)) return why;
  return yaml_flow_entry_problem(text);
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
