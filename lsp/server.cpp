#include "lsp/server.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "analyzers/session/scheduler.hpp"
#include "lsp/convert.hpp"
#include "lsp/hover.hpp"

namespace vigil::lsp {

using nlohmann::json;

Server::Server(Transport& transport, ServerOptions options) : transport_(transport), options_(std::move(options)) {
  // The dispatch table: every method Vigil answers, read top to bottom.
  requests_ = {
      {"initialize", &Server::initialize},
      {"shutdown", &Server::shutdown},
      {"textDocument/diagnostic", &Server::text_document_diagnostic},
      {"textDocument/codeAction", &Server::text_document_code_action},
      {"codeAction/resolve", &Server::code_action_resolve},
      {"textDocument/hover", &Server::text_document_hover},
      {"workspace/executeCommand", &Server::workspace_execute_command},
      {"vigil/provenance", &Server::provenance_request},
  };
  code_action_providers_ = {quick_fix_actions, unused_suppression_actions, suppress_actions, fix_all_actions};
  for (const auto& name : command_names()) commands_[name] = &Server::edit_command;
  // Provenance (lsp/provenance_handlers.cpp): "Mark region as reviewed" / "Treat region as
  // AI-written" carry no kind, so a client asking for particular kinds does not get them.
  code_action_providers_.push_back([this](const CodeActionRequest& request, json& actions) {
    const json only = request.params.value("/context/only"_json_pointer, json());
    if (!only.is_array() || only.empty()) {
      json mine = json::array();
      append_provenance_actions(request.doc.uri, request.params.at("range"), mine);
      // Clients without CodeAction literals get the Command itself.
      for (auto& action : mine) actions.push_back(request.client.literals ? std::move(action) : std::move(action["command"]));
    }
  });
  // Secondary validation (lsp/validation_handlers.cpp).
  code_action_providers_.push_back([this](const CodeActionRequest& request, json& actions) { append_validation_actions(request, actions); });
  commands_["vigil.validateFinding"] = &Server::validate_command;
  // Security tests (lsp/testgen_actions.cpp).
  code_action_providers_.push_back([this](const CodeActionRequest& request, json& actions) { append_testgen_actions(request, actions); });
  commands_["vigil.generateSecurityTests"] = &Server::generate_tests_command;
  commands_["vigil.securityTestsWritten"] = &Server::tests_written_command;
  // The feedback bank (lsp/feedback_handlers.cpp).
  code_action_providers_.push_back([this](const CodeActionRequest& request, json& actions) { append_feedback_actions(request, actions); });
  commands_["vigil.markFalsePositive"] = &Server::feedback_command;
  commands_["vigil.confirmFinding"] = &Server::feedback_command;
  commands_["vigil.markReviewed"] = &Server::provenance_command;
  commands_["vigil.markAiWritten"] = &Server::provenance_command;
  notifications_ = {
      {"initialized", &Server::initialized},
      {"exit", &Server::exit},
      {"textDocument/didOpen", &Server::did_open},
      {"textDocument/didChange", &Server::did_change},
      {"textDocument/didClose", &Server::did_close},
      {"textDocument/didSave", &Server::did_save},
      {"$/cancelRequest", &Server::cancel_request},
      {"workspace/didChangeConfiguration", &Server::did_change_configuration},
      {"workspace/didChangeWatchedFiles", &Server::did_change_watched_files},
      {"vigil/markProvenance", &Server::mark_provenance},
      {"window/workDoneProgress/cancel", &Server::work_done_progress_cancel},
  };
  session::Events events;
  events.post = [this](std::function<void()> task) { transport_.post(std::move(task)); };
  events.analysed = [this](const std::string& uri) { on_analysed(uri); };
  events.analysis_failed = [this](const std::string& uri, const std::string& error) { on_analysis_failed(uri, error); };
  events.provenance_changed = [this](const std::string& uri) { provenance_changed(uri); };
  events.verdict = [this](const std::string& uri) { on_verdict(uri); };
  session_ = std::make_unique<session::Session>(
      session::Options{options_.rule_paths, options_.builtin_rules, options_.worker_threads, true}, std::move(events));
}

Server::~Server() { session_.reset(); }

// ---------------------------------------------------------------------------------------------
// Message routing

void Server::on_parse_error(const std::string& what) {
  spdlog::warn("parse error: {}", what);
  transport_.send(error_response(nullptr, ErrorCode::parse_error, "Parse error: " + what));
}

void Server::on_invalid_message(const nlohmann::json& message, const std::string& what) {
  spdlog::warn("invalid message: {}", what);
  // A request is answered with its id; a notification cannot be answered and is dropped.
  const json id = message.is_object() ? message.value("id", json()) : json();
  const bool request = message.is_object() && message.contains("method") && (id.is_number() || id.is_string());
  if (request || !message.is_object())
    transport_.send(error_response(request ? id : json(), ErrorCode::invalid_request, "Invalid request: " + what));
}

void Server::on_end_of_input() {
  spdlog::info("input closed{}", state_ == State::shut_down ? "" : " before shutdown");
  exit_code_ = state_ == State::shut_down ? 0 : 1;
  transport_.stop();
}

void Server::on_message(json message) {
  if (!message.is_object()) {
    transport_.send(error_response(nullptr, ErrorCode::invalid_request,
                                   message.is_array() ? "batch requests are not supported" : "a message must be a JSON object"));
    return;
  }
  json id = nullptr;
  bool has_id = false;
  if (auto it = message.find("id"); it != message.end()) {
    if (!it->is_string() && !it->is_number_integer() && !it->is_null()) {
      transport_.send(error_response(nullptr, ErrorCode::invalid_request, "`id` must be a string or an integer"));
      return;
    }
    id = *it;
    has_id = true;
  }
  if (message.value("jsonrpc", json()) != "2.0") {
    if (has_id || message.contains("method"))
      transport_.send(error_response(id, ErrorCode::invalid_request, "`jsonrpc` must be \"2.0\""));
    return;
  }
  auto method_it = message.find("method");
  if (method_it == message.end()) {
    if (has_id && (message.contains("result") || message.contains("error"))) {  // a reply to one of our requests
      if (auto pending = id.is_number_integer() ? client_requests_.find(id.get<int64_t>()) : client_requests_.end();
          pending != client_requests_.end()) {
        auto on_result = std::move(pending->second);
        client_requests_.erase(pending);
        on_result(message.value("result", json()));
      }
      return;
    }
    transport_.send(error_response(id, ErrorCode::invalid_request, "a request needs a `method`"));
    return;
  }
  if (!method_it->is_string()) {
    transport_.send(error_response(id, ErrorCode::invalid_request, "`method` must be a string"));
    return;
  }
  const std::string method = *method_it;
  json params = message.value("params", json::object());
  // JSON-RPC forbids a null `params`, but clients send it for shutdown and exit: treat it as absent.
  if (params.is_null()) params = json::object();
  if (!params.is_object() && !params.is_array()) {
    if (has_id) transport_.send(error_response(id, ErrorCode::invalid_params, "`params` must be an object or an array"));
    return;
  }
  if (has_id) handle_request(method, params, Reply(transport_, id, method));
  else handle_notification(method, params);
}

void Server::handle_request(const std::string& method, const json& params, Reply reply) {
  if (state_ == State::uninitialized && method != "initialize")
    return reply.error(ErrorCode::server_not_initialized, "the server is not initialized yet");
  if (state_ == State::shut_down) return reply.error(ErrorCode::invalid_request, "the server is shutting down");
  auto it = requests_.find(method);
  if (it == requests_.end()) return reply.error(ErrorCode::method_not_found, "unknown method " + method);
  run_handler(it->second, params, reply);
}

void Server::run_handler(RequestHandler handler, const json& params, Reply& reply) {
  const std::string method = reply.method();  // a copy: the handler may move the reply away
  // One guard for every handler: a bad parameter or a bug becomes an error reply, never a crash.
  try {
    (this->*handler)(params, reply);
  } catch (const RpcError& e) {
    if (!reply.answered()) reply.error(e.code, e.what());
  } catch (const json::exception& e) {
    if (!reply.answered()) reply.error(ErrorCode::invalid_params, std::string("invalid params: ") + e.what());
  } catch (const std::exception& e) {
    spdlog::error("{} failed: {}", method, e.what());
    if (!reply.answered()) reply.error(ErrorCode::internal_error, e.what());
  }
}

void Server::send_request(const std::string& method, json params, std::function<void(const json&)> on_result) {
  const int64_t id = next_request_id_++;
  client_requests_[id] = std::move(on_result);
  json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);  // JSON-RPC: params absent, never null
  transport_.send(std::move(message));
}

void Server::handle_notification(const std::string& method, const json& params) {
  if (state_ == State::uninitialized && method != "exit") {
    spdlog::debug("dropped {} before initialize", method);
    return;
  }
  if (state_ == State::shut_down && method != "exit") return;
  auto it = notifications_.find(method);
  if (it == notifications_.end()) {
    spdlog::debug("ignored notification {}", method);
    return;
  }
  try {
    (this->*(it->second))(params);
  } catch (const std::exception& e) {
    // Notifications have no reply: log and keep serving.
    spdlog::error("{} failed: {}", method, e.what());
  }
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

void Server::initialize(const json& params, Reply& reply) {
  if (state_ != State::uninitialized) throw RpcError(ErrorCode::invalid_request, "initialize was already called");
  const json caps = params.value("capabilities", json::object());
  if (const json& info = member(params, "clientInfo"); member(info, "name").is_string()) client_name_ = info.at("name");
  // Prefer UTF-8 (no conversion), then UTF-32; UTF-16 is the default every client understands.
  std::vector<std::string> offered;
  if (auto general = caps.find("general"); general != caps.end() && general->is_object())
    if (auto enc = general->find("positionEncodings"); enc != general->end() && enc->is_array())
      for (const auto& e : *enc)
        if (e.is_string()) offered.push_back(e);
  encoding_ = document::Encoding::utf16;
  for (const char* preferred : {"utf-8", "utf-32"})
    if (std::find(offered.begin(), offered.end(), preferred) != offered.end()) {
      document::parse_encoding(preferred, encoding_);
      break;
    }
  if (auto td = caps.find("textDocument"); td != caps.end() && td->is_object()) client_pulls_ = td->contains("diagnostic");
  action_client_ = ActionClient::from_capabilities(caps);
  if (auto ws = caps.find("workspace"); ws != caps.end() && ws->is_object()) {
    client_.configuration = ws->value("configuration", false) == true;
    client_.watcher_registration = ws->value("/didChangeWatchedFiles/dynamicRegistration"_json_pointer, false) == true;
    client_.diagnostic_refresh = ws->value("/diagnostics/refreshSupport"_json_pointer, false) == true;
  }
  client_.work_done_progress = caps.value("/window/workDoneProgress"_json_pointer, false) == true;

  std::string root;
  if (auto r = params.find("rootUri"); r != params.end() && r->is_string()) root = uri_to_path(r->get<std::string>());
  else if (auto rp = params.find("rootPath"); rp != params.end() && rp->is_string()) root = *rp;
  if (auto folders = params.find("workspaceFolders"); root.empty() && folders != params.end() && folders->is_array() &&
                                                       !folders->empty())
    root = uri_to_path(folders->at(0).at("uri").get<std::string>());

  state_ = State::running;
  session_->open_workspace(std::move(root));
  read_initialization_options(params);
  reload_config_file(false);
  apply_config(true);  // loads the rules
  spdlog::info("initialized: root '{}', encoding {}, {} rules, {} diagnostics", session_->root(),
               document::to_string(encoding_), session_->rules().size(), client_pulls_ ? "pull" : "push");

  json command_list = json::array();
  for (const auto& [name, handler] : commands_) command_list.push_back(name);
  reply.result({{"capabilities",
                 {{"positionEncoding", document::to_string(encoding_)},
                  {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
                  {"diagnosticProvider",
                   {{"identifier", "vigil"}, {"interFileDependencies", false}, {"workspaceDiagnostics", false}}},
                  {"codeActionProvider",
                   {{"codeActionKinds", {"quickfix", "source.fixAll.vigil"}}, {"resolveProvider", true}}},
                  {"hoverProvider", true},
                  {"executeCommandProvider", {{"commands", command_list}}},
                  {"experimental", {{"vigil", {{"provenance", true}, {"markProvenance", true}}}}}}},
                {"serverInfo", {{"name", "vigil"}, {"version", options_.version}}}});
}

void Server::initialized(const json&) {
  publish_config_problems();
  request_configuration();
  register_watchers();
}

void Server::shutdown(const json&, Reply& reply) {
  state_ = State::shut_down;
  session_->shutdown();  // no analysis or git runs past shutdown; provenance is stored
  for (auto& [uri, waiting] : waiting_)
    for (auto& w : waiting) w.reply.error(ErrorCode::request_failed, "the server is shutting down");
  waiting_.clear();
  client_requests_.clear();
  reply.result(nullptr);
}

void Server::exit(const json&) {
  exit_code_ = state_ == State::shut_down ? 0 : 1;
  transport_.stop();
}

void Server::publish_rule_problems(const session::RuleLoad& load) {
  // A broken rule file gets diagnostics on itself; the other rules still load.
  std::set<std::string> shown;
  for (const auto& [path, problems] : load.problems_by_file) {
    if (path.starts_with("builtin:")) continue;
    const auto uri = path_to_uri(std::filesystem::absolute(path).string());
    publish(uri, std::nullopt, rule_problem_diagnostics(problems));
    shown.insert(uri);
  }
  // A rule file fixed since the last load: clear what it showed.
  for (const auto& uri : rule_problem_uris_)
    if (!shown.contains(uri) && !rule_files_.contains(uri)) publish(uri, std::nullopt, json::array());
  rule_problem_uris_ = std::move(shown);
}

// ---------------------------------------------------------------------------------------------
// Documents

void Server::did_open(const json& params) {
  const auto& td = params.at("textDocument");
  const std::string uri = td.at("uri");
  if (is_rule_file(uri)) {
    rule_files_[uri] = {td.at("text").get<std::string>(), td.value("version", int64_t{0})};
    check_rule_file(uri);
    return;
  }
  const std::string path = uri_to_path(uri);
  const auto* lang = grammars::by_lsp_language_id(td.value("languageId", ""));
  if (!lang) lang = grammars::by_path(path);
  analysed_.erase(uri);
  if (!session_->open(uri, path, lang, td.at("text").get<std::string>(), td.value("version", int64_t{0})))
    spdlog::debug("no grammar for {}", uri);
}

void Server::did_change(const json& params) {
  const std::string uri = params.at("textDocument").at("uri");
  const auto* doc = session_->document(uri);
  if (!doc && !rule_files_.contains(uri)) return;
  std::vector<document::TextChange> changes;
  for (const auto& c : params.at("contentChanges")) {
    document::TextChange change;
    if (auto r = c.find("range"); r != c.end() && !r->is_null()) change.range = range_from_json(*r);
    change.text = c.at("text").get<std::string>();
    changes.push_back(std::move(change));
  }
  if (!doc) return change_rule_file(uri, changes, params.at("textDocument").value("version", int64_t{0}));
  const int64_t old_version = doc->version();
  session::OwnEditTest own_edit;
  if (own_edits_.pending(uri, old_version))
    own_edit = [&](std::string_view before, std::string_view after) { return own_edits_.applied(uri, old_version, before, after); };
  session_->change(uri, changes, encoding_, params.at("textDocument").value("version", old_version + 1), own_edit);
}

void Server::did_close(const json& params) {
  const std::string uri = params.at("textDocument").at("uri");
  if (rule_files_.erase(uri)) {
    // Back to what the saved file says: its load problems, if any, or nothing.
    if (!rule_problem_uris_.contains(uri) && !client_pulls_) publish(uri, std::nullopt, json::array());
    return;
  }
  session_->close(uri);
  own_edits_.forget(uri);
  analysed_.erase(uri);
  answered_.erase(uri);
  published_version_.erase(uri);
  published_result_.erase(uri);
  // Waiting requests answer as for a document that is not open.
  if (auto w = waiting_.extract(uri))
    for (auto& waiting : w.mapped()) run_handler(waiting.handler, waiting.params, waiting.reply);
  if (!client_pulls_) publish(uri, std::nullopt, json::array());  // clear what we showed
  // The document's text, trees and diagnostics are freed: their pages go back to the system, once
  // for a burst of closes, in the background.
  releaser_.request();
}

void Server::did_save(const json& params) {
  const std::string uri = params.at("textDocument").at("uri");
  session_->saved(uri);
  if (session_->is_config_file(uri_to_path(uri))) {
    reload_config_file();
    apply_config(false);
  }
  if (is_rule_file(uri)) reload_rules();
}

void Server::on_analysed(const std::string& uri) {
  if (state_ != State::running) return;
  const Analysed* a = analysed(uri);
  if (!a) return;
  if (auto w = waiting_.extract(uri))
    for (auto& waiting : w.mapped()) run_handler(waiting.handler, waiting.params, waiting.reply);
  notice_findings_outside_ai(uri, a->outside_ai);
  if (client_pulls_) {
    // The client holds an older answer for this same version (provenance, settings or rules
    // changed): ask it to pull again, now that the new result exists. An edit makes it pull anyway.
    auto answered = answered_.find(uri);
    if (answered != answered_.end() && answered->second.version == a->version && answered->second.result_id != a->result_id)
      request_diagnostic_refresh();
    return;
  }
  // analysed() holds the analysis of the current text only, so what is published is never older
  // than what was (client version numbers may go backwards: they are not compared for order).
  const int64_t version = a->version;
  auto last = published_version_.find(uri);
  // The complete result of a version usually equals its local one: publish only what changed.
  auto shown = published_result_.find(uri);
  if (last != published_version_.end() && last->second == version && shown != published_result_.end() &&
      shown->second == a->result_id)
    return;
  published_version_[uri] = version;
  published_result_[uri] = a->result_id;
  publish_analysed(uri, version);
}

const Server::Analysed* Server::analysed(const std::string& uri) const {
  const session::Analysis* a = session_->analysis(uri);
  if (!a) return nullptr;
  auto& cached = analysed_[uri];
  if (cached.snapshot != a->snapshot || cached.scope != a->scope || cached.generation != a->generation ||
      cached.serial != a->serial || cached.verdicts != session_->verdict_generation() ||
      cached.feedback != session_->feedback_generation()) {
    size_t outside_ai = 0;
    // What the server adds: verdicts (shown on their finding in every later version, by
    // fingerprint) and the feedback numbers.
    struct Decoration final : DiagnosticDecoration {
      const Server& server;
      mutable FeedbackCache feedback;
      explicit Decoration(const Server& s) : server(s) {}
      void key(const Finding& f, std::string& key) const override {
        server.verdict_key(f, key);
        server.feedback_key(f, feedback, key);
      }
      void apply(const Finding& f, json& item) const override {
        server.apply_verdict(f, item);
        server.apply_feedback(f, feedback, item);
      }
    } decoration(*this);
    // A pull's result id changes exactly when what it returns changes.
    if (cached.list.update(a->findings, *a->snapshot, encoding_, uri, a->scope.get(), &decoration, &outside_ai) ||
        cached.result_id == 0)
      cached.result_id = ++last_result_id_;
    cached.verdicts = session_->verdict_generation();
    cached.feedback = session_->feedback_generation();
    cached.version = a->version();
    cached.snapshot = a->snapshot;
    cached.scope = a->scope;
    cached.generation = a->generation;
    cached.serial = a->serial;
    cached.outside_ai = outside_ai;
  }
  return &cached;
}

void Server::request_diagnostic_refresh() {
  if (!client_pulls_ || !client_.diagnostic_refresh || refresh_posted_) return;
  // One refresh for every document whose result changed in this turn of the loop.
  refresh_posted_ = true;
  transport_.post([this] {
    refresh_posted_ = false;
    if (state_ == State::running) send_request("workspace/diagnostic/refresh", nullptr, [](const json&) {});
  });
}

void Server::notice_findings_outside_ai(const std::string& uri, size_t outside_ai) {
  // Under scope ai a human-written project looks clean: say once why, and how to see everything.
  if (outside_ai == 0 || outside_ai_notice_shown_ || session_->config().scope != workspace::Scope::ai ||
      session_->root().empty())
    return;
  outside_ai_notice_shown_ = true;
  const std::string file = std::filesystem::path(uri_to_path(uri)).filename().string();
  const std::string count = std::to_string(outside_ai) + (outside_ai == 1 ? " finding" : " findings");
  show_message(3, "Vigil: " + count + " in " + file + (session_->config().show_human_findings ? " shown as hints" : " hidden") +
                      ": no evidence says an AI wrote that code (scope: ai). To see every finding at its rule's "
                      "severity, set `scope: all` in .vigil/config.yaml or in your editor's Vigil settings.");
}

void Server::remember_own_edits(const json& workspace_edit) {
  own_edits_.remember(workspace_edit, [this](const std::string& uri) { return session_->document(uri); }, encoding_);
}

void Server::on_analysis_failed(const std::string& uri, const std::string& error) {
  if (auto w = waiting_.extract(uri))
    for (auto& waiting : w.mapped()) waiting.reply.error(ErrorCode::request_failed, "analysis failed: " + error);
}

void Server::publish_analysed(const std::string& uri, std::optional<int64_t> version) {
  Analysed& a = analysed_.at(uri);
  // Written once into one buffer of the last publish's size, in dump()'s member order (sorted):
  // building the array, then the params, then the message around it copied 700 KB three times a
  // keystroke on an 8,000-line JavaScript file, each copy into fresh pages.
  std::string message;
  message.reserve(a.publish_size + uri.size() + 128);
  message += R"({"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"diagnostics":)";
  a.list.append_array(message);
  message += R"(,"uri":)";
  message += dump(json(uri));
  if (version) {
    message += R"(,"version":)";
    message += std::to_string(*version);
  }
  message += "}}";
  a.publish_size = message.size();
  transport_.send_text(std::move(message));
}

void Server::publish(const std::string& uri, std::optional<int64_t> version, json items) {
  json params = {{"uri", uri}, {"diagnostics", std::move(items)}};
  if (version) params["version"] = *version;
  transport_.send({{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", std::move(params)}});
}

void Server::text_document_diagnostic(const json& params, Reply& reply) {
  const std::string uri = params.at("textDocument").at("uri");
  if (!session_->is_open(uri)) return reply.result({{"kind", "full"}, {"items", json::array()}});
  const Analysed* a = analysed(uri);
  if (!a) return wait_for_analysis(uri, params, &Server::text_document_diagnostic, reply);
  const std::string id = std::to_string(a->result_id);
  answered_[uri] = {a->version, a->result_id};
  if (params.value("previousResultId", "") == id) return reply.result({{"kind", "unchanged"}, {"resultId", id}});
  std::string items;
  analysed_.at(uri).list.append_array(items);
  reply.result_text(dump_with({{"kind", "full"}, {"resultId", id}, {"items", nullptr}}, "items", items));
}

bool Server::analysis_current(const std::string& uri) const { return session_->analysis(uri) != nullptr; }

void Server::wait_for_analysis(const std::string& uri, const json& params, RequestHandler handler, Reply& reply) {
  // The current version is being analysed (every open and change schedules it): answer when done.
  waiting_[uri].push_back({std::move(reply), params, handler});
}

std::optional<ActionDocument> Server::action_document(const std::string& uri) const {
  const auto* doc = session_->document(uri);
  if (!doc) return std::nullopt;
  ActionDocument d{uri, doc->snapshot(), nullptr};
  if (const Analysed* a = analysed(uri)) d.items = &a->items();
  return d;
}

// ---------------------------------------------------------------------------------------------
// Code actions, hover and commands (lsp/code_actions.hpp, lsp/hover.hpp)

void Server::text_document_code_action(const json& params, Reply& reply) {
  const std::string uri = params.at("textDocument").at("uri");
  auto doc = action_document(uri);
  if (!doc) return reply.result(json::array());
  if (!doc->items && code_action_needs_analysis(params, doc->version()))
    return wait_for_analysis(uri, params, &Server::text_document_code_action, reply);
  CodeActionRequest request{*doc, params, action_client_, encoding_, current_diagnostics(params, *doc)};
  json actions = json::array();
  for (const auto& provider : code_action_providers_) provider(request, actions);
  for (const auto& action : actions)
    if (action.contains("edit")) remember_own_edits(action["edit"]);
  reply.result(std::move(actions));
}

void Server::code_action_resolve(const json& params, Reply& reply) {
  const std::string uri = action_uri(params);
  if (!session_->is_open(uri)) throw RpcError(ErrorCode::request_failed, uri + " is not open");
  if (!analysis_current(uri)) return wait_for_analysis(uri, params, &Server::code_action_resolve, reply);
  json resolved = resolve_code_action(params, *action_document(uri), action_client_, encoding_);
  if (resolved.is_object() && resolved.contains("edit")) remember_own_edits(resolved["edit"]);
  reply.result(std::move(resolved));
}

void Server::text_document_hover(const json& params, Reply& reply) {
  const std::string uri = params.at("textDocument").at("uri");
  if (!session_->is_open(uri)) return reply.result(nullptr);
  const Analysed* a = analysed(uri);
  if (!a) return wait_for_analysis(uri, params, &Server::text_document_hover, reply);
  reply.result(hover(diagnostics_at(a->items(), params.at("position")), session_->rules(), action_client_.hover_markdown));
}

void Server::workspace_execute_command(const json& params, Reply& reply) {
  const std::string command = params.at("command");
  auto it = commands_.find(command);
  if (it == commands_.end()) throw RpcError(ErrorCode::invalid_params, "unknown command " + command);
  (this->*(it->second))(params, reply);
}

void Server::edit_command(const json& params, Reply& reply) {
  const std::string command = params.at("command");
  const json& args = params.value("arguments", json::array());
  if (!args.is_array() || args.size() != 1) throw RpcError(ErrorCode::invalid_params, command + " takes one argument");
  const std::string uri = action_uri(args.at(0));
  if (!session_->is_open(uri)) throw RpcError(ErrorCode::request_failed, uri + " is not open");
  if (!action_client_.apply_edit) throw RpcError(ErrorCode::request_failed, "the client does not accept workspace/applyEdit");
  if (!analysis_current(uri)) return wait_for_analysis(uri, params, &Server::edit_command, reply);
  json edit = command_edit(command, args.at(0), *action_document(uri), action_client_, encoding_);
  remember_own_edits(edit);
  // Answer the command once the client has applied (or refused) the edit.
  auto shared = std::make_shared<Reply>(std::move(reply));
  send_request("workspace/applyEdit", {{"label", command}, {"edit", std::move(edit)}}, [shared](const json& result) {
    if (!result.is_object()) return shared->error(ErrorCode::request_failed, "the client did not apply the edit");
    shared->result(result);  // ApplyWorkspaceEditResult: {applied, failureReason?}
  });
}

void Server::cancel_request(const json& params) {
  const json& id = params.at("id");
  if (cancel_validation(id, false)) return;
  for (auto& [uri, waiting] : waiting_) {
    for (auto it = waiting.begin(); it != waiting.end(); ++it) {
      if (it->reply.id() == id) {
        it->reply.error(ErrorCode::request_cancelled, "cancelled");
        waiting.erase(it);
        return;
      }
    }
  }
}

}  // namespace vigil::lsp
