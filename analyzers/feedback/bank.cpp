#include "analyzers/feedback/bank.hpp"
#include "analyzers/text/digest.hpp"


#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>

#include "analyzers/provenance/git.hpp"
#include "analyzers/store/statement.hpp"

namespace vigil::feedback {

using nlohmann::json;

namespace {

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}


// What makes two verdicts the same verdict: who said what about which finding, when.
std::string uid_of(const Verdict& v) {
  std::string key;
  for (const std::string* part : {&v.fingerprint, &v.source, &v.tool, &v.author, &v.reason})
    key += *part + '\x1f';
  key += std::string(to_string(v.kind)) + '\x1f' + std::to_string(v.created_at);
  return text::sha256_hex(key);
}

constexpr const char* kVoteColumns =
    "id, uid, fingerprint, rule_id, verdict, source, tool, author, reason, path, line, context, provenance, diff, created_at";

// Every vote, with what `--record` saw of its finding filling what the vote itself lacks: a
// validator's verdict carries no path, line, context or provenance of its own.
constexpr const char* kVotesWithFinding =
    "(SELECT v.id AS id, v.uid AS uid, v.fingerprint AS fingerprint, v.rule_id AS rule_id, v.verdict AS verdict,"
    " v.source AS source, v.tool AS tool, v.author AS author, v.reason AS reason,"
    " CASE WHEN v.path = '' THEN COALESCE(f.path, '') ELSE v.path END AS path,"
    " CASE WHEN v.line = 0 THEN COALESCE(f.line, 0) ELSE v.line END AS line,"
    " CASE WHEN v.context = '' THEN COALESCE(f.context, '') ELSE v.context END AS context,"
    " CASE WHEN v.provenance = '' THEN COALESCE(f.provenance, '') ELSE v.provenance END AS provenance,"
    " v.diff AS diff, v.created_at AS created_at"
    " FROM feedback_vote v LEFT JOIN feedback_finding f ON f.fingerprint = v.fingerprint)";

Verdict read_vote(const store::Statement& s) {
  Verdict v;
  v.uid = s.column_text(1);
  v.fingerprint = s.column_text(2);
  v.rule_id = s.column_text(3);
  v.kind = parse_kind(s.column_text(4)).value_or(Kind::confirmed);
  v.source = s.column_text(5);
  v.tool = s.column_text(6);
  v.author = s.column_text(7);
  v.reason = s.column_text(8);
  v.path = s.column_text(9);
  v.line = static_cast<uint32_t>(sqlite3_column_int64(s.get(), 10));
  v.context = s.column_text(11);
  v.provenance = s.column_text(12);
  v.diff = s.column_text(13);
  v.created_at = sqlite3_column_int64(s.get(), 14);
  return v;
}

bool insert(sqlite3* db, Verdict& v, bool& inserted, std::string& error) {
  if (v.created_at == 0) v.created_at = now_seconds();
  if (v.uid.empty()) v.uid = uid_of(v);
  store::Statement s(db,
                     "INSERT INTO feedback_verdict(uid, fingerprint, rule_id, verdict, source, tool, author, reason, path, line, "
                     "context, provenance, diff, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
                     "ON CONFLICT(uid) DO NOTHING;");
  if (!s.ok()) {
    error = sqlite3_errmsg(db);
    return false;
  }
  s.text(1, v.uid);
  s.text(2, v.fingerprint);
  s.text(3, v.rule_id);
  s.text(4, to_string(v.kind));
  s.text(5, v.source);
  s.text(6, v.tool);
  s.text(7, v.author);
  s.text(8, v.reason);
  s.text(9, v.path);
  s.integer(10, v.line);
  s.text(11, v.context);
  s.text(12, v.provenance);
  s.text(13, v.diff);
  s.integer(14, v.created_at);
  if (s.step() != SQLITE_DONE) {
    error = sqlite3_errmsg(db);
    return false;
  }
  inserted = sqlite3_changes(db) > 0;
  return true;
}

// A write transaction; rolled back unless committed.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) { open_ = store::exec(db, "BEGIN IMMEDIATE;", error_); }
  ~Transaction() {
    std::string ignored;
    if (open_) store::exec(db_, "ROLLBACK;", ignored);
  }
  bool ok() const { return open_; }
  bool commit() {
    open_ = !store::exec(db_, "COMMIT;", error_);
    return !open_;
  }
  const std::string& error() const { return error_; }

 private:
  sqlite3* db_;
  bool open_ = false;
  std::string error_;
};

bool is_person_or_agent(std::string_view source) { return source == "user" || source == "agent"; }

}  // namespace

std::string_view to_string(Kind k) {
  switch (k) {
    case Kind::confirmed: return "confirmed";
    case Kind::false_positive: return "false_positive";
    case Kind::fixed: return "fixed";
  }
  return "confirmed";
}

std::optional<Kind> parse_kind(std::string_view s) {
  if (s == "confirmed") return Kind::confirmed;
  if (s == "false_positive") return Kind::false_positive;
  if (s == "fixed") return Kind::fixed;
  return std::nullopt;
}

json Verdict::to_json() const {
  return {{"uid", uid},          {"fingerprint", fingerprint}, {"ruleId", rule_id}, {"verdict", to_string(kind)},
          {"source", source},    {"tool", tool},               {"author", author},   {"reason", reason},
          {"path", path},        {"line", line},               {"context", context}, {"provenance", provenance},
          {"diff", diff},        {"createdAt", created_at}};
}

std::optional<Verdict> Verdict::from_json(const json& j, std::string& error) {
  if (!j.is_object()) {
    error = "a verdict must be a JSON object";
    return std::nullopt;
  }
  Verdict v;
  auto text = [&](const char* key, std::string& out, bool required) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required) error = std::string("missing `") + key + "`";
      return !required;
    }
    if (!it->is_string()) {
      error = std::string("`") + key + "` must be a string";
      return false;
    }
    out = it->get<std::string>();
    if (required && out.empty()) {
      error = std::string("`") + key + "` is empty";
      return false;
    }
    return true;
  };
  std::string kind;
  if (!text("fingerprint", v.fingerprint, true) || !text("ruleId", v.rule_id, true) || !text("verdict", kind, true) ||
      !text("source", v.source, true) || !text("tool", v.tool, false) || !text("author", v.author, false) ||
      !text("reason", v.reason, false) || !text("path", v.path, false) || !text("context", v.context, false) ||
      !text("provenance", v.provenance, false) || !text("diff", v.diff, false) || !text("uid", v.uid, false))
    return std::nullopt;
  auto k = parse_kind(kind);
  if (!k) {
    error = "`verdict` must be confirmed, false_positive or fixed (got `" + kind + "`)";
    return std::nullopt;
  }
  v.kind = *k;
  if (auto it = j.find("line"); it != j.end() && it->is_number_unsigned()) v.line = it->get<uint32_t>();
  if (auto it = j.find("createdAt"); it != j.end() && it->is_number_integer()) v.created_at = it->get<int64_t>();
  if (v.created_at <= 0) {
    error = "`createdAt` must be a positive number of seconds";
    return std::nullopt;
  }
  return v;
}

std::string snippet(std::string_view code, size_t max) {
  std::string out;
  bool space = false;
  for (char c : code) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    out = out.substr(0, cut) + "…";
  }
  return out;
}

std::string context_of(std::string_view text, uint32_t start, uint32_t end) {
  start = std::min<uint32_t>(start, static_cast<uint32_t>(text.size()));
  end = std::clamp<uint32_t>(end, start, static_cast<uint32_t>(text.size()));
  size_t from = text.rfind('\n', start == 0 ? 0 : start - 1);
  from = (from == std::string_view::npos || start == 0) ? 0 : from + 1;
  size_t to = end;
  for (int lines = 0; to < text.size(); ++to) {
    if (text[to] == '\n' && (to >= end || ++lines >= 5)) break;
  }
  return snippet(text.substr(from, to - from));
}

std::optional<double> RuleStats::precision() const {
  if (votes() == 0) return std::nullopt;
  return static_cast<double>(confirmed) / static_cast<double>(votes());
}

bool Bank::record(Verdict v, std::string* error, bool* inserted) {
  bool added = false;
  std::string err;
  if (!insert(db_.handle(), v, added, err)) {
    if (error) *error = err;
    return false;
  }
  if (inserted) *inserted = added;
  return true;
}

std::optional<size_t> Bank::record_all(std::vector<Verdict> verdicts, std::string* error) {
  Transaction t(db_.handle());
  if (!t.ok()) {
    if (error) *error = t.error();
    return std::nullopt;
  }
  size_t count = 0;
  for (auto& v : verdicts) {
    bool added = false;
    std::string err;
    if (!insert(db_.handle(), v, added, err)) {
      if (error) *error = err;
      return std::nullopt;
    }
    count += added;
  }
  if (!t.commit()) {
    if (error) *error = t.error();
    return std::nullopt;
  }
  return count;
}

std::optional<size_t> Bank::record_run(const std::vector<Seen>& findings, const std::set<std::string>& checked_paths,
                                       bool detect_fixed, const std::string& author, std::string* error) {
  sqlite3* db = db_.handle();
  Transaction t(db);
  auto fail = [&](std::string what) -> std::optional<size_t> {
    if (error) *error = what.empty() ? sqlite3_errmsg(db) : what;
    return std::nullopt;
  };
  if (!t.ok()) return fail(t.error());
  const int64_t now = now_seconds();
  std::set<std::string> seen;
  {
    store::Statement up(db,
                        "INSERT INTO feedback_finding(fingerprint, rule_id, path, line, context, provenance, first_seen, last_seen, "
                        "fixed_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, NULL) ON CONFLICT(fingerprint) DO UPDATE SET "
                        "path = excluded.path, line = excluded.line, context = excluded.context, "
                        "provenance = CASE WHEN excluded.provenance = '' THEN provenance ELSE excluded.provenance END, "
                        "last_seen = excluded.last_seen, fixed_at = NULL;");
    if (!up.ok()) return fail({});
    for (const auto& f : findings) {
      up.reset();
      up.text(1, f.fingerprint);
      up.text(2, f.rule_id);
      up.text(3, f.path);
      up.integer(4, f.line);
      up.text(5, f.context);
      up.text(6, f.provenance);
      up.integer(7, now);
      if (up.step() != SQLITE_DONE) return fail({});
      seen.insert(f.fingerprint);
    }
  }
  size_t fixed = 0;
  if (detect_fixed) {
    std::vector<Seen> gone;
    {
      store::Statement q(db, "SELECT fingerprint, rule_id, path, line, context, provenance FROM feedback_finding WHERE path = ?1 AND "
                             "fixed_at IS NULL;");
      if (!q.ok()) return fail({});
      for (const auto& path : checked_paths) {
        q.reset();
        q.text(1, path);
        while (q.step() == SQLITE_ROW) {
          Seen s{q.column_text(0), q.column_text(1), q.column_text(2), q.column_text(4), q.column_text(5),
                 static_cast<uint32_t>(sqlite3_column_int64(q.get(), 3))};
          if (!seen.contains(s.fingerprint)) gone.push_back(std::move(s));
        }
      }
    }
    store::Statement mark(db, "UPDATE feedback_finding SET fixed_at = ?2 WHERE fingerprint = ?1;");
    if (!mark.ok()) return fail({});
    for (const auto& g : gone) {
      mark.reset();
      mark.text(1, g.fingerprint);
      mark.integer(2, now);
      if (mark.step() != SQLITE_DONE) return fail({});
      Verdict v{g.fingerprint, g.rule_id, Kind::fixed, "ci", "vigil check --record", author, "", g.path, g.line, g.context,
                g.provenance, "-" + g.context + "\n", now, ""};
      bool added = false;
      std::string err;
      if (!insert(db, v, added, err)) return fail(err);
      ++fixed;
    }
  }
  if (!t.commit()) return fail(t.error());
  return fixed;
}

View Bank::view() const {
  View out;
  sqlite3* db = db_.handle();
  // The latest judgement of a person or agent on each fingerprint.
  std::set<std::string>& confirmed = out.confirmed;
  {
    store::Statement s(db,
                       "SELECT fingerprint, verdict FROM (SELECT fingerprint, verdict, ROW_NUMBER() OVER (PARTITION BY fingerprint "
                       "ORDER BY created_at DESC, id DESC) AS n FROM feedback_vote WHERE source IN ('user', 'agent') AND "
                       "verdict IN ('confirmed', 'false_positive')) WHERE n = 1;");
    while (s.ok() && s.step() == SQLITE_ROW) {
      if (s.column_text(1) == "false_positive") out.hidden.insert(s.column_text(0));
      else confirmed.insert(s.column_text(0));
    }
  }
  {
    store::Statement s(db, "SELECT DISTINCT fingerprint FROM validation_verdict WHERE status = 'refuted';");
    while (s.ok() && s.step() == SQLITE_ROW)
      if (!confirmed.contains(s.column_text(0))) out.refuted.insert(s.column_text(0));
  }
  {
    store::Statement s(db, "SELECT DISTINCT fingerprint FROM feedback_verdict WHERE verdict = 'fixed';");
    while (s.ok() && s.step() == SQLITE_ROW) out.fixed.insert(s.column_text(0));
  }
  out.rules = stats().rules;
  return out;
}

Stats Bank::stats() const {
  Stats out;
  sqlite3* db = db_.handle();
  std::map<std::string, std::string> provenance_of;  // fingerprint -> ai | human | unknown
  std::map<std::string, std::string> rule_of;
  auto note_provenance = [&](const std::string& fp, const std::string& p) {
    // Any source that knew the code was AI-written wins (an editor saw it typed; CI may not know).
    std::string& slot = provenance_of[fp];
    const std::string origin = p.empty() ? "unknown" : p == "ai" ? "ai" : "human";
    if (slot.empty() || slot == "unknown" || origin == "ai") slot = origin;
  };
  {
    store::Statement s(db, "SELECT fingerprint, rule_id, provenance FROM feedback_finding;");
    while (s.ok() && s.step() == SQLITE_ROW) {
      rule_of[s.column_text(0)] = s.column_text(1);
      note_provenance(s.column_text(0), s.column_text(2));
    }
  }
  std::set<std::string> fixed, false_positive;
  {
    store::Statement s(db, "SELECT fingerprint, rule_id, provenance, verdict, source FROM feedback_vote;");
    while (s.ok() && s.step() == SQLITE_ROW) {
      const std::string fp = s.column_text(0);
      rule_of.emplace(fp, s.column_text(1));
      note_provenance(fp, s.column_text(2));
      if (s.column_text(3) == "fixed") fixed.insert(fp);
    }
  }
  for (const auto& [fp, rule] : rule_of) {
    ++out.rules[rule].findings;
    if (fixed.contains(fp)) ++out.rules[rule].fixed;
  }
  {
    store::Statement s(db,
                       "SELECT rule_id, fingerprint, source, verdict FROM (SELECT rule_id, fingerprint, source, verdict, ROW_NUMBER() "
                       "OVER (PARTITION BY fingerprint, source, author, tool ORDER BY created_at DESC, id DESC) AS n FROM feedback_vote "
                       "WHERE verdict IN ('confirmed', 'false_positive')) WHERE n = 1;");
    while (s.ok() && s.step() == SQLITE_ROW) {
      RuleStats& r = out.rules[s.column_text(0)];
      const bool yes = s.column_text(3) == "confirmed";
      if (is_person_or_agent(s.column_text(2))) {
        (yes ? r.confirmed : r.false_positives)++;
        if (!yes) false_positive.insert(s.column_text(1));
      } else if (s.column_text(2) == "validator") {
        (yes ? r.validator_confirmed : r.validator_refuted)++;
      }
    }
  }
  for (const auto& [fp, p] : provenance_of) {
    auto& ps = out.provenance[p];
    ++ps.findings;
    if (fixed.contains(fp)) ++ps.fixed;
    if (false_positive.contains(fp)) ++ps.false_positives;
  }
  return out;
}

std::vector<Verdict> Bank::all() const {
  std::vector<Verdict> out;
  store::Statement s(db_.handle(), (std::string("SELECT ") + kVoteColumns + " FROM " + kVotesWithFinding + " ORDER BY created_at, id;").c_str());
  while (s.ok() && s.step() == SQLITE_ROW) out.push_back(read_vote(s));
  return out;
}

std::vector<Verdict> Bank::lessons(size_t limit) const {
  std::vector<Verdict> out;
  store::Statement s(db_.handle(),
                     (std::string("SELECT ") + kVoteColumns +
                      " FROM " + kVotesWithFinding +
                      " WHERE verdict IN ('confirmed', 'fixed') AND provenance = 'ai' ORDER BY created_at DESC, "
                      "id DESC;")
                         .c_str());
  while (s.ok() && s.step() == SQLITE_ROW && out.size() < limit * 8) out.push_back(read_vote(s));
  return out;
}

std::optional<Verdict> Bank::latest(const std::string& fingerprint) const {
  store::Statement s(db_.handle(), (std::string("SELECT ") + kVoteColumns +
                                    " FROM feedback_vote WHERE fingerprint = ?1 ORDER BY created_at DESC, id DESC LIMIT 1;")
                                       .c_str());
  if (!s.ok()) return std::nullopt;
  s.text(1, fingerprint);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  return read_vote(s);
}

bool Bank::changed_since_last_look() {
  store::Statement s(db_.handle(), "PRAGMA data_version;");
  if (!s.ok() || s.step() != SQLITE_ROW) return true;
  const int64_t v = sqlite3_column_int64(s.get(), 0);
  const bool changed = v != data_version_;
  data_version_ = v;
  return changed;
}

std::string current_author() {
  static std::once_flag once;
  static std::string author;
  std::call_once(once, [] {
    author = provenance::git::global_identity();
    if (author.empty())
      if (const char* user = std::getenv("USER"); user && *user) author = user;
  });
  return author;
}

}  // namespace vigil::feedback
