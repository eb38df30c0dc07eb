#include "analyzers/session/store_writer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "analyzers/provenance/map.hpp"

namespace vigil::session {

std::vector<provenance::Span> merge_spans(const std::vector<provenance::Span>& theirs,
                                          const std::vector<provenance::Span>& ours) {
  provenance::ProvenanceMap map;
  for (const auto& s : theirs) map.mark(s.start, s.end, s.label);
  for (const auto& s : ours) map.mark(s.start, s.end, s.label);
  return map.spans();
}

store::SaveOutcome run_write(store::ProvenanceStore& store, const PendingWrite& write) {
  return store.save_merging(write.rel_path, write.content, write.spans, write.expected,
                            [&](const store::StoredProvenance& theirs) { return merge_spans(theirs.spans, write.spans); });
}

StoreWriter::StoreWriter(std::string database_path, Done done, std::chrono::milliseconds give_up_after)
    : path_(std::move(database_path)), done_(std::move(done)), give_up_after_(give_up_after), thread_([this] { run(); }) {}

StoreWriter::~StoreWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void StoreWriter::push(PendingWrite write) {
  {
    std::lock_guard lock(mutex_);
    ++pending_[write.rel_path];
    queue_.push_back(std::move(write));
  }
  wake_.notify_all();
}

bool StoreWriter::pending() const {
  std::lock_guard lock(mutex_);
  return !pending_.empty();
}

void StoreWriter::run() {
  using clock = std::chrono::steady_clock;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::ProvenanceStore> store;
  std::optional<clock::time_point> stop_deadline;
  for (;;) {
    std::optional<PendingWrite> write;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping with nothing left
      if (stopping_ && !stop_deadline) stop_deadline = clock::now() + std::chrono::seconds(5);
      write = std::move(queue_.front());
      queue_.pop_front();
    }
    // A write queued behind an earlier one of the same file expects what that one stored: the row
    // is ours, not another writer's, and nothing of it must be merged back.
    if (auto last = last_written_.find(write->rel_path); last != last_written_.end()) write->expected = last->second;
    const auto started = clock::now();
    auto delay = std::chrono::milliseconds(100);
    store::SaveOutcome outcome;
    bool reported = false;
    for (;;) {
      if (!db) {
        std::string error;
        db = store::Database::open(path_, false, error);
        if (db) {
          db->set_busy_timeout(2000);
          store = std::make_unique<store::ProvenanceStore>(*db);
        } else {
          outcome = {store::SaveOutcome::Kind::busy, {}, false, error};
        }
      }
      if (store) outcome = run_write(*store, *write);
      if (outcome.kind != store::SaveOutcome::Kind::busy) break;
      const auto now = clock::now();
      bool stopping;
      {
        std::lock_guard lock(mutex_);
        stopping = stopping_;
      }
      if (stopping && !stop_deadline) stop_deadline = now + std::chrono::seconds(5);
      if (now - started > give_up_after_ || (stop_deadline && now > *stop_deadline)) {
        outcome.kind = store::SaveOutcome::Kind::failed;
        break;
      }
      if (!reported) {
        spdlog::warn("the database is locked by another process: the provenance of {} is stored once it is free", write->rel_path);
        reported = true;
      }
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, delay, [this] { return stopping_; });
      delay = std::min(delay * 2, std::chrono::milliseconds(2000));
    }
    if (outcome.kind == store::SaveOutcome::Kind::failed)
      spdlog::warn("the provenance of {} was not stored (the database stayed locked or failed): {}", write->rel_path,
                   outcome.error);
    else if (reported)
      spdlog::info("the provenance of {} is stored, after waiting for the database lock", write->rel_path);
    if (outcome.kind == store::SaveOutcome::Kind::saved)
      last_written_[write->rel_path] = store::StoredProvenance{write->content, outcome.written};
    if (done_) done_(*write, outcome);
    std::lock_guard lock(mutex_);
    if (--pending_[write->rel_path] == 0) {
      pending_.erase(write->rel_path);
      last_written_.erase(write->rel_path);
    }
  }
}

}  // namespace vigil::session
