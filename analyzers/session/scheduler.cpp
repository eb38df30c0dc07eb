#include "analyzers/session/scheduler.hpp"

#include <set>
#include <string_view>
#include <utility>

#include "analyzers/budget.hpp"
#include "analyzers/parse_errors.hpp"
#include "analyzers/suppressions.hpp"

#include <optional>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <spdlog/spdlog.h>

namespace vigil::session {

void release_free_memory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

MemoryReleaser::~MemoryReleaser() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MemoryReleaser::request() {
  {
    std::lock_guard lock(mutex_);
    due_ = std::chrono::steady_clock::now() + quiet_;
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  }
  wake_.notify_one();
}

size_t MemoryReleaser::releases() const {
  std::lock_guard lock(mutex_);
  return releases_;
}

void MemoryReleaser::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || due_; });
    if (stopping_) return;
    // Each request moves the time on: wait until none came for `quiet_`.
    while (!stopping_ && due_ && std::chrono::steady_clock::now() < *due_) {
      const auto until = *due_;
      wake_.wait_until(lock, until);
    }
    if (stopping_) return;
    due_.reset();
    lock.unlock();
    release_free_memory();
    lock.lock();
    ++releases_;
  }
}

AnalysisScheduler::AnalysisScheduler(Done done, unsigned threads, std::chrono::milliseconds quiet)
    : done_(std::move(done)), quiet_(quiet) {
  if (threads > 0) warm_up_ = std::make_unique<BackgroundQueue>();
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

AnalysisScheduler::~AnalysisScheduler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (cancel_running_) *cancel_running_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
  warm_up_.reset();  // drops a pending build, waits for a running one
}

void AnalysisScheduler::build_merged(std::shared_ptr<const RuleSet::LanguagePlan> plan) {
  warm_up_->push([plan = std::move(plan)] {
    try {
      plan->merged();
      release_free_memory();
    } catch (const std::exception& e) {
      spdlog::error("building the merged query of {}: {}", plan->language->id, e.what());
    }
  });
}

void AnalysisScheduler::warm_up(const Job& job) {
  if (!warm_up_ || !job.snapshot || !job.snapshot->language || !job.rules) return;
  auto plan = job.rules->plan_for(*job.snapshot->language);
  if (plan->claim_merged_build()) build_merged(std::move(plan));
}

void AnalysisScheduler::prepare(const std::shared_ptr<const RuleSet>& rules, const grammars::Language& language,
                                std::string_view text) {
  if (!warm_up_ || !rules) return;
  auto plan = rules->plan_for(language);
  if (plan->merged_if_built() || !plan->any_query_rule_may_match(text) || !plan->claim_merged_build()) return;
  build_merged(std::move(plan));
}

void AnalysisScheduler::schedule(Job job) {
  {
    std::lock_guard lock(mutex_);
    job.sequence = ++last_sequence_;
    auto [epoch, fresh] = epochs_.try_emplace(job.uri, 0);
    if (fresh) epoch->second = ++last_epoch_;  // (re)opened: an epoch no earlier job carries
    job.epoch = epoch->second;
  }
  if (threads_.empty()) {
    execute(job);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    auto uri = job.uri;
    // A newer version makes the complete pass of an older one useless.
    if (cancel_running_ && running_completion_ == uri) *cancel_running_ = true;
    auto [it, inserted] = pending_.insert_or_assign(uri, std::move(job));
    if (inserted) order_.push_back(uri);
  }
  wake_.notify_one();
}

void AnalysisScheduler::cancel(const std::string& uri) {
  std::lock_guard lock(mutex_);
  if (cancel_running_ && running_completion_ == uri) *cancel_running_ = true;
  pending_.erase(uri);
  previous_.erase(uri);
  complete_.erase(uri);
  epochs_.erase(uri);  // jobs still running for it find no epoch: their results are dropped
}

void AnalysisScheduler::superseded(const std::string& uri) {
  std::lock_guard lock(mutex_);
  if (cancel_running_ && running_completion_ == uri) *cancel_running_ = true;
  // Its entry in order_ goes when a worker finds no job for it.
  if (auto it = pending_.find(uri); it != pending_.end() && it->second.completion) pending_.erase(it);
}

void AnalysisScheduler::execute(const Job& job) {
  // Analysis never takes the server down: report the failure and carry on with the next document.
  std::vector<Finding> findings;
  std::string error;
  bool complete = true, whole = false;
  std::vector<Previous> retired;  // freed after done_, off the way to the publish
  try {
    findings = run(job, complete, whole, retired);
  } catch (const budget::Cancelled&) {
    return;  // a newer version is pending: its own passes follow
  } catch (const std::exception& e) {
    error = e.what();
    spdlog::error("analysis of {} failed: {}", job.uri, error);
  }
  const bool follow = !complete && error.empty();  // a complete pass follows this local one
  const auto completion_of = [&job] {
    Job completion = job;
    completion.completion = true;
    return completion;
  };
  // Queued before the result is reported: a change that the report prompts finds it (superseded).
  if (follow && !threads_.empty()) {
    Job completion = completion_of();
    completion.not_before = std::chrono::steady_clock::now() + quiet_;
    bool queued = false;
    {
      std::lock_guard lock(mutex_);
      if (!stopping_ && !pending_.contains(job.uri) && current_epoch(job)) {  // else: newer version, or closed
        pending_.emplace(job.uri, std::move(completion));
        order_.push_back(job.uri);
        queued = true;
      }
    }
    if (queued) wake_.notify_one();
  }
  done_(job, std::move(findings), error, complete || !error.empty());
  retired.clear();
  if (whole) release_free_memory();
  warm_up(job);  // once per language, after its first publish
  if (follow && threads_.empty()) execute(completion_of());
}

void AnalysisScheduler::shown(const std::string& uri) {
  std::lock_guard lock(mutex_);
  if (auto it = pending_.find(uri); it != pending_.end() && it->second.completion)
    it->second.not_before = std::max(it->second.not_before, std::chrono::steady_clock::now() + quiet_);
  // A worker waiting for the earlier time wakes then, finds it not due, and waits again.
}

size_t AnalysisScheduler::documents() const {
  std::lock_guard lock(mutex_);
  std::set<std::string_view> uris;
  for (const auto* slots : {&previous_, &complete_})
    for (const auto& entry : *slots) uris.insert(entry.first);
  for (const auto& entry : pending_) uris.insert(entry.first);
  for (const auto& entry : epochs_) uris.insert(entry.first);
  return uris.size();
}

bool AnalysisScheduler::current_epoch(const Job& job) const {
  auto e = epochs_.find(job.uri);
  return e != epochs_.end() && e->second == job.epoch;
}

AnalysisScheduler::Previous AnalysisScheduler::remember(std::map<std::string, Previous>& slots, const Job& job,
                                                        std::shared_ptr<const std::vector<Finding>> findings,
                                                        const EarlierResult& earlier) {
  std::lock_guard lock(mutex_);
  if (!current_epoch(job)) return {};  // closed meanwhile
  // Keep the newest version only: with several workers an older job may finish last. The raw
  // findings are kept: incremental analysis builds on them, suppressions apply afterwards.
  auto& slot = slots[job.uri];
  if (slot.snapshot && slot.sequence > job.sequence) return {};
  return std::exchange(slot, Previous{job.snapshot, job.rules, std::move(findings), job.options, job.sequence, earlier});
}

std::vector<Finding> AnalysisScheduler::run(const Job& job, bool& complete, bool& whole, std::vector<Previous>& retired) {
  Previous prev;
  // Incremental analysis builds on findings computed with the same rules and policy.
  auto compatible_with = [&](const Previous& p) { return p.snapshot && p.rules == job.rules && p.options == job.options; };
  {
    std::lock_guard lock(mutex_);
    if (auto it = previous_.find(job.uri); it != previous_.end()) prev = it->second;
    // The complete pass builds on the newest result when it can (a local pass of the same
    // version, usually), else on the last complete one.
    if (job.completion && !compatible_with(prev))
      if (auto it = complete_.find(job.uri); it != complete_.end()) prev = it->second;
  }
  const bool compatible = compatible_with(prev);
  EarlierResult chain;  // what this result, if local, and the local passes before it carried over
  std::vector<Finding> findings;
  complete = true;
  try {
    std::optional<budget::Scope> limit;
    if (job.budget.count() > 0) limit.emplace(job.budget);
    if (job.completion) {
      std::shared_ptr<std::atomic<bool>> flag;
      {
        std::lock_guard lock(mutex_);
        flag = cancel_running_ = std::make_shared<std::atomic<bool>>(stopping_ || pending_.contains(job.uri));
        running_completion_ = job.uri;
      }
      struct Clear {
        AnalysisScheduler& s;
        ~Clear() {
          std::lock_guard lock(s.mutex_);
          s.cancel_running_.reset();
          s.running_completion_.clear();
        }
      } clear{*this};
      const budget::CancelScope cancellable(*flag);
      whole = !compatible;
      findings = compatible ? analyze_incremental(*job.rules, *job.snapshot, *prev.snapshot, *prev.findings, job.options,
                                                  prev.earlier)
                            : analyze(*job.rules, *job.snapshot, job.options);
    } else if (compatible) {
      auto local = analyze_local(*job.rules, *job.snapshot, *prev.snapshot, *prev.findings, job.options, prev.earlier);
      findings = std::move(local.findings);
      complete = local.complete;
      // Its memo goes with the result: the next local pass and the complete pass build on it.
      chain.memo = std::move(local.memo);
      if (!complete) {
        chain.local = true;
        chain.carried_taint = local.carried_taint || prev.earlier.carried_taint;
      }
    } else {
      whole = true;
      findings = analyze(*job.rules, *job.snapshot, job.options);
    }
  } catch (const budget::Exceeded& e) {
    // Said where the user looks (a warning on the file) and in the log; previous_ and complete_
    // keep the last finished analyses for the next incremental one. No complete pass follows.
    spdlog::warn("analysis of {} stopped: {}", job.uri, e.what());
    complete = true;
    std::vector<Finding> out{budget_exceeded_finding(*job.snapshot, e.what())};
    add_parse_errors(*job.snapshot, out);
    return out;
  }
  auto kept = std::make_shared<const std::vector<Finding>>(findings);
  retired.push_back(std::move(prev));
  retired.push_back(remember(previous_, job, kept, chain));
  if (complete) retired.push_back(remember(complete_, job, std::move(kept)));
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
      // The first job in order that may run now; complete passes wait for their quiet time.
      const auto now = std::chrono::steady_clock::now();
      auto earliest = std::chrono::steady_clock::time_point::max();
      bool found = false;
      for (auto o = order_.begin(); o != order_.end();) {
        auto it = pending_.find(*o);
        if (it == pending_.end()) {
          o = order_.erase(o);  // cancelled
          continue;
        }
        if (it->second.completion && it->second.not_before > now) {
          earliest = std::min(earliest, it->second.not_before);
          ++o;
          continue;
        }
        job = std::move(it->second);
        pending_.erase(it);
        order_.erase(o);
        found = true;
        break;
      }
      if (!found) {
        if (earliest != std::chrono::steady_clock::time_point::max()) wake_.wait_until(lock, earliest);
        continue;
      }
    }
    execute(job);
  }
}

}  // namespace vigil::session
