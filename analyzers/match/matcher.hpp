// The seam between rule matchers (ast-grep rule trees, tree-sitter queries) and what builds on them
// (taint mode, repetition, suppressions). Pure computation on a parsed tree: no IO.
#pragma once

#include <tree_sitter/api.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/grammars/registry.hpp"

namespace vigil::match {

struct ImportCache;

// The metavariable bindings of one match: `$X` -> one node, `$$$X` -> a (possibly empty) node list.
// Keys are the names without `$` ("X").
struct Bindings {
  std::map<std::string, TSNode, std::less<>> single;
  std::map<std::string, std::vector<TSNode>, std::less<>> multi;
};

// What a matcher may look at besides the node: the document's text and language.
struct MatchInput {
  std::string_view text;
  const grammars::Language* language = nullptr;
  // Optional: the path from the root to the node being matched (root first), as a tree walk knows
  // it. Finding a parent there is O(depth) instead of ts_node_parent's walk down from the root.
  const std::vector<TSNode>* path = nullptr;
  // Optional, with `path`: set when matching navigated to the root as a parent (a rule looked at
  // the top level: siblings of a top-level statement, or the root itself). Incremental analysis
  // re-matches such places after any edit.
  bool* escaped = nullptr;
  // Optional: where the file's import table is kept once built (rules with `resolves`); without
  // it each lookup builds the table again.
  ImportCache* imports = nullptr;
  std::string_view node_text(TSNode n) const {
    return text.substr(ts_node_start_byte(n), ts_node_end_byte(n) - ts_node_start_byte(n));
  }
};

// Whether a node is a comment in any grammar (`comment`, `line_comment`, `block_comment`).
inline bool is_comment(TSNode n) { return std::string_view(ts_node_type(n)).find("comment") != std::string_view::npos; }

// A compiled rule that decides, node by node, whether it matches.
class NodeMatcher {
 public:
  virtual ~NodeMatcher() = default;
  // Whether `node` matches. On success the match's bindings are added to `env`; on failure `env`
  // is left as it was.
  virtual bool match(const MatchInput& in, TSNode node, Bindings& env) const = 0;
  // Node kinds (grammar symbols) a match can start at; empty means any. Lets one walk of the tree
  // serve every rule.
  virtual std::vector<TSSymbol> start_kinds() const { return {}; }
};

}  // namespace vigil::match
