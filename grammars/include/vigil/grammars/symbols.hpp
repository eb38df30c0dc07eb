// Node kinds by name, for what a rule or pattern names (`kind:`, a contextual pattern's selector,
// `repetition.within`). A header of its own so that the registry's, included everywhere, stays small.
#pragma once

#include <string_view>

#include <tree_sitter/api.h>

#include "vigil/grammars/registry.hpp"

namespace vigil::grammars {

// The named node kind `name` in `lang`'s grammar, 0 when there is none. Use this, not
// ts_language_symbol_for_name: that compares with strncmp and then reads name[length] of each
// symbol, past the end of a shorter one when `name` holds a NUL byte (found by fuzz/pattern under
// ASan; rule files are workspace input).
TSSymbol named_symbol(const Language& lang, std::string_view name);

}  // namespace vigil::grammars
