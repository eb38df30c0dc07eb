#include "analyzers/fix/fix.hpp"

#include <algorithm>
#include <cctype>

namespace vigil::fix {
namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (static_cast<unsigned char>(c) & 0x80); }
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// A cut at `at` in `s` splits neither a UTF-8 character nor a word.
bool clean_cut(std::string_view s, size_t at) {
  if (at == 0 || at >= s.size()) return true;
  if (is_continuation(s[at])) return false;
  return !(is_word(s[at - 1]) && is_word(s[at]));
}

}  // namespace

FixEdit minimal(const FixEdit& edit, std::string_view text) {
  if (edit.end_byte > text.size() || edit.start_byte > edit.end_byte) return edit;
  const std::string_view old_text = text.substr(edit.start_byte, edit.end_byte - edit.start_byte);
  const std::string_view new_text = edit.replacement;
  size_t prefix = 0;
  const size_t shorter = std::min(old_text.size(), new_text.size());
  while (prefix < shorter && old_text[prefix] == new_text[prefix]) ++prefix;
  while (prefix > 0 && !(clean_cut(old_text, prefix) && clean_cut(new_text, prefix))) --prefix;
  size_t suffix = 0;
  while (suffix < shorter - prefix && old_text[old_text.size() - 1 - suffix] == new_text[new_text.size() - 1 - suffix]) ++suffix;
  while (suffix > 0 &&
         !(clean_cut(old_text, old_text.size() - suffix) && clean_cut(new_text, new_text.size() - suffix)))
    --suffix;
  FixEdit out = edit;
  out.start_byte = edit.start_byte + static_cast<uint32_t>(prefix);
  out.end_byte = edit.end_byte - static_cast<uint32_t>(suffix);
  out.replacement = std::string(new_text.substr(prefix, new_text.size() - prefix - suffix));
  // A deletion that leaves only blanks on its line takes the whole line, as a person would.
  if (out.replacement.empty() && out.end_byte > out.start_byte) {
    size_t line_start = out.start_byte;
    while (line_start > 0 && (text[line_start - 1] == ' ' || text[line_start - 1] == '\t')) --line_start;
    size_t line_end = out.end_byte;
    while (line_end < text.size() && (text[line_end] == ' ' || text[line_end] == '\t' || text[line_end] == '\r')) ++line_end;
    const bool starts_line = line_start == 0 || text[line_start - 1] == '\n';
    if (starts_line && line_end < text.size() && text[line_end] == '\n') {
      out.start_byte = static_cast<uint32_t>(line_start);
      out.end_byte = static_cast<uint32_t>(line_end + 1);
    }
  }
  return out;
}

bool overlap(const FixEdit& a, const FixEdit& b) {
  // Two insertions at one point have no defined order; otherwise touching ranges are fine.
  if (a.start_byte == a.end_byte && b.start_byte == b.end_byte) return a.start_byte == b.start_byte;
  if (a.start_byte == a.end_byte) return a.start_byte > b.start_byte && a.start_byte < b.end_byte;
  if (b.start_byte == b.end_byte) return b.start_byte > a.start_byte && b.start_byte < a.end_byte;
  return a.start_byte < b.end_byte && b.start_byte < a.end_byte;
}

std::vector<FixEdit> non_overlapping(std::vector<FixEdit> edits) {
  // Stable: among edits at one place the first finding's fix wins.
  std::stable_sort(edits.begin(), edits.end(), [](const FixEdit& a, const FixEdit& b) {
    return a.start_byte != b.start_byte ? a.start_byte < b.start_byte : a.end_byte < b.end_byte;
  });
  std::vector<FixEdit> out;
  for (auto& e : edits) {
    if (!out.empty() && out.back().start_byte == e.start_byte && out.back().end_byte == e.end_byte &&
        out.back().replacement == e.replacement)
      continue;  // two findings, one fix
    bool clash = false;
    // Sorted by start: only chosen edits reaching past e's start can overlap it.
    for (auto it = out.rbegin(); it != out.rend() && !clash; ++it) {
      clash = overlap(*it, e);
      if (it->end_byte < e.start_byte && it->start_byte < e.start_byte) break;
    }
    if (!clash) out.push_back(std::move(e));
  }
  return out;
}

std::vector<FixEdit> applicable(const std::vector<Finding>& findings, std::string_view text, bool include_unsafe) {
  std::vector<FixEdit> edits;
  for (const auto& f : findings)
    if (f.fix && (f.fix->safe || include_unsafe)) edits.push_back(minimal(*f.fix, text));
  return non_overlapping(std::move(edits));
}

std::string apply(std::string_view text, const std::vector<FixEdit>& edits) {
  std::string out;
  out.reserve(text.size());
  uint32_t at = 0;
  for (const auto& e : edits) {
    if (e.start_byte < at || e.end_byte > text.size()) continue;  // not sorted or out of range: skip, never corrupt
    out.append(text.substr(at, e.start_byte - at));
    out.append(e.replacement);
    at = e.end_byte;
  }
  out.append(text.substr(at));
  return out;
}

namespace {

// A node that spans lines and whose inside is text, not code: a comment line there would become
// part of the string.
bool is_text_node(TSNode n) {
  std::string_view type = ts_node_type(n);
  return type.find("string") != std::string_view::npos || type.find("template") != std::string_view::npos ||
         type.find("comment") != std::string_view::npos || type == "heredoc_body" || type == "text_block";
}

}  // namespace

Suppression suppression(const document::Snapshot& snapshot, uint32_t finding_start, std::string_view rule_id) {
  const std::string_view text = snapshot.text;
  finding_start = std::min<uint32_t>(finding_start, static_cast<uint32_t>(text.size()));
  uint32_t line = snapshot.lines.line_of(finding_start);
  // Move up while the line starts inside a multi-line string or comment.
  for (int guard = 0; snapshot.tree && guard < 64 && line > 0; ++guard) {
    const uint32_t start = snapshot.lines.line_start(line);
    TSNode n = ts_node_descendant_for_byte_range(snapshot.root(), start, start);
    uint32_t moved_to = line;
    for (; !ts_node_is_null(n); n = ts_node_parent(n)) {
      if (ts_node_start_byte(n) < start && ts_node_end_byte(n) > start && is_text_node(n)) {
        moved_to = std::min(moved_to, ts_node_start_point(n).row);
      }
    }
    if (moved_to == line) break;
    line = moved_to;
  }
  const uint32_t start = snapshot.lines.line_start(line);
  const uint32_t end = snapshot.lines.line_end(text, line);
  uint32_t indent_end = start;
  while (indent_end < end && (text[indent_end] == ' ' || text[indent_end] == '\t')) ++indent_end;
  const bool crlf = end < text.size() && text[end] == '\r';
  const std::string_view comment =
      snapshot.language && !snapshot.language->line_comment.empty() ? snapshot.language->line_comment : "//";
  Suppression s;
  s.offset = start;
  s.before_reason = std::string(text.substr(start, indent_end - start)) + std::string(comment) + " vigil-ignore: " +
                    std::string(rule_id) + " -- ";
  s.after_reason = crlf ? "\r\n" : "\n";
  return s;
}

}  // namespace vigil::fix
