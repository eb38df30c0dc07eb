#include "analyzers/validation/remote.hpp"
#include "analyzers/process/process.hpp"
#include "analyzers/json_input.hpp"

#include <thread>

#include "analyzers/validation/prompt.hpp"
#include "analyzers/validation/redact.hpp"
#include "analyzers/validation/transport.hpp"

namespace vigil::validation {

using nlohmann::json;

namespace {

Verdict failure(std::string validator, std::string model, std::string why) {
  Verdict v;
  v.status = Status::error;
  v.validator = std::move(validator);
  v.model = std::move(model);
  v.explanation = std::move(why);
  return v;
}

std::string chat_url(const std::string& base) {
  std::string u = base;
  while (!u.empty() && u.back() == '/') u.pop_back();
  if (u.ends_with("/chat/completions")) return u;
  if (u.ends_with("/v1") || u.find("/v1/") != std::string::npos) return u + "/chat/completions";
  return u + "/v1/chat/completions";
}

std::string excerpt(const std::string& s) {
  std::string t = s.substr(0, 200);
  for (auto& c : t)
    if (c == '\n' || c == '\r') c = ' ';
  return t;
}

}  // namespace

json EndpointValidator::body(const Request& request, bool structured) const {
  const Prompt p = build_prompt(request);
  json b = {{"model", options_.model},
            {"temperature", 0},
            {"messages", json::array({{{"role", "system"}, {"content", p.system}}, {{"role", "user"}, {"content", p.user}}})}};
  if (structured)
    b["response_format"] = {{"type", "json_schema"},
                            {"json_schema", {{"name", "vigil_verdict"}, {"strict", true}, {"schema", verdict_schema()}}}};
  return b;
}

ChatAnswer chat_completion(const EndpointOptions& options, const std::function<json(bool structured)>& body, bool structured,
                           const std::atomic<bool>& cancelled) {
  ChatAnswer out;
  out.model = options.model;
  auto failed = [&](std::string why) {
    out.error = std::move(why);
    return out;
  };
  if (options.url.empty()) return failed("no endpoint configured (validation.endpoint.url in your user settings)");
  std::vector<std::pair<std::string, std::string>> headers;
  if (!options.api_key.empty()) headers.emplace_back("Authorization", "Bearer " + options.api_key);
  const std::string url = chat_url(options.url);
  auto backoff = options.backoff;
  std::string last_error;
  for (unsigned attempt = 0; attempt <= options.retries; ++attempt) {
    if (cancelled.load()) {
      out.cancelled = true;
      return failed("cancelled");
    }
    auto r = http_post(url, headers, body(structured).dump(), options.timeout, cancelled, options.ca_file);
    if (r.cancelled) {
      out.cancelled = true;
      return failed("cancelled");
    }
    if (r.timed_out) return failed("the endpoint " + url + " did not answer in time (" + r.error + ")");
    bool retry = false;
    if (!r.error.empty()) {
      last_error = "the endpoint " + url + " failed: " + r.error;
      retry = r.error.find("plain http://") == std::string::npos && r.error.find("must start with") == std::string::npos;
    } else if (r.status == 400 && structured) {
      // Servers without JSON-schema support refuse response_format: ask again in plain text.
      structured = false;
      --attempt;
      continue;
    } else if (r.status == 429 || r.status >= 500) {
      last_error = "the endpoint answered HTTP " + std::to_string(r.status) + ": " + excerpt(r.body);
      retry = true;
    } else if (r.status != 200) {
      std::string hint = r.status == 401 || r.status == 403 ? " (check the API key's environment variable)" : "";
      return failed("the endpoint answered HTTP " + std::to_string(r.status) + hint + ": " + excerpt(r.body));
    } else {
      json answer = json_input::parse_or_discard(r.body);
      if (answer.is_discarded()) return failed("the endpoint's answer is not JSON: " + excerpt(r.body));
      const json* content = nullptr;
      if (answer.contains("choices") && answer["choices"].is_array() && !answer["choices"].empty()) {
        const json& choice = answer["choices"][0];
        if (choice.contains("message") && choice["message"].contains("content") && choice["message"]["content"].is_string())
          content = &choice["message"]["content"];
      }
      if (!content) return failed("the endpoint's answer has no choices[0].message.content: " + excerpt(r.body));
      out.content = content->get<std::string>();
      if (answer.contains("model") && answer["model"].is_string() && !answer["model"].get<std::string>().empty())
        out.model = answer["model"].get<std::string>();
      return out;
    }
    if (!retry) break;
    if (attempt < options.retries) {
      for (auto waited = std::chrono::milliseconds(0); waited < backoff && !cancelled.load(); waited += std::chrono::milliseconds(20))
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      backoff *= 2;
    }
  }
  return failed(last_error + " (after " + std::to_string(options.retries + 1) + " attempts)");
}

Verdict EndpointValidator::validate(const Subject& subject, const std::atomic<bool>& cancelled) {
  const Request request = redact(subject.request);
  auto answer = chat_completion(options_, [&](bool structured) { return body(request, structured); }, true, cancelled);
  if (!answer.error.empty()) return failure("endpoint", options_.model, answer.error);
  std::string error;
  auto v = parse_model_answer(answer.content, error);
  if (!v) return failure("endpoint", options_.model, "the model's answer holds no verdict: " + error);
  v->validator = "endpoint";
  v->model = answer.model;
  return *v;
}

Verdict CommandValidator::validate(const Subject& subject, const std::atomic<bool>& cancelled) {
  const std::string program = options_.argv.empty() ? "" : options_.argv[0];
  if (options_.argv.empty()) return failure("command", program, "no command configured (validation.command in your user settings)");
  const Request request = redact(subject.request);
  const Prompt p = build_prompt(request);
  json input = {{"request", request.to_json()}, {"prompt", {{"system", p.system}, {"user", p.user}}}, {"schema", verdict_schema()}};
  process::Command command;
  command.argv = options_.argv;
  command.input = input.dump();
  command.timeout = options_.timeout;
  command.cancelled = &cancelled;
  auto r = process::run(command);
  if (r.cancelled) return failure("command", program, "cancelled");
  if (!r.error.empty()) return failure("command", program, "`" + program + "`: " + r.error);
  if (r.exit_code != 0)
    return failure("command", program, "`" + program + "` exited with code " + std::to_string(r.exit_code) + ": " + excerpt(r.err));
  std::string error;
  auto v = parse_model_answer(r.out, error);
  if (!v) return failure("command", program, "`" + program + "` printed no verdict: " + error);
  v->validator = "command";
  if (v->model.empty()) v->model = program;
  return *v;
}

}  // namespace vigil::validation
