#include "analyzers/report/unified_diff.hpp"

#include <algorithm>
#include <vector>

#include "analyzers/text/line_diff.hpp"

namespace vigil::report {
namespace {

using text::EditOp;

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
  const auto a = text::split_lines(old_text), b = text::split_lines(new_text);
  // Past 2000 differences the middle is one replacement: still a correct diff.
  const std::vector<EditOp> ops = text::edit_script(a, b, 2000);

  // Positions of each op in a and b, then hunks: changes with `context` lines around, merged
  // when their contexts touch.
  struct Step {
    EditOp op;
    size_t ai, bi;
  };
  std::vector<Step> steps;
  size_t ai = 0, bi = 0;
  for (EditOp op : ops) {
    steps.push_back({op, ai, bi});
    if (op != EditOp::add) ++ai;
    if (op != EditOp::remove) ++bi;
  }
  std::string out = "--- " + std::string(old_label) + "\n+++ " + std::string(new_label) + "\n";
  size_t i = 0;
  while (i < steps.size()) {
    while (i < steps.size() && steps[i].op == EditOp::keep) ++i;
    if (i == steps.size()) break;
    size_t first = i >= context ? i - context : 0;
    // Extend over changes whose gap of kept lines is at most 2 * context.
    size_t last = i;  // last change
    for (size_t j = i + 1; j < steps.size(); ++j) {
      if (steps[j].op != EditOp::keep) {
        if (j - last - 1 > 2 * context) break;
        last = j;
      }
    }
    const size_t end = std::min(steps.size(), last + 1 + context);
    size_t a_count = 0, b_count = 0;
    for (size_t j = first; j < end; ++j) {
      if (steps[j].op != EditOp::add) ++a_count;
      if (steps[j].op != EditOp::remove) ++b_count;
    }
    out += "@@ -" + range_text(steps[first].ai, a_count) + " +" + range_text(steps[first].bi, b_count) + " @@\n";
    for (size_t j = first; j < end; ++j) {
      const auto& s = steps[j];
      if (s.op == EditOp::keep) append_line(out, ' ', a[s.ai]);
      else if (s.op == EditOp::remove) append_line(out, '-', a[s.ai]);
      else append_line(out, '+', b[s.bi]);
    }
    i = end;
  }
  return out;
}

}  // namespace vigil::report
