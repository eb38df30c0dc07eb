// A tree-sitter cursor freed when its scope ends, by an exception too: walks call budget
// checkpoints, which throw when a file's budget runs out, and a cursor deleted only at the end of
// its walk leaked on every file cut short (found by LeakSanitizer, issue 18).
#pragma once

#include <tree_sitter/api.h>

namespace vigil::match {

class ScopedCursor {
 public:
  explicit ScopedCursor(TSNode node) : cursor_(ts_tree_cursor_new(node)) {}
  ~ScopedCursor() { ts_tree_cursor_delete(&cursor_); }
  ScopedCursor(const ScopedCursor&) = delete;
  ScopedCursor& operator=(const ScopedCursor&) = delete;
  TSTreeCursor& get() { return cursor_; }

 private:
  TSTreeCursor cursor_;
};

}  // namespace vigil::match
