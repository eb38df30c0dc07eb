#include <catch2/catch.hpp>

#include <filesystem>

#include <unistd.h>

#include <sqlite3.h>

#include "analyzers/session/store_writer.hpp"
#include "analyzers/store/store.hpp"
#include "analyzers/workspace/config.hpp"

using namespace vigil;
using nlohmann::json;

TEST_CASE("config layers: validation with positions, precedence, defaults") {
  std::vector<rules::Problem> problems;
  auto file = workspace::config_layer_from_yaml(
      ".vigil/config.yaml",
      "scope: all\nshowHumanFindings: no\nprovenance:\n  bulkInsert:\n    minLines: 3\n    minChars: zero\n"
      "  agentPatterns: ['(?i)robot', '(']\n  colour: blue\nexclude: build/\n",
      problems);
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].to_string() == ".vigil/config.yaml:6:15: error: `provenance.bulkInsert.minChars` must be a whole number from 1 to 1000000 (got \"zero\")");
  CHECK(problems[1].line == 7);
  CHECK(problems[1].message.find("bad regular expression `(`") != std::string::npos);
  CHECK(problems[2].level == rules::Problem::Level::warning);
  CHECK(problems[2].line == 8);
  CHECK(problems[2].column == 3);
  CHECK(problems[2].message.starts_with("unknown key `provenance.colour` ignored (known in `provenance`: bulkInsert, agentPatterns, aiGlobs, git)"));

  auto config = workspace::merge_config({file});
  CHECK(config.scope == workspace::Scope::all);
  CHECK_FALSE(config.show_human_findings);
  CHECK(config.provenance.bulk_min_lines == 3);
  CHECK(config.provenance.bulk_min_chars == 60);  // the bad value fell back to the default
  CHECK(config.provenance.agent_patterns == std::vector<std::string>{"(?i)robot"});
  CHECK(config.exclude == std::vector<std::string>{"build/"});

  // The client's settings win over the file; objects merge key by key.
  std::vector<rules::Problem> client_problems;
  auto init = workspace::config_layer_from_json("initializationOptions", json{{"provenance", {{"bulkInsert", {{"minChars", 10}}}}}},
                                                client_problems);
  auto user = workspace::config_layer_from_json("workspace/configuration", json{{"scope", "ai"}, {"showHumanFindings", "yes"}},
                                                client_problems);
  REQUIRE(client_problems.size() == 1);
  CHECK(client_problems[0].path == "workspace/configuration");
  CHECK(client_problems[0].message == "`showHumanFindings` must be true or false (got \"yes\")");
  config = workspace::merge_config({file, init, user});
  CHECK(config.scope == workspace::Scope::ai);
  CHECK(config.provenance.bulk_min_lines == 3);
  CHECK(config.provenance.bulk_min_chars == 10);
  CHECK_FALSE(config.show_human_findings);

  auto defaults = workspace::merge_config({});
  CHECK(defaults.scope == workspace::Scope::ai);
  CHECK(defaults.show_human_findings);
  CHECK_FALSE(defaults.provenance.agent_patterns.empty());

  problems.clear();
  workspace::config_layer_from_yaml("c.yaml", "- a\n", problems);
  CHECK(problems.at(0).message == "the config must be a mapping");
  problems.clear();
  workspace::config_layer_from_yaml("c.yaml", "scope: [\n", problems);
  CHECK(problems.at(0).message.starts_with("invalid YAML"));
  problems.clear();
  workspace::config_layer_from_yaml("c.yaml", "scope: 'true'\nbuiltin: 'true'\n", problems);
  CHECK(problems.size() == 2);  // quoted scalars stay strings
}

TEST_CASE("provenance store: WAL database, schema version, round trip") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("vigil-store-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string path = store::database_path(dir.string());
  std::string error;
  CHECK_FALSE(store::Database::open(path, true, error));  // read-only never creates
  {
    auto db = store::Database::open(path, false, error);
    REQUIRE(db);
    CHECK(db->schema_version() == store::Database::latest_schema_version());
    store::ProvenanceStore ps(*db);
    CHECK_FALSE(ps.load("a.py"));
    std::vector<provenance::Span> spans = {{0, 4, {provenance::Origin::ai, provenance::Evidence::bulk_insert, ""}},
                                           {6, 9, {provenance::Origin::reviewed, provenance::Evidence::user, "claude"}},
                                           {8, 99, {provenance::Origin::ai, provenance::Evidence::marker, ""}}};
    REQUIRE(ps.save("a.py", "0123456789", spans));
    auto loaded = ps.load("a.py");
    REQUIRE(loaded);
    CHECK(loaded->content == "0123456789");
    spans.pop_back();  // a range past the content is never trusted
    CHECK(loaded->spans == spans);
    REQUIRE(ps.save("a.py", "xy", {}));
    CHECK(ps.load("a.py")->spans.empty());
    CHECK(ps.remove("a.py"));
    CHECK_FALSE(ps.load("a.py"));
  }
  auto again = store::Database::open(path, true, error);
  REQUIRE(again);
  CHECK(again->schema_version() == store::Database::latest_schema_version());
  fs::remove_all(dir);
}

TEST_CASE("provenance store: two writers of one file merge, a locked database is reported busy") {
  namespace fs = std::filesystem;
  using provenance::Origin, provenance::Evidence;
  const fs::path dir = fs::temp_directory_path() / ("vigil-store-merge-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string path = store::database_path(dir.string());
  std::string error;
  auto db_a = store::Database::open(path, false, error);
  auto db_b = store::Database::open(path, false, error);
  REQUIRE(db_a);
  REQUIRE(db_b);
  store::ProvenanceStore a(*db_a), b(*db_b);
  const std::string text = "line0\nline1\nline2\n";
  const provenance::Label ai{Origin::ai, Evidence::user, "t"};
  // Both editors opened the file when nothing was stored.
  session::PendingWrite wa{"", "a.py", text, {{0, 6, ai}}, std::nullopt};
  auto ra = session::run_write(a, wa);
  REQUIRE(ra.kind == store::SaveOutcome::Kind::saved);
  CHECK_FALSE(ra.merged);
  session::PendingWrite wb{"", "a.py", text, {{12, 18, ai}}, std::nullopt};
  auto rb = session::run_write(b, wb);
  REQUIRE(rb.kind == store::SaveOutcome::Kind::saved);
  CHECK(rb.merged);  // a's range was there: kept
  CHECK(b.load("a.py")->spans == std::vector<provenance::Span>{{0, 6, ai}, {12, 18, ai}});
  // A writer that expects exactly what is stored replaces it (its own range removed stays removed).
  session::PendingWrite again{"", "a.py", text, {{12, 18, ai}}, store::StoredProvenance{text, rb.written}};
  auto rc = session::run_write(b, again);
  CHECK_FALSE(rc.merged);
  CHECK(b.load("a.py")->spans == std::vector<provenance::Span>{{12, 18, ai}});
  // Different content on disk: the newer text's ranges replace the row.
  session::PendingWrite changed{"", "a.py", "other\n", {}, std::nullopt};
  CHECK_FALSE(session::run_write(a, changed).merged);
  CHECK(a.load("a.py")->spans.empty());
  // Another connection holds the write lock: busy, not failed, and nothing is half-written.
  REQUIRE(sqlite3_exec(db_a->handle(), "BEGIN IMMEDIATE;", nullptr, nullptr, nullptr) == SQLITE_OK);
  db_b->set_busy_timeout(50);
  CHECK(session::run_write(b, wb).kind == store::SaveOutcome::Kind::busy);
  REQUIRE(sqlite3_exec(db_a->handle(), "COMMIT;", nullptr, nullptr, nullptr) == SQLITE_OK);
  CHECK(session::run_write(b, wb).kind == store::SaveOutcome::Kind::saved);
  db_a.reset();
  db_b.reset();
  fs::remove_all(dir);
}
