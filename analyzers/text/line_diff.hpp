// Line diffs between two versions of a text: Myers' shortest edit script on whole lines. Used by
// provenance (external rewrites) and by report's unified diff. Pure functions, no IO.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace vigil::text {

// Lines of `text`, each with its '\n' (the last may lack one), so "\r\n" and a missing final newline
// are kept exactly: "a\r\n" and "a\n" differ, as do a last "a" and "a\n".
std::vector<std::string_view> split_lines(std::string_view text);

enum class EditOp : uint8_t { keep, remove, add };

// The edit script turning lines `a` into lines `b`: one op per kept, removed or added line, in
// order. Myers' O((N+M)D) greedy algorithm after trimming the common head and tail. When the edit
// distance passes `max_distance` the remaining middle becomes one replacement (all its removals,
// then all its additions): a rewrite, not worth aligning.
std::vector<EditOp> edit_script(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                                uint32_t max_distance);

// One hunk of a line diff: old lines [old_start, old_start + old_count) became new lines
// [new_start, new_start + new_count). Lines are 0-based; a line includes its '\n'.
struct Hunk {
  uint32_t old_start = 0, old_count = 0, new_start = 0, new_count = 0;
  bool operator==(const Hunk&) const = default;
};

// The runs of changed lines between kept ones in `edit_script(split_lines(before), split_lines(after))`.
std::vector<Hunk> line_diff(std::string_view before, std::string_view after, uint32_t max_distance);

}  // namespace vigil::text
