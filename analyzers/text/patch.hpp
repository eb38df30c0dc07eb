// Unified diffs as agents and `git diff` write them: parsed per file and applied to a file's text,
// telling which lines of the result were added. Pure functions, no IO.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::text {

struct PatchHunk {
  uint32_t old_start = 0, old_count = 0;  // 1-based as in the header (0 for an insertion at the top)
  uint32_t new_start = 0, new_count = 0;
  // Each line's first character is ' ' (context), '-' (removed) or '+' (added); no terminator.
  std::vector<std::string> lines;
  bool old_missing_newline = false;  // "\ No newline at end of file" after the old side's last line
  bool new_missing_newline = false;  // ... after the new side's last line
};

struct FilePatch {
  std::string old_path;  // without git's a/ prefix; empty for /dev/null (a new file)
  std::string new_path;  // without git's b/ prefix; empty for /dev/null (a deleted file)
  std::vector<PatchHunk> hunks;
};

// The files of a unified diff (`git diff`, `diff -u`), in order. Text before the first `---` and
// git's extended headers are skipped. nullopt with `error` ("line 7: ...") when malformed.
std::optional<std::vector<FilePatch>> parse_unified_diff(std::string_view diff, std::string& error);

struct PatchResult {
  std::string text;
  std::vector<uint32_t> added_lines;  // 0-based line numbers in `text`, ascending
};

// Applies `patch` to `before`. A hunk whose lines are not at its header's position is looked for
// elsewhere after the previous hunk (as `patch` does with an offset); a hunk found nowhere is an
// error naming the first line that differs. New lines end like the file's lines (\r\n or \n).
std::optional<PatchResult> apply_patch(std::string_view before, const FilePatch& patch, std::string& error);

}  // namespace vigil::text
