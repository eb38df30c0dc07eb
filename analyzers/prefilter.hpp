// The text prefilter over whole files: whether any rule of a set can match a text at all, from the
// words every match of a rule must contain. A file that fails it need not be parsed (Semgrep and
// ast-grep skip such files the same way). Pure computation, no IO.
#pragma once

#include <string_view>

#include "analyzers/engine.hpp"

namespace vigil {

// False when no rule of `rules` for `language` can match `text`: every `rule:` rule lacks one of
// its required words, every `query:` rule the words of each of its patterns (match::QueryPrefilter),
// every taint rule a sink or a source. True when some rule has no known words (a repetition rule,
// a rule without literal words).
bool may_match(const RuleSet& rules, const grammars::Language& language, std::string_view text,
               const AnalysisOptions& options = {});

}  // namespace vigil
