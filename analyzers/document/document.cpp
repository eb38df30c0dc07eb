#include "analyzers/document/document.hpp"

#include <algorithm>
#include <stdexcept>

namespace vigil::document {
namespace {

TSParser* new_parser(const grammars::Language& language) {
  TSParser* parser = ts_parser_new();
  if (!ts_parser_set_language(parser, language.ts_language())) {
    ts_parser_delete(parser);
    throw std::runtime_error("grammar ABI mismatch for " + std::string(language.id));
  }
  return parser;
}

TSTree* parse(TSParser* parser, const TSTree* old, const std::string& text) {
  TSTree* tree = ts_parser_parse_string(parser, old, text.data(), static_cast<uint32_t>(text.size()));
  if (!tree) throw std::runtime_error("tree-sitter failed to parse");
  return tree;
}

// Where text inserted at `start` ends, as a tree-sitter point (column in bytes).
TSPoint point_after(TSPoint start, std::string_view inserted) {
  auto last_nl = inserted.rfind('\n');
  if (last_nl == std::string_view::npos)
    return {start.row, start.column + static_cast<uint32_t>(inserted.size())};
  auto rows = static_cast<uint32_t>(std::count(inserted.begin(), inserted.end(), '\n'));
  return {start.row + rows, static_cast<uint32_t>(inserted.size() - last_nl - 1)};
}

}  // namespace

std::shared_ptr<const Snapshot> Snapshot::parse(std::string path, const grammars::Language& language,
                                                std::string text) {
  auto snap = std::make_shared<Snapshot>();
  snap->path = std::move(path);
  snap->language = &language;
  snap->text = std::move(text);
  snap->lines = LineIndex(snap->text);
  TSParser* parser = new_parser(language);
  snap->tree.reset(document::parse(parser, nullptr, snap->text));
  ts_parser_delete(parser);
  return snap;
}

std::shared_ptr<const Snapshot> Snapshot::overwritten(const Snapshot& base, std::string text,
                                                      const std::vector<std::pair<uint32_t, uint32_t>>& spans,
                                                      TreePtr* edited_base) {
  if (text.size() != base.text.size())
    throw std::invalid_argument("Snapshot::overwritten: the text must keep its length");
  for (const auto& [start, end] : spans)
    if (start > end || end > text.size()) throw std::invalid_argument("Snapshot::overwritten: a range outside the text");
  auto snap = std::make_shared<Snapshot>();
  snap->path = base.path;
  snap->language = base.language;
  snap->version = base.version;
  snap->text = std::move(text);
  snap->lines = base.lines;  // same line breaks
  TreePtr old(ts_tree_copy(base.tree.get()));
  // Same-length edits move nothing: each is given in the base's coordinates, in any order.
  for (const auto& [start, end] : spans) {
    TSInputEdit edit{};
    edit.start_byte = start;
    edit.old_end_byte = edit.new_end_byte = end;
    edit.start_point = point_at(base.lines, start);
    edit.old_end_point = edit.new_end_point = point_at(base.lines, end);
    ts_tree_edit(old.get(), &edit);
  }
  TSParser* parser = new_parser(*base.language);
  try {
    snap->tree.reset(document::parse(parser, old.get(), snap->text));
  } catch (...) {
    ts_parser_delete(parser);
    throw;
  }
  ts_parser_delete(parser);
  if (edited_base) *edited_base = std::move(old);
  return snap;
}

Document::Document(std::string path, const grammars::Language& language, std::string text, int64_t version)
    : path_(std::move(path)),
      language_(&language),
      text_(std::move(text)),
      lines_(text_),
      version_(version),
      parser_(new_parser(language)) {
  reparse(false);
}

Document::~Document() { ts_parser_delete(parser_); }

void Document::apply(const std::vector<TextChange>& changes, Encoding enc, int64_t new_version,
                     const std::function<void(const AppliedChange&)>& observer) {
  bool incremental = true;
  for (const auto& change : changes) {
    if (!change.range) {
      if (observer) observer({text_, 0, static_cast<uint32_t>(text_.size()), change.text, true});
      text_ = change.text;
      lines_ = LineIndex(text_);
      incremental = false;
      continue;
    }
    uint32_t start = lines_.offset_of(text_, change.range->start, enc);
    uint32_t end = lines_.offset_of(text_, change.range->end, enc);
    if (end < start) std::swap(start, end);
    TSInputEdit edit{};
    edit.start_byte = start;
    edit.old_end_byte = end;
    edit.new_end_byte = start + static_cast<uint32_t>(change.text.size());
    edit.start_point = point_at(lines_, start);
    edit.old_end_point = point_at(lines_, end);
    edit.new_end_point = point_after(edit.start_point, change.text);
    if (observer) observer({text_, start, end, change.text, false});
    text_.replace(start, end - start, change.text);
    lines_ = LineIndex(text_);
    if (incremental) ts_tree_edit(tree_.get(), &edit);
  }
  version_ = new_version;
  reparse(incremental);
}

void Document::reparse(bool incremental) {
  tree_.reset(document::parse(parser_, incremental ? tree_.get() : nullptr, text_));
}

std::shared_ptr<const Snapshot> Document::snapshot() const {
  auto snap = std::make_shared<Snapshot>();
  snap->path = path_;
  snap->language = language_;
  snap->version = version_;
  snap->text = text_;
  snap->lines = lines_;
  snap->tree.reset(ts_tree_copy(tree_.get()));
  return snap;
}

}  // namespace vigil::document
