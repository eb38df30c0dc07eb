// Conversions between the engine's types and LSP JSON. The only place findings become diagnostics.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/document/document.hpp"
#include "analyzers/engine.hpp"
#include "analyzers/provenance/map.hpp"
#include "analyzers/session/scope.hpp"
#include "analyzers/rules/loader.hpp"
#include "analyzers/workspace/config.hpp"

namespace vigil::lsp {

document::Position position_from_json(const nlohmann::json& j);
document::Range range_from_json(const nlohmann::json& j);
nlohmann::json to_json(document::Position p);
nlohmann::json to_json(const document::Range& r);

// Which findings count, by where they are (analyzers/session/scope.hpp).
using session::ProvenanceScope;

// `data` carries what code actions need without analysing again: the fingerprint, the rule id, the
// document version it was computed for, and the rule's fix as a minimal text edit in `enc`
// (`fix: {range, newText, safe}`). A taint path becomes relatedInformation (on `uri`; default: the
// snapshot's path as a file URI).
// With a scope: a finding in an AI range keeps its severity, says "(AI-suggested: evidence)" and
// carries data.provenance; elsewhere it becomes a hint under scope `ai` (or is left out when
// showHumanFindings is false). Without one, findings convert as they are.
nlohmann::json diagnostic(const Finding& finding, const document::Snapshot& snapshot, document::Encoding enc,
                          std::string_view uri = {});
// `outside_ai` (optional) counts the findings that scope ai turned into hints or hid: rule severity
// above hint, but no AI range under them.
nlohmann::json diagnostics(const std::vector<Finding>& findings, const document::Snapshot& snapshot,
                           document::Encoding enc, std::string_view uri = {}, const ProvenanceScope* scope = nullptr,
                           size_t* outside_ai = nullptr);
// What the server adds to a finding's diagnostic after the conversion and the scope (a verdict, the
// feedback numbers). `key` appends everything `apply` reads, so that an item whose key did not
// change need not be built again.
class DiagnosticDecoration {
 public:
  virtual ~DiagnosticDecoration() = default;
  virtual void key(const Finding& f, std::string& key) const = 0;
  virtual void apply(const Finding& f, nlohmann::json& item) const = 0;
};

// The diagnostics of one document's successive results, and their JSON text as publishes and pulls
// send it. While typing nearly every diagnostic is the last result's but for data.version: each
// item is kept with a key of everything it is made of (the finding's texts, rule and positions in
// the encoding, the scope's part, the decoration's), and an item whose key is unchanged is reused
// with its text, the new version written into both. Building, decorating, comparing and
// serialising nlohmann objects for every item cost 81 M instructions a keystroke on a
// 8,000-line JavaScript file with 983 findings: more than the parse and the analysis together.
class DiagnosticList {
 public:
  // Converts a result; true when the items differ from the last result's (a new version's always
  // do, but for two empty lists). `outside_ai` (optional) as diagnostics() counts it.
  bool update(const std::vector<Finding>& findings, const document::Snapshot& snapshot, document::Encoding enc,
              std::string_view uri, const ProvenanceScope* scope = nullptr,
              const DiagnosticDecoration* decoration = nullptr, size_t* outside_ai = nullptr);
  const nlohmann::json::array_t& items() const { return items_; }
  // Appends the items as a JSON array: the text dump(items()) gives (lsp/jsonrpc.hpp).
  void append_array(std::string& out);

 private:
  struct Text {
    std::string head;  // the item's text up to data.version's value (the whole item when it has none)
    std::string tail;  // the text after it
    bool versioned = false;
    bool built = false;
  };
  nlohmann::json::array_t items_;
  std::vector<std::string> keys_;
  std::vector<Text> texts_;
  int64_t version_ = 0;
  bool converted_ = false;
};

// A text edit as LSP JSON, positions in `enc`.
nlohmann::json text_edit(const document::Snapshot& snapshot, uint32_t start_byte, uint32_t end_byte,
                         const std::string& new_text, document::Encoding enc);
// A rule file's load problems as diagnostics on that file (positions are bytes from the loader;
// rule files are near-ASCII, so columns are taken as they are).
nlohmann::json rule_problem_diagnostics(const std::vector<rules::Problem>& problems);

// j[key] when j is an object holding key, else a null: reads optional fields of client JSON
// without checks at each step (member(member(params, "context"), "only")).
const nlohmann::json& member(const nlohmann::json& j, const char* key);

// file:// URIs <-> paths (percent-decoding / encoding).
std::string uri_to_path(std::string_view uri);
std::string path_to_uri(std::string_view path);

}  // namespace vigil::lsp
