#include "analyzers/session/scheduler.hpp"

#include "analyzers/budget.hpp"
#include "analyzers/parse_errors.hpp"
#include "analyzers/suppressions.hpp"

#include <optional>

#include <spdlog/spdlog.h>

namespace vigil::session {

AnalysisScheduler::AnalysisScheduler(Done done, unsigned threads) : done_(std::move(done)) {
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

AnalysisScheduler::~AnalysisScheduler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void AnalysisScheduler::schedule(Job job) {
  {
    std::lock_guard lock(mutex_);
    job.sequence = ++last_sequence_;
  }
  if (threads_.empty()) {
    execute(job);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    auto uri = job.uri;
    auto [it, inserted] = pending_.insert_or_assign(uri, std::move(job));
    if (inserted) order_.push_back(uri);
  }
  wake_.notify_one();
}

void AnalysisScheduler::cancel(const std::string& uri) {
  std::lock_guard lock(mutex_);
  pending_.erase(uri);
  previous_.erase(uri);
}

void AnalysisScheduler::execute(const Job& job) {
  // Analysis never takes the server down: report the failure and carry on with the next document.
  std::vector<Finding> findings;
  std::string error;
  try {
    findings = run(job);
  } catch (const std::exception& e) {
    error = e.what();
    spdlog::error("analysis of {} failed: {}", job.uri, error);
  }
  done_(job, std::move(findings), error);
}

std::vector<Finding> AnalysisScheduler::run(const Job& job) {
  Previous prev;
  {
    std::lock_guard lock(mutex_);
    if (auto it = previous_.find(job.uri); it != previous_.end()) prev = it->second;
  }
  // Incremental analysis builds on findings computed with the same rules and policy.
  std::vector<Finding> findings;
  try {
    std::optional<budget::Scope> limit;
    if (job.budget.count() > 0) limit.emplace(job.budget);
    findings = prev.snapshot && prev.rules == job.rules && prev.options == job.options
                   ? analyze_incremental(*job.rules, *job.snapshot, *prev.snapshot, prev.findings, job.options)
                   : analyze(*job.rules, *job.snapshot, job.options);
  } catch (const budget::Exceeded& e) {
    // Said where the user looks (a warning on the file) and in the log; `previous_` keeps the last
    // complete analysis for the next incremental one.
    spdlog::warn("analysis of {} stopped: {}", job.uri, e.what());
    std::vector<Finding> out{budget_exceeded_finding(*job.snapshot, e.what())};
    add_parse_errors(*job.snapshot, out);
    return out;
  }
  {
    std::lock_guard lock(mutex_);
    // Keep the newest version only: with several workers an older job may finish last. The raw
    // findings are kept: incremental analysis builds on them, suppressions apply afterwards.
    auto& slot = previous_[job.uri];
    if (!slot.snapshot || slot.sequence <= job.sequence) slot = {job.snapshot, job.rules, findings, job.options, job.sequence};
  }
  auto out = apply_suppressions(*job.snapshot, std::move(findings), *job.rules);
  add_parse_errors(*job.snapshot, out);  // notes, after suppressions: a syntax error is not silenced
  return out;
}

void AnalysisScheduler::work() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !order_.empty(); });
      if (stopping_) return;
      auto uri = order_.front();
      order_.pop_front();
      auto it = pending_.find(uri);
      if (it == pending_.end()) continue;  // cancelled
      job = std::move(it->second);
      pending_.erase(it);
    }
    execute(job);
  }
}

}  // namespace vigil::session
