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
// diagnostics() for the successive results of one document: each finding's diagnostic of the last
// result is reused when the finding converts to the same JSON but for data.version (while typing,
// nearly all of them). Building nlohmann objects cost more than the analysis that found the
// findings (88 M instructions for 991 findings), and so did copying them and freeing the last
// result's (3 M instructions per keystroke for 93 findings): the caller hands the last result back
// (`previous`: the array the last call returned, its items changed in place at most, by the scope,
// verdicts and feedback only, which the reuse undoes), and its items are moved, not copied.
// Without it (an empty `previous`), every diagnostic is built anew.
class DiagnosticCache {
 public:
  nlohmann::json diagnostics(const std::vector<Finding>& findings, const document::Snapshot& snapshot,
                             document::Encoding enc, std::string_view uri = {}, const ProvenanceScope* scope = nullptr,
                             size_t* outside_ai = nullptr, nlohmann::json previous = {});

 private:
  std::unordered_map<std::string, size_t> entries_;  // what a diagnostic is made of -> its index in the last result
  size_t last_size_ = 0;                             // the last result's length
};

// The JSON text of the diagnostics lists of one document, as its publishes and pulls send them. Each
// item's text is kept with a copy of the item, and an item equal to the last list's item with its
// fingerprint (the one at its index, else the first unused one) but for data.version is not
// serialised again: its kept text is sent with the new version in it. While typing, every item
// carries the new version and nearly all are otherwise unchanged: serialising the 93 items of a
// 5,000-line Python file cost 3.1 M instructions a keystroke, comparing them a tenth of that.
class DiagnosticTexts {
 public:
  // Appends `items` (an array of diagnostics) to `out`: the text dump(items) gives (lsp/jsonrpc.hpp).
  void append_array(const nlohmann::json& items, std::string& out);

 private:
  struct Entry {
    nlohmann::json item;
    std::string head;  // the text up to data.version's value (the whole item when it has none)
    std::string tail;  // the text after it
    bool versioned = false;
  };
  std::vector<Entry> entries_;  // the last list's
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
