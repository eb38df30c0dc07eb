// A document: UTF-8 text, its line index and a tree-sitter tree kept in step with every edit
// (ts_tree_edit + incremental reparse). Snapshots are immutable copies that analyses read on other
// threads while the document moves on.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <tree_sitter/api.h>

#include "analyzers/document/line_index.hpp"
#include "vigil/grammars/registry.hpp"

namespace vigil::document {

// Owns a TSTree. Trees are cheap to copy (ts_tree_copy shares structure).
struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;

// The tree-sitter point (row, byte column) of a byte offset.
inline TSPoint point_at(const LineIndex& lines, uint32_t offset) {
  const uint32_t line = lines.line_of(offset);
  return {line, offset - lines.line_start(line)};
}

// An immutable view of one version of a document, safe to share across threads.
struct Snapshot {
  std::string path;  // file path or URI, for reports
  const grammars::Language* language = nullptr;
  int64_t version = 0;
  std::string text;
  LineIndex lines;
  TreePtr tree;

  TSNode root() const { return ts_tree_root_node(tree.get()); }
  std::string_view node_text(TSNode n) const {
    return std::string_view(text).substr(ts_node_start_byte(n), ts_node_end_byte(n) - ts_node_start_byte(n));
  }
  Position position_of(uint32_t offset, Encoding enc) const { return lines.position_of(text, offset, enc); }

  // Parses `text` once; for one-shot use (the CLI) where no Document is needed.
  static std::shared_ptr<const Snapshot> parse(std::string path, const grammars::Language& language,
                                               std::string text);
  // `base` with the byte ranges `spans` of its text overwritten (same length, line breaks kept:
  // `text` differs from base.text only there), reparsed incrementally from base's tree with one
  // edit per range, so that the code between them is not parsed again (one edit spanning them all
  // would make the parse of a file with errors at both ends a full one). `edited_base`, when
  // given, receives base's tree with the edits applied (what ts_tree_get_changed_ranges compares
  // with the new tree), so that a caller need not copy and edit it again.
  static std::shared_ptr<const Snapshot> overwritten(const Snapshot& base, std::string text,
                                                     const std::vector<std::pair<uint32_t, uint32_t>>& spans,
                                                     TreePtr* edited_base = nullptr);
};

// One change from the editor: a range (absent = replace everything) and the new text.
struct TextChange {
  std::optional<Range> range;
  std::string text;
};

// One change as applied, in bytes, seen just before the text changes (provenance tracks it).
struct AppliedChange {
  std::string_view old_text;  // the whole text before this change
  uint32_t start = 0;         // replaced bytes [start, end) of old_text
  uint32_t end = 0;
  std::string_view inserted;
  bool whole = false;  // the change had no range: the text was replaced entirely
};

class Document {
 public:
  Document(std::string path, const grammars::Language& language, std::string text, int64_t version);
  ~Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // Applies the changes in order (each relative to the text left by the previous one, as LSP
  // says), edits the tree for each and reparses once at the end.
  // `observer`, when given, sees each change before it is applied.
  void apply(const std::vector<TextChange>& changes, Encoding enc, int64_t new_version,
             const std::function<void(const AppliedChange&)>& observer = {});

  std::shared_ptr<const Snapshot> snapshot() const;

  const std::string& text() const { return text_; }
  const LineIndex& lines() const { return lines_; }
  int64_t version() const { return version_; }
  const std::string& path() const { return path_; }
  const grammars::Language& language() const { return *language_; }
  TSNode root() const { return ts_tree_root_node(tree_.get()); }

 private:
  void reparse(bool incremental);

  std::string path_;
  const grammars::Language* language_;
  std::string text_;
  LineIndex lines_;
  int64_t version_;
  TSParser* parser_;
  TreePtr tree_;
};

}  // namespace vigil::document
