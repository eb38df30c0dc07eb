#include "analyzers/workspace/ignore.hpp"

namespace vigil::workspace {
namespace {

// Matches a bracket expression at pattern[pi] ('[' already seen); advances pi past ']'.
bool match_class(std::string_view pattern, size_t& pi, char c, bool& ok) {
  size_t i = pi + 1;
  bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negate) ++i;
  bool matched = false;
  bool first = true;
  while (i < pattern.size() && (first || pattern[i] != ']')) {
    first = false;
    char lo = pattern[i];
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      if (c >= lo && c <= pattern[i + 2]) matched = true;
      i += 3;
    } else {
      if (c == lo) matched = true;
      ++i;
    }
  }
  if (i >= pattern.size()) return false;  // no closing ']': not a class
  pi = i + 1;
  ok = matched != negate;
  return true;
}

bool match_here(std::string_view p, std::string_view s) {
  size_t pi = 0, si = 0;
  // Backtracking points for `*` (within a segment) and `**` (across segments).
  size_t star_p = std::string_view::npos, star_s = 0;
  size_t dstar_p = std::string_view::npos, dstar_s = 0;
  while (si < s.size() || pi < p.size()) {
    if (pi < p.size()) {
      if (p.compare(pi, 2, "**") == 0) {
        size_t next = pi + 2;
        if (next < p.size() && p[next] == '/') ++next;  // "**/" also matches zero directories
        dstar_p = next;
        dstar_s = si;
        star_p = std::string_view::npos;
        pi = next;
        continue;
      }
      if (p[pi] == '*') {
        star_p = ++pi;
        star_s = si;
        continue;
      }
      if (si < s.size()) {
        if (p[pi] == '?' && s[si] != '/') {
          ++pi, ++si;
          continue;
        }
        if (p[pi] == '[') {
          size_t save = pi;
          bool ok = false;
          if (match_class(p, pi, s[si], ok)) {
            if (ok && s[si] != '/') {
              ++si;
              continue;
            }
            pi = save;
          } else if (s[si] == '[') {
            ++pi, ++si;
            continue;
          }
        } else if (p[pi] == '\\' && pi + 1 < p.size() && p[pi + 1] == s[si]) {
          pi += 2, ++si;
          continue;
        } else if (p[pi] == s[si]) {
          ++pi, ++si;
          continue;
        }
      }
    }
    if (star_p != std::string_view::npos && star_s < s.size() && s[star_s] != '/') {
      pi = star_p;
      si = ++star_s;
      continue;
    }
    if (dstar_p != std::string_view::npos && dstar_s < s.size()) {
      pi = dstar_p;
      si = ++dstar_s;
      star_p = std::string_view::npos;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) { return match_here(pattern, path); }

void IgnoreRules::add_lines(std::string_view base, std::string_view text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    add_pattern(base, line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
}

void IgnoreRules::add_pattern(std::string_view base, std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // Trailing spaces are ignored unless escaped.
  while (!line.empty() && line.back() == ' ' && !(line.size() >= 2 && line[line.size() - 2] == '\\')) line.remove_suffix(1);
  if (line.empty() || line.front() == '#') return;
  Pattern p;
  p.base = std::string(base);
  if (line.front() == '!') {
    p.negated = true;
    line.remove_prefix(1);
  } else if (line.starts_with("\\!") || line.starts_with("\\#")) {
    line.remove_prefix(1);
  }
  if (!line.empty() && line.back() == '/') {
    p.dir_only = true;
    line.remove_suffix(1);
  }
  if (line.empty()) return;
  p.anchored = line.find('/') != std::string_view::npos;
  if (line.front() == '/') line.remove_prefix(1);
  p.glob = std::string(line);
  patterns_.push_back(std::move(p));
}

bool IgnoreRules::ignored(std::string_view path, bool is_dir) const {
  bool result = false;
  for (const auto& p : patterns_) {
    if (p.dir_only && !is_dir) continue;
    std::string_view rel = path;
    if (!p.base.empty()) {
      if (!rel.starts_with(p.base) || rel.size() <= p.base.size() || rel[p.base.size()] != '/') continue;
      rel.remove_prefix(p.base.size() + 1);
    }
    bool hit;
    if (p.anchored) {
      hit = glob_match(p.glob, rel);
    } else {
      auto slash = rel.find_last_of('/');
      hit = glob_match(p.glob, slash == std::string_view::npos ? rel : rel.substr(slash + 1));
    }
    if (hit) result = !p.negated;
  }
  return result;
}

bool matches_any_glob(const std::vector<std::string>& globs, std::string_view path) {
  const auto slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (const auto& g : globs)
    if (glob_match(g, path) || (g.find('/') == std::string::npos && glob_match(g, name))) return true;
  return false;
}

}  // namespace vigil::workspace
