// `vigil test-rules` and `vigil rules list`.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

#include "analyzers/engine.hpp"
#include "analyzers/feedback/bank.hpp"
#include "analyzers/store/store.hpp"
#include "analyzers/rules/fixture_tests.hpp"
#include "analyzers/rules/sources.hpp"
#include "analyzers/workspace/files.hpp"
#include "cli/commands.hpp"

namespace vigil::cli {
namespace fs = std::filesystem;

namespace {

// The project `vigil check` would see from here, its config problems printed; nullopt when the
// config has errors (as check, which exits 2).
std::optional<workspace::Project> project_here() {
  auto project = workspace::open_project(".");
  bool ok = true;
  for (const auto& p : project.problems) {
    std::cerr << p.to_string() << '\n';
    if (p.level == rules::Problem::Level::error) ok = false;
  }
  if (!ok) return std::nullopt;
  return project;
}

}  // namespace

int test_rules(const std::vector<std::string>& args) {
  rules::FixtureOptions options;
  std::vector<rules::Problem> problems;
  std::vector<std::string> dirs;
  for (const auto& a : args) {
    if (a == "--strict") options.strict = true;
    else if (a.starts_with("-")) throw UsageError("unknown option for `vigil test-rules`: " + a);
    else dirs.push_back(a);
  }
  // Each pack runs on its own, so that the built-in packs keep their strict check (every rule has
  // both kinds of fixture case) while a project's rules are held to what the user asked.
  struct Pack {
    std::vector<rules::PackFile> files;
    rules::FixtureOptions options;
  };
  std::vector<Pack> packs;
  if (dirs.empty()) {
    // What `vigil check` loads here: the built-in packs unless the config turns them off, then the
    // project's (config `rules:`, .vigil/rules).
    auto project = project_here();
    if (!project) return 2;
    if (project->config.builtin_rules) {
      rules::FixtureOptions strict = options;
      strict.strict = true;
      packs.push_back({{rules::builtin_pack().begin(), rules::builtin_pack().end()}, strict});
    }
    for (const auto& p : project->config.rule_paths) dirs.push_back((fs::path(project->root) / p).string());
    std::error_code ec;
    if (const auto d = fs::path(project->root) / ".vigil" / "rules"; fs::is_directory(d, ec)) dirs.push_back(d.string());
  }
  for (const auto& d : dirs) packs.push_back({rules::read_pack(d, problems), options});
  for (const auto& p : problems) std::cerr << p.to_string() << '\n';
  std::vector<rules::FixtureReport> reports;
  for (const auto& pack : packs) {
    auto more = rules::run_fixtures(pack.files, pack.options);
    reports.insert(reports.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  int passed = 0, failed = 0, skipped = 0;
  for (const auto& r : reports) {
    const std::string name = r.rule_id.empty() ? r.rule_path : r.rule_id;
    if (r.skipped) {
      ++skipped;
      std::cout << "skip " << name << " (no fixture: looked for " << r.fixture_path << ")\n";
    } else if (r.passed) {
      ++passed;
      std::cout << "ok   " << name << " (" << r.positives << " ruleid, " << r.negatives << " ok)\n";
    } else {
      ++failed;
      std::cout << "FAIL " << name << '\n';
      for (const auto& f : r.failures) std::cout << "     " << f << '\n';
    }
  }
  if (!problems.empty()) failed += static_cast<int>(problems.size());
  std::cout << passed << " passed, " << failed << " failed";
  if (skipped) std::cout << ", " << skipped << " skipped";
  std::cout << '\n';
  return failed == 0 && !reports.empty() ? 0 : 1;
}

int rules_command(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "list") throw UsageError("usage: vigil rules list [--rules PATH]... [--no-builtin] [--format text|json]");
  RuleOptions rule_options;
  std::string format = "text";
  for (ArgCursor cur(args, 1); cur.next();) {
    if (rule_options.take(cur)) continue;
    if (cur.arg() == "--format") format = cur.value();
    else throw UsageError("unknown option for `vigil rules list`: " + cur.arg());
  }
  if (format != "text" && format != "json") throw UsageError("--format must be text or json");
  auto project = project_here();
  if (!project) return 2;
  RuleSet set;
  const bool ok = load_rules(rule_options, *project, set);
  // Each rule's measured precision in this repository's feedback bank, when there is one.
  feedback::Stats bank_stats;
  {
    std::string db_error;
    std::error_code ec;
    const std::string db_path = store::database_path(project->root);
    if (fs::exists(db_path, ec))
      if (auto db = store::Database::open(db_path, true, db_error)) bank_stats = feedback::Bank(*db).stats();
  }
  auto stats_of = [&](const std::string& id) {
    auto it = bank_stats.rules.find(id);
    return it == bank_stats.rules.end() ? feedback::RuleStats{} : it->second;
  };
  auto langs = [](const rules::Rule& r) {
    std::vector<std::string> out;
    for (const auto* l : r.languages) out.emplace_back(l->id);
    return out;
  };
  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : set.all())
      out.push_back({{"id", r->id}, {"languages", langs(*r)}, {"severity", rules::to_string(r->severity)},
                     {"cwe", r->metadata.cwe}, {"category", r->metadata.category}, {"constraint", r->constraint},
                     {"fix", r->fix.has_value()}, {"fixSafe", r->fix.has_value() && r->fix_safe},
                     {"source", r->source_path},
                     {"precision", stats_of(r->id).precision() ? nlohmann::json(*stats_of(r->id).precision()) : nlohmann::json()},
                     {"votes", stats_of(r->id).votes()}});
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    for (const auto& r : set.all()) {
      std::string l, c;
      for (const auto& s : langs(*r)) l += (l.empty() ? "" : ",") + s;
      for (const auto& s : r->metadata.cwe) c += (c.empty() ? "" : ",") + s;
      const auto st = stats_of(r->id);
      std::string precision = "-";
      if (auto p = st.precision()) precision = std::to_string(static_cast<int>(*p * 100 + 0.5)) + "% of " + std::to_string(st.votes());
      std::cout << r->id << '\t' << l << '\t' << (c.empty() ? "-" : c) << '\t' << rules::to_string(r->severity) << '\t' << precision
                << '\n';
    }
  }
  // The count is for people; stdout stays one rule a line (or JSON) for scripts.
  std::cerr << set.size() << " rules\n";
  return ok ? 0 : 2;
}

}  // namespace vigil::cli
