#include "analyzers/match/repetition.hpp"

#include "analyzers/budget.hpp"
#include "analyzers/match/matcher.hpp"

#include <algorithm>
#include <functional>
#include <string>
#include <unordered_map>

namespace vigil::match {
namespace {

struct Sibling {
  TSNode node;
  size_t hash = 0;       // of the whitespace-normalized text
  uint32_t chars = 0;    // normalized length
};

// FNV-1a of the code with every run of whitespace read as one space (and none at the ends), and
// its length in that form; streaming, since it runs over every statement of the file on each edit.
size_t normalized_hash(std::string_view code, uint32_t& chars) {
  uint64_t h = 1469598103934665603ull;
  uint32_t n = 0;
  bool space = false;
  auto add = [&](unsigned char c) {
    h = (h ^ c) * 1099511628211ull;
    ++n;
  };
  for (char ch : code) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = true;
      continue;
    }
    if (space && n) add(' ');
    space = false;
    add(c);
  }
  chars = n;
  return static_cast<size_t>(h);
}

bool is_statement_list(TSNode n, const RepetitionOptions& opt) {
  const std::string_view kind = ts_node_type(n);
  if (!opt.within.empty()) return std::find(opt.within.begin(), opt.within.end(), kind) != opt.within.end();
  static constexpr std::string_view kinds[] = {"block",           "module",           "program",
                                               "body",            "statement_list",   "compound_statement",
                                               "translation_unit", "source_file",     "declaration_list"};
  return std::any_of(std::begin(kinds), std::end(kinds), [&](std::string_view k) { return kind.find(k) != std::string_view::npos; });
}


uint32_t lines_spanned(TSNode n) { return ts_node_end_point(n).row - ts_node_start_point(n).row + 1; }

// Lines of code in siblings [first, last): comments between them do not make a unit longer.
uint32_t code_lines(const std::vector<Sibling>& sib, size_t first, size_t last) {
  uint32_t lines = 0, last_row = UINT32_MAX;
  for (size_t k = first; k < last; ++k) {
    const uint32_t start = ts_node_start_point(sib[k].node).row, end = ts_node_end_point(sib[k].node).row;
    lines += end - start + 1 - (start == last_row ? 1 : 0);  // two statements on one line count once
    last_row = end;
  }
  return lines;
}

void scan_siblings(const std::vector<Sibling>& sib, const RepetitionOptions& opt,
                   std::vector<Repetition>& out) {
  const size_t n = sib.size();
  std::vector<bool> covered(n, false);  // part of a reported run: not reported again
  // Back-to-back runs, longest units first so that a repeated 3-statement block is one finding,
  // not three.
  for (size_t unit = std::min<size_t>(opt.max_unit, n / 2); unit >= 1; --unit) {
    for (size_t i = 0; i + 2 * unit <= n;) {
      budget::checkpoint();
      size_t copies = 1;
      while (i + (copies + 1) * unit <= n &&
             std::equal(sib.begin() + i, sib.begin() + i + unit, sib.begin() + i + copies * unit,
                        [](const Sibling& a, const Sibling& b) { return a.hash == b.hash && a.chars == b.chars; }))
        ++copies;
      if (copies < 2) {  // the common case: nothing repeats here
        ++i;
        continue;
      }
      const uint32_t unit_lines = code_lines(sib, i, i + unit);
      uint32_t unit_chars = 0;
      for (size_t k = i; k < i + unit; ++k) unit_chars += sib[k].chars;
      const bool long_unit = unit_lines >= opt.min_lines && copies >= opt.min_copies;
      const bool short_run = copies >= opt.short_min_copies && unit_chars >= opt.short_min_chars;
      const size_t end = i + copies * unit;
      if ((long_unit || short_run) && std::none_of(covered.begin() + i, covered.begin() + end, [](bool c) { return c; })) {
        Repetition r;
        r.original_start_byte = ts_node_start_byte(sib[i].node);
        r.original_end_byte = ts_node_end_byte(sib[i + unit - 1].node);
        r.start_byte = ts_node_start_byte(sib[i + unit].node);
        r.end_byte = ts_node_end_byte(sib[end - 1].node);
        r.copies = static_cast<uint32_t>(copies);
        r.unit_statements = static_cast<uint32_t>(unit);
        r.unit_lines = unit_lines;
        out.push_back(r);
        std::fill(covered.begin() + i, covered.begin() + end, true);
        i = end;
      } else {
        ++i;
      }
    }
  }
  // Large siblings that reappear verbatim further on (not back to back).
  std::unordered_map<size_t, size_t> first_seen;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t lines = lines_spanned(sib[i].node);
    // Only definitions: the same error-handling branch twice in a function is a habit, the same
    // function twice is a paste (and in most languages the second silently replaces the first).
    const std::string_view kind = ts_node_type(sib[i].node);
    const bool definition = kind.find("definition") != std::string_view::npos || kind.find("declaration") != std::string_view::npos;
    if (lines < opt.paste_min_lines || !definition) continue;
    auto [it, fresh] = first_seen.emplace(sib[i].hash, i);
    if (fresh || covered[i] || sib[it->second].chars != sib[i].chars) continue;
    Repetition r;
    r.original_start_byte = ts_node_start_byte(sib[it->second].node);
    r.original_end_byte = ts_node_end_byte(sib[it->second].node);
    r.start_byte = ts_node_start_byte(sib[i].node);
    r.end_byte = ts_node_end_byte(sib[i].node);
    r.copies = 2;
    r.unit_statements = 1;
    r.unit_lines = lines;
    out.push_back(r);
  }
}

}  // namespace

std::vector<Repetition> find_repetitions(std::string_view text, TSNode root, const RepetitionOptions& options) {
  std::vector<Repetition> out;
  if (ts_node_is_null(root)) return out;
  std::vector<TSNode> stack{root};
  std::vector<Sibling> siblings;
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  while (!stack.empty()) {
    budget::checkpoint();
    TSNode node = stack.back();
    stack.pop_back();
    // Children through a cursor: ts_node_named_child(node, i) walks from the first child each
    // time, which made a module of a thousand statements quadratic.
    const bool statements = ts_node_named_child_count(node) >= 2 && is_statement_list(node, options);
    siblings.clear();
    ts_tree_cursor_reset(&cursor, node);
    for (bool more = ts_tree_cursor_goto_first_child(&cursor); more; more = ts_tree_cursor_goto_next_sibling(&cursor)) {
      TSNode child = ts_tree_cursor_current_node(&cursor);
      if (!ts_node_is_named(child)) continue;
      stack.push_back(child);
      if (!statements || is_comment(child)) continue;
      Sibling s{child};
      s.hash = normalized_hash(text.substr(ts_node_start_byte(child), ts_node_end_byte(child) - ts_node_start_byte(child)), s.chars);
      siblings.push_back(s);
    }
    if (statements) scan_siblings(siblings, options, out);
  }
  ts_tree_cursor_delete(&cursor);
  std::sort(out.begin(), out.end(), [](const Repetition& a, const Repetition& b) { return a.start_byte < b.start_byte; });
  return out;
}

}  // namespace vigil::match
