// Which findings of an analysis count, by where they are: the AI ranges of the analysed version and
// the `scope` / `showHumanFindings` settings. Computed by the session with each analysis job; the
// shells apply it when they present findings (lsp/convert.hpp, mcp/).
#pragma once

#include <vector>

#include "analyzers/provenance/map.hpp"
#include "analyzers/workspace/config.hpp"

namespace vigil::session {

struct ProvenanceScope {
  std::vector<provenance::Span> spans;  // sorted, from provenance::effective_spans
  workspace::Scope scope = workspace::Scope::ai;
  bool show_human_findings = true;
};

}  // namespace vigil::session
