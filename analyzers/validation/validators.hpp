// Choosing a validator from the user's settings, and running one with the verdict store in front:
// an unchanged finding (same fingerprint, same context) is not validated twice.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "analyzers/store/store.hpp"
#include "analyzers/validation/remote.hpp"
#include "analyzers/validation/verdict.hpp"
#include "analyzers/workspace/config.hpp"

namespace vigil::validation {

// The model endpoint the user's settings configure (the API key read from the environment variable
// they name); nullopt with `error` set when there is none or the key is missing.
std::optional<EndpointOptions> endpoint_options(const workspace::ValidationSettings& settings, std::string& error);

// "deep", "endpoint" or "command", built from `settings` (the API key read from the environment
// variable they name). Null with `error` set when the settings do not configure it.
std::unique_ptr<Validator> make_validator(std::string_view name, const workspace::ValidationSettings& settings, std::string& error);

// The validators the settings make available, deep first (for the editor's code actions).
std::vector<std::string> available_validators(const workspace::ValidationSettings& settings);

struct Outcome {
  Verdict verdict;
  bool cached = false;  // read from the store, not computed now
};

// Runs `validator` on `subject` unless `store` holds a verdict for the same finding and context.
// Errors and cancellations are not stored (the next run tries again).
// `store_mutex` (optional) serializes store access when several threads share one connection.
Outcome validate_with_store(Validator& validator, const Subject& subject, store::VerdictStore* store, const std::string& relative_path,
                            const std::atomic<bool>& cancelled, std::mutex* store_mutex = nullptr);

}  // namespace vigil::validation
