// Which findings of an analysis count, by where they are: the AI ranges of the analysed version and
// the `scope` / `showHumanFindings` settings. Computed by the session with each analysis job; the
// shells apply it when they present findings (lsp/convert.hpp, mcp/).
#pragma once

#include <vector>

#include "analyzers/engine.hpp"
#include "analyzers/provenance/map.hpp"
#include "analyzers/workspace/config.hpp"

namespace vigil::session {

struct ProvenanceScope {
  std::vector<provenance::Span> spans;  // sorted, from provenance::effective_spans
  workspace::Scope scope = workspace::Scope::ai;
  bool show_human_findings = true;
  // Findings whose source is only a parameter (Finding::from_parameter) stay in AI ranges (`ai`),
  // everywhere (`all`), or nowhere (`off`): workspace::keep_parameter_finding.
  workspace::TaintParameters taint_parameters = workspace::TaintParameters::ai;
};

// The engine's policy for an analysis under these settings.
inline AnalysisOptions analysis_options(workspace::TaintParameters parameters) {
  AnalysisOptions options;
  options.taint_parameters = parameters != workspace::TaintParameters::off;
  return options;
}

}  // namespace vigil::session
