// Evidence that needs only text: bulk inserts, external rewrites (line diff), markers and path
// globs. Pure functions, no IO.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/provenance/map.hpp"
#include "analyzers/text/line_diff.hpp"

namespace vigil::provenance {

struct BulkInsertThresholds {
  uint32_t min_lines = 2;   // non-blank lines in one change
  uint32_t min_chars = 60;  // characters (code points) in one change, surrounding whitespace aside
};

// True when one content change inserting `text` is too large to be typed: an accepted completion,
// an applied agent edit or a paste. Auto-indent ("\n    ") and typing never qualify.
bool is_bulk_insert(std::string_view text, const BulkInsertThresholds& thresholds);

// One hunk of a line diff (text/line_diff.hpp).
using text::Hunk;

// text::line_diff with provenance's cut-off: past `max_distance` edits the remaining middle is one
// hunk (a rewrite, not worth aligning).
std::vector<Hunk> line_diff(std::string_view before, std::string_view after, uint32_t max_distance = 1000);

// The document went from `before` to `after` in one piece (the file was rewritten outside the
// editor): moves the map's ranges through the diff and returns the byte ranges of `after` that
// changed (whole lines), which the caller labels.
std::vector<std::pair<uint32_t, uint32_t>> apply_rewrite(ProvenanceMap& map, std::string_view before,
                                                         std::string_view after);

// Marker regions: from a line holding `vigil: ai-begin [tool]` to the line holding `vigil: ai-end`
// (both included; an unclosed region runs to the end), and the whole text when `@generated`
// appears in its first 10 lines. Labelled ai / marker.
std::vector<Span> marker_spans(std::string_view text);

// Byte offsets of the starts of lines [first, first + count) and the end of the last, in `text`.
std::pair<uint32_t, uint32_t> line_span(std::string_view text, uint32_t first, uint32_t count);

}  // namespace vigil::provenance
