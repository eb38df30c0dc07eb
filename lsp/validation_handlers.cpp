// Secondary validation in the server: the "Validate this finding (<validator>)" code action on
// every Vigil diagnostic, the vigil.validateFinding command (work-done progress, $/cancelRequest),
// and verdicts shown on the diagnostics they are about (matched by fingerprint across edits). The
// validation itself runs in the session, off the IO thread: typing and diagnostics never wait.
#include <spdlog/spdlog.h>

#include "analyzers/validation/validators.hpp"
#include "lsp/convert.hpp"
#include "lsp/server.hpp"

namespace vigil::lsp {

using nlohmann::json;

namespace {

std::string first_sentence(const std::string& s, size_t max = 300) {
  std::string t = s;
  for (const char* prefix : {"Refuted: ", "Confirmed: "})
    if (t.starts_with(prefix)) t = t.substr(std::string_view(prefix).size());
  for (auto& c : t)
    if (c == '\n') c = ' ';
  if (auto dot = t.find(". "); dot != std::string::npos && dot < max) t = t.substr(0, dot + 1);
  if (t.size() > max) t = t.substr(0, max - 1) + "…";
  return t;
}

}  // namespace

void apply_verdict(json& diagnostic, const validation::Verdict& v) {
  json& data = diagnostic["data"];
  data["validation"] = v.to_json();
  const std::string who = v.validator + (v.model.empty() ? "" : " (" + v.model + ")");
  std::string message = diagnostic.value("message", "");
  switch (v.status) {
    case validation::Status::confirmed: message += " [confirmed by " + who + "]"; break;
    case validation::Status::refuted:
      diagnostic["severity"] = 4;  // hint
      message = "Refuted by " + who + ": " + first_sentence(v.explanation) + " (was: " + message + ")";
      break;
    case validation::Status::uncertain: message += " [validation uncertain (" + who + ")]"; break;
    case validation::Status::error: message += " [validation failed (" + who + "): " + first_sentence(v.explanation, 80) + "]"; break;
  }
  diagnostic["message"] = message;
}

void Server::verdict_key(const Finding& f, std::string& key) const {
  // Verdicts change only with the generation: a finding with one is built again when it moves on.
  if (session_->verdict(f.fingerprint)) key += 'V' + std::to_string(session_->verdict_generation());
}

void Server::apply_verdict(const Finding& f, json& item) const {
  if (const auto* v = session_->verdict(f.fingerprint)) lsp::apply_verdict(item, *v);
}

void Server::append_validation_actions(const CodeActionRequest& request, json& actions) {
  const json only = request.params.value("/context/only"_json_pointer, json());
  if (only.is_array() && !only.empty()) return;  // no kind: offered only when the client asks for everything
  const auto validators = validation::available_validators(session_->config().validation);
  for (const auto& d : request.diagnostics) {
    const json& data = member(d, "data");
    if (!member(data, "fingerprint").is_string()) continue;
    const std::string rule = member(data, "ruleId").is_string() ? data.at("ruleId").get<std::string>() : "finding";
    if (rule == "vigil-unused-suppression") continue;  // about a comment, not a finding: nothing to validate
    const json& start = member(member(d, "range"), "start");
    for (const auto& name : validators) {
      const std::string title = "Validate this finding (" + name + ")";
      json command = {{"title", title},
                      {"command", "vigil.validateFinding"},
                      {"arguments", json::array({{{"uri", request.doc.uri},
                                                  {"fingerprint", data.at("fingerprint")},
                                                  {"ruleId", rule},
                                                  {"line", member(start, "line").is_number_integer() ? start.at("line") : json(0)},
                                                  {"validator", name}}})}};
      if (request.client.literals) actions.push_back({{"title", title}, {"diagnostics", json::array({d})}, {"command", command}});
      else actions.push_back(command);
    }
  }
}

void Server::validate_command(const json& params, Reply& reply) {
  const json& args = params.value("arguments", json::array());
  if (!args.is_array() || args.size() != 1 || !args[0].is_object())
    throw RpcError(ErrorCode::invalid_params, "vigil.validateFinding takes one argument {uri, fingerprint, line?, validator?}");
  const std::string uri = args[0].at("uri");
  if (!session_->is_open(uri)) throw RpcError(ErrorCode::request_failed, uri + " is not open");
  if (!analysis_current(uri)) return wait_for_analysis(uri, params, &Server::validate_command, reply);
  const std::string fingerprint = args[0].at("fingerprint");
  const std::string validator = args[0].value("validator", session_->config().validation.validator);
  std::optional<uint32_t> line;
  if (args[0].contains("line") && args[0]["line"].is_number_unsigned()) line = args[0]["line"].get<uint32_t>();

  // Work-done progress: the client's token, or one we create when the client supports it.
  json token = params.value("workDoneToken", json());
  if (token.is_null() && client_.work_done_progress) {
    token = "vigil-validate-" + std::to_string(next_request_id_);
    send_request("window/workDoneProgress/create", {{"token", token}}, [](const json&) {});
  }
  auto progress = [this, token](json value) {
    if (token.is_null()) return;
    transport_.send({{"jsonrpc", "2.0"}, {"method", "$/progress"}, {"params", {{"token", token}, {"value", std::move(value)}}}});
  };
  progress({{"kind", "begin"},
            {"title", "Vigil: validating " + args[0].value("ruleId", std::string("finding"))},
            {"message", "asking the " + validator + " validator"},
            {"cancellable", true}});

  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  auto shared = std::make_shared<Reply>(std::move(reply));
  validations_[shared->id().dump()] = cancelled;
  if (!token.is_null()) validations_["token:" + token.dump()] = cancelled;
  std::string error;
  const bool started = session_->validate(
      uri, fingerprint, line, validator, cancelled,
      [this, shared, cancelled, progress, token, fingerprint](const validation::Verdict& v) {
        validations_.erase(shared->id().dump());
        if (!token.is_null()) validations_.erase("token:" + token.dump());
        progress({{"kind", "end"}, {"message", std::string(validation::to_string(v.status))}});
        if (shared->answered()) return;
        if (cancelled->load()) return shared->error(ErrorCode::request_cancelled, "validation cancelled");
        json result = v.to_json();
        result["fingerprint"] = fingerprint;
        shared->result(std::move(result));
      },
      error);
  if (!started) {
    validations_.erase(shared->id().dump());
    if (!token.is_null()) validations_.erase("token:" + token.dump());
    progress({{"kind", "end"}, {"message", error}});
    shared->error(ErrorCode::request_failed, error);
  }
}

bool Server::cancel_validation(const json& id_or_token, bool is_token) {
  auto it = validations_.find(is_token ? "token:" + id_or_token.dump() : id_or_token.dump());
  if (it == validations_.end()) return false;
  *it->second = true;  // the validator gives up; its completion answers with RequestCancelled
  return true;
}

void Server::work_done_progress_cancel(const json& params) { cancel_validation(params.at("token"), true); }

void Server::on_verdict(const std::string& uri) {
  if (state_ != State::running) return;
  // Verdicts arrive one at a time from the validation thread (automatic validation of a large
  // file's findings: hundreds), often faster than a publish of all its diagnostics. Those that
  // arrive while a publish for them is queued share it, so publishing never costs more than the
  // validations themselves; each verdict alone cost a whole conversion before.
  if (!verdict_publish_queued_.insert(uri).second) return;
  transport_.post([this, uri] {
    verdict_publish_queued_.erase(uri);
    show_verdicts(uri);
  });
}

void Server::show_verdicts(const std::string& uri) {
  if (state_ != State::running) return;
  // The verdicts are in the bank too, whose view typing reads at most every two seconds: read it
  // now (it then shows every document again, this one included when its result changed).
  session_->catch_up_feedback();
  if (client_pulls_) {
    if (client_.diagnostic_refresh) send_request("workspace/diagnostic/refresh", nullptr, [](const json&) {});
    return;
  }
  const Analysed* a = analysed(uri);
  if (!a) return;  // the next analysis publishes with the verdict
  auto shown_version = published_version_.find(uri);
  auto shown_result = published_result_.find(uri);
  if (shown_version != published_version_.end() && shown_version->second == a->version &&
      shown_result != published_result_.end() && shown_result->second == a->result_id)
    return;  // shown already (by catch_up_feedback, or a publish since)
  published_version_[uri] = std::max(published_version_[uri], a->version);
  published_result_[uri] = a->result_id;
  publish_analysed(uri, a->version);
}

}  // namespace vigil::lsp
