// A unified diff (as `diff -u` and `git diff` write it) between two versions of a file, for
// `vigil check --fix --dry-run`. Lines are compared whole: text::edit_script (Myers).
#pragma once

#include <string>
#include <string_view>

namespace vigil::report {

// Empty when the texts are equal. Labels go on the `---`/`+++` lines ("a/path", "b/path").
// A missing final newline is marked with "\ No newline at end of file", as patch(1) expects.
std::string unified_diff(std::string_view old_text, std::string_view new_text, std::string_view old_label,
                         std::string_view new_label, unsigned context = 3);

}  // namespace vigil::report
