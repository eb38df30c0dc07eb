#include "cli/validate.hpp"

#include <atomic>
#include <filesystem>
#include <iostream>

#include "analyzers/validation/validators.hpp"

namespace vigil::cli {

std::unique_ptr<CheckValidation> CheckValidation::open(const workspace::Project& project, const std::string& validator_name,
                                                       std::string& error) {
  for (const auto& w : project.config.validation.ignored) std::cerr << "vigil: warning: " << w << '\n';
  auto validator = validation::make_validator(validator_name, project.config.validation, error);
  if (!validator) return nullptr;
  auto self = std::unique_ptr<CheckValidation>(new CheckValidation());
  self->validator_ = std::move(validator);
  // Verdicts are remembered in a project (a directory with .vigil/ or .git); checking a directory
  // that is not one (a system library) leaves nothing behind.
  std::error_code ec;
  const bool is_project = std::filesystem::is_directory(std::filesystem::path(project.root) / ".vigil", ec) ||
                          std::filesystem::exists(std::filesystem::path(project.root) / ".git", ec);
  if (is_project) {
    std::string db_error;
    self->db_ = store::Database::open(store::database_path(project.root), false, db_error);
    if (!self->db_) std::cerr << "vigil: verdicts are not remembered: " << db_error << '\n';
    else self->store_.emplace(*self->db_);
  }
  return self;
}

void CheckValidation::validate(const RuleSet& rules, report::FileResult& r) {
  static const std::atomic<bool> never_cancelled{false};
  r.verdicts.assign(r.findings.size(), std::nullopt);
  for (size_t j = 0; j < r.findings.size(); ++j) {
    const Finding& f = r.findings[j];
    validation::Subject subject{&f, r.snapshot, validation::make_request(f, *r.snapshot, &rules)};
    auto outcome = validation::validate_with_store(*validator_, subject, store_ ? &*store_ : nullptr, r.root_path, never_cancelled,
                                                   &store_mutex_);
    {
      std::lock_guard lock(summary_mutex_);
      switch (outcome.verdict.status) {
        case validation::Status::confirmed: ++summary_.confirmed; break;
        case validation::Status::refuted: ++summary_.refuted; break;
        case validation::Status::uncertain: ++summary_.uncertain; break;
        case validation::Status::error: ++summary_.errors; break;
      }
      if (outcome.cached) ++summary_.cached;
    }
    r.verdicts[j] = std::move(outcome.verdict);
  }
}

ValidationSummary CheckValidation::summary() const {
  std::lock_guard lock(summary_mutex_);
  return summary_;
}

}  // namespace vigil::cli
