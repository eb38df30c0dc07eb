#include "analyzers/match/query.hpp"

#include <re2/re2.h>

#include <cctype>
#include <optional>
#include <memory>
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

namespace {

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

}  // namespace

Query::Query(const TSLanguage* language, std::string_view source) {
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
  } catch (...) {
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

void Query::for_each_match(TSNode root, std::string_view text, const std::function<void(const QueryMatch&)>& on_match,
                           std::optional<std::pair<uint32_t, uint32_t>> range) const {
  // Owned: a budget checkpoint (analyzers/budget.hpp) may throw out of the loop.
  std::unique_ptr<TSQueryCursor, decltype(&ts_query_cursor_delete)> owner(ts_query_cursor_new(), ts_query_cursor_delete);
  TSQueryCursor* cursor = owner.get();
  ts_query_cursor_set_match_limit(cursor, 4096);
  if (range) ts_query_cursor_set_byte_range(cursor, range->first, range->second);
  ts_query_cursor_exec(cursor, query_, root);
  TSQueryMatch m;
  QueryMatch out;
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
}

}  // namespace vigil::match
