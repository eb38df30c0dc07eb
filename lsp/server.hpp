// The language server: the only class that knows LSP. A shell over session::Session (the
// workspace's documents, analyses, rules, settings and provenance): it converts protocol messages
// into session calls and the session's results and events into protocol messages.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/document/document.hpp"
#include "analyzers/session/scheduler.hpp"
#include "analyzers/session/session.hpp"
#include "lsp/code_actions.hpp"
#include "lsp/convert.hpp"
#include "lsp/jsonrpc.hpp"
#include "lsp/own_edits.hpp"
#include "lsp/transport.hpp"

namespace vigil::lsp {

struct ServerOptions {
  std::vector<std::string> rule_paths;  // extra rule files or directories (--rules)
  bool builtin_rules = true;
  unsigned worker_threads = 1;  // 0: analyse inline (tests)
  std::string version;
};

// What one conversion of diagnostics reads from the feedback bank: the view, and each rule's
// numbers (building them for each of 93 items cost 0.4 M instructions a keystroke) with their text.
struct FeedbackCache {
  struct Numbers {
    std::string key;
    nlohmann::json numbers;
  };
  const feedback::View* view = nullptr;
  std::map<std::string, Numbers, std::less<>> rules;
};

class Server final : public Transport::Handler {
 public:
  Server(Transport& transport, ServerOptions options);
  ~Server() override;

  void on_message(nlohmann::json message) override;
  void on_parse_error(const std::string& what) override;
  void on_invalid_message(const nlohmann::json& message, const std::string& what) override;
  void on_end_of_input() override;

  // 0 after shutdown then exit, 1 otherwise (LSP: exit without shutdown is an error).
  int exit_code() const { return exit_code_; }

 private:
  // A request handler answers through `reply` now, or moves it away to answer later.
  using RequestHandler = void (Server::*)(const nlohmann::json& params, Reply& reply);
  using NotificationHandler = void (Server::*)(const nlohmann::json& params);

  // --- requests
  void initialize(const nlohmann::json& params, Reply& reply);
  void shutdown(const nlohmann::json& params, Reply& reply);
  void text_document_diagnostic(const nlohmann::json& params, Reply& reply);
  void text_document_code_action(const nlohmann::json& params, Reply& reply);
  void code_action_resolve(const nlohmann::json& params, Reply& reply);
  void text_document_hover(const nlohmann::json& params, Reply& reply);
  void workspace_execute_command(const nlohmann::json& params, Reply& reply);
  // workspace/executeCommand for vigil.applyFix, vigil.fixAll and vigil.suppress.
  void edit_command(const nlohmann::json& params, Reply& reply);
  // --- notifications
  void initialized(const nlohmann::json& params);
  void exit(const nlohmann::json& params);
  void did_open(const nlohmann::json& params);
  void did_change(const nlohmann::json& params);
  void did_close(const nlohmann::json& params);
  void did_save(const nlohmann::json& params);
  void cancel_request(const nlohmann::json& params);

  // --- provenance (lsp/provenance_handlers.cpp)
  void provenance_request(const nlohmann::json& params, Reply& reply);      // vigil/provenance
  void mark_provenance(const nlohmann::json& params);                      // vigil/markProvenance
  void did_change_watched_files(const nlohmann::json& params);             // workspace/didChangeWatchedFiles
  // Provenance's share of textDocument/codeAction (a provider in code_action_providers_) and of
  // workspace/executeCommand (commands_: vigil.markReviewed, vigil.markAiWritten).
  void provenance_command(const nlohmann::json& params, Reply& reply);
  // Appends "Mark region as reviewed" / "Treat region as AI-written" for `range` in `uri`.
  void append_provenance_actions(const std::string& uri, const nlohmann::json& range, nlohmann::json& actions);
  // Runs vigil.markReviewed / vigil.markAiWritten; false for another command.
  bool execute_provenance_command(const std::string& command, const nlohmann::json& arguments);
  void provenance_changed(const std::string& uri);  // tell pulling clients to pull again

  // Secondary validation (lsp/validation_handlers.cpp).
  void append_validation_actions(const CodeActionRequest& request, nlohmann::json& actions);
  void validate_command(const nlohmann::json& params, Reply& reply);  // vigil.validateFinding
  bool cancel_validation(const nlohmann::json& id_or_token, bool is_token);
  void work_done_progress_cancel(const nlohmann::json& params);       // window/workDoneProgress/cancel
  void on_verdict(const std::string& uri);
  void show_verdicts(const std::string& uri);  // the publish (or refresh) that on_verdict queues
  // A verdict on a diagnostic (matched by fingerprint in every later version): its key part, and
  // what it writes into the item.
  void verdict_key(const Finding& f, std::string& key) const;
  void apply_verdict(const Finding& f, nlohmann::json& item) const;

  // --- the feedback bank (lsp/feedback_handlers.cpp): "Mark as false positive…" and "Confirm
  // finding" on every Vigil diagnostic (commands vigil.markFalsePositive / vigil.confirmFinding,
  // recorded by the session), and each diagnostic's data.feedback (its rule's votes and precision).
  void append_feedback_actions(const CodeActionRequest& request, nlohmann::json& actions);
  void feedback_command(const nlohmann::json& params, Reply& reply);
  // Each diagnostic's data.feedback: its rule's numbers, and the bank's "confirmed".
  void feedback_key(const Finding& f, FeedbackCache& numbers, std::string& key) const;
  void apply_feedback(const Finding& f, FeedbackCache& numbers, nlohmann::json& item) const;

  // --- security tests (lsp/testgen_actions.cpp): "Generate security tests for <function>" on
  // findings whose rule has a test template; vigil.generateSecurityTests (clients without
  // CodeAction literals) and vigil.securityTestsWritten (reports the run command after the edit).
  void append_testgen_actions(const CodeActionRequest& request, nlohmann::json& actions);
  void generate_tests_command(const nlohmann::json& params, Reply& reply);
  void tests_written_command(const nlohmann::json& params, Reply& reply);
  void generate_tests_with_model(const nlohmann::json& arg, Reply& reply);

  // --- configuration (lsp/config.cpp)
  void did_change_configuration(const nlohmann::json& params);
  void read_initialization_options(const nlohmann::json& params);
  void request_configuration();
  void register_watchers();
  // Reads .vigil/config.yaml; its problems are shown now, or (during initialize, when only
  // window/showMessage may be sent) kept for initialized().
  void reload_config_file(bool publish_now = true);
  void publish_config_problems();
  // Merges the layers (the session reloads rules when rule settings changed and re-analyses
  // everything); publishes rule file problems and asks pulling clients to pull again.
  void apply_config(bool initial);
  // Publishes each rule file's load problems on it, and clears the files fixed since.
  void publish_rule_problems(const session::RuleLoad& load);
  void show_message(int type, const std::string& message);

  void handle_request(const std::string& method, const nlohmann::json& params, Reply reply);
  // Runs a handler with the guard that turns exceptions into error replies.
  void run_handler(RequestHandler handler, const nlohmann::json& params, Reply& reply);
  void handle_notification(const std::string& method, const nlohmann::json& params);

  // Rule files open in the editor (lsp/rule_files.cpp).
  bool is_rule_file(const std::string& uri) const;
  void check_rule_file(const std::string& uri);
  void change_rule_file(const std::string& uri, const std::vector<document::TextChange>& changes, int64_t version);
  void reload_rules();
  // The session's events (IO thread): an analysis finished.
  void on_analysed(const std::string& uri);
  void request_diagnostic_refresh();  // workspace/diagnostic/refresh, once per turn of the IO loop
  // window/showMessage, once per session: how many findings scope ai shows as hints (or hides).
  void notice_findings_outside_ai(const std::string& uri, size_t outside_ai);
  // Remembers the edits of a WorkspaceEdit Vigil offers or sends (own_edits_).
  void remember_own_edits(const nlohmann::json& workspace_edit);
  void on_analysis_failed(const std::string& uri, const std::string& error);
  void publish(const std::string& uri, std::optional<int64_t> version, nlohmann::json items);
  // The same for the diagnostics of analysed(uri), sent without copying them, each serialised
  // only when it changed (Analysed::texts).
  void publish_analysed(const std::string& uri, std::optional<int64_t> version);

  // Requests that need the analysis of a document's current version wait for it: the handler runs
  // again with the same params once it is there (or the document closed; or fails on an error).
  bool analysis_current(const std::string& uri) const;
  void wait_for_analysis(const std::string& uri, const nlohmann::json& params, RequestHandler handler, Reply& reply);
  // The open document for code actions and hover; nullopt when it is not open.
  std::optional<ActionDocument> action_document(const std::string& uri) const;
  // A request to the client; `on_result` gets the result (null on error) on the IO thread.
  void send_request(const std::string& method, nlohmann::json params, std::function<void(const nlohmann::json&)> on_result);

  // The current analysis as diagnostics, converted once per analysis; null while it runs. The
  // snapshot and scope it came from identify the analysis (kept alive, so no other can reuse their
  // addresses): a re-analysis at the same version and generation is still a new result.
  struct Analysed {
    int64_t version = 0;
    std::shared_ptr<const document::Snapshot> snapshot;
    std::shared_ptr<const session::ProvenanceScope> scope;
    uint64_t generation = 0;
    uint64_t serial = 0;     // the session's result (a version's local, then complete result)
    uint64_t verdicts = 0;   // the session's verdict generation the items show
    uint64_t feedback = 0;   // the session's feedback generation the items show
    uint64_t result_id = 0;  // changes whenever `items` changes (textDocument/diagnostic's resultId)
    size_t outside_ai = 0;   // findings scope ai turned into hints or hid
    DiagnosticList list;     // the items, converted from the last result's where unchanged
    size_t publish_size = 0;  // the length of the last publish's text: the next one's buffer
    const nlohmann::json::array_t& items() const { return list.items(); }
  };
  struct Answered {  // the last result a pull got for a document
    int64_t version = 0;
    uint64_t result_id = 0;
  };
  const Analysed* analysed(const std::string& uri) const;

  Transport& transport_;
  ServerOptions options_;
  std::map<std::string, RequestHandler, std::less<>> requests_;
  std::map<std::string, NotificationHandler, std::less<>> notifications_;
  // workspace/executeCommand: command name -> handler (given the ExecuteCommandParams); the keys
  // are declared in executeCommandProvider.
  std::map<std::string, RequestHandler, std::less<>> commands_;

  enum class State { uninitialized, running, shut_down } state_ = State::uninitialized;
  int exit_code_ = 1;
  document::Encoding encoding_ = document::Encoding::utf16;
  bool client_pulls_ = false;  // client asks for diagnostics: do not push them too
  struct ClientSupport {
    bool configuration = false;          // workspace/configuration
    bool watcher_registration = false;   // dynamic didChangeWatchedFiles
    bool diagnostic_refresh = false;     // workspace/diagnostic/refresh
    bool work_done_progress = false;     // window.workDoneProgress: server-created progress tokens
  } client_;
  ActionClient action_client_;
  std::string client_name_;  // clientInfo.name: the tool a user's verdict was given in

  struct RuleFileBuffer {
    std::string text;
    int64_t version = 0;
  };
  std::map<std::string, RuleFileBuffer> rule_files_;  // open rule files: checked as they are typed
  std::set<std::string> rule_problem_uris_;           // rule files whose problems are shown
  bool config_problems_shown_ = false;  // diagnostics on .vigil/config.yaml to clear once fixed
  std::vector<rules::Problem> config_problems_;
  mutable std::map<std::string, Analysed> analysed_;  // diagnostics of the session's analyses, by document
  std::map<std::string, int64_t> published_version_;
  std::set<std::string> verdict_publish_queued_;  // documents whose verdicts' publish is queued (on_verdict)
  std::map<std::string, uint64_t> published_result_;  // the result id last published (push)
  std::map<std::string, Answered> answered_;
  mutable uint64_t last_result_id_ = 0;
  bool refresh_posted_ = false;
  // Gives the memory of closed documents back to the system, 200 ms after the last close.
  session::MemoryReleaser releaser_{std::chrono::milliseconds(200)};
  bool outside_ai_notice_shown_ = false;
  OwnEdits own_edits_;  // Vigil's edits on offer: applied by the client, they are not AI-written
  struct Waiting {
    Reply reply;
    nlohmann::json params;
    RequestHandler handler;
  };
  std::map<std::string, std::vector<Waiting>> waiting_;  // requests waiting for an analysis, by document
  // Each appends its code actions for a textDocument/codeAction request, in this order.
  std::vector<CodeActionProvider> code_action_providers_;
  int64_t next_request_id_ = 1;
  std::map<int64_t, std::function<void(const nlohmann::json&)>> client_requests_;  // our requests to the client, by id
  // Validations in flight, by request id (JSON text) and "token:<progress token>": their cancel flags.
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> validations_;

  // The workspace: documents, analyses, rules, settings, provenance, the database. Last member:
  // destroyed first, so its workers stop before what their results are posted to.
  std::unique_ptr<session::Session> session_;
};

}  // namespace vigil::lsp
