#include "analyzers/report/unified_diff.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace vigil::report {
namespace {

// Lines with their terminators, so "\r\n" and a missing final newline are kept exactly.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    out.push_back(text.substr(at, end - at));
    at = end;
  }
  return out;
}

enum class Op { keep, remove, add };

// Myers' greedy shortest edit script between a and b (both already stripped of their common prefix
// and suffix). Each step's frontier is saved for the walk back, O(D^2) memory: fixes change few
// lines, and past `max_d` differences the caller writes one replacement instead.
std::optional<std::vector<Op>> shortest_edit_script(const std::vector<std::string_view>& a,
                                                    const std::vector<std::string_view>& b, int max_d) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  const int max = n + m;
  const int offset = max + 1;
  std::vector<int> v(2 * max + 3, 0);
  std::vector<std::vector<int>> trace;  // trace[d]: v[-(d+1) .. d+1] before step d
  int found_d = -1;
  for (int d = 0; d <= std::min(max, max_d) && found_d < 0; ++d) {
    trace.emplace_back(v.begin() + offset - d - 1, v.begin() + offset + d + 2);
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  if (found_d < 0) return std::nullopt;
  // Walk back through the saved frontiers.
  std::vector<Op> ops;
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    const auto& pv = trace[d];
    auto at = [&](int k) { return pv[k + d + 1]; };
    const int k = x - y;
    const bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
    const int prev_k = down ? k + 1 : k - 1;
    const int prev_x = at(prev_k);
    const int prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) ops.push_back(Op::keep), --x, --y;
    ops.push_back(down ? Op::add : Op::remove);
    x = prev_x;
    y = prev_y;
  }
  while (x > 0 && y > 0) ops.push_back(Op::keep), --x, --y;
  std::reverse(ops.begin(), ops.end());
  return ops;
}

void append_line(std::string& out, char mark, std::string_view line) {
  out += mark;
  out.append(line);
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

std::string range_text(size_t start, size_t count) {
  // diff -u: "l,s" with the first line 1-based; an empty range names the line before it.
  if (count == 0) return std::to_string(start) + ",0";
  if (count == 1) return std::to_string(start + 1);
  return std::to_string(start + 1) + "," + std::to_string(count);
}

}  // namespace

std::string unified_diff(std::string_view old_text, std::string_view new_text, std::string_view old_label,
                         std::string_view new_label, unsigned context) {
  if (old_text == new_text) return {};
  const auto a = split_lines(old_text), b = split_lines(new_text);
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  const std::vector<std::string_view> a_mid(a.begin() + prefix, a.end() - suffix), b_mid(b.begin() + prefix, b.end() - suffix);

  std::vector<Op> ops(prefix, Op::keep);
  if (auto mid = shortest_edit_script(a_mid, b_mid, 2000)) {
    ops.insert(ops.end(), mid->begin(), mid->end());
  } else {
    // Too different for a short script: one replacement is still a correct diff.
    ops.insert(ops.end(), a_mid.size(), Op::remove);
    ops.insert(ops.end(), b_mid.size(), Op::add);
  }
  ops.insert(ops.end(), suffix, Op::keep);

  // Positions of each op in a and b, then hunks: changes with `context` lines around, merged
  // when their contexts touch.
  struct Step {
    Op op;
    size_t ai, bi;
  };
  std::vector<Step> steps;
  size_t ai = 0, bi = 0;
  for (Op op : ops) {
    steps.push_back({op, ai, bi});
    if (op != Op::add) ++ai;
    if (op != Op::remove) ++bi;
  }
  std::string out = "--- " + std::string(old_label) + "\n+++ " + std::string(new_label) + "\n";
  size_t i = 0;
  while (i < steps.size()) {
    while (i < steps.size() && steps[i].op == Op::keep) ++i;
    if (i == steps.size()) break;
    size_t first = i >= context ? i - context : 0;
    // Extend over changes whose gap of kept lines is at most 2 * context.
    size_t last = i;  // last change
    for (size_t j = i + 1; j < steps.size(); ++j) {
      if (steps[j].op != Op::keep) {
        if (j - last - 1 > 2 * context) break;
        last = j;
      }
    }
    const size_t end = std::min(steps.size(), last + 1 + context);
    size_t a_count = 0, b_count = 0;
    for (size_t j = first; j < end; ++j) {
      if (steps[j].op != Op::add) ++a_count;
      if (steps[j].op != Op::remove) ++b_count;
    }
    out += "@@ -" + range_text(steps[first].ai, a_count) + " +" + range_text(steps[first].bi, b_count) + " @@\n";
    for (size_t j = first; j < end; ++j) {
      const auto& s = steps[j];
      if (s.op == Op::keep) append_line(out, ' ', a[s.ai]);
      else if (s.op == Op::remove) append_line(out, '-', a[s.ai]);
      else append_line(out, '+', b[s.bi]);
    }
    i = end;
  }
  return out;
}

}  // namespace vigil::report
