// Provenance writes that found the database locked by another process (a second editor, `vigil
// check`, a backup tool holding a transaction). The IO thread tries a write once with a busy
// timeout of a second; a write that gets SQLITE_BUSY comes here, to a thread with its own
// connection, which retries it with backoff (in order; while anything waits here, later writes
// queue behind it without the IO thread waiting again), logs that the database is locked, and logs
// any write it finally gives up on.
#pragma once

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

#include "analyzers/store/store.hpp"

namespace vigil::session {

// One provenance write: the row for `rel_path` as compare-and-swap (see ProvenanceStore::save_merging).
struct PendingWrite {
  std::string id;  // the open document it comes from (empty: a file that is not open)
  std::string rel_path;
  std::string content;
  std::vector<provenance::Span> spans;
  std::optional<store::StoredProvenance> expected;
};

// The overlay of another writer's ranges and ours: theirs where we know nothing, ours elsewhere.
std::vector<provenance::Span> merge_spans(const std::vector<provenance::Span>& theirs,
                                          const std::vector<provenance::Span>& ours);

// Runs one write on `store`: save_merging with merge_spans.
store::SaveOutcome run_write(store::ProvenanceStore& store, const PendingWrite& write);

class StoreWriter {
 public:
  // `done` runs on the writer thread after each write that was saved (or given up: kind failed);
  // the session posts it to its own thread.
  using Done = std::function<void(const PendingWrite&, const store::SaveOutcome&)>;
  StoreWriter(std::string database_path, Done done, std::chrono::milliseconds give_up_after = std::chrono::seconds(60));
  // Retries what is pending for a short while, then logs what is dropped.
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  void push(PendingWrite write);
  // Whether any write waits here: the database was locked a moment ago, so the IO thread does not
  // wait for it again (and a newer write of a file never overtakes an older one).
  bool pending() const;

 private:
  void run();

  std::string path_;
  Done done_;
  std::chrono::milliseconds give_up_after_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<PendingWrite> queue_;
  std::map<std::string, int> pending_;  // rel path -> writes queued or running
  std::map<std::string, store::StoredProvenance> last_written_;  // writer thread only
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace vigil::session
