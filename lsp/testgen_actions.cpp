// "Generate security tests for <function>": the code action on findings whose rule has a test
// template (analyzers/testgen through the session). Its WorkspaceEdit creates the test file where
// the project keeps tests, or appends to it; its command reports how to run them.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "analyzers/testgen/model.hpp"
#include "lsp/convert.hpp"
#include "lsp/server.hpp"

namespace vigil::lsp {

using nlohmann::json;

namespace {

// The edit that creates the test file, or appends the new tests at the end of the existing one.
json test_edit(const session::Session::GeneratedTests& generated, const ActionClient& client, document::Encoding enc) {
  const std::string uri = path_to_uri(generated.absolute_path);
  const auto& content = generated.test.content;
  json edit_range = {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}};
  std::string new_text = content;
  if (generated.existing) {
    const std::string& before = *generated.existing;
    if (content.starts_with(before)) {
      // Insert after the last character of the file as it is.
      const auto lines = static_cast<int64_t>(std::count(before.begin(), before.end(), '\n'));
      const auto last = before.rfind('\n');
      const auto column = document::length_in(std::string_view(before).substr(last == std::string::npos ? 0 : last + 1), enc);
      json end = {{"line", lines}, {"character", column}};
      edit_range = {{"start", end}, {"end", end}};
      new_text = content.substr(before.size());
    } else {
      // Should not happen (tests are appended), but stay correct: replace the whole file.
      const auto lines = static_cast<int64_t>(std::count(before.begin(), before.end(), '\n'));
      edit_range["end"] = {{"line", lines + 1}, {"character", 0}};
    }
  }
  json text_edit = {{"range", edit_range}, {"newText", new_text}};
  if (client.document_changes) {
    json changes = json::array();
    if (!generated.existing && client.create_files)
      changes.push_back({{"kind", "create"}, {"uri", uri}, {"options", {{"ignoreIfExists", true}}}});
    changes.push_back({{"textDocument", {{"uri", uri}, {"version", nullptr}}}, {"edits", json::array({text_edit})}});
    return {{"documentChanges", changes}};
  }
  return {{"changes", {{uri, json::array({text_edit})}}}};
}

// What vigil.securityTestsWritten reports: the file and how to run it, from the project root.
json run_info(const session::Session::GeneratedTests& generated, const std::string& root) {
  return {{"path", generated.absolute_path},
          {"uri", path_to_uri(generated.absolute_path)},
          {"function", generated.test.function},
          {"family", generated.test.family},
          {"cwe", generated.test.cwe},
          {"framework", generated.test.framework},
          {"cwd", root},
          {"argv", generated.test.run_commands},
          {"command", testgen::display_command(generated.test.run_commands)}};
}

std::string written_message(const json& info) {
  return "Security tests (" + info.value("family", std::string()) + ", " + info.value("cwe", std::string()) + ") for " +
         info.value("function", std::string()) + " are in " + info.value("path", std::string()) + ". Run from " +
         info.value("cwd", std::string()) + ": " + info.value("command", std::string());
}

}  // namespace

void Server::append_testgen_actions(const CodeActionRequest& request, json& actions) {
  if (!request.wants("quickfix")) return;
  for (const auto& diagnostic : request.diagnostics) {
    const json& data = member(diagnostic, "data");
    const std::string fingerprint = member(data, "fingerprint").is_string() ? data["fingerprint"].get<std::string>() : "";
    if (fingerprint.empty()) continue;
    const auto line = static_cast<uint32_t>(diagnostic.value("/range/start/line"_json_pointer, 0));
    auto ref = session_->finding(request.doc.uri, fingerprint, line);
    if (!ref || !session_->has_test_template(request.doc.uri, *ref->finding)) continue;
    try {
      auto generated = session_->generate_tests(request.doc.uri, fingerprint, line);
      if (generated.test.unchanged) continue;  // the file already has this test
      const std::string title = "Generate security tests for " + generated.test.function;
      json info = run_info(generated, session_->root());
      if (request.client.literals) {
        actions.push_back({{"title", title},
                           {"kind", "quickfix"},
                           {"diagnostics", json::array({diagnostic})},
                           {"edit", test_edit(generated, request.client, request.encoding)},
                           {"command", {{"title", "Security tests written"},
                                        {"command", "vigil.securityTestsWritten"},
                                        {"arguments", json::array({info})}}}});
      } else {
        actions.push_back({{"title", title},
                           {"command", "vigil.generateSecurityTests"},
                           {"arguments", json::array({{{"uri", request.doc.uri}, {"fingerprint", fingerprint}, {"line", line}}})}});
      }
      // The model's variant needs the network: a command, run off the IO thread when chosen.
      if (session_->model_tests_available() && testgen::model_extends(generated.test.framework)) {
        json command = {{"title", title + " with the model"},
                        {"command", "vigil.generateSecurityTests"},
                        {"arguments", json::array({{{"uri", request.doc.uri}, {"fingerprint", fingerprint}, {"line", line}, {"withModel", true}}})}};
        if (request.client.literals)
          actions.push_back({{"title", title + " with the model"}, {"kind", "quickfix"}, {"diagnostics", json::array({diagnostic})}, {"command", command}});
        else
          actions.push_back(command);
      }
    } catch (const testgen::GenerateError& e) {
      spdlog::debug("no security test for {} in {}: {}", fingerprint, request.doc.uri, e.what());
    }
  }
}

void Server::generate_tests_command(const json& params, Reply& reply) {
  const json& args = params.value("arguments", json::array());
  if (!args.is_array() || args.size() != 1 || !args[0].is_object())
    throw RpcError(ErrorCode::invalid_params, "vigil.generateSecurityTests takes one {uri, fingerprint, line} argument");
  const std::string uri = args[0].value("uri", std::string());
  const std::string fingerprint = args[0].value("fingerprint", std::string());
  if (!session_->is_open(uri)) throw RpcError(ErrorCode::request_failed, uri + " is not open");
  if (!action_client_.apply_edit) throw RpcError(ErrorCode::request_failed, "the client does not accept workspace/applyEdit");
  if (!analysis_current(uri)) return wait_for_analysis(uri, params, &Server::generate_tests_command, reply);
  if (args[0].value("withModel", false)) return generate_tests_with_model(args[0], reply);
  session::Session::GeneratedTests generated;
  try {
    generated = session_->generate_tests(uri, fingerprint, args[0].value("line", 0u));
  } catch (const testgen::GenerateError& e) {
    throw RpcError(ErrorCode::request_failed, e.what());
  }
  json info = run_info(generated, session_->root());
  json edit = test_edit(generated, action_client_, encoding_);
  remember_own_edits(edit);  // an open test file's change is Vigil's, not an AI's
  auto shared = std::make_shared<Reply>(std::move(reply));
  send_request("workspace/applyEdit",
               {{"label", "Generate security tests for " + generated.test.function}, {"edit", std::move(edit)}},
               [this, shared, info](const json& result) mutable {
                 const bool applied = result.is_object() && result.value("applied", false);
                 if (applied) show_message(3, written_message(info));
                 info["applied"] = applied;
                 shared->result(info);
               });
}

// The model's variant: the tests are generated now, the model asked on the validation thread, and
// the edit applied when it answers (the generated tests alone when it fails or is refused). The
// request can be cancelled like a validation.
void Server::generate_tests_with_model(const json& arg, Reply& reply) {
  const std::string uri = arg.value("uri", std::string());
  const std::string fingerprint = arg.value("fingerprint", std::string());
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  auto shared = std::make_shared<Reply>(std::move(reply));
  const std::string key = shared->id().dump();
  validations_[key] = cancelled;
  std::string error;
  const bool started = session_->generate_tests_with_model(
      uri, fingerprint, arg.value("line", 0u), cancelled,
      [this, shared, cancelled, key](session::Session::GeneratedTests generated, validation::ModelTests asked) {
        validations_.erase(key);
        if (shared->answered()) return;
        if (cancelled->load()) return shared->error(ErrorCode::request_cancelled, "security tests cancelled");
        json info = run_info(generated, session_->root());
        info["model"] = {{"kept", asked.kept}, {"message", asked.message}, {"tests", asked.tests}, {"model", asked.model}};
        json edit = test_edit(generated, action_client_, encoding_);
        remember_own_edits(edit);
        send_request("workspace/applyEdit",
                     {{"label", "Generate security tests for " + generated.test.function + " with the model"}, {"edit", std::move(edit)}},
                     [this, shared, info](const json& result) mutable {
                       const bool applied = result.is_object() && result.value("applied", false);
                       if (applied) show_message(3, written_message(info) + " (" + info["model"].value("message", std::string()) + ")");
                       info["applied"] = applied;
                       shared->result(info);
                     });
      },
      error);
  if (!started) {
    validations_.erase(key);
    shared->error(ErrorCode::request_failed, error);
  }
}

void Server::tests_written_command(const json& params, Reply& reply) {
  const json& args = params.value("arguments", json::array());
  if (!args.is_array() || args.size() != 1 || !args[0].is_object())
    throw RpcError(ErrorCode::invalid_params, "vigil.securityTestsWritten takes the action's argument");
  show_message(3, written_message(args[0]));
  reply.result(args[0]);
}

}  // namespace vigil::lsp
