// The session's documents, analyses, rules and settings. Provenance: session_provenance.cpp.
#include "analyzers/session/session.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "analyzers/feedback/effects.hpp"
#include "analyzers/parse_errors.hpp"
#include "analyzers/provenance/tracker.hpp"
#include "analyzers/session/background.hpp"
#include "analyzers/session/scheduler.hpp"
#include "analyzers/suppressions.hpp"
#include "analyzers/rules/sources.hpp"
#include "analyzers/workspace/boundary.hpp"
#include "analyzers/workspace/files.hpp"

namespace vigil::session {

namespace fs = std::filesystem;

Session::Session(Options options, Events events) : options_(std::move(options)), events_(std::move(events)) {
  rules_ = std::make_shared<RuleSet>();
  scheduler_ = std::make_unique<AnalysisScheduler>(
      [this](const AnalysisScheduler::Job& job, std::vector<Finding> findings, const std::string& error, bool complete) {
        // Worker thread: hand the result to the owner's thread, where the session's state lives.
        Analysis analysis{job.snapshot, std::move(findings), job.scope, 0};
        analysis.complete = complete;
        events_.post([this, id = job.uri, analysis = std::move(analysis), error]() mutable {
          on_done(id, std::move(analysis), error);
        });
      },
      options_.worker_threads);
  git_queue_ = std::make_unique<BackgroundQueue>();
}

Session::~Session() {
  for (auto& flag : cancel_flags_)
    if (auto f = flag.lock()) *f = true;
  validation_queue_.reset();
  git_queue_.reset();
  scheduler_.reset();
  store_writer_.reset();
}

std::string Session::open_workspace(std::string root) {
  root_ = std::move(root);
  if (root_.empty()) return {};
  std::string error;
  database_ = store::Database::open(store::database_path(root_), false, error);
  if (database_) {
    provenance_store_ = std::make_unique<store::ProvenanceStore>(*database_);
    proposals_ = std::make_unique<store::AgentProposalStore>(*database_);
    store_writer_ = std::make_unique<StoreWriter>(
        store::database_path(root_), [this](const PendingWrite& write, const store::SaveOutcome& outcome) {
          events_.post([this, write, outcome] { on_stored(write, outcome); });
        });
    bank_ = std::make_unique<feedback::Bank>(*database_);
    if (!database_->warning().empty()) spdlog::warn("{}", database_->warning());
    refresh_feedback(true);
  } else spdlog::warn("provenance and feedback will not persist: {}", error);
  return error;
}

void Session::shutdown() {
  stopped_ = true;
  for (auto& flag : cancel_flags_)
    if (auto f = flag.lock()) *f = true;  // a validator waiting on a model gives up now
  validation_queue_.reset();
  scheduler_.reset();  // no analysis runs past shutdown
  git_queue_.reset();
  for (const auto& [id, doc] : documents_) persist(id);
  store_writer_.reset();  // writes waiting for a locked database get a last few seconds
}

std::string Session::relative_path(const std::string& path) const {
  if (root_.empty()) return path;
  auto rel = fs::path(path).lexically_relative(root_);
  if (rel.empty() || *rel.begin() == "..") return path;
  return rel.generic_string();
}

// ---------------------------------------------------------------------------------------------
// Settings

void Session::set_config_layer(ConfigLayerKind kind, workspace::ConfigLayer layer) {
  switch (kind) {
    case ConfigLayerKind::file: file_layer_ = std::move(layer); break;
    case ConfigLayerKind::initialization: init_layer_ = std::move(layer); break;
    case ConfigLayerKind::user: user_layer_ = std::move(layer); break;
  }
}

std::string Session::config_file_path() const {
  return root_.empty() ? std::string() : (fs::path(root_) / ".vigil" / "config.yaml").string();
}

bool Session::is_config_file(const std::string& path) const { return !root_.empty() && path == config_file_path(); }

std::vector<rules::Problem> Session::reload_config_file() {
  file_layer_ = {};
  std::vector<rules::Problem> problems;
  user_file_layer_ = {};
  if (auto user = workspace::user_config_layer(problems)) user_file_layer_ = std::move(*user);
  if (root_.empty()) return problems;
  const std::string path = config_file_path();
  std::error_code ec;
  std::string why;
  if (!workspace::vigil_dir_usable(root_, why)) {
    if (!why.empty()) problems.push_back({rules::Problem::Level::warning, path, 1, 1, why, {}});
  } else if (fs::exists(fs::symlink_status(path, ec))) {
    std::string error;
    auto text = workspace::Boundary(root_).read(path, workspace::FileKind::config, error);
    if (!text) problems.push_back({rules::Problem::Level::warning, path, 1, 1, error, {}});
    else file_layer_ = workspace::config_layer_from_yaml(path, *text, problems);
    // Endpoints and commands the project names are ignored unless the user trusts it: say so on the file.
    for (auto& message : workspace::merge_config({user_file_layer_, file_layer_, init_layer_, user_layer_}, root_).validation.ignored)
      problems.push_back({rules::Problem::Level::warning, path, 1, 1, std::move(message), {}});
  }
  return problems;
}

std::optional<RuleLoad> Session::apply_config(bool initial) {
  const auto before = config_;
  config_ = workspace::merge_config({user_file_layer_, file_layer_, init_layer_, user_layer_}, root_);
  for (const auto& w : config_.validation.ignored) spdlog::warn("{}", w);
  std::vector<std::string> errors;
  agent_matcher_ = std::make_shared<provenance::git::AgentMatcher>(config_.provenance.agent_patterns, &errors);
  for (const auto& e : errors) spdlog::warn("{}", e);  // validated already; kept for safety
  const bool rules_changed = initial || before.rule_paths != config_.rule_paths || before.builtin_rules != config_.builtin_rules;
  std::optional<RuleLoad> load;
  if (rules_changed) load = load_rules();
  if (initial) return load;
  ++scope_generation_;
  spdlog::info("settings reloaded: scope {}, human findings {}", config_.scope == workspace::Scope::ai ? "ai" : "all",
               config_.show_human_findings ? "shown" : "hidden");
  reanalyse_all();
  return load;
}

// ---------------------------------------------------------------------------------------------
// Rules

RuleLoad Session::load_rules() {
  auto set = std::make_shared<RuleSet>();
  // The same sources as `vigil check`, with the merged settings.
  workspace::Project project;
  project.root = root_;
  project.config = config_;
  const bool lazy = options_.builtin_on_first_use;
  if (!lazy)
    for (const auto& l : grammars::all()) builtin_languages_.insert(&l);
  // Lazily: only the packs of the languages seen so far (none at `initialize`).
  auto loaded = workspace::load_rules(project, options_.rule_paths, options_.builtin_rules, lazy ? &builtin_languages_ : nullptr);
  builtin_loaded_.clear();
  own_rules_.clear();
  for (const auto& r : loaded.rules) {
    set->add(r);
    (r->source_path.starts_with("builtin:") ? builtin_loaded_ : own_rules_).push_back(r);
  }
  RuleLoad result;
  for (auto& p : loaded.problems) {
    spdlog::warn("{}", p.to_string());
    result.problems_by_file[p.path].push_back(std::move(p));
  }
  rules_ = std::move(set);
  ++rules_generation_;
  return result;
}

void Session::need_language(const grammars::Language& language) {
  if (builtin_languages_.contains(&language)) return;
  builtin_languages_.insert(&language);
  if (!options_.builtin_rules || !config_.builtin_rules) return;
  const std::set<const grammars::Language*> only{&language};
  auto loaded = rules::load_builtin_rules(&only);
  for (const auto& p : loaded.problems) spdlog::warn("{}", p.to_string());  // CI validates the packs
  std::set<std::string_view> have;
  for (const auto& r : builtin_loaded_) have.insert(r->id);
  for (auto& r : loaded.rules)  // a file whose languages the loader reads itself comes every time
    if (!have.contains(r->id)) builtin_loaded_.push_back(std::move(r));
  // A new set: analyses running now keep theirs. Documents of other languages keep their results
  // (their rules did not change) and the rules generation stays.
  auto set = std::make_shared<RuleSet>();
  for (const auto& r : builtin_loaded_) set->add(r);
  for (const auto& r : own_rules_) set->add(r);
  rules_ = std::move(set);
  spdlog::info("built-in rules for {} loaded: {} rules", language.id, rules_->size());
}

RuleLoad Session::reload_rules() {
  spdlog::info("reloading rules");
  auto load = load_rules();
  for (const auto& [id, doc] : documents_) schedule(id);
  return load;
}

rules::RulePtr Session::rule(std::string_view id) const {
  for (const auto& r : rules_->all())
    if (r->id == id) return r;
  return nullptr;
}

std::optional<std::string> Session::rule_source(const rules::Rule& rule) const {
  if (rule.source_path.starts_with("builtin:")) {
    const std::string_view rel = std::string_view(rule.source_path).substr(8);
    for (const auto& f : rules::builtin_pack())
      if (f.path == rel) return f.content;
    return std::nullopt;
  }
  std::string error;
  // Rule files come from the workspace or the user's --rules: read them as the loader did.
  return workspace::read_regular_file(rule.source_path, 4u << 20, error);
}

bool Session::is_rule_file(const std::string& file) const {
  const fs::path path = fs::path(file).lexically_normal();
  const auto ext = path.extension();
  if (ext != ".yaml" && ext != ".yml") return false;
  auto under = [&](const fs::path& dir) {
    const auto rel = path.lexically_relative(dir.lexically_normal());
    return !rel.empty() && *rel.begin() != "..";
  };
  if (!root_.empty() && under(fs::path(root_) / ".vigil" / "rules")) return true;
  for (const auto& p : options_.rule_paths) {
    const fs::path abs = fs::absolute(p).lexically_normal();
    if (abs == path || under(abs)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Documents and analyses

bool Session::open(const std::string& id, const std::string& path, const grammars::Language* language, std::string text,
                   int64_t version) {
  if (!language) return false;
  if (text.size() > config_.max_file_bytes) {
    spdlog::warn("{} is {} bytes, over maxFileSize ({}): not analysed", path, text.size(), config_.max_file_bytes);
    drop(id);
    return false;
  }
  // The language's rules load, and the merged query of its query rules starts compiling (when the
  // text holds most of their words), before the text is parsed: the compile runs beside the parse
  // and the analysis's other rules.
  need_language(*language);
  if (scheduler_) scheduler_->prepare(rules_, *language, text);
  auto& entry = documents_[id];
  entry.doc = std::make_unique<document::Document>(path, *language, std::move(text), version);
  entry.current.reset();
  entry.provenance.clear_all();
  analyses_.erase(id);
  provenance_opened(id);
  schedule(id);
  return true;
}

bool Session::change(const std::string& id, const std::vector<document::TextChange>& changes, document::Encoding enc,
                     std::optional<int64_t> version, const OwnEditTest& own_edit) {
  auto it = documents_.find(id);
  if (it == documents_.end()) return false;
  auto& entry = it->second;
  if (scheduler_) scheduler_->superseded(id);
  // The size after the changes, at most (a ranged change may also remove text): over the cap, the
  // document is dropped before anything parses it.
  size_t size_after = entry.doc->text().size();
  for (const auto& c : changes) size_after = c.range ? size_after + c.text.size() : c.text.size();
  if (size_after > config_.max_file_bytes) {
    spdlog::warn("{} grew over maxFileSize ({} bytes): no longer analysed until it is opened again", entry.doc->path(),
                 config_.max_file_bytes);
    drop(id);
    return false;
  }
  const auto bulk = provenance::BulkInsertThresholds{config_.provenance.bulk_min_lines, config_.provenance.bulk_min_chars};
  const int64_t new_version = version.value_or(entry.doc->version() + 1);
  if (!own_edit) {
    entry.doc->apply(changes, enc, new_version, [&](const document::AppliedChange& c) {
      provenance::track_change(entry.provenance, c.old_text, c.start, c.end, c.inserted, c.whole, bulk);
    });
    entry.current.reset();
    schedule(id);
    return true;
  }
  // Whether this is one of Vigil's own edits is known only from the result: the changes are
  // tracked afterwards, replayed over a copy of the old text.
  struct Held {
    uint32_t start, end;
    std::string inserted;
    bool whole;
  };
  std::string text = entry.doc->text();
  std::vector<Held> held;
  entry.doc->apply(changes, enc, new_version, [&](const document::AppliedChange& c) {
    held.push_back({c.start, c.end, std::string(c.inserted), c.whole});
  });
  // Vigil's own edit moves the ranges like typing does and is never a bulk insert.
  const bool vigil_edit = own_edit(text, entry.doc->text());
  const auto thresholds = vigil_edit ? provenance::BulkInsertThresholds{UINT32_MAX, UINT32_MAX} : bulk;
  for (const auto& h : held) {
    provenance::track_change(entry.provenance, text, h.start, h.end, h.inserted, h.whole, thresholds);
    text.replace(h.start, h.end - h.start, h.inserted);
  }
  entry.current.reset();
  schedule(id);
  return true;
}

void Session::drop(const std::string& id) {
  const bool was_open = documents_.erase(id) > 0;
  analyses_.erase(id);
  if (scheduler_) scheduler_->cancel(id);
  if (was_open && events_.analysis_failed) events_.analysis_failed(id, "the document is over maxFileSize");
}

void Session::close(const std::string& id) {
  if (!documents_.contains(id)) return;
  persist(id);
  documents_.erase(id);
  analyses_.erase(id);
  unfiltered_.erase(id);
  if (scheduler_) scheduler_->cancel(id);
}

void Session::saved(const std::string& id) {
  if (!documents_.contains(id)) return;
  persist(id);
  start_git(id, false);  // a commit since the last look may confirm or drop ranges
}

const document::Document* Session::document(const std::string& id) const {
  auto it = documents_.find(id);
  return it == documents_.end() ? nullptr : it->second.doc.get();
}

std::vector<std::string> Session::open_documents() const {
  std::vector<std::string> ids;
  for (const auto& [id, doc] : documents_) ids.push_back(id);
  return ids;
}

void Session::schedule(const std::string& id) {
  auto it = documents_.find(id);
  if (it == documents_.end()) return;
  if (!it->second.current) it->second.current = it->second.doc->snapshot();  // the text changed
  if (!scheduler_) return;
  need_language(it->second.doc->language());
  scheduler_->schedule({id, it->second.current, rules_, scope_for(id), analysis_options(config_.taint_parameters),
                        std::chrono::seconds(config_.file_budget_seconds)});
}

void Session::reanalyse_all() {
  for (const auto& [id, doc] : documents_) {
    analyses_.erase(id);  // readers wait for results under the new settings
    schedule(id);
  }
}

void Session::on_done(const std::string& id, Analysis analysis, const std::string& error) {
  auto doc = documents_.find(id);
  // Stale: the document moved on (or closed) while we analysed; the newer version is on its way.
  if (stopped_ || doc == documents_.end() || doc->second.current != analysis.snapshot) return;
  if (!error.empty()) {
    if (events_.analysis_failed) events_.analysis_failed(id, error);
    return;
  }
  // Rules, provenance/scope and the bank all change what a result holds; the sum grows with each.
  analysis.generation = rules_generation_ + scope_generation_ + feedback_generation_;
  analysis.serial = ++analysis_serial_;
  if (auto before = analyses_.find(id); before != analyses_.end() && bank_) record_fixes(id, before->second, analysis.findings);
  apply_feedback(id, analysis);
  // The result it replaces (a large file's findings, maybe its tree) is freed after the publish.
  Analysis replaced = std::exchange(analyses_[id], std::move(analysis));
  // Another window or a CI run may have written to the bank: then every document is shown again
  // (this one included, and the shell told).
  if (!refresh_feedback(false, true) && events_.analysed) events_.analysed(id);
  scheduler_->shown(id);  // published (or pulled when asked): the complete pass's quiet time starts now
  auto_validate(id);
}

void Session::apply_feedback(const std::string& id, Analysis& analysis) {
  // The findings before the bank are kept aside only when it changes some: usually it changes
  // none, and a large file has thousands, copied on every keystroke otherwise.
  if (feedback::affects(analysis.findings, feedback_view_, config_.feedback)) {
    unfiltered_[id] = analysis.findings;
    analysis.hidden = feedback::apply(analysis.findings, feedback_view_, config_.feedback);
  } else {
    unfiltered_.erase(id);
    analysis.hidden = 0;
  }
}

const Analysis* Session::analysis(const std::string& id) const {
  auto doc = documents_.find(id);
  auto a = analyses_.find(id);
  if (doc == documents_.end() || a == analyses_.end() || a->second.snapshot != doc->second.current) return nullptr;
  return &a->second;
}

std::optional<FindingRef> Session::finding(const std::string& id, std::string_view fingerprint,
                                           std::optional<uint32_t> near_line) const {
  const Analysis* a = analysis(id);
  if (!a) return std::nullopt;
  const Finding* best = nullptr;
  for (const auto& f : a->findings) {
    if (f.fingerprint != fingerprint) continue;
    auto distance = [&](const Finding& x) { return near_line ? (x.start.row > *near_line ? x.start.row - *near_line : *near_line - x.start.row) : 0u; };
    if (!best || distance(f) < distance(*best)) best = &f;
  }
  if (!best) return std::nullopt;
  // The ranges the analysis was shown under (those of its version), over the finding.
  FindingRef ref{a->snapshot, best, best->rule, {}};
  if (a->scope)
    for (const auto& s : a->scope->spans)
      if (s.start < std::max(best->end_byte, best->start_byte + 1) && s.end > best->start_byte) ref.provenance.push_back(s);
  return ref;
}

Analysis analyse_text(const RuleSet& rules, std::shared_ptr<const ProvenanceScope> scope, const std::string& path,
                      const grammars::Language& language, std::string text, uint64_t generation) {
  const document::Document doc(path, language, std::move(text), 0);
  auto snapshot = doc.snapshot();
  auto findings =
      apply_suppressions(*snapshot, analyze(rules, *snapshot, analysis_options(scope->taint_parameters)), rules);
  add_parse_errors(*snapshot, findings);  // as the scheduler does for the editor
  return {snapshot, std::move(findings), std::move(scope), generation};
}

std::shared_ptr<const ProvenanceScope> Session::scope_with(std::vector<provenance::Span> spans) const {
  auto scope = std::make_shared<ProvenanceScope>();
  scope->scope = config_.scope;
  scope->show_human_findings = config_.show_human_findings;
  scope->taint_parameters = config_.taint_parameters;
  scope->spans = std::move(spans);
  return scope;
}

Analysis Session::check_text(const std::string& path, const grammars::Language& language, std::string text,
                             std::vector<provenance::Span> spans) const {
  return analyse_text(*rules_, scope_with(std::move(spans)), path, language, std::move(text),
                      rules_generation_ + scope_generation_);
}

}  // namespace vigil::session
