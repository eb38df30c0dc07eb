// Hover on a finding: what the rule says and why, where to read more, the taint path, the fix on
// offer and, when Vigil knows the code was AI-written, how it knows. Built from the diagnostic
// (its `data` and relatedInformation) and the rule's public fields; never from rule internals.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/engine.hpp"

namespace vigil::lsp {

// The Hover result for the diagnostics under the cursor (null when there are none). `rules` gives
// each diagnostic's rule by id; markdown when the client renders it, else plain text.
nlohmann::json hover(const std::vector<const nlohmann::json*>& diagnostics, const RuleSet& rules, bool markdown);

// The text for one diagnostic (exposed for tests).
std::string hover_text(const nlohmann::json& diagnostic, const rules::Rule* rule, bool markdown);

// The OWASP Top 10 page for a category such as "A03:2021 - Injection"; the Top 10 project page
// when the edition is not one we know the pages of.
std::string owasp_url(std::string_view category);

// The diagnostics whose range holds `position` (line, character in the negotiated encoding).
std::vector<const nlohmann::json*> diagnostics_at(const nlohmann::json::array_t& items, const nlohmann::json& position);

}  // namespace vigil::lsp
