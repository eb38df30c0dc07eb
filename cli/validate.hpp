// `vigil check --validate[=deep|endpoint|command]`: a second opinion on every reported finding.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "analyzers/report/report.hpp"
#include "analyzers/store/store.hpp"
#include "analyzers/validation/verdict.hpp"
#include "analyzers/workspace/files.hpp"

namespace vigil::cli {

struct ValidationSummary {
  size_t confirmed = 0, refuted = 0, uncertain = 0, errors = 0, cached = 0;
};

// Validates the findings of one file at a time, from `vigil check`'s workers (each file while its
// syntax tree is still alive), so at most --jobs validations (for an endpoint: requests) run at
// once. Verdicts are kept in the workspace database, so an unchanged finding is not validated twice.
class CheckValidation {
 public:
  // Null with `error` when the validator is not configured (e.g. no endpoint in the user settings).
  static std::unique_ptr<CheckValidation> open(const workspace::Project& project, const std::string& validator_name,
                                               std::string& error);
  // Fills r.verdicts; thread-safe.
  void validate(const RuleSet& rules, report::FileResult& r);
  ValidationSummary summary() const;

 private:
  std::unique_ptr<validation::Validator> validator_;
  std::unique_ptr<store::Database> db_;
  std::optional<store::VerdictStore> store_;
  std::mutex store_mutex_;
  mutable std::mutex summary_mutex_;
  ValidationSummary summary_;
};

}  // namespace vigil::cli
