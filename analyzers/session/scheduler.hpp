// Runs analyses off the IO thread. Per document only the newest pending snapshot is kept: a burst
// of edits costs one analysis of the latest version, never a queue of stale ones.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "analyzers/engine.hpp"

namespace vigil::session {

struct ProvenanceScope;  // session.hpp

class AnalysisScheduler {
 public:
  struct Job {
    std::string uri;
    std::shared_ptr<const document::Snapshot> snapshot;
    std::shared_ptr<const RuleSet> rules;
    std::shared_ptr<const ProvenanceScope> scope;  // AI ranges + scope settings for conversion
    AnalysisOptions options;                       // the engine's policy (parameters as sources)
    // Time allowed for the analysis (fileBudget); zero: none. When it runs out the findings are
    // one budget_exceeded_finding (and the parse errors), never a silently clean file.
    std::chrono::steady_clock::duration budget{};
    uint64_t sequence = 0;  // set by schedule(): which of two jobs is newer (client versions may go backwards)
  };
  // Called on the worker thread with the job and its findings, or with an error message when the
  // analysis failed (the findings are then empty and must not be shown as "clean").
  using Done = std::function<void(const Job&, std::vector<Finding>, const std::string& error)>;

  // threads == 0 runs every job inline in schedule(): deterministic, for tests.
  AnalysisScheduler(Done done, unsigned threads = 1);
  ~AnalysisScheduler();
  AnalysisScheduler(const AnalysisScheduler&) = delete;
  AnalysisScheduler& operator=(const AnalysisScheduler&) = delete;

  // Replaces any job pending for the same document.
  void schedule(Job job);
  // Forgets a pending job (document closed).
  void cancel(const std::string& uri);

 private:
  void work();

  Done done_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> order_;
  std::map<std::string, Job> pending_;
  // The last analysis of each document, so the next one re-matches only what changed.
  struct Previous {
    std::shared_ptr<const document::Snapshot> snapshot;
    std::shared_ptr<const RuleSet> rules;
    std::vector<Finding> findings;
    AnalysisOptions options;
    uint64_t sequence = 0;
  };
  std::map<std::string, Previous> previous_;
  std::vector<Finding> run(const Job& job);
  // Runs the job and reports to done_ exactly once, with its findings or its error.
  void execute(const Job& job);
  bool stopping_ = false;
  uint64_t last_sequence_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace vigil::session
