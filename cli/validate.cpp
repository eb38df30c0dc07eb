#include "cli/validate.hpp"

#include <atomic>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "analyzers/validation/validators.hpp"

namespace vigil::cli {

bool validate_results(const workspace::Project& project, const RuleSet& rules, std::vector<report::FileResult>& results,
                      const std::string& validator_name, unsigned jobs, ValidationSummary& summary, std::string& error) {
  for (const auto& w : project.config.validation.ignored) std::cerr << "vigil: warning: " << w << '\n';
  auto validator = validation::make_validator(validator_name, project.config.validation, error);
  if (!validator) return false;
  // Verdicts are remembered in a project (a directory with .vigil/ or .git); checking a directory
  // that is not one (a system library) leaves nothing behind.
  std::error_code ec;
  const bool is_project = std::filesystem::is_directory(std::filesystem::path(project.root) / ".vigil", ec) ||
                          std::filesystem::exists(std::filesystem::path(project.root) / ".git", ec);
  std::string db_error;
  auto db = is_project ? store::Database::open(store::database_path(project.root), false, db_error) : nullptr;
  if (is_project && !db) std::cerr << "vigil: verdicts are not remembered: " << db_error << '\n';
  std::optional<store::VerdictStore> store;
  if (db) store.emplace(*db);
  std::mutex store_mutex;

  struct Item {
    size_t file, finding;
  };
  std::vector<Item> items;
  for (size_t i = 0; i < results.size(); ++i) {
    results[i].verdicts.assign(results[i].findings.size(), std::nullopt);
    for (size_t j = 0; j < results[i].findings.size(); ++j) items.push_back({i, j});
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> never_cancelled{false};
  std::mutex summary_mutex;
  auto worker = [&] {
    for (size_t k = next++; k < items.size(); k = next++) {
      auto& r = results[items[k].file];
      const Finding& f = r.findings[items[k].finding];
      validation::Subject subject{&f, r.snapshot, validation::make_request(f, *r.snapshot, &rules)};
      auto outcome = validation::validate_with_store(*validator, subject, store ? &*store : nullptr, r.root_path, never_cancelled, &store_mutex);
      std::lock_guard lock(summary_mutex);
      switch (outcome.verdict.status) {
        case validation::Status::confirmed: ++summary.confirmed; break;
        case validation::Status::refuted: ++summary.refuted; break;
        case validation::Status::uncertain: ++summary.uncertain; break;
        case validation::Status::error: ++summary.errors; break;
      }
      if (outcome.cached) ++summary.cached;
      r.verdicts[items[k].finding] = std::move(outcome.verdict);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < std::min<size_t>(std::max(1u, jobs), items.size()); ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  return true;
}

}  // namespace vigil::cli
