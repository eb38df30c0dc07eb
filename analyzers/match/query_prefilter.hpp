// What a text must contain for a tree-sitter query (a `query:` rule) to match it, read from the
// query's source without compiling it: compiling a query costs tens to hundreds of millions of
// instructions (tree-sitter's analysis of the grammar's parse table), reading its words microseconds.
// Pure computation, no IO.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class FilteredRE2;
}

namespace vigil::match {

class TextWords;

// Per pattern of the query, clauses that every match satisfies: `(#eq? @c "x")` and
// `(#any-of? @c "x" "y")` on a capture every match of the pattern has (not under `?`, `*` or only
// some branches of an alternation) need one of their strings in the text; `(#match? @c "re")` needs
// the literals RE2's prefilter finds in `re` (searched case-insensitively). Negated predicates,
// predicates on optional captures and anything this reader does not understand impose nothing:
// may_match() is never false for a text the query matches.
class QueryPrefilter {
 public:
  explicit QueryPrefilter(std::string_view source);
  ~QueryPrefilter();
  QueryPrefilter(const QueryPrefilter&) = delete;
  QueryPrefilter& operator=(const QueryPrefilter&) = delete;

  // False when no pattern of the query can match `text`.
  bool may_match(std::string_view text) const;
  // The same for the text of `words`: the literal clauses ask `words`, the file's cache of word
  // searches that the tree-rule and taint prefilters share (a word several rules need is searched
  // once); the regex clauses run RE2's prefilter over the text. This object must outlive `words`,
  // which keeps views of its literals.
  bool may_match(const TextWords& words) const;
  // Whether some pattern imposes nothing (may_match() is then always true).
  bool unconstrained() const { return unconstrained_; }

 private:
  struct Clause {
    std::vector<std::string> literals;  // one of them is in the text (case-sensitive)
    int regex = -1;                     // or: the prefilter of regex `regex` (an id in filter_) passes
  };
  std::vector<std::vector<Clause>> patterns_;
  bool unconstrained_ = false;
  std::unique_ptr<re2::FilteredRE2> filter_;
  std::vector<std::string> atoms_;  // filter_'s literals, lower case
};

}  // namespace vigil::match
