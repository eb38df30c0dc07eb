#include "analyzers/match/query.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <variant>

#include "analyzers/budget.hpp"
#include "analyzers/match/regex_cache.hpp"

namespace vigil::match {

struct Query::Predicate {
  enum class Kind { eq, match, any_of } kind;
  bool negated = false;
  bool any = false;  // #any-*: one node of a quantified capture suffices
  uint32_t capture = 0;
  std::optional<uint32_t> other_capture;  // #eq? @a @b
  std::string literal;
  std::vector<std::string> choices;
  std::shared_ptr<const Regex> regex;
};

struct Query::Siblings {
  uint32_t pattern_index = 0;
  TSQuery* children = nullptr;  // pattern k = the k-th child, with one more capture on its node
  uint32_t node_capture = 0;    // that capture's id in `children`
  std::vector<int> outer;       // capture id in `children` -> id in the whole query (-1: node_capture)
  std::vector<uint32_t> parent_captures;   // ids of the captures written on the parent
  std::vector<std::vector<size_t>> local;  // per child: its predicates on that child's captures only
  std::vector<size_t> joint;               // the pattern's other predicates (indices into predicates_)
  bool split_by_child = false;             // as Query::split_by_child_, for `children`
  ~Siblings() {
    if (children) ts_query_delete(children);
  }
};

namespace {

// The query syntax, as far as recognising `(_ (A) (B) ... (#predicates)) @captures` needs it.
size_t skip_space(std::string_view s, size_t i) {
  while (i < s.size()) {
    if (std::isspace(static_cast<unsigned char>(s[i]))) {
      ++i;
    } else if (s[i] == ';') {
      while (i < s.size() && s[i] != '\n') ++i;
    } else {
      break;
    }
  }
  return i;
}

// One past the group opened by s[i] ('(' or '['), strings and comments skipped; npos if unbalanced.
size_t group_end(std::string_view s, size_t i) {
  int depth = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i)
        if (s[i] == '\\') ++i;
      ++i;
      continue;
    }
    if (c == ';') {
      i = skip_space(s, i);
      continue;
    }
    if (c == '(' || c == '[') ++depth;
    if (c == ')' || c == ']') {
      if (--depth == 0) return i + 1;
    }
    ++i;
  }
  return std::string_view::npos;
}

bool name_char(char c) {
  return !std::isspace(static_cast<unsigned char>(c)) && c != '(' && c != ')' && c != '[' && c != ']' && c != '"' &&
         c != '@' && c != ';';
}

// Reads the `@name` captures that follow position i; returns the position after the last one.
size_t read_captures(std::string_view s, size_t i, std::vector<std::string>& names) {
  for (;;) {
    size_t j = skip_space(s, i);
    if (j >= s.size() || s[j] != '@') return i;
    size_t e = j + 1;
    while (e < s.size() && name_char(s[e])) ++e;
    names.emplace_back(s.substr(j + 1, e - j - 1));
    i = e;
  }
}

// Every `@name` in a piece of query source (outside strings and comments).
std::set<std::string> capture_names_in(std::string_view s) {
  std::set<std::string> out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i)
        if (s[i] == '\\') ++i;
      ++i;
    } else if (s[i] == ';') {
      i = skip_space(s, i);
    } else if (s[i] == '@') {
      size_t e = i + 1;
      while (e < s.size() && name_char(s[e])) ++e;
      out.emplace(s.substr(i + 1, e - i - 1));
      i = e;
    } else {
      ++i;
    }
  }
  return out;
}

bool quantifier_at(std::string_view s, size_t i) {
  i = skip_space(s, i);
  return i < s.size() && (s[i] == '?' || s[i] == '*' || s[i] == '+');
}

// A pattern `(_ (A) (B) ... (#predicates...)) @captures` with at least two children, none of them
// anchored, quantified, under a field or a string: what its children are, and the parent's captures.
struct SiblingForm {
  std::vector<std::string_view> children;  // each with its captures
  std::vector<std::string> parent_captures;
};

std::optional<SiblingForm> sibling_form(std::string_view p) {
  size_t i = skip_space(p, 0);
  if (i >= p.size() || p[i] != '(') return std::nullopt;
  i = skip_space(p, i + 1);
  if (i + 1 >= p.size() || p[i] != '_' || name_char(p[i + 1])) return std::nullopt;
  ++i;
  SiblingForm f;
  for (;;) {
    i = skip_space(p, i);
    if (i >= p.size()) return std::nullopt;
    if (p[i] == ')') {
      ++i;
      break;
    }
    if (p[i] != '(' && p[i] != '[') return std::nullopt;  // a field, an anchor, a negated field, a string
    const size_t e = group_end(p, i);
    if (e == std::string_view::npos || quantifier_at(p, e)) return std::nullopt;
    const size_t k = skip_space(p, i + 1);
    if (p[i] == '(' && k < e && p[k] == '#') {  // a predicate: kept with the pattern's
      i = e;
      continue;
    }
    std::vector<std::string> names;
    const size_t end = read_captures(p, e, names);
    if (quantifier_at(p, end)) return std::nullopt;
    f.children.push_back(p.substr(i, end - i));
    i = end;
  }
  if (quantifier_at(p, i)) return std::nullopt;
  i = read_captures(p, i, f.parent_captures);
  if (quantifier_at(p, i) || skip_space(p, i) != p.size() || f.children.size() < 2) return std::nullopt;
  return f;
}

// A cursor whose walk stops at the next budget checkpoint that throws; the exception is kept and
// thrown again by `rethrow` (it must not cross tree-sitter's C frames).
class BudgetedCursor {
 public:
  BudgetedCursor() : cursor_(ts_query_cursor_new()) { ts_query_cursor_set_match_limit(cursor_, 4096); }
  ~BudgetedCursor() { ts_query_cursor_delete(cursor_); }
  BudgetedCursor(const BudgetedCursor&) = delete;
  BudgetedCursor& operator=(const BudgetedCursor&) = delete;
  TSQueryCursor* get() const { return cursor_; }
  void exec(const TSQuery* query, TSNode node) {
    options_.payload = this;
    options_.progress_callback = &BudgetedCursor::progress;
    ts_query_cursor_exec_with_options(cursor_, query, node, &options_);
  }
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  static bool progress(TSQueryCursorState* state) {
    auto* self = static_cast<BudgetedCursor*>(state->payload);
    try {
      budget::checkpoint();
    } catch (...) {
      self->error_ = std::current_exception();
      return true;  // stop the walk
    }
    return false;
  }
  TSQueryCursor* cursor_;
  TSQueryCursorOptions options_{};
  std::exception_ptr error_;
};

// Whether tree-sitter's byte range [start, end) would let a pattern start at `node`.
bool intersects(TSNode node, uint32_t start, uint32_t end) {
  const uint32_t s = ts_node_start_byte(node), e = ts_node_end_byte(node);
  const bool precedes = e < start || (e == start && s != e);
  return !precedes && s < end;
}

// Whether a cursor limited to a byte range finds the same matches under a node N when it is run on
// N alone (max start depth 0) and then on each of N's children intersecting the range, instead of
// on N (see range_children). A match starts at N or under a child that intersects the range; run
// from the child, the cursor sees the same nodes below it, but neither the child's siblings, nor
// its field name, nor the hidden supertype nodes above it, which a pattern starting at the child
// would need when: it is not rooted (`((a) (b))` spans siblings), or it starts at a supertype
// (`(statement)`: as the query's source may name a supertype anywhere, any mention of one counts),
// or the child has a field (checked on the tree, by range_children).
bool splittable(const TSQuery* query, std::string_view source, const TSLanguage* language) {
  for (uint32_t i = 0; i < ts_query_pattern_count(query); ++i)
    if (!ts_query_is_pattern_rooted(query, i)) return false;
  auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  uint32_t count = 0;
  const TSSymbol* supertypes = ts_language_supertypes(language, &count);
  for (uint32_t k = 0; k < count; ++k) {
    const std::string_view name = ts_language_symbol_name(language, supertypes[k]);
    for (size_t at = source.find(name); at != std::string_view::npos; at = source.find(name, at + 1)) {
      const size_t after = at + name.size();
      if ((at == 0 || !word_char(source[at - 1])) && (after == source.size() || !word_char(source[after]))) return false;
    }
  }
  return true;
}

// The children of `node` a cursor limited to [start, end) could start a match under, or nothing
// when one has a field name (see splittable). Tree-sitter's cursor run on `node` visits every child
// to find them, with ~2,500 instructions a child: ~5 M per query at the ~1,700 top-level
// statements of an 8k-line JavaScript file, on every keystroke. This steps over the children before
// the range by their sizes.
std::optional<std::vector<TSNode>> range_children(TSNode node, uint32_t start, uint32_t end) {
  std::vector<TSNode> out;
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  // The first child ending at or after start (one ending before cannot intersect).
  bool more = start > 0 ? ts_tree_cursor_goto_first_child_for_byte(&cursor, start - 1) >= 0
                        : ts_tree_cursor_goto_first_child(&cursor);
  bool field = false;
  for (; more && !field; more = ts_tree_cursor_goto_next_sibling(&cursor)) {
    const TSNode child = ts_tree_cursor_current_node(&cursor);
    if (ts_node_start_byte(child) >= end) break;  // nor can any later one
    if (!intersects(child, start, end)) continue;
    field = ts_tree_cursor_current_field_id(&cursor) != 0;
    out.push_back(child);
  }
  ts_tree_cursor_delete(&cursor);
  if (field) return std::nullopt;
  return out;
}

std::string describe(TSQueryError error, std::string_view source, uint32_t offset) {
  // The token at the offset names what was not understood.
  size_t end = offset;
  while (end < source.size() && (std::isalnum(static_cast<unsigned char>(source[end])) || source[end] == '_' ||
                                 source[end] == '-' || source[end] == '.' || source[end] == '?' || source[end] == '!'))
    ++end;
  std::string token(source.substr(offset, end - offset));
  switch (error) {
    case TSQueryErrorSyntax: return "invalid query syntax" + (token.empty() ? std::string() : " at '" + token + "'");
    case TSQueryErrorNodeType: return "unknown node type '" + token + "' for this language";
    case TSQueryErrorField: return "unknown field '" + token + "' for this language";
    case TSQueryErrorCapture: return "unknown capture '@" + token + "' in predicate";
    case TSQueryErrorStructure: return "impossible pattern structure at '" + token + "'";
    case TSQueryErrorLanguage: return "grammar version not supported by the runtime";
    default: return "invalid query";
  }
}

// Offset of the predicate `#name` for error messages (the runtime keeps no offsets for predicates).
uint32_t find_predicate(std::string_view source, std::string_view name) {
  // Appended rather than `"#" + std::string(name)`: GCC 12 at -O3 reports a false -Wrestrict there.
  std::string needle(1, '#');
  needle += name;
  auto pos = source.find(needle);
  return pos == std::string_view::npos ? 0 : static_cast<uint32_t>(pos);
}

// Query text that tree-sitter 0.25.1 mishandles, found by fuzz/rule_loader; query text comes from
// workspace rule files, so it is refused before tree-sitter sees it. Outside strings and comments:
// - an anchor glued to a node name, `(.identifier)`: accepted, and inside a parent or after a field
//   (`(call function: (.identifier))`) ts_query__parse_pattern then indexes one step past its array
//   (an assertion, or a write out of bounds without assertions);
// - an empty string `""`, as an anonymous node or a predicate argument: tree-sitter hands a null
//   pointer to strncmp/memcpy for it (undefined behaviour, reported by UBSan).
struct QueryTrap {
  size_t offset;
  const char* why;
};
std::optional<QueryTrap> tree_sitter_trap(std::string_view source) {
  bool in_string = false;
  for (size_t i = 0; i < source.size(); ++i) {
    const char c = source[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      if (i + 1 < source.size() && source[i + 1] == '"')
        return QueryTrap{i, "an empty string `\"\"` is not supported in a query (for an empty capture use (#match? @x \"^$\"))"};
      in_string = true;
    } else if (c == ';') {
      while (i + 1 < source.size() && source[i + 1] != '\n') ++i;
    } else if (c == '(') {
      size_t j = i + 1;
      while (j < source.size() && std::isspace(static_cast<unsigned char>(source[j]))) ++j;
      if (j + 1 < source.size() && source[j] == '.' &&
          (std::isalpha(static_cast<unsigned char>(source[j + 1])) || source[j + 1] == '_'))
        return QueryTrap{j, "an anchor `.` must stand between patterns, not before a node name"};
    }
  }
  return std::nullopt;
}

}  // namespace

Query::Query(const TSLanguage* language, std::string_view source) {
  if (const auto trap = tree_sitter_trap(source)) throw QueryError(static_cast<uint32_t>(trap->offset), trap->why);
  uint32_t error_offset = 0;
  TSQueryError error_type = TSQueryErrorNone;
  query_ = ts_query_new(language, source.data(), static_cast<uint32_t>(source.size()), &error_offset, &error_type);
  if (!query_) throw QueryError(error_offset, describe(error_type, source, error_offset));

  const uint32_t patterns = ts_query_pattern_count(query_);
  predicates_.resize(patterns);
  try {
    for (uint32_t i = 0; i < patterns; ++i) {
      uint32_t step_count = 0;
      const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(query_, i, &step_count);
      std::vector<TSQueryPredicateStep> current;
      for (uint32_t s = 0; s < step_count; ++s) {
        if (steps[s].type != TSQueryPredicateStepTypeDone) {
          current.push_back(steps[s]);
          continue;
        }
        auto str = [&](const TSQueryPredicateStep& st) {
          uint32_t len = 0;
          const char* p = ts_query_string_value_for_id(query_, st.value_id, &len);
          return std::string(p, len);
        };
        if (current.empty() || current[0].type != TSQueryPredicateStepTypeString)
          throw QueryError(0, "malformed predicate");
        std::string name = str(current[0]);
        const uint32_t where = find_predicate(source, name);
        Predicate p{};
        std::string base = name;
        if (base.rfind("any-", 0) == 0) {
          p.any = true;
          base = base.substr(4);
        }
        if (base.rfind("not-", 0) == 0) {
          p.negated = true;
          base = base.substr(4);
        }
        if (base == "eq?") p.kind = Predicate::Kind::eq;
        else if (base == "match?") p.kind = Predicate::Kind::match;
        else if (base == "of?" && p.any) p.kind = Predicate::Kind::any_of, p.any = false;
        else if (base == "any-of?") p.kind = Predicate::Kind::any_of;
        else
          throw QueryError(where, "unsupported predicate #" + name +
                                      " (supported: #eq?, #match?, #any-of? and their #not- and #any- forms)");
        if (current.size() < 2 || current[1].type != TSQueryPredicateStepTypeCapture)
          throw QueryError(where, "#" + name + " takes a capture as its first argument");
        p.capture = current[1].value_id;
        if (p.kind == Predicate::Kind::any_of) {
          if (current.size() < 3) throw QueryError(where, "#" + name + " needs at least one string");
          for (size_t k = 2; k < current.size(); ++k) {
            if (current[k].type != TSQueryPredicateStepTypeString)
              throw QueryError(where, "#" + name + " takes strings after the capture");
            p.choices.push_back(str(current[k]));
          }
        } else {
          if (current.size() != 3) throw QueryError(where, "#" + name + " takes exactly two arguments");
          if (current[2].type == TSQueryPredicateStepTypeCapture) {
            if (p.kind == Predicate::Kind::match) throw QueryError(where, "#" + name + " needs a regex string");
            p.other_capture = current[2].value_id;
          } else {
            p.literal = str(current[2]);
          }
          if (p.kind == Predicate::Kind::match) {
            auto re = shared_regex(p.literal);
            if (auto error = re->error(); !error.empty()) throw QueryError(where, "invalid regex in #" + name + ": " + error);
            p.regex = std::move(re);
          }
        }
        predicates_[i].push_back(std::move(p));
        current.clear();
      }
    }
    for (uint32_t i = 0; i < patterns; ++i) {
      const uint32_t begin = ts_query_start_byte_for_pattern(query_, i), end = ts_query_end_byte_for_pattern(query_, i);
      if (end <= begin || end > source.size()) continue;
      auto form = sibling_form(source.substr(begin, end - begin));
      if (!form) continue;
      auto sib = std::make_unique<Siblings>();
      sib->pattern_index = i;
      static constexpr std::string_view kNode = "vigil.sibling.node";
      std::string children;
      for (auto child : form->children) {
        children += child;
        children += " @";
        children += kNode;
        children += '\n';
      }
      uint32_t child_offset = 0;
      TSQueryError child_error = TSQueryErrorNone;
      sib->children = ts_query_new(language, children.data(), static_cast<uint32_t>(children.size()), &child_offset,
                                   &child_error);
      // Anything unexpected: tree-sitter's own matching stays in charge of this pattern.
      if (!sib->children || ts_query_pattern_count(sib->children) != form->children.size()) continue;
      sib->split_by_child = splittable(sib->children, children, language);
      bool mapped = true;
      for (uint32_t c = 0; c < ts_query_capture_count(sib->children); ++c) {
        uint32_t len = 0;
        const char* name = ts_query_capture_name_for_id(sib->children, c, &len);
        const std::string_view n(name, len);
        if (n == kNode) {
          sib->node_capture = c;
          sib->outer.push_back(-1);
        } else {
          sib->outer.push_back(capture_id(n));
          mapped = mapped && sib->outer.back() >= 0;
        }
      }
      for (const auto& name : form->parent_captures) {
        const int id = capture_id(name);
        mapped = mapped && id >= 0;
        if (id >= 0) sib->parent_captures.push_back(static_cast<uint32_t>(id));
      }
      if (!mapped) continue;
      // A predicate is checked on each child's matches alone when all its captures belong to that
      // child only; the others on the joined match.
      std::map<uint32_t, std::set<size_t>> owners;  // capture id -> the children naming it
      for (size_t k = 0; k < form->children.size(); ++k)
        for (const auto& name : capture_names_in(form->children[k]))
          if (int id = capture_id(name); id >= 0) owners[static_cast<uint32_t>(id)].insert(k);
      sib->local.resize(form->children.size());
      for (size_t pi = 0; pi < predicates_[i].size(); ++pi) {
        const auto& pred = predicates_[i][pi];
        std::set<size_t> where = owners[pred.capture];
        if (pred.other_capture) where.insert(owners[*pred.other_capture].begin(), owners[*pred.other_capture].end());
        const bool one = owners[pred.capture].size() == 1 && where.size() == 1;
        if (one) sib->local[*where.begin()].push_back(pi);
        else sib->joint.push_back(pi);
      }
      ts_query_disable_pattern(query_, i);
      siblings_.push_back(std::move(sib));
    }
    // After the sibling patterns are disabled: tree-sitter does not count `(_ (A) (B))` as rooted.
    split_by_child_ = splittable(query_, source, language);
  } catch (...) {
    siblings_.clear();
    ts_query_delete(query_);
    throw;
  }
}

Query::~Query() { ts_query_delete(query_); }

std::string_view Query::capture_name(uint32_t id) const {
  uint32_t len = 0;
  const char* name = ts_query_capture_name_for_id(query_, id, &len);
  return {name, len};
}

int Query::capture_id(std::string_view name) const {
  for (uint32_t i = 0; i < capture_count(); ++i)
    if (capture_name(i) == name) return static_cast<int>(i);
  return -1;
}

uint32_t Query::capture_count() const { return ts_query_capture_count(query_); }

uint32_t Query::pattern_count() const { return ts_query_pattern_count(query_); }

uint32_t Query::pattern_start(uint32_t index) const { return ts_query_start_byte_for_pattern(query_, index); }

bool Query::satisfied(const Predicate& p, const TSQueryMatch& m, std::string_view text) const {
  auto node_text = [&](TSNode n) {
    return text.substr(ts_node_start_byte(n), ts_node_end_byte(n) - ts_node_start_byte(n));
  };
  auto other_texts = [&]() {
    std::vector<std::string_view> out;
    for (uint16_t i = 0; i < m.capture_count; ++i)
      if (m.captures[i].index == *p.other_capture) out.push_back(node_text(m.captures[i].node));
    return out;
  };
  auto holds = [&](std::string_view t) {
    bool r = false;
    switch (p.kind) {
      case Predicate::Kind::eq:
        if (p.other_capture) {
          auto others = other_texts();
          r = !others.empty();
          for (auto o : others) r = r && (o == t);
        } else {
          r = t == p.literal;
        }
        break;
      case Predicate::Kind::match: r = re2::RE2::PartialMatch(re2::StringPiece(t.data(), t.size()), p.regex->get()); break;
      case Predicate::Kind::any_of:
        for (const auto& c : p.choices)
          if (c == t) r = true;
        break;
    }
    return r != p.negated;
  };
  bool seen = false;
  for (uint16_t i = 0; i < m.capture_count; ++i) {
    if (m.captures[i].index != p.capture) continue;
    seen = true;
    bool h = holds(node_text(m.captures[i].node));
    if (p.any && h) return true;
    if (!p.any && !h) return false;
  }
  // A capture with no nodes (optional or empty quantifier) imposes nothing, as in tree-sitter's bindings.
  return p.any ? !seen : true;
}

bool Query::for_each_match(TSNode root, std::string_view text, const std::function<void(const QueryMatch&)>& on_match,
                           std::optional<std::pair<uint32_t, uint32_t>> range, bool outside_joins) const {
  if (range && range->second == 0) range->second = UINT32_MAX;  // as tree-sitter reads an end of 0
  BudgetedCursor owner;
  TSQueryCursor* cursor = owner.get();
  if (range) ts_query_cursor_set_byte_range(cursor, range->first, range->second);
  QueryMatch out;
  bool complete = true;
  auto walk = [&](TSNode at, uint32_t max_start_depth) {
    ts_query_cursor_set_max_start_depth(cursor, max_start_depth);
    owner.exec(query_, at);
    TSQueryMatch m;
    while (ts_query_cursor_next_match(cursor, &m)) {
      budget::checkpoint();
      bool ok = true;
      for (const auto& p : predicates_[m.pattern_index]) {
        if (!satisfied(p, m, text)) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      out.pattern_index = m.pattern_index;
      out.captures.clear();
      for (uint16_t i = 0; i < m.capture_count; ++i) out.captures.push_back({m.captures[i].index, m.captures[i].node});
      on_match(out);
    }
    owner.rethrow();
    complete = complete && !ts_query_cursor_did_exceed_match_limit(cursor);  // exec resets it
  };
  std::optional<std::vector<TSNode>> children;
  if (range && split_by_child_) children = range_children(root, range->first, range->second);
  if (children) {
    walk(root, 0);  // the matches starting at root itself
    for (TSNode child : *children) walk(child, UINT32_MAX);
  } else {
    walk(root, UINT32_MAX);
  }
  for (const auto& s : siblings_) complete = match_siblings(*s, root, text, on_match, range, outside_joins) && complete;
  return complete;
}

bool Query::match_siblings(const Siblings& s, TSNode root, std::string_view text,
                           const std::function<void(const QueryMatch&)>& on_match,
                           std::optional<std::pair<uint32_t, uint32_t>> range, bool outside_joins) const {
  struct Candidate {
    TSNode node;
    std::vector<TSQueryCapture> captures;  // ids of the whole query
  };
  struct Group {
    TSNode parent;
    std::vector<std::vector<Candidate>> children;
  };
  const size_t n = s.local.size();
  const auto& predicates = predicates_[s.pattern_index];
  auto key_of = [](TSNode node) { return std::make_pair(ts_node_start_byte(node), node.id); };
  std::map<std::pair<uint32_t, const void*>, Group> groups;  // by parent, in document order
  std::set<std::vector<std::tuple<uint32_t, uint32_t, const void*>>> seen;
  bool complete = true;
  auto collect = [&](TSNode at, bool restrict_range, bool children_only, uint32_t max_start_depth = UINT32_MAX) {
    BudgetedCursor owner;
    TSQueryCursor* cursor = owner.get();
    if (restrict_range) ts_query_cursor_set_byte_range(cursor, range->first, range->second);
    ts_query_cursor_set_max_start_depth(cursor, children_only ? 1 : max_start_depth);
    owner.exec(s.children, at);
    TSQueryMatch m;
    std::vector<std::tuple<uint32_t, uint32_t, const void*>> key;
    while (ts_query_cursor_next_match(cursor, &m)) {
      budget::checkpoint();
      key.assign(1, {m.pattern_index, 0, nullptr});
      TSNode node{};
      bool found = false;
      for (uint16_t i = 0; i < m.capture_count; ++i) {
        key.emplace_back(m.captures[i].index, ts_node_start_byte(m.captures[i].node), m.captures[i].node.id);
        if (m.captures[i].index == s.node_capture) node = m.captures[i].node, found = true;
      }
      if (!found) continue;
      const TSNode parent = ts_node_parent(node);
      // `(_)` is a named node, and tree-sitter starts no wildcard pattern on an ERROR node.
      if (ts_node_is_null(parent) || !ts_node_is_named(parent) || ts_node_is_error(parent)) continue;
      if (range && !intersects(parent, range->first, range->second)) continue;
      if (!seen.insert(key).second) continue;  // found by an earlier walk
      Candidate c{node, {}};
      for (uint16_t i = 0; i < m.capture_count; ++i)
        if (int id = s.outer[m.captures[i].index]; id >= 0)
          c.captures.push_back({m.captures[i].node, static_cast<uint32_t>(id)});
      const TSQueryMatch alone{0, static_cast<uint16_t>(s.pattern_index), static_cast<uint16_t>(c.captures.size()),
                               c.captures.data()};
      if (!std::all_of(s.local[m.pattern_index].begin(), s.local[m.pattern_index].end(),
                       [&](size_t pi) { return satisfied(predicates[pi], alone, text); }))
        continue;
      auto& g = groups[key_of(parent)];
      if (g.children.empty()) g.parent = parent, g.children.resize(n);
      g.children[m.pattern_index].push_back(std::move(c));
    }
    owner.rethrow();
    complete = complete && !ts_query_cursor_did_exceed_match_limit(cursor);
  };
  if (!range) {
    collect(root, false, false);
  } else {
    // As for_each_match: from the children in the range when it finds the same candidates.
    std::optional<std::vector<TSNode>> children;
    if (s.split_by_child) children = range_children(root, range->first, range->second);
    if (children) {
      collect(root, true, false, 0);
      for (TSNode child : *children) collect(child, true, false);
    } else {
      collect(root, true, false);
    }
    // A parent that straddles an end of the range has children outside it, which the walk above
    // does not start on: such parents contain an end of the range, so they are its ancestors.
    // Walking all their children costs as much as the parent is big (the file's root: every
    // top-level statement, on every edit). Without `outside_joins` it is done only when a join
    // there can involve the range: when the parent is captured, or when one of its children in the
    // range is a candidate (found by the walk above).
    std::set<std::pair<uint32_t, const void*>> done;
    for (uint32_t at : {range->first, range->second}) {
      for (TSNode p = ts_node_descendant_for_byte_range(root, at, at); !ts_node_is_null(p); p = ts_node_parent(p)) {
        if (!done.insert(key_of(p)).second) break;  // the rest of this chain was walked
        if (intersects(p, range->first, range->second)) {
          const bool inside = ts_node_start_byte(p) >= range->first && ts_node_end_byte(p) <= range->second;
          if (outside_joins || inside || !s.parent_captures.empty() || groups.contains(key_of(p)))
            collect(p, false, true);
        }
        if (ts_node_eq(p, root)) break;
      }
    }
  }

  std::vector<TSQueryCapture> joined;
  std::vector<std::pair<uint32_t, uint32_t>> spans;  // of the joined children
  const bool parent_captured = !s.parent_captures.empty();
  QueryMatch out;
  out.pattern_index = s.pattern_index;
  for (const auto& entry : groups) {
    const auto& g = entry.second;  // not a structured binding: clang 14 refuses capturing one in the lambda below
    if (std::any_of(g.children.begin(), g.children.end(), [](const auto& list) { return list.empty(); })) continue;
    joined.clear();
    for (uint32_t id : s.parent_captures) joined.push_back({g.parent, id});
    // Each child after the previous one among the parent's children, as tree-sitter's steps go.
    auto join = [&](auto&& self, size_t k, const TSNode* previous) -> void {
      budget::checkpoint();
      if (k == n) {
        const TSQueryMatch m{0, static_cast<uint16_t>(s.pattern_index), static_cast<uint16_t>(joined.size()),
                             joined.data()};
        for (size_t pi : s.joint)
          if (!satisfied(predicates[pi], m, text)) return;
        out.captures.clear();
        for (const auto& c : joined) out.captures.push_back({c.index, c.node});
        out.sibling_spans.clear();
        if (!parent_captured) out.sibling_spans = spans;
        on_match(out);
        return;
      }
      for (const auto& c : g.children[k]) {
        if (previous && (ts_node_start_byte(c.node) < ts_node_end_byte(*previous) || ts_node_eq(c.node, *previous)))
          continue;
        const size_t mark = joined.size();
        joined.insert(joined.end(), c.captures.begin(), c.captures.end());
        spans.emplace_back(ts_node_start_byte(c.node), ts_node_end_byte(c.node));
        self(self, k + 1, &c.node);
        spans.pop_back();
        joined.resize(mark);
      }
    };
    join(join, 0, nullptr);
  }
  return complete;
}

}  // namespace vigil::match
