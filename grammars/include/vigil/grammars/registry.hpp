// The grammar registry: which languages Vigil parses, how files and LSP language ids map to them,
// and how each writes a line comment. The only place that knows the grammars' symbols.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tree_sitter/api.h>

namespace vigil::grammars {

struct Language {
  std::string_view id;                            // canonical id used in rules: "python", "tsx", ...
  const TSLanguage* (*ts_language)();             // the grammar
  std::vector<std::string_view> extensions;       // with the dot: ".py"
  std::vector<std::string_view> lsp_language_ids; // LSP languageId values that map here
  std::vector<std::string_view> aliases;          // other names accepted in rule files
  std::string_view line_comment;                  // "#" or "//"
};

// Every language Vigil knows, in a stable order.
std::span<const Language> all();

// Lookup by canonical id or alias (as written in a rule's `language:`), case-insensitive.
const Language* by_name(std::string_view name);
// Lookup by an LSP languageId ("typescriptreact" -> tsx).
const Language* by_lsp_language_id(std::string_view language_id);
// Lookup by a path's extension; nullptr when no grammar handles it.
const Language* by_path(std::string_view path);

}  // namespace vigil::grammars
