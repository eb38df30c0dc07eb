#include "analyzers/text/line_diff.hpp"

#include <algorithm>
#include <unordered_map>

namespace vigil::text {

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

std::vector<EditOp> edit_script(const std::vector<std::string_view>& a_lines, const std::vector<std::string_view>& b_lines,
                                uint32_t max_distance) {
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

  std::vector<EditOp> ops(head, EditOp::keep);
  auto replace_middle = [&] {
    ops.insert(ops.end(), static_cast<size_t>(n), EditOp::remove);
    ops.insert(ops.end(), static_cast<size_t>(m), EditOp::add);
    ops.insert(ops.end(), tail, EditOp::keep);
    return ops;
  };
  if (n == 0 || m == 0) return replace_middle();

  // Myers: v[k] = furthest x on diagonal k after d edits. Each round's frontier v[-(d+1) .. d+1] is
  // saved for the walk back: O(D^2) memory, bounded by `max_distance`.
  const int max_d = std::min(n + m, static_cast<int>(std::min<uint32_t>(max_distance, 1u << 30)));
  const int offset = max_d + 1;
  std::vector<int> v(static_cast<size_t>(2 * max_d + 3), 0);
  auto V = [&](int k) -> int& { return v[static_cast<size_t>(offset + k)]; };
  std::vector<std::vector<int>> trace;
  int found_d = -1;
  for (int d = 0; d <= max_d && found_d < 0; ++d) {
    trace.emplace_back(v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && V(k - 1) < V(k + 1))) ? V(k + 1)  // down: an addition
                                                             : V(k - 1) + 1;  // right: a removal
      int y = x - k;
      while (x < n && y < m && A(x) == B(y)) ++x, ++y;
      V(k) = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  if (found_d < 0) return replace_middle();

  // Walk back from (n, m) through the saved frontiers, collecting the middle's ops in reverse.
  std::vector<EditOp> middle;
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    const auto& pv = trace[static_cast<size_t>(d)];
    auto P = [&](int k) { return pv[static_cast<size_t>(k + d + 1)]; };
    const int k = x - y;
    const bool down = k == -d || (k != d && P(k - 1) < P(k + 1));
    const int prev_k = down ? k + 1 : k - 1;
    const int prev_x = P(prev_k), prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) middle.push_back(EditOp::keep), --x, --y;  // the snake after the edit
    middle.push_back(down ? EditOp::add : EditOp::remove);
    x = prev_x;
    y = prev_y;
  }
  while (x > 0 && y > 0) middle.push_back(EditOp::keep), --x, --y;
  ops.insert(ops.end(), middle.rbegin(), middle.rend());
  ops.insert(ops.end(), tail, EditOp::keep);
  return ops;
}

std::vector<Hunk> line_diff(std::string_view before, std::string_view after, uint32_t max_distance) {
  std::vector<Hunk> hunks;
  uint32_t old_line = 0, new_line = 0;
  for (EditOp op : edit_script(split_lines(before), split_lines(after), max_distance)) {
    if (op == EditOp::keep) {
      ++old_line, ++new_line;
      continue;
    }
    // A change extends the open hunk when that hunk ends right here, else starts one.
    if (hunks.empty() || hunks.back().old_start + hunks.back().old_count != old_line ||
        hunks.back().new_start + hunks.back().new_count != new_line)
      hunks.push_back({old_line, 0, new_line, 0});
    if (op == EditOp::remove) ++hunks.back().old_count, ++old_line;
    else ++hunks.back().new_count, ++new_line;
  }
  return hunks;
}

}  // namespace vigil::text
