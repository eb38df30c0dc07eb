#include "analyzers/provenance/evidence.hpp"

#include <algorithm>
#include <unordered_map>

namespace vigil::provenance {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Lines of `text`, each with its '\n' (the last may lack one).
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return lines;
}

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
  const auto a_lines = split_lines(before), b_lines = split_lines(after);
  // Lines as integers: equal lines compare in O(1) inside the diagonal walk.
  std::unordered_map<std::string_view, uint32_t> ids;
  std::vector<uint32_t> a, b;
  a.reserve(a_lines.size());
  b.reserve(b_lines.size());
  for (auto l : a_lines) a.push_back(ids.emplace(l, static_cast<uint32_t>(ids.size())).first->second);
  for (auto l : b_lines) b.push_back(ids.emplace(l, static_cast<uint32_t>(ids.size())).first->second);

  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  const int n = static_cast<int>(a.size() - head - tail), m = static_cast<int>(b.size() - head - tail);
  auto A = [&](int i) { return a[head + static_cast<size_t>(i)]; };
  auto B = [&](int j) { return b[head + static_cast<size_t>(j)]; };

  std::vector<Hunk> hunks;
  if (n == 0 && m == 0) return hunks;
  auto whole_middle = [&] {
    return std::vector<Hunk>{{static_cast<uint32_t>(head), static_cast<uint32_t>(n), static_cast<uint32_t>(head),
                              static_cast<uint32_t>(m)}};
  };
  if (n == 0 || m == 0) return whole_middle();

  // Myers: V[k] = furthest x on diagonal k after d edits; keep each round's V to walk back.
  const int max_d = std::min(n + m, static_cast<int>(max_distance));
  const int offset = max_d + 1;
  std::vector<int> v(static_cast<size_t>(2 * max_d + 3), 0);
  std::vector<std::vector<int>> trace;
  int found_d = -1;
  for (int d = 0; d <= max_d && found_d < 0; ++d) {
    trace.push_back(v);
    for (int k = -d; k <= d; k += 2) {
      int x;
      if (k == -d || (k != d && v[static_cast<size_t>(offset + k - 1)] < v[static_cast<size_t>(offset + k + 1)]))
        x = v[static_cast<size_t>(offset + k + 1)];  // down: insertion
      else
        x = v[static_cast<size_t>(offset + k - 1)] + 1;  // right: deletion
      int y = x - k;
      while (x < n && y < m && A(x) == B(y)) ++x, ++y;
      v[static_cast<size_t>(offset + k)] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  if (found_d < 0) return whole_middle();

  // Walk back from (n, m), collecting the edit script as matched pairs.
  std::vector<std::pair<int, int>> matches;  // (x, y) of equal lines, in reverse
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    const auto& pv = trace[static_cast<size_t>(d)];
    const int k = x - y;
    int prev_k;
    if (k == -d || (k != d && pv[static_cast<size_t>(offset + k - 1)] < pv[static_cast<size_t>(offset + k + 1)])) prev_k = k + 1;
    else prev_k = k - 1;
    const int prev_x = pv[static_cast<size_t>(offset + prev_k)], prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) matches.emplace_back(--x, --y);  // the snake after the edit
    x = prev_x;
    y = prev_y;
  }
  while (x > 0 && y > 0) matches.emplace_back(--x, --y);
  std::reverse(matches.begin(), matches.end());

  // Gaps between matched lines are hunks.
  int px = 0, py = 0;
  auto emit = [&](int to_x, int to_y) {
    if (to_x > px || to_y > py)
      hunks.push_back({static_cast<uint32_t>(head + static_cast<size_t>(px)), static_cast<uint32_t>(to_x - px),
                       static_cast<uint32_t>(head + static_cast<size_t>(py)), static_cast<uint32_t>(to_y - py)});
  };
  for (auto [mx, my] : matches) {
    emit(mx, my);
    px = mx + 1;
    py = my + 1;
  }
  emit(n, m);
  return hunks;
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
