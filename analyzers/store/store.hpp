// The workspace database: SQLite in WAL mode at <workspace>/.vigil/feedback.db, shared by the
// provenance map (its tables here) and the feedback bank (which adds its own). The schema version is
// `PRAGMA user_version`; migrations run in order when a database is opened.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/provenance/map.hpp"

struct sqlite3;

namespace vigil::store {

// <root>/.vigil/feedback.db
std::string database_path(const std::string& workspace_root);

// Writes `<dir>/.gitignore` unless one exists, as pytest and ruff do for their caches: everything
// Vigil writes in `.vigil/` stays out of `git status`, while what a project commits there
// (config.yaml, rules/, baseline.json) is not ignored. Database::open calls it for `.vigil`.
void write_gitignore(const std::string& vigil_dir);

class Database {
 public:
  // Opens (creating the file and its directory unless `read_only`) and migrates. Null with `error`
  // set when it cannot (read-only and missing, unwritable directory, newer schema: a newer Vigil's
  // file is never touched). A damaged file opened for writing is moved aside
  // (`feedback.db.corrupt-<time>`) and a new one created: `warning()` then says where it went.
  static std::unique_ptr<Database> open(const std::string& path, bool read_only, std::string& error);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() const { return db_; }
  int schema_version() const;
  // How long a statement waits for another process's write lock before it fails with SQLITE_BUSY
  // (5 s after open; an editor's IO thread sets it short and retries the write elsewhere).
  void set_busy_timeout(int milliseconds);
  static int latest_schema_version();
  // Set when opening recovered from a damaged file: for the caller to show.
  const std::string& warning() const { return warning_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  static std::unique_ptr<Database> open_once(const std::string& path, bool read_only, std::string& error, bool check);
  sqlite3* db_;
  std::string warning_;
};

// A file's provenance as last seen: the text it applied to and its ranges (byte offsets in it).
struct StoredProvenance {
  std::string content;
  std::vector<provenance::Span> spans;
  bool operator==(const StoredProvenance&) const = default;
};

// How a compare-and-swap save ended.
struct SaveOutcome {
  enum class Kind { saved, busy, failed } kind = Kind::failed;  // busy: another process holds the lock
  std::vector<provenance::Span> written;  // when saved: the spans now stored (merged, when merged)
  bool merged = false;                    // another writer had saved since `expected`: theirs were merged in
  std::string error;
};

// Provenance per file, keyed by path relative to the workspace root.
class ProvenanceStore {
 public:
  explicit ProvenanceStore(Database& db) : db_(db) {}
  std::optional<StoredProvenance> load(const std::string& path) const;
  // Replaces what is stored for `path`. False (and logged by the caller) when the write failed.
  bool save(const std::string& path, std::string_view content, const std::vector<provenance::Span>& spans,
            std::string* error = nullptr);
  bool remove(const std::string& path);
  // A save that keeps what other writers stored meanwhile (two editors with the same file open):
  // `expected` is the row as this writer last saw it (nullopt: it saw none). In one transaction,
  // when the row is no longer that and still describes the same content, `merge(theirs)` gives the
  // spans to store instead of `spans`; otherwise `spans` replace the row.
  using Merge = std::function<std::vector<provenance::Span>(const StoredProvenance& theirs)>;
  SaveOutcome save_merging(const std::string& path, std::string_view content, const std::vector<provenance::Span>& spans,
                           const std::optional<StoredProvenance>& expected, const Merge& merge);

 private:
  bool write_rows(const std::string& path, std::string_view content, const std::vector<provenance::Span>& spans,
                  std::string& error);
  Database& db_;
};

// What an agent proposed for a file through `vigil mcp` (check_code, check_diff) before writing
// it: the proposed text, the lines of it the agent wrote (0-based), and the agent (MCP client name).
// One per file, the latest; applied to the file's provenance once the file holds those lines.
struct AgentProposal {
  std::string content;
  std::vector<uint32_t> lines;
  std::string tool;
};

class AgentProposalStore {
 public:
  explicit AgentProposalStore(Database& db) : db_(db) {}
  std::optional<AgentProposal> load(const std::string& path) const;
  bool save(const std::string& path, const AgentProposal& proposal, std::string* error = nullptr);
  bool remove(const std::string& path);

 private:
  Database& db_;
};

// A validator's verdict on one finding (schema 3). The verdict itself is JSON (validation::Verdict);
// the store keeps it opaque so that the feedback bank can add its own sources of verdicts.
struct StoredVerdict {
  std::string fingerprint;   // the finding's fingerprint
  std::string validator;     // "deep", "endpoint", "command"
  std::string context_key;   // validation::context_key: what the verdict depended on
  std::string rule_id;
  std::string path;          // relative to the workspace root
  std::string status;        // confirmed | refuted | uncertain | error
  std::string verdict_json;
  int64_t created_at = 0;    // seconds since the epoch; 0 = now (on save)
};

class VerdictStore {
 public:
  explicit VerdictStore(Database& db) : db_(db) {}
  // The stored verdict for this finding and validator, only if its context is unchanged.
  std::optional<StoredVerdict> load(const std::string& fingerprint, const std::string& validator, const std::string& context_key) const;
  // Replaces the finding's verdict from this validator.
  bool save(const StoredVerdict& verdict);
  size_t count() const;

 private:
  Database& db_;
};

}  // namespace vigil::store
