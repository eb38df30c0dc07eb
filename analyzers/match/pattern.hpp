// ast-grep patterns: code in the rule's language with metavariables ($X, $$$ARGS, $_, $$$),
// parsed once with tree-sitter and matched node by node with ast-grep's algorithm (lazy `$$$`,
// consistent repeated metavariables, `smart` strictness by default). Pure computation: no IO.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/match/matcher.hpp"

namespace vigil::match {

// A pattern (or rule) that cannot be compiled; the message says why.
struct PatternError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ast-grep's strictness levels: which nodes may be skipped when comparing pattern and code.
enum class Strictness { cst, smart, ast, relaxed, signature, template_ };
std::optional<Strictness> parse_strictness(std::string_view name);

// The character ast-grep substitutes for `$` before parsing a pattern, in grammars where `$` cannot
// start an identifier (Python, Go: 'µ'; C, C++: '_'); '$' where it can (JavaScript, Java, ...).
std::string_view expando_char(const grammars::Language& lang);
// Replaces metavariable sigils as ast-grep's pre_process_pattern does.
std::string preprocess_pattern(std::string_view pattern, const grammars::Language& lang);

// Children of `node` (named and anonymous, extras included), in order.
void children_of(TSNode node, std::vector<TSNode>& out);
// The same list, shared. While a WideChildrenCache lives on this thread, nodes with many children
// (a module's top-level statements) are listed once and reused while they stay among the last few
// asked for, so that rules that look at the top level from every node (`inside: {kind: module,
// has: ...}`) do not walk it each time; the last eight narrow nodes' lists are kept too (`nthChild`
// and `follows` list a parent's children once per child asked about).
std::shared_ptr<const std::vector<TSNode>> shared_children_of(TSNode node);
// The children of `node` whose symbol is one of `kinds`, in order (indexed by kind for wide nodes
// while a WideChildrenCache lives: `has: {kind: import_from_statement}` on a module looks at the
// imports only).
void children_of_kinds(TSNode node, const std::set<TSSymbol>& kinds, std::vector<TSNode>& out);

// While a WideChildrenCache lives on this thread: a slot for other matchers' state of the same
// lifetime (rule_tree's memo of relational results), emptied when the outermost scope ends. Null
// outside a scope.
std::shared_ptr<void>* scope_state();

// Enables that reuse on this thread for its lifetime; the trees matched meanwhile must outlive it
// (a node's identity is only stable while its tree lives). Scopes nest; the outermost one clears.
class WideChildrenCache {
 public:
  WideChildrenCache();
  ~WideChildrenCache();
  WideChildrenCache(const WideChildrenCache&) = delete;
  WideChildrenCache& operator=(const WideChildrenCache&) = delete;
};

struct PatternNode {
  enum class Type { metavar, terminal, internal } type = Type::terminal;
  // metavar: $A (capture), $_ (dropped), $$$ (multiple), $$$A (multi_capture)
  enum class Meta { capture, dropped, multiple, multi_capture } meta = Meta::capture;
  std::string name;      // capture / multi_capture
  bool named = true;     // $A matches named nodes only; $$A any node
  // terminal
  std::string text;
  bool is_named = false;
  TSSymbol kind = 0;
  // internal
  std::vector<PatternNode> children;

  bool is_trivial() const { return type == Type::terminal && !is_named; }
  bool is_ellipsis() const { return type == Type::metavar && (meta == Meta::multiple || meta == Meta::multi_capture); }
};

class Pattern {
 public:
  // `pattern` as ast-grep reads it. Throws PatternError.
  static Pattern compile(std::string_view pattern, const grammars::Language& lang,
                         Strictness strictness = Strictness::smart);
  // The object form {context, selector}: the first node of kind `selector` in `context`.
  static Pattern compile_contextual(std::string_view context, std::string_view selector,
                                    const grammars::Language& lang, Strictness strictness = Strictness::smart);

  // Whether `node` matches; bindings are added to `env` only on success.
  bool match(const MatchInput& in, TSNode node, Bindings& env) const;

  // The node kind the pattern's root must have, if fixed.
  std::optional<TSSymbol> root_kind() const;
  // Metavariable names the pattern binds.
  void defined_vars(std::vector<std::string>& out) const;
  // Identifier-like literal texts every match must contain (for prefiltering).
  void required_words(std::vector<std::string>& out) const;

  const PatternNode& root() const { return root_; }
  Strictness strictness() const { return strictness_; }
  // The pattern did not parse cleanly (an ERROR node): it may match nothing.
  bool has_error() const { return has_error_; }

 private:
  PatternNode root_;
  std::optional<TSSymbol> contextual_kind_;
  Strictness strictness_ = Strictness::smart;
  bool has_error_ = false;
};

// Whether two nodes are the same code as ast-grep compares repeated metavariables: the same text
// when either is a named leaf, otherwise the same kind and pairwise the same children.
bool same_code(const MatchInput& in, TSNode a, TSNode b);

}  // namespace vigil::match
