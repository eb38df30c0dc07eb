// Runaway repetition: the same block of code written again and again, a signature of generation
// gone wrong (a model looping, a refactor applied twice, a function pasted under the one it
// replaces). Pure computation on a parsed tree.
#pragma once

#include <tree_sitter/api.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::match {

struct RepetitionOptions {
  uint32_t min_lines = 3;       // a repeated unit must span at least this many lines...
  uint32_t min_copies = 2;      // ...and appear at least this often in a row
  uint32_t short_min_copies = 4;  // units shorter than min_lines count after this many copies in a row
  uint32_t short_min_chars = 24;  // ...when the unit holds at least this much code (ignores `i += 1` runs)
  uint32_t max_unit = 24;       // the longest unit (in sibling statements) looked for
  uint32_t paste_min_lines = 5;  // a definition pasted again further on counts from this size
  // Node kinds whose children are compared (statement lists). Empty: blocks, bodies, modules,
  // programs and translation units of every grammar, but not argument lists or data literals,
  // whose repeated items are tables, not generation.
  std::vector<std::string> within;
};

struct Repetition {
  uint32_t start_byte = 0;        // the first repeated copy (the second occurrence)...
  uint32_t end_byte = 0;          // ...to the end of the last copy
  uint32_t original_start_byte = 0;  // where the code first appears
  uint32_t original_end_byte = 0;
  uint32_t copies = 0;            // total occurrences, the original included
  uint32_t unit_statements = 0;   // siblings per copy
  uint32_t unit_lines = 0;
};

// Every repetition among the named siblings of each node under `root` (comments are ignored):
// runs of a unit of 1..max_unit consecutive siblings repeated back to back, and definitions
// (functions, methods, classes) of at least paste_min_lines lines that reappear verbatim later among
// the same siblings. Code is compared with whitespace normalized.
std::vector<Repetition> find_repetitions(std::string_view text, TSNode root, const RepetitionOptions& options = {});

}  // namespace vigil::match
