// What the taint analysis of one statement reads from other top-level statements, for the
// engine's incremental analysis (kept out of taint.hpp, which much of the code includes).
#pragma once

#include <tree_sitter/api.h>

#include <vector>

#include "analyzers/match/taint.hpp"
#include "vigil/grammars/registry.hpp"

namespace vigil::match {

// Whether editing a top-level statement of kind `symbol` can change the taint findings of other
// statements (it may bind an allowlist that functions test against, `ALLOWED = {"a", "b"}`): after
// such an edit taint rules run on the whole file again.
bool taint_reads_top_level(const grammars::Language& lang, TSSymbol symbol);

// Whether an edit that replaced the top-level statements `before_statements` (of the tree of
// `before_in`) with `after_statements` (of `after_in`) leaves the taint analysis of the file's top
// level (the code outside every function) as it was, but for positions: the statements' code
// outside functions is the same (token for token, comments aside: functions count as one opaque
// token, as that analysis sees them), and no source, sink, sanitizer or propagator of `specs`
// matches there (nor at either root), before or after. The matchers must be statement-local (see
// RuleMatcher::statement_local) and the statements must not bind what other statements read
// (taint_reads_top_level): callers run such rules on the whole file instead. Then every top-level
// finding has its sink outside these statements, and keeps its place
// relative to the unchanged code: an incremental analysis keeps the earlier ones (moved with the
// edit) and analyzes the functions of the changed statements only (TaintOptions::top_level).
bool same_top_level(const std::vector<const TaintSpec*>& specs, const MatchInput& before_in, TSNode before_root,
                    const std::vector<TSNode>& before_statements, const MatchInput& after_in, TSNode after_root,
                    const std::vector<TSNode>& after_statements, const TaintOptions& options);

}  // namespace vigil::match
