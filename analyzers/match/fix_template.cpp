#include "analyzers/match/fix_template.hpp"

#include <optional>
#include <vector>

namespace vigil::match {
namespace {

constexpr size_t kMaxLookAhead = 512;

bool var_char(char c) { return (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9'); }

// Indentation (spaces) of the line holding the end of `src`, as ast-grep's get_indent_at_offset.
size_t indent_at(std::string_view src) {
  const size_t lookahead = src.size() > kMaxLookAhead ? src.size() - kMaxLookAhead : 0;
  size_t indent = 0;
  for (size_t i = src.size(); i-- > lookahead;) {
    const char c = src[i];
    if (c == '\n') return indent;
    indent = c == ' ' ? indent + 1 : 0;
  }
  return lookahead == 0 ? indent : 0;
}

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
}

// ast-grep's indent_lines for a multi-line extract with `original` indentation placed at `indent`.
std::string reindent(std::string_view lines, size_t original, size_t indent) {
  if (original == indent) return std::string(lines);
  auto parts = split_lines(lines);
  std::string out;
  if (original > indent) {
    const std::string strip(original - indent, ' ');
    for (size_t i = 0; i < parts.size(); ++i) {
      auto line = parts[i];
      if (line.starts_with(strip)) line.remove_prefix(strip.size());
      if (i) out += '\n';
      out += line;
    }
    return out;
  }
  const std::string lead(indent - original, ' ');
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '\n', out += lead;
    out += parts[i];
  }
  return out;
}

// The text of a binding, de-indented from its place in the source and re-indented at `indent`.
std::optional<std::string> var_text(const MatchInput& in, uint32_t start, uint32_t end, size_t indent) {
  std::string_view slice = in.text.substr(start, end - start);
  if (slice.find('\n') == std::string_view::npos) return std::string(slice);
  return reindent(slice, indent_at(in.text.substr(0, start)), indent);
}

}  // namespace

std::string expand_template(std::string_view templ, const Bindings& env, const MatchInput& in, uint32_t match_start) {
  std::string body;
  size_t i = 0;
  while (i < templ.size()) {
    if (templ[i] != '$') {
      body += templ[i++];
      continue;
    }
    // Up to three sigils: $A, $$A (same as $A here) or $$$A.
    size_t sigils = 1;
    while (sigils < 3 && i + sigils < templ.size() && templ[i + sigils] == '$') ++sigils;
    const bool multi = sigils == 3;
    size_t j = i + sigils;
    while (j < templ.size() && var_char(templ[j])) ++j;
    if (j == i + sigils) {  // no name: a literal `$`
      body += templ[i++];
      continue;
    }
    const std::string name(templ.substr(i + sigils, j - i - sigils));
    // ast-grep measures the indentation on the template text before the metavariable.
    const size_t indent = indent_at(templ.substr(0, i));
    std::optional<std::string> text;
    if (multi) {
      auto it = env.multi.find(name);
      if (it != env.multi.end() && !it->second.empty())
        text = var_text(in, ts_node_start_byte(it->second.front()), ts_node_end_byte(it->second.back()), indent);
    } else {
      auto it = env.single.find(name);
      if (it != env.single.end()) text = var_text(in, ts_node_start_byte(it->second), ts_node_end_byte(it->second), indent);
    }
    if (text) body += *text;
    i = j;
  }
  // The replacement as a whole is indented like the matched node's line.
  return reindent(body, 0, indent_at(in.text.substr(0, match_start)));
}

}  // namespace vigil::match
