#include "analyzers/parse_errors.hpp"
#include "analyzers/match/pattern.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace vigil {
namespace {

// Outermost ERROR and MISSING nodes in document order; their insides are not listed again.
std::vector<TSNode> error_nodes(TSNode root) {
  std::vector<TSNode> out;
  if (!ts_node_has_error(root)) return out;
  std::vector<TSNode> stack{root}, children;
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    if (!ts_node_has_error(n)) continue;
    if (ts_node_is_error(n) || ts_node_is_missing(n)) {
      out.push_back(n);
      continue;
    }
    // A node can carry the error flag through a child only: look inside. Its children listed once
    // with a cursor: ts_node_child(n, i) walks from the first child, which made a file of 2,000
    // top-level statements with an error quadratic (3% of a keystroke's time at 8,000 lines).
    match::children_of(n, children);
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
  }
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Per line of a C or C++ text: whether it belongs to a preprocessor directive (its first non-space
// character is `#`, or it continues such a line ending with a backslash). Empty for other languages.
std::vector<char> directive_lines(const document::Snapshot& s) {
  std::vector<char> out;
  if (!s.language || (s.language->id != "c" && s.language->id != "cpp")) return out;
  const uint32_t count = static_cast<uint32_t>(s.lines.line_count());
  out.assign(count, 0);
  bool continued = false;  // the line above is a directive ending with a backslash
  for (uint32_t l = 0; l < count; ++l) {
    uint32_t i = s.lines.line_start(l);
    const uint32_t end = l + 1 < count ? s.lines.line_start(l + 1) : static_cast<uint32_t>(s.text.size());
    while (i < end && (s.text[i] == ' ' || s.text[i] == '\t')) ++i;
    out[l] = continued || (i < end && s.text[i] == '#');
    uint32_t last = end;
    while (last > s.lines.line_start(l) && is_space(s.text[last - 1])) --last;
    continued = out[l] && last > s.lines.line_start(l) && s.text[last - 1] == '\\';
  }
  return out;
}

// Whether line `l` continues the directive on the line above (which ends with a backslash).
bool continues_directive(const document::Snapshot& s, const std::vector<char>& directives, uint32_t l) {
  if (l == 0 || l >= directives.size() || !directives[l] || !directives[l - 1]) return false;
  const uint32_t above = s.lines.line_start(l - 1);
  uint32_t last = s.lines.line_start(l);
  while (last > above && is_space(s.text[last - 1])) --last;
  return last > above && s.text[last - 1] == '\\';
}

// Whether line `l` starts a top-level statement: code in column 0 (not a closing bracket, which
// ends the statement above it, nor a preprocessor directive, which C and C++ put in column 0 inside
// functions and initializers as well: `directives` from directive_lines()).
bool starts_top_level(const document::Snapshot& s, const std::vector<char>& directives, uint32_t l) {
  const uint32_t start = s.lines.line_start(l);
  if (start >= s.text.size()) return false;
  if (l < directives.size() && directives[l]) return false;
  const char c = s.text[start];
  return !(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '}' || c == ')' || c == ']');
}

// Whether every child of `n` is a single token.
bool only_tokens(TSNode n) {
  for (uint32_t i = 0, count = ts_node_child_count(n); i < count; ++i)
    if (ts_node_child_count(ts_node_child(n, i)) > 0) return false;
  return true;
}

// Whether only whitespace follows `from` in `text`.
bool only_space_after(std::string_view text, uint32_t from) {
  for (size_t i = from; i < text.size(); ++i)
    if (!is_space(text[i])) return false;
  return true;
}

// Whether reparsing `before` into `after` changed the parse of some code outside the blanked
// `spans` (sorted, disjoint): a non-space byte in a range whose ancestor nodes differ
// (ts_tree_get_changed_ranges). `edited_before` is before's tree with the edit `after` was parsed
// with applied (Snapshot::overwritten's). The changed ranges are appended to `changed`.
bool parsed_anew_outside(const TSTree* edited_before, const document::Snapshot& after,
                         const std::vector<std::pair<uint32_t, uint32_t>>& spans,
                         std::vector<std::pair<uint32_t, uint32_t>>& changed) {
  uint32_t count = 0;
  TSRange* ranges = ts_tree_get_changed_ranges(edited_before, after.tree.get(), &count);
  for (uint32_t i = 0; i < count; ++i) changed.emplace_back(ranges[i].start_byte, ranges[i].end_byte);
  bool found = false;
  for (uint32_t i = 0; i < count && !found; ++i) {
    const uint32_t end = std::min<uint32_t>(ranges[i].end_byte, static_cast<uint32_t>(after.text.size()));
    auto span = spans.begin();
    for (uint32_t b = ranges[i].start_byte; b < end && !found; ++b) {
      while (span != spans.end() && span->second <= b) ++span;
      if (span != spans.end() && span->first <= b) {
        b = span->second - 1;  // skip the blanked span
        continue;
      }
      found = !is_space(after.text[b]);
    }
  }
  free(ranges);
  return found;
}

}  // namespace

rules::RulePtr parse_error_rule() {
  static const rules::RulePtr rule = [] {
    auto r = std::make_shared<rules::Rule>();
    r->id = std::string(kParseError);
    r->severity = rules::Severity::info;
    r->message = "syntax error";
    r->constraint =
        "Code Vigil cannot parse is checked only where tree-sitter recovers; fix the syntax error so that all of it is checked.";
    r->metadata.category = "parse";
    r->scope = rules::Scope::all;
    r->source_path = "builtin:parser";
    return r;
  }();
  return rule;
}

Finding budget_exceeded_finding(const document::Snapshot& snapshot, const std::string& why) {
  static const rules::RulePtr rule = [] {
    auto r = std::make_shared<rules::Rule>();
    r->id = std::string(kAnalysisBudget);
    r->severity = rules::Severity::warning;
    r->message = "analysis stopped";
    r->constraint = "A file whose analysis outlasts `fileBudget` is not checked; raise it or split the file.";
    r->metadata.category = "parse";
    r->scope = rules::Scope::all;
    r->source_path = "builtin:engine";
    return r;
  }();
  Finding f;
  f.rule = rule;
  f.severity = rule->severity;
  uint32_t line_end = snapshot.lines.line_count() > 1 ? snapshot.lines.line_start(1) : static_cast<uint32_t>(snapshot.text.size());
  while (line_end > 0 && (snapshot.text[line_end - 1] == '\n' || snapshot.text[line_end - 1] == '\r')) --line_end;
  f.end_byte = f.extent_end = line_end;
  f.start = document::point_at(snapshot.lines, 0);
  f.end = document::point_at(snapshot.lines, line_end);
  f.message = "Vigil stopped analysing this file: " + why +
              ". Its findings are not shown; raise `fileBudget` (.vigil/config.yaml or the editor's Vigil settings) or split the file.";
  f.fingerprint = fingerprint_of(kAnalysisBudget, "");
  return f;
}

std::vector<Finding> parse_error_findings(const document::Snapshot& snapshot, size_t limit) {
  std::vector<Finding> out;
  if (!snapshot.tree) return out;
  const auto nodes = error_nodes(snapshot.root());
  for (size_t i = 0; i < nodes.size() && i < limit; ++i) {
    const TSNode n = nodes[i];
    Finding f;
    f.rule = parse_error_rule();
    f.severity = f.rule->severity;
    f.start_byte = ts_node_start_byte(n);
    // The first line of the node: an ERROR can span a whole function, which no one wants underlined.
    const uint32_t line = snapshot.lines.line_of(f.start_byte);
    uint32_t line_end = line + 1 < snapshot.lines.line_count() ? snapshot.lines.line_start(line + 1) : static_cast<uint32_t>(snapshot.text.size());
    while (line_end > f.start_byte && (snapshot.text[line_end - 1] == '\n' || snapshot.text[line_end - 1] == '\r')) --line_end;
    f.end_byte = std::min(ts_node_end_byte(n), std::max(line_end, f.start_byte));
    f.start = document::point_at(snapshot.lines, f.start_byte);
    f.end = document::point_at(snapshot.lines, f.end_byte);
    f.extent_start = f.start_byte;
    f.extent_end = ts_node_end_byte(n);
    if (ts_node_is_missing(n)) {
      f.message = "syntax error: missing `" + std::string(ts_node_type(n)) + "`";
    } else {
      std::string what(snapshot.node_text(n).substr(0, 40));
      if (auto nl = what.find_first_of("\r\n"); nl != std::string::npos) what = what.substr(0, nl) + "…";
      f.message = what.empty() ? std::string("syntax error") : "syntax error at `" + what + "`";
    }
    f.message += "; the code around it is still checked";
    if (i + 1 == limit && nodes.size() > limit)
      f.message += " (and " + std::to_string(nodes.size() - limit) + " more syntax errors in this file)";
    f.fingerprint = fingerprint_of(kParseError, snapshot.node_text(n).substr(0, 200));
    out.push_back(std::move(f));
  }
  return out;
}

void add_parse_errors(const document::Snapshot& snapshot, std::vector<Finding>& findings) {
  auto errors = parse_error_findings(snapshot);
  if (errors.empty()) return;
  for (auto& e : errors) findings.push_back(std::move(e));
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.start_byte != b.start_byte) return a.start_byte < b.start_byte;
    return a.rule->id < b.rule->id;
  });
}

std::shared_ptr<const document::Snapshot> without_broken_statements(const document::Snapshot& snapshot,
                                                                   std::vector<std::pair<uint32_t, uint32_t>>* changed) {
  if (changed) changed->clear();
  if (!snapshot.tree || !snapshot.language || !ts_node_has_error(snapshot.root())) return nullptr;
  std::vector<std::pair<uint32_t, uint32_t>> changes;  // see `changed`
  std::shared_ptr<const document::Snapshot> current;
  std::string text = snapshot.text;
  const uint32_t line_count = static_cast<uint32_t>(snapshot.lines.line_count());
  // Each round blanks the top-level statement around the first error left: the lines from the
  // top-level line at or above it to the next top-level line below it. The same round also blanks
  // the statement of every later ERROR that lies within its own statement: it cannot be hiding the
  // code of another one (one round for a C file full of independent macro errors, where one error
  // per round took 16 reparses). An error reaching past its statement, or a MISSING node, may be
  // an effect of an earlier error: it waits for the reparse.
  // Recovery stops early when it stops paying (each round is a reparse, as costly as the first
  // parse when errors surround the edit: 2 G instructions for googletest's gtest_unittest.cc):
  // - at a MISSING node with nothing but whitespace after it (a `}` that an earlier construct never
  //   got, inserted at the end of the text): no code follows it that it could hide, and blanking
  //   the last statement for it only moved it one statement up, round after round;
  // - after two rounds in a row that changed the parse of no code outside what they blanked: the
  //   errors left are local ones (a macro tree-sitter cannot read, a missing `;`) whose
  //   surroundings the first analysis already saw parsed the same way.
  // C and C++ preprocessor directives are kept as written: blanking an `#if` or an `#endif` in a
  // broken function unbalances the conditionals of the rest of the file (googletest's gtest.cc,
  // gmock-actions_test.cc): every later round then repairs an error the previous one made, and the
  // mis-parsed tree puts code inside `#if` blocks that are not there. A directive is blanked only
  // when the error is on it.
  const std::vector<char> directives = directive_lines(snapshot);
  const auto region = [&](const document::Snapshot& s, TSNode e) {
    // The error's own line decides, not the ERROR node's extent: recovery can make the node start
    // at the statement before the broken one or run to the end of the file.
    const uint32_t error_line = s.lines.line_of(ts_node_start_byte(e));
    // An ERROR of single tokens (macros tree-sitter cannot place: GTEST_ATTRIBUTE_..._ before a
    // function) hides no code: blanking just its tokens repairs the statement around it, where
    // blanking lines took a round per macro line.
    if (ts_node_is_error(e) && !ts_node_is_missing(e) && only_tokens(e) &&
        !(error_line < directives.size() && directives[error_line]))
      return std::pair{ts_node_start_byte(e), ts_node_end_byte(e)};
    uint32_t first = error_line, end = error_line + 1;
    if (error_line < directives.size() && directives[error_line]) {
      // The directive itself, with its continuation lines.
      while (first > 0 && continues_directive(snapshot, directives, first)) --first;
      while (end < line_count && continues_directive(snapshot, directives, end)) ++end;
    } else {
      while (first > 0 && !starts_top_level(snapshot, directives, first)) --first;
      while (end < line_count && !starts_top_level(snapshot, directives, end)) ++end;
    }
    const uint32_t from = snapshot.lines.line_start(first);
    const uint32_t to = end < line_count ? snapshot.lines.line_start(end) : static_cast<uint32_t>(text.size());
    return std::pair{from, to};
  };
  std::vector<std::pair<uint32_t, uint32_t>> spans;  // blanked in this round
  // Blanks [from, to) but its directive lines, unless `keep_directives` is false.
  const auto blank = [&](uint32_t from, uint32_t to, bool keep_directives) {
    spans.emplace_back(from, to);
    bool changed = false;
    uint32_t line = snapshot.lines.line_of(from);
    for (uint32_t i = from; i < to; ++i) {
      if (text[i] == '\n') {
        ++line;
        continue;
      }
      if (keep_directives && line < directives.size() && directives[line]) continue;
      if (text[i] != '\r' && text[i] != ' ') {
        text[i] = ' ';
        changed = true;
      }
    }
    return changed;
  };
  const auto on_directive = [&](const document::Snapshot& s, TSNode e) {
    const uint32_t l = s.lines.line_of(ts_node_start_byte(e));
    return l < directives.size() && directives[l];
  };
  int idle_rounds = 0;
  for (int round = 0; round < 16 && idle_rounds < 2; ++round) {
    const document::Snapshot& s = current ? *current : snapshot;
    const auto errors = error_nodes(s.root());
    if (errors.empty()) break;
    if (ts_node_is_missing(errors.front()) && only_space_after(s.text, ts_node_start_byte(errors.front()))) break;
    // A round starts at the first ERROR. A MISSING node is a token tree-sitter inserted so that the
    // parse goes on as written: it hides no text, the code around it is in the tree (the first
    // analysis matched it), and blanking the statement around it only takes that code away (on
    // googletest such rounds found nothing but findings in mis-parsed code).
    size_t lead = 0;
    while (lead < errors.size() && ts_node_is_missing(errors[lead])) ++lead;
    if (lead == errors.size()) break;
    spans.clear();
    auto [from, to] = region(s, errors[lead]);
    if (!blank(from, to, !on_directive(s, errors[lead]))) break;  // nothing more to blank here: keep what recovery gives
    for (size_t i = lead + 1; i < errors.size(); ++i) {
      const TSNode e = errors[i];
      if (!ts_node_is_error(e) || ts_node_is_missing(e)) continue;
      const auto [f, t] = region(s, e);
      if (ts_node_start_byte(e) < f || ts_node_end_byte(e) > t) continue;
      blank(f, t, !on_directive(s, e));
    }
    // Only the spans changed since `s`: an incremental reparse with one edit per span keeps the
    // rest of its tree, the code between distant errors included.
    std::sort(spans.begin(), spans.end());
    std::vector<std::pair<uint32_t, uint32_t>> edits;  // the spans, overlapping ones merged
    for (const auto& span : spans) {
      if (!edits.empty() && span.first <= edits.back().second)
        edits.back().second = std::max(edits.back().second, span.second);
      else
        edits.push_back(span);
    }
    document::TreePtr edited;  // s's tree with this round's edits, as the reparse saw them
    auto next = document::Snapshot::overwritten(s, text, edits, &edited);
    // Where this round's tree differs from the last: its edits, and the ranges whose syntax changed.
    // A byte outside every round's has the same ancestors in each tree, hence in the first and the
    // last: their union is where the result may differ from `snapshot`.
    changes.insert(changes.end(), edits.begin(), edits.end());
    idle_rounds = parsed_anew_outside(edited.get(), *next, edits, changes) ? 0 : idle_rounds + 1;
    current = std::move(next);
  }
  if (changed && current) *changed = std::move(changes);
  return current;
}

std::vector<Finding> analyze_recovering(const RuleSet& rules, const document::Snapshot& snapshot,
                                        const AnalysisOptions& options) {
  auto findings = analyze(rules, snapshot, options);
  std::vector<std::pair<uint32_t, uint32_t>> changed;
  auto repaired = without_broken_statements(snapshot, &changed);
  if (!repaired) return findings;
  std::set<std::tuple<std::string, uint32_t, uint32_t>> seen;
  for (const auto& f : findings) seen.emplace(f.rule->id, f.start_byte, f.end_byte);
  bool added = false;
  // Only findings the first analysis lacks are added: rules that look no further than a top-level
  // statement need not run again where the statement's text and parse are unchanged.
  for (auto& f : analyze_changed(rules, *repaired, changed, options, &snapshot)) {
    if (!seen.emplace(f.rule->id, f.start_byte, f.end_byte).second) continue;
    // Of the code as written: a match spanning a blanked statement would otherwise change its
    // fingerprint with the number of rounds recovery ran.
    f.fingerprint = fingerprint_of(f.rule->id, std::string_view(snapshot.text).substr(f.start_byte, f.end_byte - f.start_byte));
    findings.push_back(std::move(f));
    added = true;
  }
  if (added)
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
      if (a.start_byte != b.start_byte) return a.start_byte < b.start_byte;
      return a.rule->id < b.rule->id;
    });
  return findings;
}

}  // namespace vigil
