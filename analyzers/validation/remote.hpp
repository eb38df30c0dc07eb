// Validators outside the process: a model behind an OpenAI-compatible `/v1/chat/completions`
// endpoint, and a local command (argv, no shell). Both receive the redacted request only. Their
// settings come from the user's own configuration (workspace::ValidationSettings); the transport
// (Beast, Boost.Process) is behind the two small functions in http.hpp and process.hpp.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "analyzers/validation/verdict.hpp"

namespace vigil::validation {

struct EndpointOptions {
  std::string url;                 // base URL (".../v1") or the full ".../chat/completions"
  std::string model;
  std::string api_key;             // already read from the environment variable the settings name
  std::chrono::milliseconds timeout{30000};  // per attempt
  unsigned retries = 2;            // further attempts after a failed one (transport error, 429, 5xx)
  std::chrono::milliseconds backoff{500};    // doubled after each failed attempt
  std::string ca_file;             // optional extra CA bundle (tests, corporate proxies)
};

// One chat completion against `options`: the assistant's text, or why there is none (no answer in
// time, HTTP errors after the retries, an answer without choices[0].message.content). `body`
// builds the request; when it is `structured` and the server refuses that with HTTP 400, it is
// asked once more with `structured` false. Polls `cancelled`.
struct ChatAnswer {
  std::string content;
  std::string model;  // as the server names it, else the configured one
  std::string error;  // set when there is no content
  bool cancelled = false;
};
ChatAnswer chat_completion(const EndpointOptions& options, const std::function<nlohmann::json(bool structured)>& body,
                           bool structured, const std::atomic<bool>& cancelled);

class EndpointValidator : public Validator {
 public:
  explicit EndpointValidator(EndpointOptions options) : options_(std::move(options)) {}
  std::string name() const override { return "endpoint"; }
  Verdict validate(const Subject& subject, const std::atomic<bool>& cancelled) override;

  // The chat-completions request body for `request` (already redacted). `structured`: ask for a
  // JSON-schema response_format (retried without it when the server refuses it).
  nlohmann::json body(const Request& request, bool structured) const;

 private:
  EndpointOptions options_;
};

struct CommandOptions {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH when it has no '/'
  std::chrono::milliseconds timeout{30000};
};

class CommandValidator : public Validator {
 public:
  explicit CommandValidator(CommandOptions options) : options_(std::move(options)) {}
  std::string name() const override { return "command"; }
  Verdict validate(const Subject& subject, const std::atomic<bool>& cancelled) override;

 private:
  CommandOptions options_;
};

}  // namespace vigil::validation
