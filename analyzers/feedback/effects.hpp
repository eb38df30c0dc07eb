// What the feedback bank changes in results, and the "lessons from this repository" prompt
// section: pure functions over a bank::View or verdicts already read (no IO), shared by the
// editor (session), `vigil check`, `vigil rules list` and `vigil prompt`.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analyzers/engine.hpp"
#include "analyzers/feedback/bank.hpp"
#include "analyzers/workspace/config.hpp"

namespace vigil::feedback {

// Removes the findings the bank hides (marked false positives; refuted ones when the setting
// allows) and lowers by one level the severity of findings whose rule's precision is under the
// threshold with enough votes, saying why in the message. Returns how many were hidden.
size_t apply(std::vector<Finding>& findings, const View& view, const workspace::FeedbackSettings& settings);
// Whether apply() would change any of `findings` (hide it, or lower its severity).
bool affects(const std::vector<Finding>& findings, const View& view, const workspace::FeedbackSettings& settings);

// "precision 80% (4 confirmed, 1 false positive)", or "no votes yet".
std::string precision_text(const RuleStats& stats);

// Whether a rule with these stats is lowered under `settings`.
bool lowered(const RuleStats& stats, const workspace::FeedbackSettings& settings);

// The "Lessons from this repository" section for an agent's prompt (Markdown): the misalignments
// confirmed or fixed in AI-written code here, grouped by rule (most frequent first, at most
// `max_rules`), each with the rule's constraint, a short normalized snippet of what the AI wrote
// and what fixed it (the fix's diff). Empty when there is nothing to teach. `verdicts`: as
// Bank::lessons returns them; `rules` gives each rule's constraint (may be null).
std::string render_lessons(const std::vector<Verdict>& verdicts, const RuleSet* rules, size_t max_rules = 8);

// The same lessons as one line each ("`rule` (2 times): constraint; wrote `...`; fixed with `...`"),
// for `vigil prompt` (rules::PromptOptions::lessons), which renders its own section.
std::vector<std::string> lesson_lines(const std::vector<Verdict>& verdicts, const RuleSet* rules, size_t max_rules = 8);

}  // namespace vigil::feedback
