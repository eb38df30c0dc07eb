// Cheap tree navigation for matchers. tree-sitter's ts_node_parent descends from the root on every
// call, so climbing to the root with it costs depth² child scans; one descent finds every ancestor.
#pragma once

#include <tree_sitter/api.h>

#include <algorithm>
#include <vector>

namespace vigil::match {

// The ancestors of `node`, nearest first (the same nodes repeated ts_node_parent calls return).
inline void ancestors_of(TSNode node, std::vector<TSNode>& out) {
  out.clear();
  if (ts_node_is_null(node)) return;
  TSNode cur = ts_tree_root_node(node.tree);
  if (cur.id == node.id) return;
  for (;;) {
    out.push_back(cur);
    TSNode next = ts_node_child_with_descendant(cur, node);
    if (ts_node_is_null(next) || next.id == node.id) break;
    cur = next;
  }
  std::reverse(out.begin(), out.end());
}

}  // namespace vigil::match
