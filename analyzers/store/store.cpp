#include "analyzers/store/store.hpp"
#include "analyzers/store/statement.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <thread>

namespace vigil::store {
namespace fs = std::filesystem;

namespace {

// Migration N brings user_version from N-1 to N. Append, never edit: the feedback bank adds its
// tables as the next entry.
const std::vector<const char*>& migrations() {
  static const std::vector<const char*> list = {
      // 1: provenance
      "CREATE TABLE provenance_file ("
      "  path TEXT PRIMARY KEY,"
      "  content BLOB NOT NULL,"
      "  updated_at INTEGER NOT NULL);"
      "CREATE TABLE provenance_range ("
      "  path TEXT NOT NULL REFERENCES provenance_file(path) ON DELETE CASCADE,"
      "  start_byte INTEGER NOT NULL,"
      "  end_byte INTEGER NOT NULL,"
      "  origin TEXT NOT NULL,"
      "  evidence TEXT NOT NULL,"
      "  tool TEXT NOT NULL DEFAULT '');"
      "CREATE INDEX provenance_range_path ON provenance_range(path);",
      // 2: what agents proposed through `vigil mcp`, applied when the file holds it
      "CREATE TABLE agent_proposal ("
      "  path TEXT PRIMARY KEY,"
      "  content BLOB NOT NULL,"
      "  lines TEXT NOT NULL,"
      "  tool TEXT NOT NULL DEFAULT '',"
      "  created_at INTEGER NOT NULL);",
      // 3: verdicts of secondary validation, one per finding and validator. `context_key` hashes
      // what the verdict depended on (code, enclosing function, trace): a different key means the
      // finding changed and the verdict no longer applies. `verdict` is the verdict as JSON.
      "CREATE TABLE validation_verdict ("
      "  fingerprint TEXT NOT NULL,"
      "  validator TEXT NOT NULL,"
      "  context_key TEXT NOT NULL,"
      "  rule_id TEXT NOT NULL,"
      "  path TEXT NOT NULL,"
      "  status TEXT NOT NULL,"
      "  verdict TEXT NOT NULL,"
      "  created_at INTEGER NOT NULL,"
      "  PRIMARY KEY (fingerprint, validator));",
      // 4: the feedback bank (analyzers/feedback). `feedback_verdict`: every verdict by a person, an
      // agent, CI or a fix, append-only; `uid` identifies a verdict across banks (import is
      // idempotent). `feedback_finding`: what `vigil check --record` saw, and when it went away
      // (fixed). `feedback_vote` adds the validators' verdicts (validation_verdict, one per finding
      // and validator) as votes of source `validator`, so that table stays the validators' own.
      "CREATE TABLE feedback_verdict ("
      "  id INTEGER PRIMARY KEY,"
      "  uid TEXT NOT NULL UNIQUE,"
      "  fingerprint TEXT NOT NULL,"
      "  rule_id TEXT NOT NULL,"
      "  verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'false_positive', 'fixed')),"
      "  source TEXT NOT NULL,"
      "  tool TEXT NOT NULL DEFAULT '',"
      "  author TEXT NOT NULL DEFAULT '',"
      "  reason TEXT NOT NULL DEFAULT '',"
      "  path TEXT NOT NULL DEFAULT '',"
      "  line INTEGER NOT NULL DEFAULT 0,"
      "  context TEXT NOT NULL DEFAULT '',"
      "  provenance TEXT NOT NULL DEFAULT '',"
      "  diff TEXT NOT NULL DEFAULT '',"
      "  created_at INTEGER NOT NULL);"
      "CREATE INDEX feedback_verdict_fingerprint ON feedback_verdict(fingerprint);"
      "CREATE INDEX feedback_verdict_rule ON feedback_verdict(rule_id);"
      "CREATE TABLE feedback_finding ("
      "  fingerprint TEXT PRIMARY KEY,"
      "  rule_id TEXT NOT NULL,"
      "  path TEXT NOT NULL,"
      "  line INTEGER NOT NULL,"
      "  context TEXT NOT NULL DEFAULT '',"
      "  provenance TEXT NOT NULL DEFAULT '',"
      "  first_seen INTEGER NOT NULL,"
      "  last_seen INTEGER NOT NULL,"
      "  fixed_at INTEGER);"
      "CREATE INDEX feedback_finding_path ON feedback_finding(path);"
      "CREATE VIEW feedback_vote AS"
      "  SELECT id, uid, fingerprint, rule_id, verdict, source, tool, author, reason, path, line, context, provenance, diff,"
      "         created_at FROM feedback_verdict"
      "  UNION ALL"
      "  SELECT 0, 'validation:' || validator || ':' || fingerprint || ':' || created_at, fingerprint, rule_id,"
      "         CASE status WHEN 'confirmed' THEN 'confirmed' ELSE 'false_positive' END, 'validator', validator, '', '', path, 0,"
      "         '', '', '', created_at FROM validation_verdict WHERE status IN ('confirmed', 'refuted');",
  };
  return list;
}

}  // namespace

std::string database_path(const std::string& workspace_root) {
  return (fs::path(workspace_root) / ".vigil" / "feedback.db").string();
}

void write_gitignore(const std::string& vigil_dir) {
  const fs::path path = fs::path(vigil_dir) / ".gitignore";
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(vigil_dir, ec))) return;
  // Only when missing, and never through a link someone planted there.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return;
  static const std::string text =
      "# Written by Vigil (only when missing: edit it freely). Vigil's database and caches stay\n"
      "# out of git; the files a project commits here are not ignored.\n"
      "*\n"
      "!config.yaml\n"
      "!baseline.json\n"
      "!rules/\n"
      "!rules/**\n";
  [[maybe_unused]] const ssize_t n = ::write(fd, text.data(), text.size());
  ::close(fd);
}

namespace {

// The database and its side files must be regular files or absent: a symlink would make SQLite
// read or write wherever it points; so must the directory holding them.
bool refuse_links(const std::string& path, std::string& error) {
  struct stat st {};
  const auto dir = fs::path(path).parent_path().string();
  if (::lstat(dir.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
    error = dir + " is " + (S_ISLNK(st.st_mode) ? "a symlink" : "not a directory") + ": no database there";
    return false;
  }
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string p = path + suffix;
    if (::lstat(p.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
      error = p + " is " + (S_ISLNK(st.st_mode) ? "a symlink" : "not a regular file") + ": refused";
      return false;
    }
  }
  return true;
}

}  // namespace

int Database::latest_schema_version() { return static_cast<int>(migrations().size()); }

namespace {

// A file SQLite cannot read as a database, or whose pages are damaged.
bool is_corruption(int code) { return code == SQLITE_CORRUPT || code == SQLITE_NOTADB; }

// Moves a damaged database (and its WAL and shared-memory files) aside; the new name, or empty.
std::string move_aside(const std::string& path) {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", std::gmtime(&now));
  std::string target = path + ".corrupt-" + stamp;
  std::error_code ec;
  for (int n = 1; fs::exists(target, ec); ++n) target = path + ".corrupt-" + stamp + "-" + std::to_string(n);
  fs::rename(path, target, ec);
  if (ec) return {};
  for (const char* suffix : {"-wal", "-shm"}) {
    std::error_code ignored;
    if (fs::exists(path + suffix, ignored)) fs::rename(path + suffix, target + suffix, ignored);
  }
  return target;
}

}  // namespace

std::unique_ptr<Database> Database::open(const std::string& path, bool read_only, std::string& error) {
  std::string warning;
  auto db = open_once(path, read_only, error, !read_only);
  if (!db && !read_only && error.starts_with("corrupt:")) {
    // A damaged file is kept for inspection, and work goes on with a new database.
    const std::string aside = move_aside(path);
    if (aside.empty()) {
      error = path + ": the database is damaged (" + error.substr(8) + ") and cannot be moved aside";
      return nullptr;
    }
    warning = path + " was damaged (" + error.substr(8) + "): moved to " + aside + " and a new database created";
    error.clear();
    db = open_once(path, read_only, error, false);
    if (db) db->warning_ = warning;
  }
  if (!db && error.starts_with("corrupt:")) error = path + ": the database is damaged (" + error.substr(8) + ")";
  return db;
}

std::unique_ptr<Database> Database::open_once(const std::string& path, bool read_only, std::string& error, bool check) {
  std::error_code ec;
  if (read_only && !fs::exists(fs::symlink_status(path, ec))) {
    error = path + ": no database";
    return nullptr;
  }
  if (!refuse_links(path, error)) return nullptr;
  if (!read_only) {
    const auto dir = fs::path(path).parent_path();
    fs::create_directories(dir, ec);
    if (!refuse_links(path, error)) return nullptr;
    if (dir.filename() == ".vigil") write_gitignore(dir.string());
    // Created here, exclusively and without following links; SQLite then opens the file itself.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0) ::close(fd);
  }
  sqlite3* raw = nullptr;
  const int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOFOLLOW;
  if (sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    error = path + ": " + (raw ? sqlite3_errmsg(raw) : "cannot open");
    sqlite3_close(raw);
    return nullptr;
  }
  std::unique_ptr<Database> db(new Database(raw));
  sqlite3_busy_timeout(raw, 5000);  // another Vigil (CLI, second editor) may be writing
  const int version = db->schema_version();
  if (version < 0) {
    const int code = sqlite3_extended_errcode(raw) & 0xff;
    if (check && is_corruption(code)) error = std::string("corrupt:") + sqlite3_errmsg(raw);
    else error = path + ": not a Vigil database (" + sqlite3_errmsg(raw) + ")";
    return nullptr;
  }
  if (version > latest_schema_version()) {
    error = path + ": written by a newer Vigil (schema " + std::to_string(version) + ", this Vigil knows up to " +
            std::to_string(latest_schema_version()) + "); upgrade Vigil, or move the file away to start a new bank. It was not changed.";
    return nullptr;
  }
  if (read_only) return db;
  // WAL: readers never block the writer, and several editors and a CI run can share the file.
  // Switching to WAL takes an exclusive lock for a moment: several Vigils starting at once retry.
  bool wal = false;
  for (int attempt = 0; attempt < 50 && !wal; ++attempt) {
    wal = exec(raw, "PRAGMA journal_mode=WAL;", error);
    if (!wal && check && is_corruption(sqlite3_extended_errcode(raw) & 0xff)) break;
    if (!wal) std::this_thread::sleep_for(std::chrono::milliseconds(20 + 10 * attempt));
  }
  // synchronous=FULL: a verdict acknowledged to the user survives a power loss, not only a crash.
  if (!wal || !exec(raw, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;", error)) {
    const int code = sqlite3_extended_errcode(raw) & 0xff;
    if (check && is_corruption(code)) error = "corrupt:" + error;
    else error = path + ": " + error;
    return nullptr;
  }
  if (check && version > 0) {
    // Damage inside the file shows at the first read of a broken page: look once, cheaply.
    Statement quick(raw, "PRAGMA quick_check(1);");
    const int rc = quick.ok() ? quick.step() : sqlite3_errcode(raw);
    if (is_corruption(rc & 0xff) || (rc == SQLITE_ROW && quick.column_text(0) != "ok")) {
      error = "corrupt:" + (rc == SQLITE_ROW ? quick.column_text(0) : std::string(sqlite3_errmsg(raw)));
      return nullptr;
    }
  }
  if (version == latest_schema_version()) return db;
  // Every migration in one transaction, the version read again inside it: another Vigil may have
  // migrated while this one waited for the lock.
  if (!exec(raw, "BEGIN IMMEDIATE;", error)) {
    error = path + ": cannot migrate the schema: " + error;
    return nullptr;
  }
  const int current = db->schema_version();
  std::string sql;
  for (int v = std::max(current, 0); v < latest_schema_version(); ++v) sql += migrations()[static_cast<size_t>(v)];
  sql += "PRAGMA user_version=" + std::to_string(latest_schema_version()) + ";";
  if (current < 0 || current > latest_schema_version() || !exec(raw, sql.c_str(), error) || !exec(raw, "COMMIT;", error)) {
    std::string ignored;
    exec(raw, "ROLLBACK;", ignored);
    error = path + ": migration from schema " + std::to_string(current) + " failed: " + error;
    return nullptr;
  }
  return db;
}

Database::~Database() { sqlite3_close(db_); }

void Database::set_busy_timeout(int milliseconds) { sqlite3_busy_timeout(db_, milliseconds); }

int Database::schema_version() const {
  Statement s(db_, "PRAGMA user_version;");
  if (!s.ok() || s.step() != SQLITE_ROW) return -1;
  return sqlite3_column_int(s.get(), 0);
}

std::optional<StoredProvenance> ProvenanceStore::load(const std::string& path) const {
  Statement file(db_.handle(), "SELECT content FROM provenance_file WHERE path = ?1;");
  if (!file.ok()) return std::nullopt;
  file.text(1, path);
  if (file.step() != SQLITE_ROW) return std::nullopt;
  StoredProvenance out;
  out.content = file.column_text(0);
  Statement ranges(db_.handle(),
                   "SELECT start_byte, end_byte, origin, evidence, tool FROM provenance_range WHERE path = ?1 "
                   "ORDER BY start_byte;");
  if (!ranges.ok()) return out;
  ranges.text(1, path);
  while (ranges.step() == SQLITE_ROW) {
    provenance::Span span;
    const int64_t start = sqlite3_column_int64(ranges.get(), 0), end = sqlite3_column_int64(ranges.get(), 1);
    if (start < 0 || end <= start || static_cast<size_t>(end) > out.content.size()) continue;  // never trust a row blindly
    span.start = static_cast<uint32_t>(start);
    span.end = static_cast<uint32_t>(end);
    if (!provenance::parse_origin(ranges.column_text(2), span.label.origin) ||
        !provenance::parse_evidence(ranges.column_text(3), span.label.evidence))
      continue;
    span.label.tool = ranges.column_text(4);
    out.spans.push_back(std::move(span));
  }
  return out;
}

bool ProvenanceStore::write_rows(const std::string& path, std::string_view content, const std::vector<provenance::Span>& spans,
                                 std::string& err) {
  sqlite3* db = db_.handle();
  Statement del(db, "DELETE FROM provenance_range WHERE path = ?1;");
  Statement file(db, "INSERT INTO provenance_file(path, content, updated_at) VALUES(?1, ?2, ?3) "
                     "ON CONFLICT(path) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at;");
  Statement ins(db, "INSERT INTO provenance_range(path, start_byte, end_byte, origin, evidence, tool) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6);");
  bool ok = del.ok() && file.ok() && ins.ok();
  if (ok) {
    del.text(1, path);
    ok = del.step() == SQLITE_DONE;
    file.text(1, path);
    file.blob(2, content);
    file.integer(3, std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    ok = ok && file.step() == SQLITE_DONE;
    for (const auto& s : spans) {
      if (!ok) break;
      ins.reset();
      ins.text(1, path);
      ins.integer(2, s.start);
      ins.integer(3, s.end);
      ins.text(4, provenance::to_string(s.label.origin));
      ins.text(5, provenance::to_string(s.label.evidence));
      ins.text(6, s.label.tool);
      ok = ins.step() == SQLITE_DONE;
    }
  }
  if (!ok) err = sqlite3_errmsg(db);
  return ok;
}

bool ProvenanceStore::save(const std::string& path, std::string_view content, const std::vector<provenance::Span>& spans,
                           std::string* error) {
  sqlite3* db = db_.handle();
  std::string err;
  if (!exec(db, "BEGIN IMMEDIATE;", err)) {
    if (error) *error = err;
    return false;
  }
  const bool ok = write_rows(path, content, spans, err);
  std::string ignored;
  if (!ok || !exec(db, "COMMIT;", err)) {
    exec(db, "ROLLBACK;", ignored);
    if (error) *error = err;
    return false;
  }
  return true;
}

SaveOutcome ProvenanceStore::save_merging(const std::string& path, std::string_view content,
                                          const std::vector<provenance::Span>& spans,
                                          const std::optional<StoredProvenance>& expected, const Merge& merge) {
  sqlite3* db = db_.handle();
  SaveOutcome out;
  auto busy = [db] {
    const int code = sqlite3_extended_errcode(db) & 0xff;
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
  };
  if (!exec(db, "BEGIN IMMEDIATE;", out.error)) {
    out.kind = busy() ? SaveOutcome::Kind::busy : SaveOutcome::Kind::failed;
    return out;
  }
  out.written = spans;
  const auto theirs = load(path);  // inside the write lock: nobody writes between this and COMMIT
  if (theirs && theirs != expected && theirs->content == content && merge) {
    out.written = merge(*theirs);
    out.merged = true;
  }
  bool ok = write_rows(path, content, out.written, out.error);
  if (ok) ok = exec(db, "COMMIT;", out.error);
  if (!ok) {
    const bool was_busy = busy();
    std::string ignored;
    exec(db, "ROLLBACK;", ignored);
    out.kind = was_busy ? SaveOutcome::Kind::busy : SaveOutcome::Kind::failed;
    out.written.clear();
    out.merged = false;
    return out;
  }
  out.kind = SaveOutcome::Kind::saved;
  return out;
}

bool ProvenanceStore::remove(const std::string& path) {
  Statement s(db_.handle(), "DELETE FROM provenance_file WHERE path = ?1;");
  if (!s.ok()) return false;
  s.text(1, path);
  return s.step() == SQLITE_DONE;
}

std::optional<AgentProposal> AgentProposalStore::load(const std::string& path) const {
  Statement s(db_.handle(), "SELECT content, lines, tool FROM agent_proposal WHERE path = ?1;");
  if (!s.ok()) return std::nullopt;
  s.text(1, path);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  AgentProposal out;
  out.content = s.column_text(0);
  const std::string lines = s.column_text(1);
  for (size_t i = 0; i < lines.size();) {
    size_t comma = lines.find(',', i);
    if (comma == std::string::npos) comma = lines.size();
    uint32_t line = 0;
    if (std::from_chars(lines.data() + i, lines.data() + comma, line).ec == std::errc()) out.lines.push_back(line);
    i = comma + 1;
  }
  out.tool = s.column_text(2);
  return out;
}

bool AgentProposalStore::save(const std::string& path, const AgentProposal& proposal, std::string* error) {
  Statement s(db_.handle(),
              "INSERT INTO agent_proposal(path, content, lines, tool, created_at) VALUES(?1, ?2, ?3, ?4, ?5) "
              "ON CONFLICT(path) DO UPDATE SET content = excluded.content, lines = excluded.lines, tool = excluded.tool, "
              "created_at = excluded.created_at;");
  if (s.ok()) {
    std::string lines;
    for (uint32_t l : proposal.lines) lines += (lines.empty() ? "" : ",") + std::to_string(l);
    s.text(1, path);
    s.blob(2, proposal.content);
    s.text(3, lines);
    s.text(4, proposal.tool);
    s.integer(5, std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    if (s.step() == SQLITE_DONE) return true;
  }
  if (error) *error = sqlite3_errmsg(db_.handle());
  return false;
}

bool AgentProposalStore::remove(const std::string& path) {
  Statement s(db_.handle(), "DELETE FROM agent_proposal WHERE path = ?1;");
  if (!s.ok()) return false;
  s.text(1, path);
  return s.step() == SQLITE_DONE;
}

std::optional<StoredVerdict> VerdictStore::load(const std::string& fingerprint, const std::string& validator,
                                                const std::string& context_key) const {
  Statement s(db_.handle(),
              "SELECT verdict, status, rule_id, path, created_at FROM validation_verdict "
              "WHERE fingerprint = ?1 AND validator = ?2 AND context_key = ?3;");
  if (!s.ok()) return std::nullopt;
  s.text(1, fingerprint);
  s.text(2, validator);
  s.text(3, context_key);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  StoredVerdict v{fingerprint, validator, context_key, s.column_text(2), s.column_text(3), s.column_text(1), s.column_text(0),
                  sqlite3_column_int64(s.get(), 4)};
  return v;
}

bool VerdictStore::save(const StoredVerdict& v) {
  Statement s(db_.handle(),
              "INSERT INTO validation_verdict(fingerprint, validator, context_key, rule_id, path, status, verdict, created_at) "
              "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
              "ON CONFLICT(fingerprint, validator) DO UPDATE SET context_key = excluded.context_key, rule_id = excluded.rule_id, "
              "path = excluded.path, status = excluded.status, verdict = excluded.verdict, created_at = excluded.created_at;");
  if (!s.ok()) return false;
  s.text(1, v.fingerprint);
  s.text(2, v.validator);
  s.text(3, v.context_key);
  s.text(4, v.rule_id);
  s.text(5, v.path);
  s.text(6, v.status);
  s.text(7, v.verdict_json);
  s.integer(8, v.created_at ? v.created_at
                            : std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  return s.step() == SQLITE_DONE;
}

size_t VerdictStore::count() const {
  Statement s(db_.handle(), "SELECT COUNT(*) FROM validation_verdict;");
  if (!s.ok() || s.step() != SQLITE_ROW) return 0;
  return static_cast<size_t>(sqlite3_column_int64(s.get(), 0));
}

}  // namespace vigil::store
