// Syntax errors: reported as note-level findings (`vigil-parse-error`), and survived. tree-sitter
// recovers from an error, but its ERROR node can swallow valid code after it (a broken function
// hiding the next one): the recovering analysis blanks the broken top-level statements out and
// parses the rest again, so that no finding is lost in silence. Pure computation, no IO.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "analyzers/document/document.hpp"
#include "analyzers/engine.hpp"

namespace vigil {

inline constexpr std::string_view kParseError = "vigil-parse-error";  // info
inline constexpr std::string_view kAnalysisBudget = "vigil-analysis-budget";  // warning

// The one finding an editor shows for a file whose analysis ran out of its time budget (the
// per-file `fileBudget`): on the first line, saying what ran long, so that the file does not look
// clean. `why` is budget::Exceeded::what().
Finding budget_exceeded_finding(const document::Snapshot& snapshot, const std::string& why);

// The built-in rule that parse-error findings carry.
rules::RulePtr parse_error_rule();

// One finding per outermost ERROR or MISSING node (the first `limit`; the last one then says how
// many more there are), on the first line of the node.
std::vector<Finding> parse_error_findings(const document::Snapshot& snapshot, size_t limit = 10);

// Appends parse_error_findings(snapshot) to `findings`, keeping them ordered by position.
void add_parse_errors(const document::Snapshot& snapshot, std::vector<Finding>& findings);

// `snapshot` with the top-level statements around its ERROR nodes blanked out (every byte but line
// breaks becomes a space, so offsets, lines and columns do not move; an ERROR of single tokens loses
// just its tokens; C and C++ directives stay unless the error is on one) and parsed again, a few
// rounds until no ERROR is left, or until recovery stops paying: the first error left is a MISSING
// node with only whitespace after it, or two rounds in a row changed the parse of no code outside
// what they blanked. MISSING nodes start no round. Null when the tree has no error or no round ran.
// `changed`, when given: where the result's text or parse differs from `snapshot`'s (byte ranges,
// possibly overlapping), for analyze_changed().
std::shared_ptr<const document::Snapshot> without_broken_statements(
    const document::Snapshot& snapshot, std::vector<std::pair<uint32_t, uint32_t>>* changed = nullptr);

// analyze(), and for a tree with errors also the analysis of without_broken_statements(): findings
// in the code around a syntax error are not lost (the second analysis is analyze_changed(): rules
// that look no further than a top-level statement run only where recovery changed the text or
// the parse). Positions and fingerprints refer to `snapshot`
// (the blanked text has the same offsets). Does not add the parse-error notes themselves.
std::vector<Finding> analyze_recovering(const RuleSet& rules, const document::Snapshot& snapshot,
                                        const AnalysisOptions& options = {});

}  // namespace vigil
