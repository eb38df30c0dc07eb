// A time budget for analysing one file. Matchers call budget::checkpoint() at safe points (per node,
// per unit of work); when the budget of the analysis running on this thread is spent it throws
// BudgetExceeded naming the rule that was running, so one pathological file stops its own analysis
// and never stalls a run. Without a budget on the thread (the editor, tests) a checkpoint costs a
// thread-local test.
#pragma once

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

#include <tree_sitter/api.h>

namespace vigil::budget {

// Syntax trees nesting deeper than this are not analysed: the walks over a tree and its rules
// recurse (taint evaluation, pattern matching), and `vigil` gives its threads stacks that hold
// this depth with room to spare (cli/main.cpp). Such a file is reported as one whose budget ran out.
inline constexpr unsigned kMaxNesting = 10000;

// Throws Exceeded when the tree below `node` nests deeper than `limit` levels (an iterative walk
// that stops at the first node too deep).
void check_nesting(TSNode node, unsigned limit = kMaxNesting);

struct Exceeded : std::runtime_error {
  Exceeded(std::string running, double seconds);
  explicit Exceeded(const std::string& message);  // a bound other than time (nesting)
  std::string running;  // the rule (or rules) running when the budget ran out
  double seconds;       // the budget
};

// Puts a budget on the analyses this thread runs while the scope lives (scopes do not nest).
class Scope {
 public:
  explicit Scope(std::chrono::steady_clock::duration limit);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
};

// Thrown by a checkpoint when the analysis running on this thread was cancelled (CancelScope).
struct Cancelled : std::runtime_error {
  Cancelled();
};

// Makes the checkpoints of this thread throw Cancelled once `flag` is set, while the scope lives:
// the editor cancels the whole-file part of an analysis that a newer edit made stale.
class CancelScope {
 public:
  explicit CancelScope(const std::atomic<bool>& flag);
  ~CancelScope();
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;
};

// Names what runs next on this thread (a rule id, or a description of several), for Exceeded.
// The text must outlive the scope (rule ids do).
void running(std::string_view what);

namespace detail {
extern thread_local bool active;
void check();
}  // namespace detail

// Throws Exceeded when the thread's budget is spent; checks the clock every few hundred calls.
inline void checkpoint() {
  if (detail::active) detail::check();
}
inline void checkpoint(std::string_view what) {
  if (detail::active) {
    running(what);
    detail::check();
  }
}

}  // namespace vigil::budget
