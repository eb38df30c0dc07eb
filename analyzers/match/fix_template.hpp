// ast-grep fix templates: `$VAR`, `$$VAR` and `$$$VARS` replaced by the text of their bindings,
// with ast-grep's indentation handling (a multi-line binding keeps its relative indentation at the
// template's indentation, and the whole replacement is re-indented to the matched node's line).
// Also used for `message`, which ast-grep fills the same way. Pure computation.
#pragma once

#include <string>
#include <string_view>

#include "analyzers/match/matcher.hpp"

namespace vigil::match {

// The replacement for a match starting at byte `match_start` of `in.text`. Metavariables without
// a binding expand to nothing, as in ast-grep.
std::string expand_template(std::string_view templ, const Bindings& env, const MatchInput& in, uint32_t match_start);

}  // namespace vigil::match
