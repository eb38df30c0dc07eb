// What the taint analysis of one statement reads from other top-level statements, for the
// engine's incremental analysis (kept out of taint.hpp, which much of the code includes).
#pragma once

#include <tree_sitter/api.h>

#include "vigil/grammars/registry.hpp"

namespace vigil::match {

// Whether editing a top-level statement of kind `symbol` can change the taint findings of other
// statements (it may bind an allowlist that functions test against, `ALLOWED = {"a", "b"}`): after
// such an edit taint rules run on the whole file again.
bool taint_reads_top_level(const grammars::Language& lang, TSSymbol symbol);

}  // namespace vigil::match
