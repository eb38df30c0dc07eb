// The standard validation prompt: the rule's constraint, the other loaded rules that apply, and the
// code context (enclosing function, taint trace). The model endpoint sends exactly this text, and
// `vigil prompt` prints it. Pure: the request should already be redacted.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "analyzers/validation/verdict.hpp"

namespace vigil::validation {

struct Prompt {
  std::string system;
  std::string user;
};

Prompt build_prompt(const Request& request);

// The JSON schema of an answer (status, explanation, confidence, suggestedFix), for
// `response_format: {type: json_schema}`.
const nlohmann::json& verdict_schema();

}  // namespace vigil::validation
