// Suppression comments: `vigil-ignore: <rule-id> -- <reason>` (Vigil's own, a reason required),
// plus Semgrep's `nosemgrep` and ast-grep's `ast-grep-ignore` so that existing code keeps its
// silences. Pure computation on a snapshot and its findings: the editor and `vigil check` share it.
#pragma once

#include <string>
#include <vector>

#include "analyzers/document/document.hpp"
#include "analyzers/engine.hpp"

namespace vigil {

// Ids of the findings Vigil reports about suppression comments themselves.
inline constexpr std::string_view kUnusedSuppression = "vigil-unused-suppression";    // hint
inline constexpr std::string_view kSuppressionNoReason = "vigil-suppression-no-reason";  // warning
inline constexpr std::string_view kSuppressionUnknownRule = "vigil-suppression-unknown-rule";  // warning

struct Suppression {
  enum class Kind { vigil, nosemgrep, ast_grep } kind = Kind::vigil;
  uint32_t start_byte = 0;  // the directive inside the comment ("vigil-ignore: ..." up to the comment's end)
  uint32_t end_byte = 0;
  uint32_t line = 0;         // 0-based line of the comment
  uint32_t target_line = 0;  // the line it silences: its own, or the next code line for a comment alone on its line
  std::vector<std::string> rule_ids;  // empty: every rule (not allowed for vigil-ignore)
  std::string reason;
  bool malformed = false;  // vigil-ignore without a rule id
};

// True for the placeholder words an editor or Vigil's own messages put where the reason goes
// ("reason", "<reason>", "<why this is safe>"): left in place, they are no reason.
bool is_placeholder_reason(std::string_view reason);

// The comment node holding byte `offset`, or a null node.
TSNode comment_at(TSNode root, uint32_t offset);

// Every suppression comment in the snapshot (only markers inside comment nodes count).
std::vector<Suppression> find_suppressions(const document::Snapshot& snapshot);

// A finding a suppression comment silenced, for reports that list them (SARIF `suppressions`).
struct SuppressedFinding {
  Finding finding;
  std::string marker;         // "vigil-ignore", "nosemgrep", "ast-grep-ignore"
  std::string justification;  // the comment's reason ("" when it gives none)
};

// `findings` without the ones a suppression silences (moved to `suppressed` when given), plus findings about the suppressions: a
// vigil-ignore without a reason or naming an unknown rule (warning), and one that silences nothing
// (hint). nosemgrep / ast-grep-ignore are reported unused only when they name a rule of `rules`,
// since bare ones may serve the other tool. The result stays sorted by position.
std::vector<Finding> apply_suppressions(const document::Snapshot& snapshot, std::vector<Finding> findings,
                                        const RuleSet& rules, std::vector<SuppressedFinding>* suppressed = nullptr);

}  // namespace vigil
