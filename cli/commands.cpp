#include "cli/commands.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "analyzers/engine.hpp"
#include "analyzers/provenance/git.hpp"
#include "analyzers/provenance/tracker.hpp"
#include "analyzers/fix/fix.hpp"
#include "analyzers/report/report.hpp"
#include "analyzers/report/unified_diff.hpp"
#include "analyzers/rules/fixture_tests.hpp"
#include "analyzers/rules/sources.hpp"
#include "analyzers/store/store.hpp"
#include "analyzers/workspace/ignore.hpp"
#include "analyzers/suppressions.hpp"
#include "analyzers/workspace/files.hpp"

namespace vigil::cli {
namespace fs = std::filesystem;

namespace {

// Loads the rule set (workspace::load_rules) and prints its problems; false when any is an error.
bool load_rules(const RuleOptions& options, const workspace::Project& project, RuleSet& set) {
  auto loaded = workspace::load_rules(project, options.paths, options.builtin);
  for (const auto& r : loaded.rules) set.add(r);
  for (const auto& p : loaded.problems) std::cerr << p.to_string() << '\n';
  return !loaded.has_errors();
}

std::string read_file(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// --diff REF: keeps findings that start on a line changed since REF. --ai-only: keeps findings in
// AI ranges (the editor's stored ranges when the file is unchanged since, git trailers, authors and
// notes, uncommitted lines of files the editor never saw, markers, globs) and says so in the message.
// False with `error` when git cannot answer what was asked.
bool restrict_findings(const workspace::Project& project, std::vector<report::FileResult>& results, bool ai_only,
                       const std::string& diff_ref, std::string& error) {
  namespace git = provenance::git;
  const auto git_root = git::toplevel(project.root);
  std::optional<std::map<std::string, std::vector<git::LineRange>>> changed;
  if (!diff_ref.empty()) {
    if (!git_root) {
      error = "--diff needs a git repository (none around " + project.root + ")";
      return false;
    }
    changed = git::changed_since(*git_root, diff_ref);
    if (!changed) {
      error = "--diff " + diff_ref + ": git cannot compare with it (unknown revision?)";
      return false;
    }
  }
  std::string db_error;
  auto db = ai_only ? store::Database::open(store::database_path(project.root), true, db_error) : nullptr;
  std::optional<store::ProvenanceStore> stored_provenance;
  std::optional<store::AgentProposalStore> proposals;  // what agents proposed through `vigil mcp`
  if (db) {
    stored_provenance.emplace(*db);
    proposals.emplace(*db);
  }
  const auto& settings = project.config.provenance;
  const git::AgentMatcher matcher(settings.agent_patterns);
  for (auto& r : results) {
    if (r.findings.empty()) continue;
    const fs::path abs = fs::path(r.root_path).is_absolute() ? fs::path(r.root_path) : fs::path(project.root) / r.root_path;
    if (changed) {
      const auto rel = abs.lexically_relative(*git_root).generic_string();
      auto it = changed->find(rel);
      std::erase_if(r.findings, [&](const Finding& f) {
        if (it == changed->end()) return true;
        const uint32_t line = f.start.row + 1;
        return std::none_of(it->second.begin(), it->second.end(),
                            [&](const git::LineRange& lr) { return line >= lr.first && line < lr.first + lr.count; });
      });
    }
    if (!ai_only || r.findings.empty()) continue;
    const std::string& text = r.snapshot->text;
    provenance::ProvenanceMap map;
    bool seen_by_editor = false;
    if (stored_provenance)
      if (auto s = stored_provenance->load(r.root_path)) {
        provenance::restore(map, s->content, s->spans, text);
        seen_by_editor = true;
      }
    if (proposals)
      if (auto p = proposals->load(r.root_path))
        provenance::apply_proposal(map, p->content, p->lines, {provenance::Origin::ai, provenance::Evidence::agent_mcp, p->tool}, text);
    if (git_root && settings.git)
      provenance::apply_git(map, text, git::file_verdicts(*git_root, abs.string(), nullptr, matcher),
                            !seen_by_editor && settings.git_uncommitted);
    const auto spans = provenance::effective_spans(map, text, workspace::matches_any_glob(settings.ai_globs, r.root_path));
    std::vector<Finding> kept;
    for (auto& f : r.findings)
      if (const auto* span = provenance::ai_span_for(spans, f.start_byte, f.end_byte)) {
        f.message += " (AI-suggested: " + provenance::describe(span->label) + ")";
        kept.push_back(std::move(f));
      }
    r.findings = std::move(kept);
  }
  return true;
}

// Writes `text` to `path` through a temporary file in the same directory and a rename, keeping the
// file's permissions: a failed write (a full disk) leaves the original as it was. A symbolic link
// is followed, so the link stays a link.
bool write_file_atomically(const std::string& link_or_path, const std::string& text, std::string& error) {
  std::error_code ec;
  std::string path = fs::canonical(link_or_path, ec).string();
  if (ec) path = link_or_path;
  const auto perms = fs::status(path, ec).permissions();
  const std::string tmp = path + ".vigil-fix.tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      error = "cannot write " + tmp;
      fs::remove(tmp, ec);
      return false;
    }
  }
  if (!ec) fs::permissions(tmp, perms, ec);
  fs::rename(tmp, path, ec);
  if (ec) {
    error = "cannot replace " + path + ": " + ec.message();
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

// What --fix did (or would do) to one file.
struct FixOutcome {
  std::string original;  // the text before any fix; empty when nothing changed
  size_t applied = 0;    // fixes applied over all passes
};

// Applies the applicable fixes of `snapshot`'s findings, then analyses again, until no fix applies
// (a fix can make room for an overlapping one) or a pass limit; leaves the final snapshot and its
// findings in `result`.
FixOutcome fix_file(const RuleSet& rule_set, report::FileResult& result, bool include_unsafe) {
  FixOutcome outcome;
  for (int pass = 0; pass < 10; ++pass) {
    auto edits = fix::applicable(result.findings, result.snapshot->text, include_unsafe);
    if (edits.empty()) break;
    if (pass == 0) outcome.original = result.snapshot->text;
    std::string text = fix::apply(result.snapshot->text, edits);
    if (text == result.snapshot->text) break;
    outcome.applied += edits.size();
    result.snapshot = document::Snapshot::parse(result.snapshot->path, *result.snapshot->language, std::move(text));
    result.findings = apply_suppressions(*result.snapshot, analyze(rule_set, *result.snapshot), rule_set);
  }
  return outcome;
}

std::string diff_label(const std::string& prefix, const std::string& path) {
  return fs::path(path).is_absolute() ? path : prefix + path;
}

}  // namespace

int check(const std::vector<std::string>& args) {
  RuleOptions rule_options;
  std::vector<std::string> paths;
  std::string format = "text", output, diff_ref;
  bool ai_only = false;
  bool fix = false, unsafe_fixes = false, dry_run = false;
  // Findings at or above this severity make the exit code 1. Hints (unused suppressions, findings
  // outside AI-written code) are reported but do not fail a build unless asked.
  // Severity enumerators run from error (0) to hint; -1 is `never`.
  int fail_on = static_cast<int>(rules::Severity::info);
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  for (ArgCursor cur(args); cur.next();) {
    const auto& a = cur.arg();
    if (rule_options.take(cur)) continue;
    if (a == "--format") format = cur.value();
    else if (a == "--ai-only") ai_only = true;
    else if (a == "--diff") diff_ref = cur.value();
    else if (a == "--fix") fix = true;
    else if (a == "--unsafe-fixes") fix = unsafe_fixes = true;
    else if (a == "--dry-run") dry_run = true;
    else if (a == "--output" || a == "-o") output = cur.value();
    else if (a == "--fail-on") {
      std::string v = cur.value();
      rules::Severity sev;
      if (v == "never") fail_on = -1;
      else if (rules::parse_severity(v, sev)) fail_on = static_cast<int>(sev);
      else throw UsageError("--fail-on must be error, warning, info, hint or never (got `" + v + "`)");
    }
    else if (a == "--jobs" || a == "-j") {
      std::string v = cur.value();
      try {
        jobs = static_cast<unsigned>(std::stoul(v));
      } catch (...) {
        throw UsageError("--jobs takes a number, not `" + v + "`");
      }
      jobs = std::max(1u, jobs);
    } else if (a.starts_with("-") && a != "-") throw UsageError("unknown option for `vigil check`: " + a);
    else paths.push_back(a);
  }
  if (format != "text" && format != "json" && format != "sarif") throw UsageError("--format must be text, json or sarif");
  if (dry_run && !fix) throw UsageError("--dry-run goes with --fix or --unsafe-fixes");
  if (paths.empty()) paths.push_back(".");

  // The project around the first path (a file's directory; "" for a bare file name means here).
  std::string start = fs::is_directory(paths.front()) ? paths.front() : fs::path(paths.front()).parent_path().string();
  auto project = workspace::open_project(start.empty() ? "." : start);
  bool config_ok = true;
  for (const auto& p : project.problems) {
    std::cerr << p.to_string() << '\n';
    if (p.level == rules::Problem::Level::error) config_ok = false;
  }
  RuleSet rule_set;
  const bool rules_ok = load_rules(rule_options, project, rule_set);
  if (!config_ok) return 2;

  std::vector<std::string> missing;
  auto files = workspace::discover(project, paths, missing);
  for (const auto& m : missing) std::cerr << "vigil: " << m << ": no such file or directory\n";
  if (!missing.empty()) return 2;

  // Parse and match in parallel; each file is read once.
  std::vector<report::FileResult> results(files.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> unreadable{0};
  std::atomic<size_t> done{0};
  std::vector<FixOutcome> fixes(fix ? files.size() : 0);
  // Progress for long scans, only where a person watches (stderr is a terminal).
  const bool show_progress = files.size() >= 200 && ::isatty(STDERR_FILENO);
  auto worker = [&] {
    for (size_t i = next++; i < files.size(); i = next++, ++done) {
      if (show_progress && i % 100 == 0) std::cerr << "\rvigil: " << done.load() << "/" << files.size() << " files" << std::flush;
      bool ok = false;
      std::string text = read_file(files[i].path, ok);
      if (!ok) {
        ++unreadable;
        continue;
      }
      auto snapshot = document::Snapshot::parse(files[i].display_path, *files[i].language, std::move(text));
      auto rel = fs::path(files[i].path).lexically_relative(project.root);
      std::string root_path = rel.empty() || *rel.begin() == ".." ? files[i].path : rel.generic_string();
      results[i] = {files[i].display_path, root_path, snapshot,
                    apply_suppressions(*snapshot, analyze(rule_set, *snapshot), rule_set)};
      if (fix) fixes[i] = fix_file(rule_set, results[i], unsafe_fixes);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < std::min<size_t>(jobs, files.size()); ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  if (show_progress) std::cerr << "\r\033[K" << std::flush;

  if (fix) {
    size_t fixed = 0, changed_files = 0, write_errors = 0;
    for (size_t i = 0; i < files.size(); ++i) {
      if (fixes[i].applied == 0 || !results[i].snapshot) continue;
      fixed += fixes[i].applied;
      ++changed_files;
      if (dry_run) {
        std::cout << report::unified_diff(fixes[i].original, results[i].snapshot->text,
                                          diff_label("a/", files[i].display_path), diff_label("b/", files[i].display_path));
      } else if (std::string error; !write_file_atomically(files[i].path, results[i].snapshot->text, error)) {
        std::cerr << "vigil: " << error << '\n';
        ++write_errors;
      }
    }
    const char* fix_kind = unsafe_fixes ? "" : " safe";
    if (dry_run) {
      // Like `ruff check --diff`: the diff is the output; exit 1 when there is something to apply.
      std::cerr << "vigil: would apply " << fixed << fix_kind << (fixed == 1 ? " fix" : " fixes") << " in " << changed_files
                << (changed_files == 1 ? " file" : " files") << " (dry run: nothing written)\n";
      if (!rules_ok) return 2;
      return fixed > 0 ? 1 : 0;
    }
    std::cerr << "vigil: applied " << fixed << fix_kind << (fixed == 1 ? " fix" : " fixes") << " in " << changed_files
              << (changed_files == 1 ? " file" : " files") << '\n';
    if (write_errors) return 2;
  }
  std::erase_if(results, [](const report::FileResult& r) { return !r.snapshot; });
  if (ai_only || !diff_ref.empty()) {
    std::string error;
    if (!restrict_findings(project, results, ai_only, diff_ref, error)) {
      std::cerr << "vigil: " << error << '\n';
      return 2;
    }
  }

  size_t finding_count = 0, failing = 0;
  for (const auto& r : results) {
    finding_count += r.findings.size();
    failing += std::count_if(r.findings.begin(), r.findings.end(),
                             [&](const Finding& f) { return static_cast<int>(f.severity) <= fail_on; });
  }

  std::ofstream file_out;
  if (!output.empty()) {
    file_out.open(output);
    if (!file_out) {
      std::cerr << "vigil: cannot write " << output << '\n';
      return 2;
    }
  }
  std::ostream& out = output.empty() ? std::cout : file_out;
  if (format == "text") {
    report::write_text(out, results);
  } else if (format == "json") {
    report::write_json(out, results);
  } else {
    report::RunInfo info{VIGIL_VERSION, "file://" + report::uri_escape_path(project.root) + "/", &rule_set};
    report::write_sarif(out, results, info);
  }
  std::cerr << "vigil: " << files.size() << (files.size() == 1 ? " file" : " files") << " checked with "
            << rule_set.size() << " rules: " << finding_count << (finding_count == 1 ? " finding" : " findings") << '\n';
  if (unreadable) std::cerr << "vigil: " << unreadable << " files could not be read\n";
  if (!rules_ok) return 2;
  return failing > 0 ? 1 : 0;
}

int test_rules(const std::vector<std::string>& args) {
  std::vector<rules::PackFile> pack;
  rules::FixtureOptions options;
  std::vector<rules::Problem> problems;
  std::vector<std::string> dirs;
  for (const auto& a : args) {
    if (a == "--strict") options.strict = true;
    else if (a.starts_with("-")) throw UsageError("unknown option for `vigil test-rules`: " + a);
    else dirs.push_back(a);
  }
  if (dirs.empty()) {
    // The built-in packs hold every rule to both kinds of fixture case.
    pack.assign(rules::builtin_pack().begin(), rules::builtin_pack().end());
    options.strict = true;
  }
  for (const auto& d : dirs) {
    auto more = rules::read_pack(d, problems);
    pack.insert(pack.end(), more.begin(), more.end());
  }
  for (const auto& p : problems) std::cerr << p.to_string() << '\n';
  auto reports = rules::run_fixtures(pack, options);
  int passed = 0, failed = 0, skipped = 0;
  for (const auto& r : reports) {
    const std::string name = r.rule_id.empty() ? r.rule_path : r.rule_id;
    if (r.skipped) {
      ++skipped;
      std::cout << "skip " << name << " (no fixture)\n";
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
  RuleSet set;
  const bool ok = load_rules(rule_options, workspace::Project{}, set);
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
                     {"source", r->source_path}});
    std::cout << out.dump(2) << '\n';
  } else {
    for (const auto& r : set.all()) {
      std::string l, c;
      for (const auto& s : langs(*r)) l += (l.empty() ? "" : ",") + s;
      for (const auto& s : r->metadata.cwe) c += (c.empty() ? "" : ",") + s;
      std::cout << r->id << '\t' << l << '\t' << (c.empty() ? "-" : c) << '\t' << rules::to_string(r->severity) << '\n';
    }
    std::cout << set.size() << " rules\n";
  }
  return ok ? 0 : 2;
}

}  // namespace vigil::cli

namespace vigil::cli {

int parse_command(const std::vector<std::string>& args) {
  bool tree = false;
  std::vector<std::string> paths;
  for (const auto& a : args) {
    if (a == "--tree") tree = true;
    else if (a.starts_with("-")) throw UsageError("unknown option for `vigil parse`: " + a);
    else paths.push_back(a);
  }
  if (paths.empty()) throw UsageError("usage: vigil parse [--tree] FILE...");
  int status = 0;
  for (const auto& path : paths) {
    const auto* language = grammars::by_path(path);
    if (!language) {
      std::cerr << "vigil: " << path << ": no grammar for this file type\n";
      status = 2;
      continue;
    }
    bool ok = false;
    std::string text = read_file(path, ok);
    if (!ok) {
      std::cerr << "vigil: " << path << ": cannot read\n";
      status = 2;
      continue;
    }
    auto snapshot = document::Snapshot::parse(path, *language, std::move(text));
    if (tree) {
      char* s = ts_node_string(snapshot->root());
      std::cout << s << '\n';
      free(s);
    }
    // Every ERROR and MISSING node, outermost first; their insides are not reported again.
    std::vector<TSNode> stack{snapshot->root()};
    size_t errors = 0;
    while (!stack.empty()) {
      TSNode n = stack.back();
      stack.pop_back();
      if (!ts_node_has_error(n)) continue;
      if (ts_node_is_error(n) || ts_node_is_missing(n)) {
        const auto pos = snapshot->position_of(ts_node_start_byte(n), document::Encoding::utf32);
        std::string what = ts_node_is_missing(n) ? "missing `" + std::string(ts_node_type(n)) + "`"
                                                 : "unexpected `" + std::string(snapshot->node_text(n).substr(0, 40)) + "`";
        std::cout << path << ':' << pos.line + 1 << ':' << pos.character + 1 << ": syntax error: " << what << '\n';
        ++errors;
        continue;
      }
      for (uint32_t i = ts_node_child_count(n); i-- > 0;) stack.push_back(ts_node_child(n, i));
    }
    if (errors && status == 0) status = 1;
  }
  return status;
}

}  // namespace vigil::cli
