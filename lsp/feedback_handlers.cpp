// The feedback bank in the server: "Mark as false positive…" and "Confirm finding" on every Vigil
// diagnostic, their commands, and each diagnostic's `data.feedback` (the rule's votes and
// precision in this repository, this finding's verdict), which hover shows. The verdict is
// recorded by the session, which then shows every open document again: a false positive
// disappears wherever its fingerprint appears.
#include <map>

#include "analyzers/feedback/bank.hpp"
#include "lsp/convert.hpp"
#include "lsp/server.hpp"

namespace vigil::lsp {

using nlohmann::json;

void Server::append_feedback_actions(const CodeActionRequest& request, json& actions) {
  const json only = request.params.value("/context/only"_json_pointer, json());
  if (only.is_array() && !only.empty()) return;  // no kind: offered only when the client asks for everything
  if (!session_->database()) return;             // no workspace, no bank
  for (const auto& d : request.diagnostics) {
    const json& data = member(d, "data");
    if (!member(data, "fingerprint").is_string()) continue;
    const std::string rule = member(data, "ruleId").is_string() ? data.at("ruleId").get<std::string>() : "finding";
    if (rule == "vigil-unused-suppression" || rule == "vigil-parse-error") continue;  // not findings of a rule
    const json& start = member(member(d, "range"), "start");
    const json argument = {{"uri", request.doc.uri},
                           {"fingerprint", data.at("fingerprint")},
                           {"ruleId", rule},
                           {"line", member(start, "line").is_number_integer() ? start.at("line") : json(0)}};
    // A client can ask its user for the reason and pass it as `reason` (vigil.markFalsePositive's
    // argument); without one the verdict is recorded with an empty reason.
    for (const auto& [title, name] : {std::pair{"Mark as false positive…", "vigil.markFalsePositive"},
                                      std::pair{"Confirm finding", "vigil.confirmFinding"}}) {
      json command = {{"title", std::string(title) + " (" + rule + ")"}, {"command", name}, {"arguments", json::array({argument})}};
      if (request.client.literals) actions.push_back({{"title", command["title"]}, {"diagnostics", json::array({d})}, {"command", command}});
      else actions.push_back(command);
    }
  }
}

void Server::feedback_command(const json& params, Reply& reply) {
  const std::string name = params.at("command");
  const json& args = params.value("arguments", json::array());
  if (!args.is_array() || args.size() != 1 || !args[0].is_object() || !member(args[0], "uri").is_string() ||
      !member(args[0], "fingerprint").is_string())
    throw RpcError(ErrorCode::invalid_params, name + " takes one argument {uri, fingerprint, line?, reason?}");
  const std::string uri = args[0].at("uri");
  if (!session_->is_open(uri)) throw RpcError(ErrorCode::request_failed, uri + " is not open");
  if (!analysis_current(uri)) return wait_for_analysis(uri, params, &Server::feedback_command, reply);
  std::optional<uint32_t> line;
  if (member(args[0], "line").is_number_unsigned()) line = args[0]["line"].get<uint32_t>();
  const std::string reason = member(args[0], "reason").is_string() ? args[0]["reason"].get<std::string>() : std::string();
  const auto kind = name == "vigil.confirmFinding" ? feedback::Kind::confirmed : feedback::Kind::false_positive;
  std::string error;
  const std::string fingerprint = args[0].at("fingerprint");
  if (!session_->record_verdict(uri, fingerprint, line, kind, reason, client_name_.empty() ? "editor" : client_name_, error))
    throw RpcError(ErrorCode::request_failed, error);
  // Stored and committed: the answer is the acknowledgement.
  const std::string rule = member(args[0], "ruleId").is_string() ? args[0]["ruleId"].get<std::string>() : std::string();
  json result = {{"fingerprint", fingerprint}, {"verdict", feedback::to_string(kind)}};
  if (!rule.empty()) {
    const auto stats = session_->rule_stats(rule);
    result["ruleId"] = rule;
    result["confirmed"] = stats.confirmed;
    result["falsePositives"] = stats.false_positives;
    if (auto p = stats.precision()) result["precision"] = *p;
  }
  reply.result(std::move(result));
}

namespace {

// What data.feedback holds for `f`: its rule's numbers (built once per conversion) and whether the
// bank's view (read, and refreshed when due, once per conversion) has it confirmed.
struct FeedbackOf {
  const FeedbackCache::Numbers& numbers;
  bool confirmed;
};

FeedbackOf feedback_of(session::Session& session, const Finding& f, FeedbackCache& cache) {
  if (!cache.view) cache.view = &session.feedback_view();  // before any rule's numbers are read
  const bool confirmed = cache.view->confirmed.contains(f.fingerprint);
  auto known = cache.rules.find(f.rule_id());
  if (known == cache.rules.end()) {
    const auto stats = session.rule_stats(f.rule_id());
    json numbers = {{"confirmed", stats.confirmed}, {"falsePositives", stats.false_positives}, {"votes", stats.votes()}};
    if (auto p = stats.precision()) numbers["precision"] = *p;
    std::string key = dump(numbers);
    known = cache.rules.emplace(f.rule_id(), FeedbackCache::Numbers{std::move(key), std::move(numbers)}).first;
  }
  return {known->second, confirmed};
}

}  // namespace

void Server::feedback_key(const Finding& f, FeedbackCache& cache, std::string& key) const {
  if (!session_->database()) return;
  const FeedbackOf fb = feedback_of(*session_, f, cache);
  key += fb.numbers.key;
  if (fb.confirmed) key += 'C';
}

void Server::apply_feedback(const Finding& f, FeedbackCache& cache, json& item) const {
  if (!session_->database()) return;
  const FeedbackOf of = feedback_of(*session_, f, cache);
  json fb = of.numbers.numbers;
  if (of.confirmed) fb["verdict"] = "confirmed";
  item["data"]["feedback"] = std::move(fb);
}

}  // namespace vigil::lsp
