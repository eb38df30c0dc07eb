// `vigil check --validate[=deep|endpoint|command]`: a second opinion on every reported finding.
#pragma once

#include <string>
#include <vector>

#include "analyzers/report/report.hpp"
#include "analyzers/workspace/files.hpp"

namespace vigil::cli {

struct ValidationSummary {
  size_t confirmed = 0, refuted = 0, uncertain = 0, errors = 0, cached = 0;
};

// Fills each result's `verdicts`. At most `jobs` validations run at once (for a model endpoint:
// concurrent requests). Verdicts are kept in the workspace database, so an unchanged finding is
// not validated twice. False with `error` when the validator is not configured.
bool validate_results(const workspace::Project& project, const RuleSet& rules, std::vector<report::FileResult>& results,
                      const std::string& validator, unsigned jobs, ValidationSummary& summary, std::string& error);

}  // namespace vigil::cli
