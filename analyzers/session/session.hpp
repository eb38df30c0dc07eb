// The workspace as one protocol-free object: open documents and their analyses, the rule set, the
// settings layers, each document's provenance map, the workspace database and the git queue. The
// language server (lsp/) and the MCP server (mcp/) are shells over it, as clangd's ClangdLSPServer
// is over ClangdServer: they convert their protocol to these calls and the results back.
//
// Threading: every member function runs on the owner's thread (the shell's IO thread). Analyses
// run on the scheduler's workers and git on a background queue; their results come back through
// Events::post, so the session's state is only ever touched on the owner's thread.
//
// Documents are named by the shell (`id`: the LSP URI); each has a file path (which may not exist
// on disk, e.g. an unsaved buffer).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzers/document/document.hpp"
#include "analyzers/engine.hpp"
#include "analyzers/feedback/bank.hpp"
#include "analyzers/provenance/git_parse.hpp"
#include "analyzers/provenance/map.hpp"
#include "analyzers/rules/loader.hpp"
#include "analyzers/session/scope.hpp"
#include "analyzers/session/store_writer.hpp"
#include "analyzers/store/store.hpp"
#include "analyzers/testgen/testgen.hpp"
#include "analyzers/validation/model_tests.hpp"
#include "analyzers/validation/verdict.hpp"
#include "analyzers/workspace/config.hpp"

namespace vigil::session {

class AnalysisScheduler;
class BackgroundQueue;
struct Analysis;
struct ProvenanceScope;

// Analyses `text` as the file `path` would be with `rules` (suppressions applied), to be shown
// under `scope`. Self-contained: safe on any thread (tools run it under a deadline).
Analysis analyse_text(const RuleSet& rules, std::shared_ptr<const ProvenanceScope> scope, const std::string& path,
                      const grammars::Language& language, std::string text, uint64_t generation = 0);

struct Options {
  std::vector<std::string> rule_paths;  // extra rule files or directories (--rules)
  bool builtin_rules = true;
  unsigned worker_threads = 1;  // 0: analyse inline (tests)
  // The built-in packs of a language load when a document of that language is first analysed
  // (the editor: `initialize` does not compile the rules of seven languages). Off: all load with
  // the settings (MCP, whose tools list every rule).
  bool builtin_on_first_use = false;
};

// What the session tells its shell. Every callback but `post` runs on the owner's thread.
struct Events {
  // Runs `task` on the owner's thread (the shell's event loop). Required.
  std::function<void(std::function<void()>)> post;
  // The analysis of a document's current version is ready: analysis(id) holds it.
  std::function<void(const std::string& id)> analysed;
  // A verdict arrived for a finding of this document (Session::verdict has it): show it.
  std::function<void(const std::string& id)> verdict;
  // The analysis of a document's current version failed (a bug in a rule or the engine).
  std::function<void(const std::string& id, const std::string& error)> analysis_failed;
  // A document's provenance changed without a call from the shell (git answered): its analysis is
  // being redone; a client that pulls diagnostics should be told to pull again.
  std::function<void(const std::string& id)> provenance_changed;
};

// One analysis of one version of a document: the findings after suppressions, and the provenance
// scope they are to be shown under.
struct Analysis {
  std::shared_ptr<const document::Snapshot> snapshot;
  std::vector<Finding> findings;
  std::shared_ptr<const ProvenanceScope> scope;
  uint64_t generation = 0;  // grows when the rules, provenance, settings or the feedback bank change what it holds
  size_t hidden = 0;        // findings the feedback bank hid (marked false positives)
  // After an edit a version gets a fast local result, then (unless that was complete) the complete
  // one: `serial` tells them apart (it grows with every result the session accepts).
  bool complete = true;
  uint64_t serial = 0;
  int64_t version() const { return snapshot->version; }
};

// A finding found again by its fingerprint, with what a validator or test generator needs.
struct FindingRef {
  std::shared_ptr<const document::Snapshot> snapshot;  // its text and tree (the analysed version)
  const Finding* finding = nullptr;                    // valid while the analysis is (see Session::analysis)
  rules::RulePtr rule;                                 // the rule's public fields: message, constraint, metadata, fix
  std::vector<provenance::Span> provenance;            // the provenance ranges over the finding
};

// Whether a change that turned `before` into `after` is an edit Vigil itself offered (a quick-fix,
// a suppression, fix-all) applied by the editor: such changes are never AI-written.
using OwnEditTest = std::function<bool(std::string_view before, std::string_view after)>;

// The settings layers, lowest first: defaults < .vigil/config.yaml < initializationOptions <
// workspace/configuration (user settings win over the project file, as in VS Code).
enum class ConfigLayerKind { file, initialization, user };

// A rule set load: the problems of each rule file (built-in packs named `builtin:...`).
struct RuleLoad {
  std::map<std::string, std::vector<rules::Problem>> problems_by_file;
};

// A file's provenance as stored and as it is on disk (files that are not open).
struct FileProvenance {
  std::string text;
  std::vector<provenance::Span> spans;  // effective: with markers and globs
};

class Session {
 public:
  Session(Options options, Events events);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // --- the workspace
  // Sets the root (may be empty: no workspace) and opens its database; an error is logged and
  // returned (provenance then does not persist).
  std::string open_workspace(std::string root);
  const std::string& root() const { return root_; }
  // Stops analyses and git, stores every open document's provenance. Nothing runs afterwards.
  void shutdown();
  bool stopped() const { return stopped_; }
  store::Database* database() { return database_.get(); }  // null without a workspace
  // `path` relative to the root (the store's key), or `path` itself when it is outside.
  std::string relative_path(const std::string& path) const;
  bool inside_root(const std::string& path) const { return !root_.empty() && relative_path(path) != path; }

  // --- settings
  void set_config_layer(ConfigLayerKind kind, workspace::ConfigLayer layer);
  // Reads <root>/.vigil/config.yaml into the file layer; returns its problems.
  std::vector<rules::Problem> reload_config_file();
  std::string config_file_path() const;  // empty without a root
  bool is_config_file(const std::string& path) const;
  // Merges the layers. Reloads the rules when `initial` or rule settings changed (their problems in
  // the result); otherwise re-analyses every open document under the new settings.
  std::optional<RuleLoad> apply_config(bool initial);
  const workspace::ProjectConfig& config() const { return config_; }

  // --- rules
  const RuleSet& rules() const { return *rules_; }
  std::shared_ptr<const RuleSet> rule_set() const { return rules_; }
  rules::RulePtr rule(std::string_view id) const;
  // The YAML a rule was loaded from (the embedded pack file for built-in rules); nullopt when it
  // cannot be read any more.
  std::optional<std::string> rule_source(const rules::Rule& rule) const;
  // Reloads the rule set from its sources and re-analyses every open document.
  RuleLoad reload_rules();
  // Loads the built-in rules of `language` if they are not loaded yet (Options::builtin_on_first_use).
  void need_language(const grammars::Language& language);
  // The languages whose built-in rules are loaded (all of them unless builtin_on_first_use).
  const std::set<const grammars::Language*>& builtin_languages() const { return builtin_languages_; }
  // A rule file of this workspace (.vigil/rules/**, --rules paths): checked as it is typed.
  bool is_rule_file(const std::string& path) const;

  // --- documents
  // Opens a document (false when no grammar knows it: `language` null) and analyses it.
  bool open(const std::string& id, const std::string& path, const grammars::Language* language, std::string text,
            int64_t version);
  // Applies changes (ranges in `enc`) and analyses the new version. False when `id` is not open.
  // With `own_edit`, the changes move the provenance ranges but count as AI only when it says the
  // result is not one of Vigil's own edits.
  bool change(const std::string& id, const std::vector<document::TextChange>& changes, document::Encoding enc,
              std::optional<int64_t> version, const OwnEditTest& own_edit = {});
  void close(const std::string& id);
  void saved(const std::string& id);  // the buffer was written to disk
  const document::Document* document(const std::string& id) const;
  bool is_open(const std::string& id) const { return documents_.contains(id); }
  std::vector<std::string> open_documents() const;

  // --- analyses
  // The analysis of the document's current version, or null while it runs (or when not open).
  const Analysis* analysis(const std::string& id) const;
  // A finding of the current analysis by fingerprint; with `near_line` the nearest of equals.
  std::optional<FindingRef> finding(const std::string& id, std::string_view fingerprint,
                                    std::optional<uint32_t> near_line = std::nullopt) const;
  // Analyses `text` as the file `path` would be, synchronously, with the current rules and
  // settings (for agents' proposals: nothing is opened or stored), under the provenance `spans`.
  Analysis check_text(const std::string& path, const grammars::Language& language, std::string text,
                      std::vector<provenance::Span> spans) const;
  // The scope check_text applies: the current settings with `spans`.
  std::shared_ptr<const ProvenanceScope> scope_with(std::vector<provenance::Span> spans) const;

  // --- security tests (analyzers/testgen)
  // Whether a finding's rule has a test template for the document's language.
  bool has_test_template(const std::string& id, const Finding& finding) const;
  // The test for a finding of an open document, found by fingerprint (nearest `near_line`): the
  // file to create or extend (relative to the root; the disk's version or the open buffer is
  // extended) and the command that runs it. Throws testgen::GenerateError (also without a root).
  struct GeneratedTests {
    testgen::GeneratedTest test;
    std::string absolute_path;
    std::optional<std::string> existing;  // the file's content before: null when it is created
  };
  GeneratedTests generate_tests(const std::string& id, std::string_view fingerprint,
                                std::optional<uint32_t> near_line = std::nullopt) const;
  // The same for any parsed file inside the root (an agent's proposed content): for `finding`, or
  // without one for `function` and `cwe`. The test file's current content is read from the open
  // buffer or the disk; nothing is written.
  GeneratedTests generate_tests_for(const document::Snapshot& snapshot, const Finding* finding, const std::string& function = {},
                                    const std::string& cwe = {}) const;

  // "…with the model": whether the user's settings configure a model endpoint to ask.
  bool model_tests_available() const;
  // The test for a finding of an open document (as generate_tests), then extended by the model
  // endpoint on the validation thread (never the caller's); `done` runs through Events::post with
  // the tests (the generated ones stand when the model fails or its code is refused) and what the
  // model did. False with `error` set when nothing was started (no endpoint, no finding, no test).
  using ModelTestsCallback = std::function<void(GeneratedTests, validation::ModelTests)>;
  bool generate_tests_with_model(const std::string& id, std::string_view fingerprint, std::optional<uint32_t> near_line,
                                 std::shared_ptr<std::atomic<bool>> cancelled, ModelTestsCallback done, std::string& error);

  // --- provenance
  // Effective ranges (with markers and globs) of an open document's current text.
  std::vector<provenance::Span> provenance(const std::string& id) const;
  // The effective ranges of an open document that overlap [start, end) (a zero-width query: the
  // range containing `start`), e.g. what a code action's selection or a finding lies in.
  std::vector<provenance::Span> provenance_at(const std::string& id, uint32_t start, uint32_t end) const;
  // The same for a file that is not open: from the store and the disk; nullopt when unreadable.
  std::optional<FileProvenance> file_provenance(const std::string& path) const;
  // Labels ranges (positions in `enc`) of an open document, or of a file on disk when `id` is not
  // open (stored for when it is opened). False when neither works.
  bool mark(const std::string& id, const std::string& path, const std::vector<document::Range>& ranges,
            document::Encoding enc, const provenance::Label& label);
  // "Mark region as reviewed": every AI part of [start, end) becomes reviewed.
  bool mark_reviewed(const std::string& id, uint32_t start, uint32_t end);
  // "Treat region as AI-written".
  bool mark_ai(const std::string& id, uint32_t start, uint32_t end);
  // A file of the workspace changed on disk while not open (1 created, 2 changed, 3 deleted): its
  // changed hunks become AI-written (`external-edit`), the lines an agent proposed for it
  // `agent-mcp`.
  void file_changed_on_disk(const std::string& path, int type);
  // An agent proposed `text` as the new content of the workspace file `path` (absolute) through a
  // tool: `lines` (0-based, in `text`) are what it wrote; nullopt: the lines that differ from the
  // file on disk. Stored, and applied as AI-written (evidence agent-mcp, `tool`) when the file holds
  // them: when it is opened, or changes on disk while not open. Returns the number of lines
  // recorded; nullopt with `error` when nothing could be stored.
  std::optional<size_t> record_agent_proposal(const std::string& path, const std::string& text,
                                              std::optional<std::vector<uint32_t>> lines, const std::string& tool,
                                              std::string& error);

  // --- secondary validation (session_validation.cpp)
  using VerdictCallback = std::function<void(const validation::Verdict&)>;
  // Validates the finding `fingerprint` of document `id` (the nearest to `near_line` among equals)
  // with `validator` ("deep", "endpoint", "command") on the validation thread; `done` (optional)
  // runs on the owner's thread, then Events::verdict. Verdicts are stored in the workspace
  // database (an unchanged finding is not validated twice). False with `error` when the finding is
  // gone or the validator is not configured in the user's settings.
  bool validate(const std::string& id, const std::string& fingerprint, std::optional<uint32_t> near_line,
                const std::string& validator, std::shared_ptr<std::atomic<bool>> cancelled, VerdictCallback done, std::string& error);
  // Validates a finding of any snapshot now, on this thread (an agent's tool call), giving up after
  // `deadline` (the verdict is then an error saying so). The verdict is stored like the others.
  // Null with `error` when the validator is not configured in the user's settings.
  std::optional<validation::Verdict> validate_now(std::shared_ptr<const document::Snapshot> snapshot, const Finding& finding,
                                                  const std::vector<provenance::Span>& spans, const std::string& validator,
                                                  std::chrono::milliseconds deadline, std::string& error);
  // The latest verdict on a finding, by fingerprint (it follows the finding across edits).
  const validation::Verdict* verdict(const std::string& fingerprint) const;
  // Grows with every verdict: a shell caching presentations re-renders when it changes.
  uint64_t verdict_generation() const { return verdict_generation_; }

  // --- the feedback bank (session_feedback.cpp, analyzers/feedback)
  // Records a verdict (confirmed | false_positive) on the finding `fingerprint` of open document
  // `id` (the nearest to `near_line` among equals), with its code, provenance and the author; the
  // commit is done when it returns true. Every open document's findings are then shown again
  // (a false positive hidden everywhere its fingerprint appears; precision updated).
  bool record_verdict(const std::string& id, const std::string& fingerprint, std::optional<uint32_t> near_line,
                      feedback::Kind kind, const std::string& reason, const std::string& tool, std::string& error);
  // The same for a verdict built by the caller (an agent's tool call on a proposal): source,
  // rule and fingerprint set; author and time filled in when empty.
  bool record_verdict(feedback::Verdict verdict, std::string& error);
  // What the bank changes, as last read (re-read when another connection wrote to it, at most
  // once per kFeedbackRefreshInterval: this runs on every publish while typing).
  const feedback::View& feedback_view();
  // Re-reads the bank now if anything wrote to it since the view was built (the verdicts that the
  // validation thread stored): the trailing edge of feedback_view's throttle, for the shell to
  // call once per publish of new verdicts. True when it did, after every open document's findings
  // were filtered again and the shell told.
  bool catch_up_feedback() { return refresh_feedback(false, false); }
  // A rule's votes and precision in this workspace's bank (zero without a bank).
  feedback::RuleStats rule_stats(const std::string& rule_id) const;
  // Grows whenever the bank's effect on results may have changed.
  uint64_t feedback_generation() const { return feedback_generation_; }
  // The "Lessons from this repository" prompt section (empty without lessons or a bank).
  std::string lessons(size_t max_rules = 8);

 private:
  // validation.auto: after an analysis, validate (debounced) new findings in AI ranges (or all).
  void auto_validate(const std::string& id);
  BackgroundQueue& validation_queue();

  struct OpenDocument {
    std::unique_ptr<document::Document> doc;
    provenance::ProvenanceMap provenance;
    // The database row of this file as this session last read or wrote it: a save that finds
    // something else there merges the other writer's ranges in (two editors, one file).
    std::optional<store::StoredProvenance> stored;
    // The current text, made when it changed and shared by every analysis of it (a re-analysis
    // for new settings or provenance too): only an analysis of this object is current. Compared
    // by identity, since the client's version numbers may go backwards or repeat.
    std::shared_ptr<const document::Snapshot> current;
    // Lives as long as the document is open: background work queued for it (git) checks it first.
    std::shared_ptr<const bool> open = std::make_shared<const bool>(true);
  };
  // The repository root git found from a folder, and when: used by the git thread only (a burst of
  // opens asks git once, not once per file; each ask forks the whole server, holding malloc's locks).
  struct GitRoot {
    std::chrono::steady_clock::time_point at;
    std::optional<std::string> root;
  };
  std::map<std::string, GitRoot> git_roots_;
  std::optional<std::string> git_toplevel(const std::string& start);  // git thread only

  RuleLoad load_rules();
  // Forgets a document (over the size cap): no analysis, waiting readers told.
  void drop(const std::string& id);
  void schedule(const std::string& id);
  void on_done(const std::string& id, Analysis analysis, const std::string& error);
  std::shared_ptr<const ProvenanceScope> scope_for(const std::string& id) const;
  bool matches_ai_glob(const std::string& path) const;
  void provenance_opened(const std::string& id);
  void persist(const std::string& id);  // stores the provenance when the buffer is what is on disk
  void provenance_updated(const std::string& id);
  void reanalyse_all();
  // Re-reads the bank when it changed (ours or another connection's write; `force`: in any case);
  // true when it did, after every open document's findings were filtered again and the shell
  // told. `throttled`: not within kFeedbackRefreshInterval of the last read (the change is kept
  // for later). Reading the view scans the whole bank, and automatic validation stores a verdict
  // per finding: 600 of them made each read ~70 M instructions, paid per verdict and per keystroke.
  bool refresh_feedback(bool force, bool throttled = false);
  void present_feedback(const std::string& id);  // analyses_[id] from unfiltered_[id] under the view
  // Applies the bank's view to `analysis` (its findings as analysed), keeping them in
  // unfiltered_[id] if it changes any.
  void apply_feedback(const std::string& id, Analysis& analysis);
  void record_fixes(const std::string& id, const Analysis& before, const std::vector<Finding>& now);
  void start_git(const std::string& id, bool first_sight);
  void on_git_verdicts(const std::string& id, std::string text, std::vector<provenance::git::LineVerdict> verdicts,
                       bool first_sight);
  std::optional<provenance::ProvenanceMap> closed_file_map(const std::string& path, std::string& text,
                                                          std::optional<store::StoredProvenance>* stored = nullptr) const;
  // Writes one file's provenance: now, unless another process holds the database's write lock
  // (then the store writer retries it off this thread).
  void store_write(PendingWrite write);
  void on_stored(const PendingWrite& write, const store::SaveOutcome& outcome);
  // Applies the agent proposal stored for `path` to `map` of `text`; consumes it when it applied.
  size_t apply_agent_proposal(const std::string& path, const std::string& text, provenance::ProvenanceMap& map);

  Options options_;
  Events events_;
  bool stopped_ = false;
  std::string root_;
  workspace::ConfigLayer file_layer_, init_layer_, user_layer_;
  workspace::ConfigLayer user_file_layer_;
  std::map<std::string, validation::Verdict> verdicts_;  // by fingerprint
  uint64_t verdict_generation_ = 0;
  std::set<std::string> in_flight_;                       // fingerprints being validated
  std::map<std::string, uint64_t> auto_generation_;       // debounce of automatic validation, by document
  std::unique_ptr<store::Database> validation_db_;        // the validation thread's own connection  // ~/.config/vigil/config.yaml (a user layer, below the project file)
  workspace::ProjectConfig config_;
  std::shared_ptr<const provenance::git::AgentMatcher> agent_matcher_;
  std::shared_ptr<const RuleSet> rules_;
  // With builtin_on_first_use, the rule set is rebuilt from these two lists when a language's
  // built-in pack loads: built-in rules first, so that a workspace rule with the same id still wins.
  std::set<const grammars::Language*> builtin_languages_;
  std::vector<rules::RulePtr> builtin_loaded_, own_rules_;
  uint64_t rules_generation_ = 0;
  uint64_t scope_generation_ = 0;  // bumps when provenance or scope settings change what a result shows
  std::map<std::string, OpenDocument> documents_;
  std::map<std::string, Analysis> analyses_;  // current versions only
  // analyses_' findings before the feedback bank, when it changed some (else: the same).
  std::map<std::string, std::vector<Finding>> unfiltered_;
  std::unique_ptr<feedback::Bank> bank_;
  feedback::View feedback_view_;
  uint64_t feedback_generation_ = 0;
  static constexpr std::chrono::seconds kFeedbackRefreshInterval{2};
  std::chrono::steady_clock::time_point feedback_read_at_{};  // when feedback_view_ was built
  bool feedback_stale_ = false;  // the bank changed since feedback_view_ was built
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<store::ProvenanceStore> provenance_store_;
  std::unique_ptr<store::AgentProposalStore> proposals_;
  std::unique_ptr<StoreWriter> store_writer_;  // writes that met a locked database
  std::unique_ptr<AnalysisScheduler> scheduler_;
  uint64_t analysis_serial_ = 0;
  std::vector<std::weak_ptr<std::atomic<bool>>> cancel_flags_;  // of validations in flight: set at shutdown
  std::unique_ptr<BackgroundQueue> validation_queue_;  // destroyed before what its jobs use
  std::unique_ptr<BackgroundQueue> git_queue_;  // destroyed first (declared last), before what its jobs use
};

}  // namespace vigil::session
