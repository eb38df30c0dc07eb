#pragma once
// Random-edit property tests (incremental vs full analysis) run fewer edits per seed in a
// sanitizer build: ASan + UBSan make each analysis of the built-in rules 5-10x slower, and CI runs
// the whole suite under them (scripts/ci-hardening). Same seeds, same assertions, same code paths;
// the normal build runs every round.
#include <algorithm>

#if defined(__SANITIZE_ADDRESS__)
#define VIGIL_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VIGIL_TEST_SANITIZED 1
#endif
#endif

namespace vigil::test {

#ifdef VIGIL_TEST_SANITIZED
inline constexpr bool sanitized_build = true;
#else
inline constexpr bool sanitized_build = false;
#endif

// `normal` rounds in a normal build, a quarter (at least 1) under the sanitizers.
constexpr int random_edit_rounds(int normal) { return sanitized_build ? std::max(1, normal / 4) : normal; }

}  // namespace vigil::test
