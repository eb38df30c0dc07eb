#include "analyzers/validation/validators.hpp"
#include "analyzers/json_input.hpp"

#include <cstdlib>

#include "analyzers/validation/deep.hpp"
#include "analyzers/validation/remote.hpp"

namespace vigil::validation {

std::optional<EndpointOptions> endpoint_options(const workspace::ValidationSettings& settings, std::string& error) {
  const auto& e = settings.endpoint;
  if (!e.configured()) {
    error = "no model endpoint configured: set validation.endpoint.url (and model, apiKeyEnv) in your user settings";
    return std::nullopt;
  }
  EndpointOptions o;
  o.url = e.url;
  o.model = e.model;
  o.timeout = std::chrono::milliseconds(e.timeout_ms);
  o.retries = e.retries;
  o.ca_file = e.ca_file;
  if (!e.api_key_env.empty()) {
    const char* key = std::getenv(e.api_key_env.c_str());
    if (!key || !*key) {
      error = "the environment variable " + e.api_key_env + " (validation.endpoint.apiKeyEnv) is not set";
      return std::nullopt;
    }
    o.api_key = key;
  }
  return o;
}

std::unique_ptr<Validator> make_validator(std::string_view name, const workspace::ValidationSettings& settings, std::string& error) {
  if (name == "deep") return std::make_unique<DeepValidator>();
  if (name == "endpoint") {
    auto options = endpoint_options(settings, error);
    return options ? std::make_unique<EndpointValidator>(std::move(*options)) : nullptr;
  }
  if (name == "command") {
    if (!settings.command.configured()) {
      error = "no validation command configured: set validation.command.argv in your user settings";
      return nullptr;
    }
    return std::make_unique<CommandValidator>(CommandOptions{settings.command.argv, std::chrono::milliseconds(settings.command.timeout_ms)});
  }
  error = "unknown validator `" + std::string(name) + "` (deep, endpoint or command)";
  return nullptr;
}

std::vector<std::string> available_validators(const workspace::ValidationSettings& settings) {
  std::vector<std::string> out = {"deep"};
  if (settings.endpoint.configured()) out.push_back("endpoint");
  if (settings.command.configured()) out.push_back("command");
  return out;
}

Outcome validate_with_store(Validator& validator, const Subject& subject, store::VerdictStore* store, const std::string& relative_path,
                            const std::atomic<bool>& cancelled, std::mutex* store_mutex) {
  const std::string name = validator.name();
  const std::string key = context_key(subject.request, name);
  auto locked = [&](auto&& f) {
    if (!store_mutex) return f();
    std::lock_guard lock(*store_mutex);
    return f();
  };
  if (store)
    if (auto stored = locked([&] { return store->load(subject.request.fingerprint, name, key); })) {
      auto j = json_input::parse_or_discard(stored->verdict_json);
      std::string error;
      if (auto v = j.is_discarded() ? std::nullopt : verdict_from_json(j, error)) {
        v->validator = j.value("validator", name);
        v->model = j.value("model", "");
        if (j.contains("path") && j["path"].is_array())
          for (const auto& p : j["path"]) v->path.push_back(p.get<std::string>());
        return {*v, true};
      }
    }
  Verdict v = validator.validate(subject, cancelled);
  if (store && v.status != Status::error)
    locked([&] {
      return store->save({subject.request.fingerprint, name, key, subject.request.rule_id, relative_path,
                          std::string(to_string(v.status)), v.to_json().dump(), 0});
    });
  return {std::move(v), false};
}

}  // namespace vigil::validation
