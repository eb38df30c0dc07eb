#include "analyzers/match/repetition.hpp"
#include "analyzers/match/cursor.hpp"

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
  uint32_t first_row = 0, last_row = 0;
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

bool is_statement_list_kind(TSNode n, const RepetitionOptions& opt) {
  const std::string_view kind = ts_node_type(n);
  if (!opt.within.empty()) return std::find(opt.within.begin(), opt.within.end(), kind) != opt.within.end();
  static constexpr std::string_view kinds[] = {"block",           "module",           "program",
                                               "body",            "statement_list",   "compound_statement",
                                               "translation_unit", "source_file",     "declaration_list"};
  return std::any_of(std::begin(kinds), std::end(kinds), [&](std::string_view k) { return kind.find(k) != std::string_view::npos; });
}



// Sums over siblings [first, last) in O(1): lines of code (comments between them do not make a
// unit longer; two statements on one line count once) and normalized characters.
class UnitSums {
 public:
  explicit UnitSums(const std::vector<Sibling>& sib) : lines_(sib.size() + 1), shared_(sib.size() + 1), chars_(sib.size() + 1) {
    for (size_t k = 0; k < sib.size(); ++k) {
      lines_[k + 1] = lines_[k] + (sib[k].last_row - sib[k].first_row + 1);
      shared_[k + 1] = shared_[k] + (k > 0 && sib[k].first_row == sib[k - 1].last_row ? 1 : 0);
      chars_[k + 1] = chars_[k] + sib[k].chars;
    }
  }
  uint32_t code_lines(size_t first, size_t last) const {
    return static_cast<uint32_t>((lines_[last] - lines_[first]) - (shared_[last] - shared_[first + 1]));
  }
  uint32_t chars(size_t first, size_t last) const { return static_cast<uint32_t>(chars_[last] - chars_[first]); }

 private:
  std::vector<uint64_t> lines_, shared_, chars_;
};

bool same(const Sibling& a, const Sibling& b) { return a.hash == b.hash && a.chars == b.chars; }

void scan_siblings(const std::vector<Sibling>& sib, const RepetitionOptions& opt,
                   std::vector<Repetition>& out) {
  const size_t n = sib.size();
  const UnitSums sums(sib);
  std::vector<bool> covered(n, false);  // part of a reported run: not reported again
  // Linear per unit length: run[j] counts the positions from j on where a sibling equals the one
  // `unit` further, so the copies of the unit starting at i are 1 + run[i] / unit without comparing
  // blocks again at every i (a file of identical lines made that quadratic); next_covered[j] is the
  // first covered position at or after j (runs reported in this pass all lie behind i).
  std::vector<uint32_t> run(n + 1), next_covered(n + 1);
  // Back-to-back runs, longest units first so that a repeated 3-statement block is one finding,
  // not three.
  for (size_t unit = std::min<size_t>(opt.max_unit, n / 2); unit >= 1; --unit) {
    budget::checkpoint();
    run[n - unit] = 0;
    for (size_t j = n - unit; j-- > 0;) run[j] = same(sib[j], sib[j + unit]) ? run[j + 1] + 1 : 0;
    next_covered[n] = static_cast<uint32_t>(n);
    for (size_t j = n; j-- > 0;) next_covered[j] = covered[j] ? static_cast<uint32_t>(j) : next_covered[j + 1];
    for (size_t i = 0; i + 2 * unit <= n;) {
      budget::checkpoint();
      const size_t copies = 1 + run[i] / unit;
      if (copies < 2) {  // the common case: nothing repeats here
        ++i;
        continue;
      }
      const uint32_t unit_lines = sums.code_lines(i, i + unit);
      const uint32_t unit_chars = sums.chars(i, i + unit);
      const bool long_unit = unit_lines >= opt.min_lines && copies >= opt.min_copies;
      const bool short_run = copies >= opt.short_min_copies && unit_chars >= opt.short_min_chars;
      const size_t end = i + copies * unit;
      if ((long_unit || short_run) && next_covered[i] >= end) {
        Repetition r;
        r.original_start_byte = ts_node_start_byte(sib[i].node);
        r.original_end_byte = ts_node_end_byte(sib[i + unit - 1].node);
        r.start_byte = ts_node_start_byte(sib[i + unit].node);
        r.end_byte = ts_node_end_byte(sib[end - 1].node);
        r.copies = static_cast<uint32_t>(copies);
        r.unit_statements = static_cast<uint32_t>(unit);
        r.unit_lines = unit_lines;
        out.push_back(r);
        std::fill(covered.begin() + static_cast<std::ptrdiff_t>(i), covered.begin() + static_cast<std::ptrdiff_t>(end), true);
        i = end;
      } else {
        ++i;
      }
    }
  }
  // Large siblings that reappear verbatim further on (not back to back).
  std::unordered_map<size_t, size_t> first_seen;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t lines = sib[i].last_row - sib[i].first_row + 1;
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
  // Whether a kind is a statement list, by symbol: asked for every node of the file.
  std::vector<int8_t> list_kind;
  auto is_statement_list = [&](TSNode n) {
    const TSSymbol sym = ts_node_symbol(n);
    if (sym >= list_kind.size()) list_kind.resize(sym + 1, -1);
    if (list_kind[sym] < 0) list_kind[sym] = is_statement_list_kind(n, options) ? 1 : 0;
    return list_kind[sym] == 1;
  };
  match::ScopedCursor scoped_cursor(root);
  TSTreeCursor& cursor = scoped_cursor.get();
  while (!stack.empty()) {
    budget::checkpoint();
    TSNode node = stack.back();
    stack.pop_back();
    // Children through a cursor: ts_node_named_child(node, i) walks from the first child each
    // time, which made a module of a thousand statements quadratic.
    const bool statements = ts_node_named_child_count(node) >= 2 && is_statement_list(node);
    siblings.clear();
    ts_tree_cursor_reset(&cursor, node);
    for (bool more = ts_tree_cursor_goto_first_child(&cursor); more; more = ts_tree_cursor_goto_next_sibling(&cursor)) {
      TSNode child = ts_tree_cursor_current_node(&cursor);
      if (!ts_node_is_named(child)) continue;
      stack.push_back(child);
      if (!statements || is_comment(child)) continue;
      Sibling s{child};
      s.first_row = ts_node_start_point(child).row;
      s.last_row = ts_node_end_point(child).row;
      s.hash = normalized_hash(text.substr(ts_node_start_byte(child), ts_node_end_byte(child) - ts_node_start_byte(child)), s.chars);
      siblings.push_back(s);
    }
    if (statements) scan_siblings(siblings, options, out);
  }
  std::sort(out.begin(), out.end(), [](const Repetition& a, const Repetition& b) { return a.start_byte < b.start_byte; });
  return out;
}

}  // namespace vigil::match
