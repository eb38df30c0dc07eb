#include "analyzers/budget.hpp"

#include <cstdio>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VIGIL_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(VIGIL_ASAN)
#define VIGIL_ASAN 1
#endif
#ifdef VIGIL_ASAN
#include <pthread.h>
#include <sanitizer/asan_interface.h>
#endif

namespace vigil::budget {
namespace {

thread_local std::chrono::steady_clock::time_point deadline;
thread_local std::chrono::steady_clock::duration limit;
thread_local std::string_view current;
thread_local unsigned calls = 0;
thread_local bool timed = false;
thread_local const std::atomic<bool>* cancel = nullptr;

std::string describe(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%gs", seconds);
  return buf;
}

// ASan clears the redzones of the frames a throw unwinds (__asan_handle_no_return) only when they
// span at most 64 MB; beyond that it leaves them poisoned, and whatever runs later in that memory is
// reported as an overflow. Bounds are met deep in recursions (a util recursing to its bound takes
// 76 MB under ASan's larger frames), so under ASan every exception of this file clears the live
// stack itself before it is thrown, as ASan would have. Elsewhere nothing.
void clear_stack_for_unwind() {
#ifdef VIGIL_ASAN
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* low = nullptr;
  size_t size = 0;
  const bool known = pthread_attr_getstack(&attr, &low, &size) == 0;
  pthread_attr_destroy(&attr);
  if (!known) return;
  auto* here = static_cast<char*>(__builtin_frame_address(0));
  auto* top = static_cast<char*>(low) + size;
  if (here > static_cast<char*>(low) && here < top) ASAN_UNPOISON_MEMORY_REGION(here, static_cast<size_t>(top - here));
#endif
}

}  // namespace

namespace detail {
thread_local bool active = false;

void check() {
  if (cancel && cancel->load(std::memory_order_relaxed)) throw Cancelled();
  if (!timed) return;
  // The clock costs tens of nanoseconds: read it every 256 checkpoints (a few microseconds apart).
  if (++calls & 255) return;
  if (std::chrono::steady_clock::now() < deadline) return;
  throw Exceeded(std::string(current.empty() ? "parsing" : current),
                 std::chrono::duration<double>(limit).count());
}
}  // namespace detail

Exceeded::Exceeded(std::string what, double secs)
    : std::runtime_error("analysis took longer than the " + describe(secs) + " budget (running: " + what + ")"),
      running(std::move(what)),
      seconds(secs) {
  clear_stack_for_unwind();
}

Exceeded::Exceeded(const std::string& message) : std::runtime_error(message), seconds(0) { clear_stack_for_unwind(); }

Cancelled::Cancelled() : std::runtime_error("analysis cancelled") { clear_stack_for_unwind(); }

void check_nesting(TSNode node, unsigned limit) {
  // A subtree with d named-or-anonymous visible descendants nests at most d levels below its root
  // (tree-sitter keeps the count in every subtree): only subtrees larger than the depth left can be
  // too deep, so the walk enters those alone, the spine of a deep tree, instead of every node.
  const auto fits = [](TSNode n, unsigned room) { return ts_node_descendant_count(n) - 1 <= room; };
  if (fits(node, limit)) return;
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  unsigned depth = 0;
  bool too_deep = false;
  for (;;) {
    if (!fits(ts_tree_cursor_current_node(&cursor), limit - depth) && ts_tree_cursor_goto_first_child(&cursor)) {
      if (++depth > limit) {
        too_deep = true;
        break;
      }
      continue;
    }
    while (depth > 0 && !ts_tree_cursor_goto_next_sibling(&cursor)) {
      ts_tree_cursor_goto_parent(&cursor);
      --depth;
    }
    if (depth == 0) break;
  }
  ts_tree_cursor_delete(&cursor);
  if (too_deep)
    throw Exceeded("the syntax tree nests deeper than " + std::to_string(limit) + " levels, more than Vigil analyses");
}

Scope::Scope(std::chrono::steady_clock::duration l) {
  limit = l;
  deadline = std::chrono::steady_clock::now() + l;
  current = {};
  calls = 0;
  timed = true;
  detail::active = true;
}

Scope::~Scope() {
  timed = false;
  detail::active = cancel != nullptr;
  current = {};
}

CancelScope::CancelScope(const std::atomic<bool>& flag) {
  cancel = &flag;
  detail::active = true;
}

CancelScope::~CancelScope() {
  cancel = nullptr;
  detail::active = timed;
}

void running(std::string_view what) { current = what; }

}  // namespace vigil::budget
