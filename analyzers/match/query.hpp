// Tree-sitter queries with the text predicates the C runtime leaves to its host: #eq?, #match?,
// #any-of? with their #not- and #any- forms. Regexes are RE2 (linear time on any input).
// Pure computation: no IO.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tree_sitter/api.h>

namespace re2 {
class RE2;
}

namespace vigil::match {

// A query that failed to compile; `offset` is a byte offset into the query source.
struct QueryError : std::runtime_error {
  uint32_t offset;
  QueryError(uint32_t offset_, const std::string& what) : std::runtime_error(what), offset(offset_) {}
};

struct CaptureNode {
  uint32_t capture_id;
  TSNode node;
};

struct QueryMatch {
  uint32_t pattern_index;
  std::vector<CaptureNode> captures;
  // A sibling pattern's match (see `Siblings` below) with no capture on the parent: the byte spans
  // of the children it joined, in order. Such a match depends on these nodes and their order only,
  // so an edit between them leaves it as it was. Empty for every other match.
  std::vector<std::pair<uint32_t, uint32_t>> sibling_spans;
};

class Query {
 public:
  // Throws QueryError with the offset of the problem in `source`.
  Query(const TSLanguage* language, std::string_view source);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  std::string_view capture_name(uint32_t id) const;
  // Capture id by name, or -1.
  int capture_id(std::string_view name) const;
  uint32_t capture_count() const;
  uint32_t pattern_count() const;
  // Where pattern `index` starts in the query source.
  uint32_t pattern_start(uint32_t index) const;

  // Calls `on_match` for every match under `root` whose predicates hold: those of tree-sitter's
  // cursor in document order, then those of the sibling patterns (see `Siblings` below).
  // Thread-safe: each call uses its own cursors.
  // With `range`, only matches whose pattern's root node intersects [range.first, range.second) bytes,
  // as tree-sitter's byte range has it. Without `outside_joins`, also without the sibling matches
  // (no capture on the parent) none of whose joined children intersects the range: finding those
  // means walking every child of each parent around the range (for the file's root, every top-level
  // statement), and a caller that re-matches an edited range can keep them from the earlier text
  // (QueryMatch::sibling_spans).
  // Returns false when a cursor exceeded its match limit: tree-sitter then drops in-progress
  // matches, so some may be missing (the caller reports it).
  bool for_each_match(TSNode root, std::string_view text, const std::function<void(const QueryMatch&)>& on_match,
                      std::optional<std::pair<uint32_t, uint32_t>> range = std::nullopt,
                      bool outside_joins = true) const;

  // How many patterns are matched as joined siblings rather than by tree-sitter's cursor.
  size_t sibling_pattern_count() const { return siblings_.size(); }

 private:
  struct Predicate;
  struct Siblings;
  bool satisfied(const Predicate& p, const TSQueryMatch& m, std::string_view text) const;
  bool match_siblings(const Siblings& s, TSNode root, std::string_view text,
                      const std::function<void(const QueryMatch&)>& on_match,
                      std::optional<std::pair<uint32_t, uint32_t>> range, bool outside_joins) const;

  TSQuery* query_;
  std::vector<std::vector<Predicate>> predicates_;  // per pattern
  // Patterns `(_ (A) (B) ...)`: a named node with children matching A, B... in that order. Tree-sitter
  // keeps one in-progress state per candidate A under the parent and compares them pairwise at
  // every node below it: quadratic-to-cubic in the parent's size (97 s of CPU for one such rule on
  // an 8k-line JavaScript file). These are matched instead as separate queries for A, B..., whose
  // matches are grouped by parent and joined in order, with the pattern's predicates on the union.
  std::vector<std::unique_ptr<Siblings>> siblings_;
  // Whether a byte-ranged walk may run from the children of its node in the range (query.cpp: splittable).
  bool split_by_child_ = false;
};

}  // namespace vigil::match
