// Applying rules' fixes and writing suppression comments: text edits computed from findings, shared
// by the editor (quick-fix, fix-all, suppress) and `vigil check --fix`. Pure: no IO, no protocol.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzers/document/document.hpp"
#include "analyzers/engine.hpp"

namespace vigil::fix {

// The same edit with the text it leaves unchanged trimmed from both ends, cut only between whole
// words and whole UTF-8 characters (`yaml.load(x)` -> `yaml.safe_load(x)` becomes "replace `load`
// with `safe_load`"). Smaller edits overlap less and keep the editor's cursor and marks in place.
// A deletion that would leave a blank line removes the line.
FixEdit minimal(const FixEdit& edit, std::string_view text);

// The fixes of `findings` to apply in one pass: safe ones (and unsafe ones when asked), minimal,
// sorted by position. Identical edits are kept once; an edit that overlaps one already chosen is
// left out (its finding remains and a later pass can fix it).
std::vector<FixEdit> applicable(const std::vector<Finding>& findings, std::string_view text, bool include_unsafe);

// Edits sorted and free of overlaps, first come first kept (see applicable()).
std::vector<FixEdit> non_overlapping(std::vector<FixEdit> edits);
bool overlap(const FixEdit& a, const FixEdit& b);

// `text` with sorted, non-overlapping edits applied.
std::string apply(std::string_view text, const std::vector<FixEdit>& edits);

// Where and how to insert a `vigil-ignore` comment for a finding: a line of its own above the
// flagged line (above the start of a multi-line string or comment the line is inside), with that
// line's indentation and the language's line-comment syntax.
struct Suppression {
  uint32_t offset = 0;         // byte offset of the start of the line the comment goes above
  std::string before_reason;   // "    # vigil-ignore: py-eval-injection -- "
  std::string after_reason;    // the line break ("\n", or "\r\n" in a CRLF file)
  std::string text(std::string_view reason) const { return before_reason + std::string(reason) + after_reason; }
};
Suppression suppression(const document::Snapshot& snapshot, uint32_t finding_start, std::string_view rule_id);

}  // namespace vigil::fix
