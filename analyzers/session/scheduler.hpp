// Runs analyses off the IO thread. Per document only the newest pending snapshot is kept: a burst
// of edits costs one analysis of the latest version, never a queue of stale ones.
// After an edit the result comes in two parts for the same version: first the local pass
// (analyze_local: the changed region re-matched, whole-file findings carried over), then, unless
// that was already complete, the complete pass (analyze_incremental from the newest result, the
// local one, finding again what local passes carried over), which a newer edit of the document
// cancels.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "analyzers/engine.hpp"
#include "analyzers/session/background.hpp"

namespace vigil::session {

struct ProvenanceScope;  // session.hpp

// Gives the pages malloc holds free back to the system (glibc: malloc_trim; elsewhere nothing).
// glibc keeps what a thread freed in that thread's arena, resident until reused. For after one-off
// peaks and frees (a full analysis, a merged query's compile, documents closed), never after each
// keystroke: the next one would fault the pages back in.
void release_free_memory();

// release_free_memory() once a burst of frees is over, off the caller's thread: request() (any
// thread) runs it `quiet` after the last request, on a thread of its own (started at the first).
// Closing 1,000 documents trimmed after each close on the IO thread: 25 ms a trim of a 240 MB
// arena, 25 s in all, and the RSS read 10 s after the closes found most of the memory still held.
class MemoryReleaser {
 public:
  explicit MemoryReleaser(std::chrono::milliseconds quiet) : quiet_(quiet) {}
  ~MemoryReleaser();
  MemoryReleaser(const MemoryReleaser&) = delete;
  MemoryReleaser& operator=(const MemoryReleaser&) = delete;

  void request();
  size_t releases() const;  // trims run so far

 private:
  void run();

  const std::chrono::milliseconds quiet_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<std::chrono::steady_clock::time_point> due_;  // a release is pending
  bool stopping_ = false;
  size_t releases_ = 0;
  std::thread thread_;
};

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
    bool completion = false;                       // the complete pass after a local one...
    std::chrono::steady_clock::time_point not_before{};  // ...runs once the document is this quiet
    uint64_t epoch = 0;  // the document's epoch when scheduled (see epochs_)
  };
  // How long a document must stay unchanged before the complete pass of its last local result
  // runs: while someone types, only local passes run. Counted from when that result was shown
  // (shown()), else from when the local pass ended.
  static constexpr std::chrono::milliseconds quiet_before_completion{40};
  // Called on the worker thread with the job and its findings, or with an error message when the
  // analysis failed (the findings are then empty and must not be shown as "clean"). `complete`:
  // the findings are those of a full analysis (false for a local pass; its complete pass follows
  // unless a newer version came).
  using Done = std::function<void(const Job&, std::vector<Finding>, const std::string& error, bool complete)>;

  // threads == 0 runs every job inline in schedule(): deterministic, for tests.
  AnalysisScheduler(Done done, unsigned threads = 1, std::chrono::milliseconds quiet = quiet_before_completion);
  ~AnalysisScheduler();
  AnalysisScheduler(const AnalysisScheduler&) = delete;
  AnalysisScheduler& operator=(const AnalysisScheduler&) = delete;

  // Replaces any job pending for the same document.
  void schedule(Job job);
  // A document of `language` is being opened with `text`, to be analysed with `rules`: when the
  // text holds the words of some query rule, the merged query starts building now, on the warm-up
  // thread, while the document is parsed and its other rules run. Its analysis then waits for the
  // build when most query rules may match (RuleSet::LanguagePlan::waiting_for_merged_pays), rather
  // than compile their own queries on the publish path and the merged query after it.
  void prepare(const std::shared_ptr<const RuleSet>& rules, const grammars::Language& language, std::string_view text);
  // Forgets a pending job (document closed).
  void cancel(const std::string& uri);
  // A newer version of `uri` is being made (its text changes, then parses): the complete pass of
  // the older one, pending or running, is of no use. Dropped now rather than when the new version
  // is scheduled, so that it does not run beside the reparse and hold up the new local pass.
  void superseded(const std::string& uri);
  // The last result of `uri` has just been shown (published): its complete pass, if pending, waits
  // for the quiet time from now. The client cannot answer a result before it has it: counted from
  // the end of the local pass, the quiet time also ran while the result was converted and sent,
  // and on a loaded machine complete passes started before the next keystroke could arrive, to be
  // cancelled by it (39% of the server's CPU in the JavaScript 8k typing benchmark at load 9).
  void shown(const std::string& uri);
  // The documents it keeps anything for (a pending job, results, an epoch): the open ones, and
  // for a moment those whose job still runs. Nothing stays behind a closed document.
  size_t documents() const;

 private:
  void work();

  Done done_;
  std::chrono::milliseconds quiet_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> order_;
  std::map<std::string, Job> pending_;
  // The last analysis of each document, so the next one re-matches only what changed.
  struct Previous {
    std::shared_ptr<const document::Snapshot> snapshot;
    std::shared_ptr<const RuleSet> rules;
    // Shared by previous_, complete_ and the pass that builds on them: taking a result for the next
    // pass copies no findings (thousands in a large file, on every keystroke).
    std::shared_ptr<const std::vector<Finding>> findings;
    AnalysisOptions options;
    uint64_t sequence = 0;
    // A local pass's result, and what the chain of local passes since the last complete result
    // carried over (EarlierResult): the complete pass builds on the newest one, usually a keystroke
    // away, rather than on the last complete result, often most of the file away while typing.
    // With the memo of a local pass (EarlierResult::memo), which the next pass builds on.
    EarlierResult earlier;
  };
  std::map<std::string, Previous> previous_;  // the newest result (maybe a local pass)
  std::map<std::string, Previous> complete_;  // the newest complete result
  // Each open document's epoch, new from last_epoch_ at its first job after an open, erased when it
  // closes: a job of an earlier epoch that finishes afterwards must not keep the closed document's
  // snapshot (text and tree) in previous_ or complete_. Closed documents leave no entry.
  std::map<std::string, uint64_t> epochs_;
  uint64_t last_epoch_ = 0;
  // Whether `job`'s epoch is its document's current one (mutex_ held).
  bool current_epoch(const Job& job) const;
  // Runs the job; `complete` says whether the findings are a full analysis's, `whole` whether it
  // analysed the whole file (not incrementally from an earlier result).
  // What the job replaced or built on goes into `retired`, freed after its result is reported:
  // a large file's findings and tree take milliseconds to free.
  std::vector<Finding> run(const Job& job, bool& complete, bool& whole, std::vector<Previous>& retired);
  // Keeps the job's findings in `slots` unless a newer version's are there; returns what it replaced.
  Previous remember(std::map<std::string, Previous>& slots, const Job& job,
                    std::shared_ptr<const std::vector<Finding>> findings, const EarlierResult& earlier = {});
  // The complete pass running now (its document), and the flag that cancels it.
  std::string running_completion_;
  std::shared_ptr<std::atomic<bool>> cancel_running_;
  // Runs the job and reports to done_ exactly once, with its findings or its error.
  void execute(const Job& job);
  bool stopping_ = false;
  uint64_t last_sequence_ = 0;
  std::vector<std::thread> threads_;
  // Builds a language's merged query when a file in it opens (prepare) or at the latest after its
  // first publish (the local passes, which run on every keystroke, never compile it:
  // RuleSet::LanguagePlan::claim_merged_build).
  // Null when jobs run inline.
  std::unique_ptr<BackgroundQueue> warm_up_;
  void warm_up(const Job& job);
  void build_merged(std::shared_ptr<const RuleSet::LanguagePlan> plan);
};

}  // namespace vigil::session
