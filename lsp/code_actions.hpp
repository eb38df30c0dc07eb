// Code actions and commands on Vigil's diagnostics: the rule's quick-fix, "Suppress <rule> here…"
// and `source.fixAll.vigil`, as CodeAction literals (lazy edits through codeAction/resolve where
// the client supports it) or as `workspace/executeCommand` commands for clients that want those.
//
// Fix edits travel in each diagnostic's `data` (lsp/convert.hpp), so a quick-fix needs no analysis;
// a diagnostic from an older version is matched by fingerprint to the current analysis first.
//
// The seam for other features (provenance, validation, …): a provider appends its actions to the
// result array; the server calls every registered provider in order (Server::code_action_providers_).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/document/document.hpp"

namespace vigil::lsp {

// What the client accepts, read once from initialize's capabilities.
struct ActionClient {
  bool literals = false;          // textDocument.codeAction.codeActionLiteralSupport: CodeAction objects, else Commands
  bool resolve_edit = false;      // textDocument.codeAction.resolveSupport.properties holds "edit"
  bool document_changes = false;  // workspace.workspaceEdit.documentChanges: versioned edits
  bool snippet_edits = false;     // workspace.workspaceEdit.snippetEditSupport (LSP 3.18): SnippetTextEdit
  bool apply_edit = false;        // workspace.applyEdit: the server may send edits (commands need it)
  bool create_files = false;      // workspace.workspaceEdit.resourceOperations holds "create"
  bool hover_markdown = false;    // textDocument.hover.contentFormat holds "markdown"
  static ActionClient from_capabilities(const nlohmann::json& capabilities);
};

// One open document as the providers see it.
struct ActionDocument {
  std::string uri;
  std::shared_ptr<const document::Snapshot> snapshot;  // the current version
  const nlohmann::json::array_t* items = nullptr;      // its diagnostics; null while being analysed
  int64_t version() const { return snapshot->version; }
};

// Everything a provider may read to answer one textDocument/codeAction.
struct CodeActionRequest {
  const ActionDocument& doc;
  const nlohmann::json& params;  // CodeActionParams as received
  const ActionClient& client;
  document::Encoding encoding;
  // Vigil's diagnostics in params.context, each brought up to the current version (see current_diagnostics).
  std::vector<nlohmann::json> diagnostics;

  // Whether context.only (absent: everything) admits an action of `kind` ("quickfix",
  // "source.fixAll.vigil": admitted by "source" and "source.fixAll" too).
  bool wants(std::string_view kind) const;
};

using CodeActionProvider = std::function<void(const CodeActionRequest&, nlohmann::json& actions)>;

// Vigil's own providers, in the order the server lists their actions.
void quick_fix_actions(const CodeActionRequest& request, nlohmann::json& actions);
void suppress_actions(const CodeActionRequest& request, nlohmann::json& actions);
void fix_all_actions(const CodeActionRequest& request, nlohmann::json& actions);
// "Remove the unused suppression" for Vigil's vigil-unused-suppression findings.
void unused_suppression_actions(const CodeActionRequest& request, nlohmann::json& actions);

// Whether context.only in CodeActionParams admits `kind` (see CodeActionRequest::wants).
bool kind_wanted(const nlohmann::json& params, std::string_view kind);

// True when answering needs the analysis of the current version (a diagnostic in the context is
// from an older version, or fix-all is asked for); the server then waits for that analysis.
bool code_action_needs_analysis(const nlohmann::json& params, int64_t current_version);

// The context's Vigil diagnostics as they are now: one from the current version as it is, an older
// one replaced by the current diagnostic with the same fingerprint (nearest line), a vanished one
// dropped. `doc.items` must be current when any is older.
std::vector<nlohmann::json> current_diagnostics(const nlohmann::json& params, const ActionDocument& doc);

// codeAction/resolve and workspace/executeCommand always work on the current analysis (the server
// waits for it): they are one-off requests a person made.
// codeAction/resolve: fills `edit` of an action made by a provider above (its `data.vigil` names
// it). Throws RpcError when the action is not Vigil's or its finding is gone.
nlohmann::json resolve_code_action(nlohmann::json action, const ActionDocument& doc, const ActionClient& client,
                                   document::Encoding encoding);
// The document a resolve or command argument refers to (its `uri`).
std::string action_uri(const nlohmann::json& action_or_argument);

// workspace/executeCommand: the commands Vigil declares, and the WorkspaceEdit one stands for.
const std::vector<std::string>& command_names();
nlohmann::json command_edit(const std::string& command, const nlohmann::json& argument, const ActionDocument& doc,
                            const ActionClient& client, document::Encoding encoding);

// A WorkspaceEdit of `edits` on one document: versioned documentChanges where the client supports
// them (a stale edit is then refused by the client), else `changes`.
nlohmann::json workspace_edit(const ActionDocument& doc, nlohmann::json edits, const ActionClient& client);

}  // namespace vigil::lsp
