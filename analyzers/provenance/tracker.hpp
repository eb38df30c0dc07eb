// One document's provenance over its life: editor changes, a stored state brought back, git's
// verdicts, and the derived evidence (markers, globs) layered under the tracked ranges. Pure: the
// callers bring text, stored state and git answers.
#pragma once

#include <string_view>
#include <vector>

#include "analyzers/provenance/evidence.hpp"
#include "analyzers/provenance/git_parse.hpp"
#include "analyzers/provenance/map.hpp"

namespace vigil::provenance {

// One editor change ([start, end) of old_text replaced by `inserted`): moves the ranges, and labels
// a bulk insert (bulk-insert) or a rewrite of the whole text (external-edit, the changed hunks only).
// `whole` says the change had no range; a ranged change spanning the whole old text counts too.
void track_change(ProvenanceMap& map, std::string_view old_text, uint32_t start, uint32_t end, std::string_view inserted,
                  bool whole, const BulkInsertThresholds& bulk);

// Brings back a stored state: the stored ranges applied to `stored_content`, moved onto `text`; the
// hunks that differ (the file changed while Vigil was not looking) become external-edit.
void restore(ProvenanceMap& map, std::string_view stored_content, const std::vector<Span>& stored, std::string_view text);

// Applies git's per-line verdicts for `text` (verdicts[i] is line i): lines committed by an agent
// become AI (over earlier AI evidence, never over reviewed or human ranges); lines committed without
// agent evidence lose AI and reviewed ranges; uncommitted lines become git-uncommitted where
// nothing is known, when `mark_uncommitted` (the first time Vigil sees the file).
void apply_git(ProvenanceMap& map, std::string_view text, const std::vector<git::LineVerdict>& verdicts,
               bool mark_uncommitted);

// An agent's proposal for the file (its text and the 0-based lines of it the agent wrote) brought
// onto `text`: when at least half of those lines are in `text` unchanged (found through a line
// diff), each of them takes `label`. Returns the number of lines labelled (0: the file does not
// hold the proposal, e.g. the agent has not written it yet).
size_t apply_proposal(ProvenanceMap& map, std::string_view proposal, const std::vector<uint32_t>& lines,
                      const Label& label, std::string_view text);

// Maps line numbers of `before` to `after` through a line diff: -1 for lines that changed.
std::vector<int64_t> map_lines(std::string_view before, std::string_view after);

// What a finding sees: markers and the glob (whole file) under the tracked ranges, which win.
std::vector<Span> effective_spans(const ProvenanceMap& map, std::string_view text, bool path_matches_ai_glob);

// The first AI range (in sorted, disjoint `spans`) that a finding [start, end) overlaps; a
// zero-width finding needs a range containing it.
const Span* ai_span_for(const std::vector<Span>& spans, uint32_t start, uint32_t end);

// "bulk-insert" or "git-trailer, claude": how a diagnostic names its evidence.
std::string describe(const Label& label);

}  // namespace vigil::provenance
