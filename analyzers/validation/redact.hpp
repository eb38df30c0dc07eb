// Secrets never leave the machine: what a request carries to a model endpoint or a local command
// is redacted first. Pure text processing (RE2), no IO.
#pragma once

#include <string>
#include <string_view>

#include "analyzers/validation/verdict.hpp"

namespace vigil::validation {

struct Redacted {
  std::string text;
  size_t count = 0;  // secrets replaced
};

// Replaces private keys, provider tokens (AWS, GitHub, Slack, OpenAI, Stripe, Google, JWTs, bearer
// tokens), passwords and keys assigned to secret-looking names, credentials in connection strings
// and URLs, and high-entropy string literals with `<redacted:KIND>`.
Redacted redact_secrets(std::string_view text);

// The request with every code field redacted; `count` receives the number of replacements.
Request redact(Request request, size_t* count = nullptr);

}  // namespace vigil::validation
