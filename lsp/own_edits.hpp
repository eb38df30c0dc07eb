// Edits Vigil itself offered or sent (code actions, codeAction/resolve, workspace/applyEdit). When
// the client applies one, the didChange that follows is Vigil's text, not AI-written code, whatever
// its size or however the client phrases it (Neovim 0.7 replaces whole lines; VS Code expands
// snippets).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/document/document.hpp"

namespace vigil::lsp {

class OwnEdits {
 public:
  // The open document for a URI (nullptr when it is not open).
  using DocumentLookup = std::function<const document::Document*(const std::string& uri)>;

  // Remembers the edits of a WorkspaceEdit (`changes` or `documentChanges`; TextEdit, AnnotatedTextEdit
  // or snippet edits) for the open documents it touches, at their current versions. Edits remembered
  // for an older version of a document are forgotten.
  void remember(const nlohmann::json& workspace_edit, const DocumentLookup& lookup, document::Encoding enc);

  // True when edits for `uri` at `version` are remembered (the didChange must then be held until
  // its result is known).
  bool pending(const std::string& uri, int64_t version) const;

  // True when `after` is `before` (the document at `version`) with one remembered set of edits
  // applied. Forgets the document's edits either way: the document moved on.
  bool applied(const std::string& uri, int64_t version, std::string_view before, std::string_view after);

  void forget(const std::string& uri) { by_uri_.erase(uri); }

 private:
  struct ByteEdit {
    uint32_t start = 0, end = 0;
    std::string text;
  };
  struct Pending {
    int64_t version = 0;
    std::vector<std::vector<ByteEdit>> sets;  // one per action or command, most recent last
  };
  std::map<std::string, Pending> by_uri_;
};

// The text a client inserts for an LSP snippet when the user accepts every placeholder as it is
// (`${1:reason}` -> "reason", `$1` and `${1}` -> "", `\$` -> "$").
std::string expand_snippet(std::string_view snippet);

}  // namespace vigil::lsp
