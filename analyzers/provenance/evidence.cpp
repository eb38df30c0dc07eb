#include "analyzers/provenance/evidence.hpp"

#include <algorithm>

namespace vigil::provenance {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

using text::split_lines;

}  // namespace

bool is_bulk_insert(std::string_view text, const BulkInsertThresholds& t) {
  uint32_t lines = 0;
  for (auto line : split_lines(text))
    if (!trim(line).empty()) ++lines;
  if (lines >= t.min_lines) return true;
  uint32_t chars = 0;
  for (char c : trim(text))
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;  // count code points, not bytes
  return chars >= t.min_chars;
}

std::vector<Hunk> line_diff(std::string_view before, std::string_view after, uint32_t max_distance) {
  return text::line_diff(before, after, max_distance);
}

std::pair<uint32_t, uint32_t> line_span(std::string_view text, uint32_t first, uint32_t count) {
  uint32_t line = 0;
  size_t pos = 0;
  while (line < first && pos < text.size()) {
    size_t nl = text.find('\n', pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line;
  }
  const size_t start = pos;
  for (uint32_t i = 0; i < count && pos < text.size(); ++i) {
    size_t nl = text.find('\n', pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  return {static_cast<uint32_t>(start), static_cast<uint32_t>(pos)};
}

std::vector<std::pair<uint32_t, uint32_t>> apply_rewrite(ProvenanceMap& map, std::string_view before,
                                                         std::string_view after) {
  const auto hunks = line_diff(before, after);
  // Line start offsets of both texts, computed once.
  auto starts = [](std::string_view text) {
    std::vector<uint32_t> s{0};
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') s.push_back(static_cast<uint32_t>(i + 1));
    if (s.back() != text.size()) s.push_back(static_cast<uint32_t>(text.size()));
    return s;
  };
  const auto old_starts = starts(before), new_starts = starts(after);
  auto at = [](const std::vector<uint32_t>& s, uint32_t line) { return s[std::min<size_t>(line, s.size() - 1)]; };
  // Back to front: earlier hunks keep their old offsets valid.
  for (auto it = hunks.rbegin(); it != hunks.rend(); ++it) {
    const uint32_t os = at(old_starts, it->old_start), oe = at(old_starts, it->old_start + it->old_count);
    const uint32_t ns = at(new_starts, it->new_start), ne = at(new_starts, it->new_start + it->new_count);
    map.edit(os, oe, ne - ns);
  }
  std::vector<std::pair<uint32_t, uint32_t>> changed;
  for (const auto& h : hunks)
    if (h.new_count > 0) changed.emplace_back(at(new_starts, h.new_start), at(new_starts, h.new_start + h.new_count));
  return changed;
}

std::vector<Span> marker_spans(std::string_view text) {
  std::vector<Span> out;
  // Runs on every analysed version: the usual file has no marker, found with two searches.
  size_t head_end = 0;  // the end of the 10th line
  for (int i = 0; i < 10 && head_end < text.size(); ++i) {
    const size_t nl = text.find('\n', head_end);
    head_end = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  const auto head = text.substr(0, head_end);
  if (head.find("@generated") == std::string_view::npos && text.find("vigil: ai-begin") == std::string_view::npos) return out;
  const auto lines = split_lines(text);
  for (size_t i = 0; i < lines.size() && i < 10; ++i)
    if (lines[i].find("@generated") != std::string_view::npos) {
      if (!text.empty()) out.push_back({0, static_cast<uint32_t>(text.size()), {Origin::ai, Evidence::marker, ""}});
      return out;
    }
  constexpr std::string_view begin_marker = "vigil: ai-begin", end_marker = "vigil: ai-end";
  uint32_t pos = 0;
  std::optional<std::pair<uint32_t, std::string>> open;  // start offset, tool
  for (auto line : lines) {
    const uint32_t line_end = pos + static_cast<uint32_t>(line.size());
    if (auto b = line.find(begin_marker); b != std::string_view::npos && !open) {
      // An optional tool name follows: `vigil: ai-begin claude`.
      auto rest = trim(line.substr(b + begin_marker.size()));
      std::string tool;
      for (char c : rest) {
        if (is_space(c) || c == '*' || c == '-' || c == '>') break;
        tool += c;
      }
      open = {pos, tool};
    } else if (line.find(end_marker) != std::string_view::npos && open) {
      out.push_back({open->first, line_end, {Origin::ai, Evidence::marker, open->second}});
      open.reset();
    }
    pos = line_end;
  }
  if (open && open->first < text.size())
    out.push_back({open->first, static_cast<uint32_t>(text.size()), {Origin::ai, Evidence::marker, open->second}});
  return out;
}

}  // namespace vigil::provenance
