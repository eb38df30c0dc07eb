// `vigil check`: find files, analyse them in parallel, apply fixes, report.
#include "cli/commands.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

#include <unistd.h>

#include "analyzers/budget.hpp"
#include "analyzers/engine.hpp"
#include "analyzers/feedback/bank.hpp"
#include "analyzers/feedback/baseline.hpp"
#include "analyzers/feedback/effects.hpp"
#include "analyzers/parse_errors.hpp"
#include "analyzers/prefilter.hpp"
#include "analyzers/provenance/git.hpp"
#include "analyzers/provenance/tracker.hpp"
#include "analyzers/fix/fix.hpp"
#include "analyzers/report/report.hpp"
#include "analyzers/report/unified_diff.hpp"
#include "analyzers/rules/sources.hpp"
#include "analyzers/store/store.hpp"
#include "analyzers/workspace/ignore.hpp"
#include "analyzers/suppressions.hpp"
#include "analyzers/workspace/boundary.hpp"
#include "analyzers/workspace/files.hpp"
#include "cli/validate.hpp"

namespace vigil::cli {
namespace fs = std::filesystem;

namespace {

// What provenance says about the files of a run: the editor's stored ranges (when the file is
// unchanged since), git trailers, authors and notes, uncommitted lines of files the editor never
// saw, markers and globs.
class ProvenanceLookup {
 public:
  explicit ProvenanceLookup(const workspace::Project& project)
      : project_(project), matcher_(project.config.provenance.agent_patterns) {}
  // Asked of git on first use: a run whose files have no finding (a pre-commit hook on a clean
  // change) starts no git process.
  const std::optional<std::string>& git_root() {
    if (!git_asked_) {
      git_asked_ = true;
      git_root_ = provenance::git::toplevel(project_.root);
      if (git_root_ && project_.config.provenance.git) shallow_ = provenance::git::shallow_boundary(*git_root_);
    }
    return git_root_;
  }

  // The AI-written spans of a file whose text is `text`.
  std::vector<provenance::Span> ai_spans(const report::FileResult& r, const fs::path& abs) {
    const auto& settings = project_.config.provenance;
    if (!opened_) {
      opened_ = true;
      std::string db_error;
      db_ = store::Database::open(store::database_path(project_.root), true, db_error);
      if (db_) {
        stored_.emplace(*db_);
        proposals_.emplace(*db_);
      }
    }
    const std::string& text = r.snapshot->text;
    provenance::ProvenanceMap map;
    bool seen_by_editor = false;
    if (stored_)
      if (auto s = stored_->load(r.root_path)) {
        provenance::restore(map, s->content, s->spans, text);
        seen_by_editor = true;
      }
    if (proposals_)  // what agents proposed through `vigil mcp`
      if (auto p = proposals_->load(r.root_path))
        provenance::apply_proposal(map, p->content, p->lines, {provenance::Origin::ai, provenance::Evidence::agent_mcp, p->tool}, text);
    if (git_root() && settings.git) {
      if (!shallow_.empty() && !warned_shallow_) {
        warned_shallow_ = true;
        std::cerr << "vigil: warning: this is a shallow clone: lines last changed in its oldest fetched commit are of unknown "
                     "origin (fetch the history: `git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)\n";
      }
      provenance::apply_git(map, text, provenance::git::file_verdicts(*git_root_, abs.string(), &text, matcher_, &shallow_),
                            !seen_by_editor && settings.git_uncommitted);
    }
    return provenance::effective_spans(map, text, workspace::matches_any_glob(settings.ai_globs, r.root_path));
  }

 private:
  const workspace::Project& project_;
  bool git_asked_ = false;
  std::optional<std::string> git_root_;
  provenance::git::AgentMatcher matcher_;
  std::set<std::string> shallow_;  // a shallow clone's boundary commits
  bool warned_shallow_ = false;
  bool opened_ = false;
  std::unique_ptr<store::Database> db_;
  std::optional<store::ProvenanceStore> stored_;
  std::optional<store::AgentProposalStore> proposals_;
};

// --diff REF: keeps findings that start on a line changed since REF. --ai-only: keeps findings in
// AI ranges and says so in the message. Otherwise findings of rules about added code
// (`metadata.addedCodeOnly`: a `# nosec` slipped in) outside AI ranges become hints: Vigil did not
// see that code being added. One file at a time, as results stream out (not thread-safe).
class ProvenanceFilter {
 public:
  // `record`: note each finding's provenance in the result (SARIF, markdown); `annotate`: say it in
  // the message instead (text, JSON).
  ProvenanceFilter(const workspace::Project& project, bool ai_only, const std::string& diff_ref, bool record, bool annotate,
                   workspace::TaintParameters parameters)
      : project_(project), lookup_(project), ai_only_(ai_only), record_(record), annotate_(annotate), parameters_(parameters) {
    namespace git = provenance::git;
    if (diff_ref.empty()) return;
    if (!lookup_.git_root()) {
      error_ = "--diff needs a git repository (none around " + project.root + ")";
      return;
    }
    std::string why;
    if (auto changed = git::changed_since(*lookup_.git_root(), diff_ref, why)) changed_ = std::move(changed->files);
    else error_ = "--diff " + diff_ref + ": " + why;
  }
  // Why git cannot answer what was asked; empty when it can.
  const std::string& error() const { return error_; }

  // Each finding's origin ("ai" or "human"), for `--record`.
  std::vector<std::string> origins(const report::FileResult& r) {
    std::vector<std::string> out(r.findings.size(), "human");
    if (r.findings.empty()) return out;
    const fs::path abs = fs::path(r.root_path).is_absolute() ? fs::path(r.root_path) : fs::path(project_.root) / r.root_path;
    const auto spans = lookup_.ai_spans(r, abs);
    for (size_t i = 0; i < r.findings.size(); ++i)
      if (provenance::ai_span_for(spans, r.findings[i].start_byte, r.findings[i].end_byte)) out[i] = "ai";
    return out;
  }

  void apply(report::FileResult& r) {
    namespace git = provenance::git;
    if (r.findings.empty() && r.suppressed.empty()) return;
    const fs::path abs = fs::path(r.root_path).is_absolute() ? fs::path(r.root_path) : fs::path(project_.root) / r.root_path;
    if (changed_) {
      const auto rel = abs.lexically_relative(*lookup_.git_root()).generic_string();
      auto it = changed_->find(rel);
      auto unchanged = [&](const Finding& f) {
        if (it == changed_->end()) return true;
        const uint32_t line = f.start.row + 1;
        return std::none_of(it->second.begin(), it->second.end(),
                            [&](const git::LineRange& lr) { return line >= lr.first && line < lr.first + lr.count; });
      };
      std::erase_if(r.findings, unchanged);
      std::erase_if(r.suppressed, [&](const SuppressedFinding& s) { return unchanged(s.finding); });
    }
    // taint.parameters: findings whose source is only a parameter stay in AI ranges (`ai`, which
    // asks provenance only for files that have such findings), everywhere (`all`) or nowhere (`off`).
    if (parameters_ == workspace::TaintParameters::off)
      std::erase_if(r.findings, [](const Finding& f) { return f.from_parameter; });
    const bool about_added = std::any_of(r.findings.begin(), r.findings.end(),
                                         [](const Finding& f) { return f.rule->metadata.added_code_only; });
    const bool about_parameters = parameters_ == workspace::TaintParameters::ai &&
                                  std::any_of(r.findings.begin(), r.findings.end(),
                                              [](const Finding& f) { return f.from_parameter; });
    if (ai_only_ && !r.suppressed.empty()) {
      const auto spans = lookup_.ai_spans(r, abs);
      std::erase_if(r.suppressed, [&](const SuppressedFinding& s) {
        return !provenance::ai_span_for(spans, s.finding.start_byte, s.finding.end_byte);
      });
    }
    if (r.findings.empty() || (!ai_only_ && !about_added && !about_parameters && !record_)) return;
    const auto spans = lookup_.ai_spans(r, abs);
    std::erase_if(r.findings, [&](const Finding& f) {
      return !workspace::keep_parameter_finding(parameters_, f.from_parameter,
                                                provenance::ai_span_for(spans, f.start_byte, f.end_byte) != nullptr);
    });
    if (record_) {
      r.provenance.clear();
      for (const auto& f : r.findings) {
        const auto* span = provenance::ai_span_for(spans, f.start_byte, f.end_byte);
        if (span)
          r.provenance.push_back(report::FindingProvenance{std::string(provenance::to_string(span->label.origin)),
                                                           std::string(provenance::to_string(span->label.evidence)), span->label.tool});
        else
          r.provenance.push_back(std::nullopt);
      }
    }
    if (!ai_only_) {
      for (auto& f : r.findings)
        if (f.rule->metadata.added_code_only && !provenance::ai_span_for(spans, f.start_byte, f.end_byte) &&
            f.severity != rules::Severity::hint) {
          f.severity = rules::Severity::hint;
          f.message += " (already there: not seen being added by an AI)";
        }
      return;
    }
    std::vector<Finding> kept;
    std::vector<std::optional<report::FindingProvenance>> kept_provenance;
    for (size_t i = 0; i < r.findings.size(); ++i) {
      auto& f = r.findings[i];
      if (const auto* span = provenance::ai_span_for(spans, f.start_byte, f.end_byte)) {
        if (annotate_) f.message += " (AI-suggested: " + provenance::describe(span->label) + ")";
        kept.push_back(std::move(f));
        if (record_) kept_provenance.push_back(r.provenance[i]);
      }
    }
    r.findings = std::move(kept);
    r.provenance = std::move(kept_provenance);
  }

 private:
  const workspace::Project& project_;
  ProvenanceLookup lookup_;
  bool ai_only_, record_, annotate_;
  workspace::TaintParameters parameters_;
  std::optional<std::map<std::string, std::vector<provenance::git::LineRange>>> changed_;
  std::string error_;
};

// Writes `text` to `path` through a temporary file in the same directory and a rename, keeping the
// file's permissions: a failed write (a full disk) leaves the original as it was. A source file that
// is a symbolic link is refused, wherever it points (the link's target is fixed under its own name,
// when it lies in the tree), and so is anything but a regular file or a path that leaves the root.
bool write_file_atomically(const std::string& link_or_path, const std::string& root, const std::string& text,
                           std::string& error) {
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(link_or_path, ec))) {
    error = link_or_path + " is a symbolic link: not fixed (Vigil never writes through links; fix the file it points to)";
    return false;
  }
  std::string resolve_error;
  const auto resolved = workspace::Boundary(root).resolve(link_or_path, resolve_error);
  if (!resolved) {
    error = resolve_error;
    return false;
  }
  const std::string path = *resolved;
  if (!fs::is_regular_file(fs::symlink_status(path, ec))) {
    error = path + " is not a regular file: not fixed";
    return false;
  }
  return workspace::replace_file(path, text, error);
}

// Every finding in one file: the rules (around syntax errors too), suppressions, parse-error notes.
std::vector<Finding> analyze_file(const RuleSet& rule_set, const document::Snapshot& snapshot,
                                  const AnalysisOptions& options, std::vector<SuppressedFinding>* suppressed = nullptr) {
  auto findings = apply_suppressions(snapshot, analyze_recovering(rule_set, snapshot, options), rule_set, suppressed);
  add_parse_errors(snapshot, findings);
  return findings;
}

// What --fix did (or would do) to one file.
struct FixOutcome {
  std::string original;  // the text before any fix; empty when nothing changed
  size_t applied = 0;    // fixes applied over all passes
};

// Applies the applicable fixes of `snapshot`'s findings, then analyses again, until no fix applies
// (a fix can make room for an overlapping one) or a pass limit; leaves the final snapshot and its
// findings in `result`.
FixOutcome fix_file(const RuleSet& rule_set, report::FileResult& result, bool include_unsafe,
                    const AnalysisOptions& options) {
  FixOutcome outcome;
  for (int pass = 0; pass < 10; ++pass) {
    auto edits = fix::applicable(result.findings, result.snapshot->text, include_unsafe);
    if (edits.empty()) break;
    if (pass == 0) outcome.original = result.snapshot->text;
    std::string text = fix::apply(result.snapshot->text, edits);
    if (text == result.snapshot->text) break;
    outcome.applied += edits.size();
    result.snapshot = document::Snapshot::parse(result.snapshot->path, *result.snapshot->language, std::move(text));
    result.findings = analyze_file(rule_set, *result.snapshot, options);
  }
  return outcome;
}

// Whether `text` may hold a suppression comment: those are reported (unused, without a reason)
// even where no rule matches, so such a file is parsed whatever the prefilter says.
bool mentions_suppression(std::string_view text) {
  return text.find("vigil-ignore") != std::string_view::npos || text.find("nosemgrep") != std::string_view::npos ||
         text.find("ast-grep-ignore") != std::string_view::npos;
}

std::string diff_label(const std::string& prefix, const std::string& path) {
  return fs::path(path).is_absolute() ? path : prefix + path;
}

}  // namespace

namespace {

struct CheckOptions {
  RuleOptions rules;
  std::vector<std::string> paths;
  std::string format = "text", output, diff_ref, color = "auto";
  bool ai_only = false, fix = false, unsafe_fixes = false, dry_run = false, progress = true, force_progress = false;
  unsigned shard = 0, shards = 0;  // --shard K/N (1-based K); 0: the whole run
  std::string link_base;           // --link-base: markdown links to the checked commit
  // Findings at or above this severity make the exit code 1. Info notes (parse errors) and hints
  // (unused suppressions, findings outside AI-written code) are shown but do not fail a build
  // unless asked. Severity enumerators run from error (0) to hint; -1 is `never`.
  int fail_on = static_cast<int>(rules::Severity::warning);
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  std::optional<double> budget_seconds;
  std::optional<workspace::TaintParameters> taint_parameters;  // --taint-parameters, over the config
  std::string validate;  // --validate[=deep|endpoint|command]; "default" = the settings' validator
  bool record = false;    // --record: store what the run found in the feedback bank
  bool baseline = true;   // --no-baseline: show the findings .vigil/baseline.json accepts
  bool bank = true;       // --no-feedback: show the findings the bank hides (marked false positives)
};

// A whole number in [min, max], or a usage error naming the option.
long parse_count(const std::string& option, const std::string& v, long min, long max) {
  long n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n < min || n > max)
    throw UsageError(option + " takes a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ", not `" + v + "`");
  return n;
}

CheckOptions parse_check_args(const std::vector<std::string>& args) {
  CheckOptions o;
  for (ArgCursor cur(args); cur.next();) {
    const auto& a = cur.arg();
    if (o.rules.take(cur)) continue;
    if (a == "--format") o.format = cur.value();
    else if (a == "--ai-only") o.ai_only = true;
    else if (a == "--diff") o.diff_ref = cur.value();
    else if (a == "--taint-parameters") {
      const std::string v = cur.value();
      if (v == "ai") o.taint_parameters = workspace::TaintParameters::ai;
      else if (v == "all") o.taint_parameters = workspace::TaintParameters::all;
      else if (v == "off") o.taint_parameters = workspace::TaintParameters::off;
      else throw UsageError("--taint-parameters must be ai, all or off (got `" + v + "`)");
    }
    else if (a == "--fix") o.fix = true;
    else if (a == "--unsafe-fixes") o.unsafe_fixes = true;  // widens --fix/--dry-run; alone it writes nothing
    else if (a == "--dry-run") o.dry_run = true;
    else if (a == "--no-progress") o.progress = false;
    else if (a == "--record") o.record = true;
    else if (a == "--no-baseline") o.baseline = false;
    else if (a == "--no-feedback") o.bank = false;
    else if (a == "--progress") o.force_progress = true;
    else if (a == "--link-base") o.link_base = cur.value();
    else if (a == "--shard") {
      const std::string v = cur.value();
      const auto slash = v.find('/');
      if (slash == std::string::npos) throw UsageError("--shard takes K/N (e.g. 2/4), not `" + v + "`");
      o.shards = static_cast<unsigned>(parse_count("--shard N", v.substr(slash + 1), 1, 4096));
      o.shard = static_cast<unsigned>(parse_count("--shard K", v.substr(0, slash), 1, o.shards));
    } else if (a == "--validate") o.validate = "default";
    else if (a.starts_with("--validate=")) {
      o.validate = a.substr(11);
      if (o.validate != "deep" && o.validate != "endpoint" && o.validate != "command")
        throw UsageError("--validate takes deep, endpoint or command (got `" + o.validate + "`)");
    }
    else if (a == "--color" || a == "--colour") o.color = cur.value();
    else if (a == "--output" || a == "-o") o.output = cur.value();
    else if (a == "--fail-on") {
      std::string v = cur.value();
      rules::Severity sev;
      if (v == "never") o.fail_on = -1;
      else if (rules::parse_severity(v, sev)) o.fail_on = static_cast<int>(sev);
      else throw UsageError("--fail-on must be error, warning, info, hint or never (got `" + v + "`)");
    } else if (a == "--jobs" || a == "-j") {
      o.jobs = static_cast<unsigned>(parse_count(a, cur.value(), 1, 1024));
    } else if (a == "--file-budget") {
      const std::string v = cur.value();
      double seconds = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
      if (ec != std::errc() || end != v.data() + v.size() || !(seconds > 0) || seconds > 86400)
        throw UsageError("--file-budget takes a number of seconds above 0 (e.g. 5 or 0.5), not `" + v + "`");
      o.budget_seconds = seconds;
    } else if (a.starts_with("-") && a != "-") throw UsageError("unknown option for `vigil check`: " + a);
    else o.paths.push_back(a);
  }
  if (o.format != "text" && o.format != "json" && o.format != "sarif" && o.format != "markdown" && o.format != "codequality")
    throw UsageError("--format must be text, json, sarif, markdown or codequality");
  if (o.color != "auto" && o.color != "always" && o.color != "never") throw UsageError("--color must be auto, always or never");
  // As in ruff: --dry-run previews what --fix would write (it implies it, and writes nothing);
  // --unsafe-fixes only widens the fixes that --fix or --dry-run apply, and alone marks the unsafe
  // fixes as available in the report.
  if (o.dry_run) o.fix = true;
  if (!o.validate.empty() && o.dry_run) throw UsageError("--validate does not go with --dry-run");
  if (o.record && o.dry_run) throw UsageError("--record does not go with --dry-run");
  if (o.paths.empty()) o.paths.push_back(".");
  return o;
}

// Colour where a person reads it: a terminal, unless NO_COLOR (https://no-color.org) or TERM=dumb.
bool use_color(const std::string& mode, bool to_terminal) {
  if (mode == "always") return true;
  if (mode == "never" || !to_terminal) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  return !(term && std::string_view(term) == "dumb");
}

// Rule paths that hold no rule file: a typo or an empty directory must not pass as a clean run.
// (Files are counted, not loaded rules: a rule turned off with `severity: off` is still a rule.)
std::vector<std::string> paths_without_rules(const std::vector<std::string>& paths) {
  std::vector<std::string> empty;
  for (const auto& p : paths) {
    std::error_code ec;
    bool any = fs::is_regular_file(p, ec) && rules::is_rule_file(p);
    if (fs::is_directory(p, ec))
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator() && !any; it.increment(ec))
        any = it->is_regular_file(ec) && rules::is_rule_file(it->path().string());
    if (!any) empty.push_back(p);
  }
  return empty;
}

// One level lower: error -> warning -> info -> hint.
rules::Severity lowered(rules::Severity s) {
  return s == rules::Severity::hint ? s : static_cast<rules::Severity>(static_cast<int>(s) + 1);
}

// The shard a file belongs to under --shard K/N: FNV-1a (64-bit) of its path relative to the project
// root, the same on every machine and run, so that N CI jobs split a tree without talking.
unsigned shard_of(std::string_view root_relative_path, unsigned shards) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : root_relative_path) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return static_cast<unsigned>(h % shards) + 1;
}

// The path a file is reported and sharded under: relative to the project root, or absolute.
std::string root_relative(const std::string& path, const std::string& root) {
  auto rel = fs::path(path).lexically_relative(root);
  return rel.empty() || *rel.begin() == ".." ? path : rel.generic_string();
}

// Where a markdown summary links to: --link-base, else the CI's commit page (GitHub Actions,
// GitLab CI), else nothing.
std::pair<std::string, bool> link_base(const std::string& given) {
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v ? v : "");
  };
  if (!given.empty()) return {given.back() == '/' ? given : given + "/", false};
  if (!env("GITHUB_SERVER_URL").empty() && !env("GITHUB_REPOSITORY").empty() && !env("GITHUB_SHA").empty())
    return {env("GITHUB_SERVER_URL") + "/" + env("GITHUB_REPOSITORY") + "/blob/" + env("GITHUB_SHA") + "/", false};
  if (!env("CI_PROJECT_URL").empty() && !env("CI_COMMIT_SHA").empty())
    return {env("CI_PROJECT_URL") + "/-/blob/" + env("CI_COMMIT_SHA") + "/", true};
  return {"", false};
}

// "12.3 MB/s, ETA 0:42"
std::string progress_line(size_t done, size_t total, uint64_t bytes, double seconds) {
  char buf[160];
  const double mbps = seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0;
  if (done == 0 || seconds < 0.2) {
    std::snprintf(buf, sizeof buf, "vigil: %zu/%zu files", done, total);
  } else {
    const long eta = static_cast<long>(seconds / static_cast<double>(done) * static_cast<double>(total - done) + 0.5);
    std::snprintf(buf, sizeof buf, "vigil: %zu/%zu files, %.1f MB/s, ETA %ld:%02ld", done, total, mbps, eta / 60, eta % 60);
  }
  return buf;
}

}  // namespace

int check(const std::vector<std::string>& args) { return check_with(args, {}); }

int check_with(const std::vector<std::string>& args, const CheckHooks& hooks) {
  CheckOptions opt = parse_check_args(args);
  if (hooks.collect) opt.baseline = false;  // a new baseline starts from everything

  // The project around the first path (a file's directory; "" for a bare file name means here).
  const auto& first_path = opt.paths.front();
  std::string start = fs::is_directory(first_path) ? first_path : fs::path(first_path).parent_path().string();
  auto project = workspace::open_project(start.empty() ? "." : start);
  bool config_ok = true;
  for (const auto& p : project.problems) {
    std::cerr << p.to_string() << '\n';
    if (p.level == rules::Problem::Level::error) config_ok = false;
  }
  std::vector<std::string> missing;
  std::vector<workspace::SkippedFile> named_skipped;
  auto files = workspace::discover(project, opt.paths, missing, &named_skipped);
  for (const auto& m : missing) std::cerr << "vigil: " << report::printable(m) << ": no such file or directory\n";
  if (!missing.empty()) return 2;
  // Only the built-in packs of the languages present are loaded: a one-file check (a pre-commit
  // hook) does not compile the rules of six other languages.
  std::set<const grammars::Language*> languages;
  for (const auto& f : files)
    if (f.language) languages.insert(f.language);
  RuleSet rule_set;
  const bool rules_ok = load_rules(opt.rules, project, rule_set, files.empty() ? nullptr : &languages);
  // Sharded after the languages are known: every shard loads the rules the whole run loads, so that
  // their reports merge into the single run's.
  if (opt.shards > 0) {
    std::erase_if(files, [&](const auto& f) { return shard_of(root_relative(f.path, project.root), opt.shards) != opt.shard; });
    std::erase_if(named_skipped, [&](const auto& f) { return shard_of(f.display_path, opt.shards) != opt.shard; });
  }
  if (!config_ok) return 2;
  for (const auto& p : paths_without_rules(opt.rules.paths))
    throw UsageError("--rules " + p + ": no rule files there (rule files are *.yaml or *.yml)");
  if (rule_set.size() == 0 && rules_ok && opt.rules.paths.empty())
    throw UsageError(opt.rules.builtin && project.config.builtin_rules
                         ? "no rules loaded"
                         : "no rules loaded: the built-in rules are off (--no-builtin or `builtin: false`) and no --rules path or "
                           "project rules (.vigil/rules, config `rules:`) hold any");

  report::RunSummary summary;
  summary.rules = rule_set.size();
  summary.unsafe_fixes = opt.unsafe_fixes;
  for (const auto& s : named_skipped) summary.skipped.push_back({s.display_path, s.reason});

  const size_t max_file_bytes = project.config.max_file_bytes;
  const auto budget = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(opt.budget_seconds.value_or(project.config.file_budget_seconds)));
  const auto& test_code = project.config.test_code;

  const workspace::TaintParameters parameters = opt.taint_parameters.value_or(project.config.taint_parameters);
  AnalysisOptions analysis_options;
  analysis_options.taint_parameters = parameters != workspace::TaintParameters::off;
  const bool structured = opt.format == "sarif" || opt.format == "markdown";
  ProvenanceFilter provenance_filter(project, opt.ai_only, opt.diff_ref, structured, !structured, parameters);
  if (!provenance_filter.error().empty()) {
    std::cerr << "vigil: " << provenance_filter.error() << '\n';
    return 2;
  }
  std::unique_ptr<CheckValidation> validation;
  if (!opt.validate.empty()) {
    const std::string name = opt.validate == "default" ? project.config.validation.validator : opt.validate;
    std::string error;
    validation = CheckValidation::open(project, name, error);
    if (!validation) {
      std::cerr << "vigil: --validate=" << name << ": " << error << '\n';
      return 2;
    }
  }
  std::mutex filter_mutex;  // the provenance filter (git blame, its caches) is not thread-safe

  // The feedback bank: marked false positives are hidden, poorly rated rules lowered; the
  // baseline's fingerprints are hidden; --record stores what the run saw.
  std::unique_ptr<store::Database> bank_db;
  feedback::View bank_view;
  if (opt.record || opt.bank) {
    std::string db_error;
    const std::string db_path = store::database_path(project.root);
    std::error_code ec;
    if (opt.record || fs::exists(db_path, ec)) bank_db = store::Database::open(db_path, !opt.record, db_error);
    if (bank_db && !bank_db->warning().empty()) std::cerr << "vigil: warning: " << bank_db->warning() << '\n';
    if (!bank_db && !db_error.empty()) {
      std::cerr << "vigil: " << (opt.record ? "--record: " : "feedback bank: ") << db_error << '\n';
      if (opt.record) return 2;
    }
    if (bank_db && opt.bank) bank_view = feedback::Bank(*bank_db).view();
  }
  std::set<std::string> baseline;
  if (opt.baseline) {
    std::string baseline_error;
    if (auto b = feedback::read_baseline(project.root, baseline_error)) baseline = std::move(*b);
    else if (!baseline_error.empty()) {
      std::cerr << "vigil: " << baseline_error << '\n';
      return 2;
    }
  }
  std::atomic<size_t> hidden_by_bank{0}, hidden_by_baseline{0};
  std::mutex seen_mutex;
  std::vector<feedback::Bank::Seen> seen;
  std::set<std::string> checked_paths;

  std::ofstream file_out;
  if (!opt.output.empty()) {
    file_out.open(opt.output);
    if (!file_out) {
      std::cerr << "vigil: cannot write " << opt.output << '\n';
      return 2;
    }
  }
  std::ostream& out = opt.output.empty() ? std::cout : file_out;
  report::TextOptions text_options;
  text_options.color = use_color(opt.color, opt.output.empty() && ::isatty(STDOUT_FILENO));
  text_options.unsafe_fixes = opt.unsafe_fixes;
  // A progress line where a person watches (stderr is a terminal), or with --progress; in a pipe
  // or a CI log (--progress without a terminal), a plain line every few seconds.
  const bool progress_tty = ::isatty(STDERR_FILENO) != 0;
  const bool show_progress = ((opt.progress && progress_tty) || opt.force_progress) && files.size() > 1;
  const bool redraw = show_progress && progress_tty;

  // Parse and match in parallel; each file is read once. Results stream out in file order as soon
  // as the files before them are done, and are freed then (SARIF, which lists the rules before the
  // results, keeps them, without their trees): memory stays flat with the number of files.
  std::vector<report::FileResult> results(files.size());
  std::vector<std::string> skip_reason(files.size());
  std::vector<char> is_generated(files.size(), false);
  std::vector<FixOutcome> fixes(opt.fix ? files.size() : 0);
  std::atomic<size_t> next{0}, done{0}, unreadable{0};
  std::atomic<uint64_t> bytes_done{0};

  std::mutex emit_mutex;  // guards what follows, and `out`
  std::vector<char> ready(files.size(), false);
  size_t emit_next = 0;
  report::Tally tally;
  report::JsonWriter json_writer(out);
  std::vector<report::FileResult> kept_for_sarif;  // SARIF, markdown and code quality list them at the end
  size_t failing = 0, fixed = 0, changed_files = 0, write_errors = 0;
  std::mutex progress_mutex;  // the progress line and report lines on one terminal take turns
  auto emit = [&](size_t i) {
    auto& r = results[i];
    if (opt.fix && fixes[i].applied && r.snapshot) {
      fixed += fixes[i].applied;
      ++changed_files;
      if (opt.dry_run) {
        std::lock_guard lock(progress_mutex);
        if (redraw) std::cerr << "\r\033[K";
        out << report::unified_diff(fixes[i].original, r.snapshot->text, diff_label("a/", files[i].display_path),
                                    diff_label("b/", files[i].display_path));
      } else if (std::string error; !write_file_atomically(files[i].path, project.root, r.snapshot->text, error)) {
        std::cerr << "vigil: " << report::printable(error) << '\n';
        ++write_errors;
      }
    }
    if (!opt.dry_run && r.snapshot && (!r.findings.empty() || !r.suppressed.empty())) {
      tally.add(r, opt.unsafe_fixes);
      // A finding the validator refuted is reported as a note and does not fail the build.
      for (size_t k = 0; k < r.findings.size(); ++k)
        if (static_cast<int>(r.findings[k].severity) <= opt.fail_on && !report::is_refuted(r, k)) ++failing;
      std::lock_guard lock(progress_mutex);
      if (redraw) std::cerr << "\r\033[K";
      if (opt.format == "text") report::write_text(out, r, text_options);
      else if (opt.format == "json") json_writer.add(r);
      else if (!r.findings.empty() || !r.suppressed.empty()) kept_for_sarif.push_back(std::move(r));
      if (redraw) out.flush();
    }
    results[i] = {};
    if (opt.fix) fixes[i] = {};
  };
  // Called by a worker when file i is done: writes out every result now complete in file order.
  auto finished_file = [&](size_t i) {
    std::lock_guard lock(emit_mutex);
    ready[i] = true;
    while (emit_next < files.size() && ready[emit_next]) emit(emit_next++);
  };

  auto worker = [&] {
    for (size_t i = next++; i < files.size(); i = next++) {
      const auto& file = files[i];
      std::string read_error;
      auto read = workspace::read_regular_file(file.path, max_file_bytes, read_error);
      std::string text = read ? std::move(*read) : std::string();
      const size_t size = text.size();
      if (!read) {
        ++unreadable;
        const auto quoted = read_error.find("` ");  // the reason after the path, which is shown already
        skip_reason[i] = quoted == std::string::npos ? read_error : read_error.substr(quoted + 2);
      } else if (auto why = file.named ? std::string() : workspace::generated_reason(file.path, *file.language, text); !why.empty()) {
        skip_reason[i] = why;
        is_generated[i] = true;
      } else if (!may_match(rule_set, *file.language, text, analysis_options) && !mentions_suppression(text)) {
        // No loaded rule can match this text (it lacks the words each needs): not parsed. A syntax
        // error here hides no finding, so its note is not missed.
      } else {
        std::string root_path = root_relative(file.path, project.root);
        // Ours alone until it goes into `results`: the tree is freed below.
        auto snapshot = std::const_pointer_cast<document::Snapshot>(document::Snapshot::parse(file.display_path, *file.language, std::move(text)));
        report::FileResult result{file.display_path, root_path, snapshot, {}};
        try {
          budget::Scope scope(budget);
          result.findings = analyze_file(rule_set, *snapshot, analysis_options, opt.format == "sarif" ? &result.suppressed : nullptr);
          if (opt.fix) fixes[i] = fix_file(rule_set, result, opt.unsafe_fixes, analysis_options);
        } catch (const budget::Exceeded& e) {
          skip_reason[i] = e.what();
          result.findings.clear();
          if (opt.fix) fixes[i] = {};
        }
        if (test_code.lower && !result.findings.empty() && workspace::is_test_code(test_code, root_path))
          for (auto& f : result.findings)
            if (std::find(test_code.keep_severity.begin(), test_code.keep_severity.end(), f.rule->metadata.category) ==
                    test_code.keep_severity.end() &&
                f.rule->id != kParseError)
              f.severity = lowered(f.severity);
        if (!result.findings.empty() || !result.suppressed.empty()) {
          // Scope and --ai-only/--diff first: what is recorded, baselined and validated is what
          // the run reports.
          std::lock_guard lock(filter_mutex);
          provenance_filter.apply(result);
        }
        if ((opt.record || hooks.collect) && !result.findings.empty()) {
          std::vector<std::string> origins;
          if (opt.record) {
            std::lock_guard lock(filter_mutex);
            origins = provenance_filter.origins(result);
          }
          std::lock_guard lock(seen_mutex);
          for (size_t k = 0; k < result.findings.size(); ++k) {
            const auto& f = result.findings[k];
            if (f.rule->id == kParseError) continue;
            seen.push_back({f.fingerprint, f.rule->id, root_path,
                            feedback::context_of(snapshot->text, f.start_byte, f.end_byte),
                            origins.empty() ? std::string() : origins[k], f.start.row + 1});
          }
        }
        if (opt.record) {
          std::lock_guard lock(seen_mutex);
          checked_paths.insert(root_path);
        }
        if (!baseline.empty())
          hidden_by_baseline += std::erase_if(result.findings, [&](const Finding& f) { return baseline.contains(f.fingerprint); });
        if (opt.bank) hidden_by_bank += feedback::apply(result.findings, bank_view, project.config.feedback);
        if (hooks.collect) result.findings.clear();  // nothing to report
        // Validation needs the syntax tree, freed below: only what will be reported is validated,
        // here in the worker so that --jobs validations (model requests) run at once.
        if (validation && !result.findings.empty()) {
          validation->validate(rule_set, result);
        }
        if (!result.findings.empty() || !result.suppressed.empty() || (opt.fix && fixes[i].applied)) {
          std::const_pointer_cast<document::Snapshot>(result.snapshot)->tree.reset();
          results[i] = std::move(result);
        }
      }
      bytes_done += size;
      ++done;
      finished_file(i);
    }
  };

  // Progress where a person watches (stderr is a terminal): files, throughput, time left.
  std::condition_variable progress_cv;
  bool finished = false;
  std::thread progress;
  const auto started = std::chrono::steady_clock::now();
  if (show_progress)
    progress = std::thread([&] {
      std::unique_lock lock(progress_mutex);
      do {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (redraw) std::cerr << "\r\033[K" << progress_line(done.load(), files.size(), bytes_done.load(), elapsed) << std::flush;
        else if (elapsed >= 0.2) std::cerr << progress_line(done.load(), files.size(), bytes_done.load(), elapsed) << '\n';
      } while (!progress_cv.wait_for(lock, std::chrono::milliseconds(redraw ? 200 : 3000), [&] { return finished; }));
      if (redraw) std::cerr << "\r\033[K" << std::flush;
      else  // the last word in a log: what the run did and how fast
        std::cerr << progress_line(done.load(), files.size(), bytes_done.load(),
                                   std::max(0.2, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()))
                  << '\n';
    });
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < std::min<size_t>(opt.jobs, files.size()); ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  if (progress.joinable()) {
    {
      std::lock_guard lock(progress_mutex);
      finished = true;
    }
    progress_cv.notify_one();
    progress.join();
  }

  size_t analysed = 0, generated = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    if (skip_reason[i].empty()) ++analysed;
    else if (is_generated[i]) ++generated;  // a walk's usual business: counted, not listed
    else summary.skipped.push_back({files[i].display_path, skip_reason[i]});
  }
  summary.files_checked = analysed;

  if (opt.fix) {
    const char* fix_kind = opt.unsafe_fixes ? "" : " safe";
    if (opt.dry_run) {
      // Like `ruff check --diff`: the diff is the output; exit 1 when there is something to apply.
      std::cerr << "vigil: would apply " << fixed << fix_kind << (fixed == 1 ? " fix" : " fixes") << " in " << changed_files
                << (changed_files == 1 ? " file" : " files") << " (dry run: nothing written)\n";
      if (!rules_ok) return 2;
      return fixed > 0 ? 1 : 0;
    }
    std::cerr << "vigil: applied " << fixed << fix_kind << (fixed == 1 ? " fix" : " fixes") << " in " << changed_files
              << (changed_files == 1 ? " file" : " files") << '\n';
  }

  if (hooks.collect) {
    // Nothing reported: the caller has the findings.
  } else if (opt.format == "text") {
    report::write_text_summary(out, tally, summary, text_options);
  } else if (opt.format == "json") {
    json_writer.finish(&summary, &tally);
  } else if (opt.format == "markdown") {
    report::MarkdownOptions md;
    std::tie(md.link_base, md.gitlab_lines) = link_base(opt.link_base);
    md.tool_version = VIGIL_VERSION;
    report::write_markdown(out, kept_for_sarif, tally, summary, md);
  } else if (opt.format == "codequality") {
    report::write_codequality(out, kept_for_sarif);
  } else {
    report::RunInfo info{VIGIL_VERSION, "file://" + report::uri_escape_path(project.root) + "/", &rule_set, "vigil/"};
    // One category per shard: code scanning keeps each shard's alerts apart until all are uploaded.
    if (opt.shards > 0) info.automation_id = "vigil/shard-" + std::to_string(opt.shard) + "-of-" + std::to_string(opt.shards) + "/";
    report::write_sarif(out, kept_for_sarif, info);
  }
  out.flush();
  for (const auto& s : summary.skipped)
    std::cerr << "vigil: skipped " << report::printable(s.path) << ": " << report::printable(s.reason) << '\n';
  const size_t total = hooks.collect ? seen.size() : tally.total;
  std::cerr << "vigil: " << analysed << (analysed == 1 ? " file" : " files") << " checked with " << rule_set.size()
            << " rules: " << total << (total == 1 ? " finding" : " findings");
  if (!summary.skipped.empty()) std::cerr << ", " << summary.skipped.size() << " skipped";
  if (generated) std::cerr << ", " << generated << " generated or minified " << (generated == 1 ? "file" : "files") << " ignored";
  std::cerr << '\n';
  if (hidden_by_bank || hidden_by_baseline) {
    std::cerr << "vigil: hidden: ";
    if (hidden_by_bank)
      std::cerr << hidden_by_bank << (hidden_by_bank == 1 ? " finding" : " findings") << " marked false positive in the feedback bank"
                << (hidden_by_baseline ? ", " : "");
    if (hidden_by_baseline)
      std::cerr << hidden_by_baseline << (hidden_by_baseline == 1 ? " finding" : " findings") << " accepted by .vigil/baseline.json";
    std::cerr << " (--no-feedback, --no-baseline show them)\n";
  }
  if (hooks.collect) hooks.collect(seen);
  if (opt.record && bank_db) {
    std::string record_error;
    // Gone since the last recorded run = fixed, but only when this run could have seen them.
    const bool complete = opt.diff_ref.empty() && !opt.ai_only;
    auto fixed_now = feedback::Bank(*bank_db).record_run(seen, checked_paths, complete, feedback::current_author(), &record_error);
    if (!fixed_now) {
      std::cerr << "vigil: --record: " << record_error << '\n';
      return 2;
    }
    std::cerr << "vigil: recorded " << seen.size() << (seen.size() == 1 ? " finding" : " findings") << " in " << store::database_path(project.root);
    if (*fixed_now) std::cerr << "; " << *fixed_now << " fixed since the last recorded run";
    std::cerr << '\n';
  }
  if (validation) {
    const auto v = validation->summary();
    const size_t n = v.confirmed + v.refuted + v.uncertain + v.errors;
    std::cerr << "vigil: validated " << n << (n == 1 ? " finding" : " findings") << " with "
              << (opt.validate == "default" ? project.config.validation.validator : opt.validate) << ": " << v.confirmed
              << " confirmed, " << v.refuted << " refuted, " << v.uncertain << " uncertain, " << v.errors
              << (v.errors == 1 ? " error" : " errors")
              << (v.cached ? " (" + std::to_string(v.cached) + " remembered from an earlier run)" : std::string()) << '\n';
  }
  if (unreadable) std::cerr << "vigil: " << unreadable << " files could not be read\n";
  if (write_errors) return 2;
  if (!rules_ok) return 2;
  return failing > 0 ? 1 : 0;
}

}  // namespace vigil::cli
