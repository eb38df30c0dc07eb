// The feedback bank: every verdict on a finding remembered in the workspace database
// (`.vigil/feedback.db`, store migration 4), keyed by the finding's fingerprint (rule + normalized
// code: stable across line moves and reformatting), and what the bank changes in results.
//
// Sources of verdicts: `user` (the editor's "Mark as false positive…" / "Confirm finding"),
// `agent` (MCP record_verdict), `validator` (secondary validation: read from the validators' own
// table `validation_verdict` through the view `feedback_vote`, never copied), `ci`
// (`vigil check --record`: the findings of a run, and `fixed` for those gone since), `fix` (a
// confirmed finding that disappeared from the editor after an edit, with the diff).
//
// Votes: the latest verdict of each (fingerprint, source, author, tool) among confirmed and
// false_positive. A rule's precision counts the votes of people and agents (user, agent, and the
// same imported); validators' verdicts are shown beside it but do not move it, since automatic
// validation runs on every AI finding and would otherwise outvote the people who looked.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/store/store.hpp"

namespace vigil::feedback {

enum class Kind { confirmed, false_positive, fixed };
std::string_view to_string(Kind k);
std::optional<Kind> parse_kind(std::string_view s);

struct Verdict {
  std::string fingerprint;
  std::string rule_id;
  Kind kind = Kind::confirmed;
  std::string source;      // user | agent | validator | ci | fix
  std::string tool;        // the editor or agent (client name), the validator and model, "vigil check"
  std::string author;      // "Name <email>" from the user's global git config, else $USER
  std::string reason;      // why (a false positive's explanation)
  std::string path;        // relative to the workspace root
  uint32_t line = 0;       // 1-based; 0 unknown
  std::string context;     // the finding's code, whitespace-normalized and capped (see `snippet`)
  std::string provenance;  // ai | human | reviewed | "" (unknown)
  std::string diff;        // fixed: what changed
  int64_t created_at = 0;  // seconds since the epoch; 0 = now (on record)
  std::string uid;         // identity across banks; computed from the fields when empty

  nlohmann::json to_json() const;
  // Null with `error` when a required field is missing or wrong.
  static std::optional<Verdict> from_json(const nlohmann::json& j, std::string& error);
};

// The code a verdict keeps: whitespace runs folded to one space, at most `max` bytes (on a UTF-8
// boundary).
std::string snippet(std::string_view code, size_t max = 400);

// A finding's context: the whole lines over [start, end) of `text` (at most 5), as a snippet.
std::string context_of(std::string_view text, uint32_t start, uint32_t end);

struct RuleStats {
  uint64_t findings = 0;         // distinct fingerprints the bank knows for the rule
  uint64_t confirmed = 0;        // votes of people and agents
  uint64_t false_positives = 0;
  uint64_t fixed = 0;            // distinct fingerprints fixed
  uint64_t validator_confirmed = 0;
  uint64_t validator_refuted = 0;
  uint64_t votes() const { return confirmed + false_positives; }
  // confirmed / (confirmed + false positive); nullopt without votes.
  std::optional<double> precision() const;
};

struct ProvenanceStats {
  uint64_t findings = 0;
  uint64_t fixed = 0;
  uint64_t false_positives = 0;
};

struct Stats {
  std::map<std::string, RuleStats> rules;              // by rule id
  std::map<std::string, ProvenanceStats> provenance;   // "ai", "human", "unknown"
};

// What the bank changes in results, read once and applied to many analyses (pure, copyable).
struct View {
  std::set<std::string> hidden;          // fingerprints marked false positives (latest vote of a person or agent)
  std::set<std::string> refuted;         // fingerprints a validator refuted, with no confirmation since
  std::set<std::string> confirmed;       // fingerprints whose latest vote of a person or agent is confirmed
  std::set<std::string> fixed;           // fingerprints recorded as fixed
  std::map<std::string, RuleStats> rules;
};

class Bank {
 public:
  explicit Bank(store::Database& db) : db_(db) {}

  // Stores a verdict (durably: the call returns after the commit). A verdict whose uid is already
  // there is skipped (`inserted` false): importing twice changes nothing.
  bool record(Verdict v, std::string* error = nullptr, bool* inserted = nullptr);
  // Several in one transaction (import): the number inserted, nullopt on error (nothing stored).
  std::optional<size_t> record_all(std::vector<Verdict> verdicts, std::string* error = nullptr);

  // `vigil check --record`: what one run saw. `findings` are upserted; the findings stored for
  // `checked_paths` that the run did not see again are recorded as fixed (source ci, diff: the
  // code that went away). Returns the number newly fixed, nullopt on error.
  struct Seen {
    std::string fingerprint, rule_id, path, context, provenance;
    uint32_t line = 0;
  };
  std::optional<size_t> record_run(const std::vector<Seen>& findings, const std::set<std::string>& checked_paths,
                                   bool detect_fixed, const std::string& author, std::string* error = nullptr);

  View view() const;
  Stats stats() const;
  // Every vote and verdict (with the validators'), oldest first: for export.
  std::vector<Verdict> all() const;
  // Confirmed or fixed findings in AI-written code, newest first: what lessons are made of.
  std::vector<Verdict> lessons(size_t limit) const;
  // The latest verdict of the given source on a fingerprint.
  std::optional<Verdict> latest(const std::string& fingerprint) const;
  // Has any other connection committed since the last call? (PRAGMA data_version.)
  bool changed_since_last_look();

 private:
  store::Database& db_;
  int64_t data_version_ = -1;
};

// The author a verdict is recorded under: the user's own git identity (`git config --global`, no
// repository config, no system config), else $USER. Cached per process.
std::string current_author();

}  // namespace vigil::feedback
