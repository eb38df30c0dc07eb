// Secondary validation in the session: validating one finding on request (the editor's code
// action, an agent's tool call), automatic validation of new findings in AI-written code, and the
// verdicts by fingerprint that the shells show. Validators run on their own background thread, so
// typing and analyses never wait for them; results come back through Events::post.
#include <spdlog/spdlog.h>

#include <chrono>
#include <future>
#include <thread>

#include "analyzers/session/background.hpp"
#include "analyzers/session/session.hpp"
#include "analyzers/validation/validators.hpp"

namespace vigil::session {

namespace {

std::string provenance_text(const std::vector<provenance::Span>& spans) {
  for (const auto& s : spans)
    if (s.label.origin == provenance::Origin::ai) return "ai (" + std::string(provenance::to_string(s.label.evidence)) + ")";
  return spans.empty() ? "" : std::string(provenance::to_string(spans.front().label.origin));
}

}  // namespace

const validation::Verdict* Session::verdict(const std::string& fingerprint) const {
  auto it = verdicts_.find(fingerprint);
  return it == verdicts_.end() ? nullptr : &it->second;
}

BackgroundQueue& Session::validation_queue() {
  if (!validation_queue_) validation_queue_ = std::make_unique<BackgroundQueue>();
  return *validation_queue_;
}

bool Session::validate(const std::string& id, const std::string& fingerprint, std::optional<uint32_t> near_line,
                       const std::string& validator_name, std::shared_ptr<std::atomic<bool>> cancelled, VerdictCallback done,
                       std::string& error) {
  auto ref = finding(id, fingerprint, near_line);
  if (!ref) {
    error = "the finding is no longer in " + id + " (edited away?)";
    return false;
  }
  std::shared_ptr<validation::Validator> validator = validation::make_validator(validator_name, config_.validation, error);
  if (!validator) return false;
  auto finding_copy = std::make_shared<Finding>(*ref->finding);
  validation::Subject subject{nullptr, ref->snapshot,
                              validation::make_request(*finding_copy, *ref->snapshot, rules_.get(), provenance_text(ref->provenance))};
  subject.finding = finding_copy.get();
  const std::string path = relative_path(ref->snapshot->path);
  const std::string db_path = database_ ? store::database_path(root_) : std::string();
  in_flight_.insert(fingerprint);
  std::erase_if(cancel_flags_, [](const auto& f) { return f.expired(); });
  cancel_flags_.push_back(cancelled);
  validation_queue().push([this, subject = std::move(subject), finding_copy, validator, cancelled, done = std::move(done), path, db_path,
                           id, fingerprint]() mutable {
    // The validation thread has its own connection to the workspace database (SQLite WAL).
    if (!db_path.empty() && !validation_db_) {
      std::string db_error;
      validation_db_ = store::Database::open(db_path, false, db_error);
      if (!validation_db_) spdlog::warn("verdicts will not persist: {}", db_error);
    }
    std::optional<store::VerdictStore> store;
    if (validation_db_) store.emplace(*validation_db_);
    auto outcome = validation::validate_with_store(*validator, subject, store ? &*store : nullptr, path, *cancelled);
    events_.post([this, id, fingerprint, outcome = std::move(outcome), done = std::move(done)]() mutable {
      in_flight_.erase(fingerprint);
      if (stopped_) return;
      if (outcome.verdict.status != validation::Status::error || !verdicts_.contains(fingerprint)) {
        verdicts_[fingerprint] = outcome.verdict;
        ++verdict_generation_;
      }
      if (done) done(outcome.verdict);
      if (events_.verdict) events_.verdict(id);
    });
  });
  return true;
}

std::optional<validation::Verdict> Session::validate_now(std::shared_ptr<const document::Snapshot> snapshot, const Finding& finding,
                                                         const std::vector<provenance::Span>& spans, const std::string& validator_name,
                                                         std::chrono::milliseconds deadline, std::string& error) {
  auto validator = validation::make_validator(validator_name, config_.validation, error);
  if (!validator) return std::nullopt;
  validation::Subject subject{&finding, snapshot, validation::make_request(finding, *snapshot, rules_.get(), provenance_text(spans))};
  // The validators poll `cancelled`: a watchdog sets it at the deadline unless the call ends first.
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  auto finished = std::make_shared<std::promise<void>>();
  std::thread([cancelled, over = finished->get_future(), deadline]() mutable {
    if (over.wait_for(deadline) == std::future_status::timeout) *cancelled = true;
  }).detach();
  std::optional<store::VerdictStore> store;
  if (database_) store.emplace(*database_);
  auto outcome = validation::validate_with_store(*validator, subject, store ? &*store : nullptr, relative_path(snapshot->path), *cancelled);
  finished->set_value();
  if (outcome.verdict.status != validation::Status::error || !verdicts_.contains(finding.fingerprint)) {
    verdicts_[finding.fingerprint] = outcome.verdict;
    ++verdict_generation_;
  }
  return outcome.verdict;
}

void Session::auto_validate(const std::string& id) {
  const auto mode = config_.validation.auto_mode;
  if (mode == workspace::AutoValidation::off || stopped_) return;
  // Debounced: while typing continues, newer analyses supersede this one before it runs.
  const uint64_t generation = ++auto_generation_[id];
  validation_queue().push([this, id, generation] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    events_.post([this, id, generation] {
      if (stopped_ || auto_generation_[id] != generation) return;
      const Analysis* a = analysis(id);
      if (!a) return;
      const auto mode = config_.validation.auto_mode;
      // Deep analysis by default; a model endpoint only when the user turned that on.
      const std::string name = config_.validation.endpoint.automatic && config_.validation.endpoint.configured() ? "endpoint" : "deep";
      std::vector<std::pair<std::string, uint32_t>> todo;
      for (const auto& f : a->findings) {
        if (verdicts_.contains(f.fingerprint) || in_flight_.contains(f.fingerprint)) continue;
        bool in_ai = false;
        if (a->scope)
          for (const auto& s : a->scope->spans)
            if (s.label.origin == provenance::Origin::ai && s.start < std::max(f.end_byte, f.start_byte + 1) && s.end > f.start_byte)
              in_ai = true;
        if (mode == workspace::AutoValidation::ai && !in_ai) continue;
        todo.emplace_back(f.fingerprint, f.start.row);
      }
      for (const auto& [fingerprint, line] : todo) {
        std::string error;
        if (!validate(id, fingerprint, line, name, std::make_shared<std::atomic<bool>>(false), nullptr, error))
          spdlog::debug("automatic validation of {} skipped: {}", fingerprint, error);
      }
    });
  });
}

}  // namespace vigil::session
