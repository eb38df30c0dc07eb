// "Generate security tests … with the model": the configured model endpoint is asked to add cases
// to a generated test (analyzers/testgen builds the prompt and gates the answer); the prompt is
// redacted before it leaves the machine. The generated tests stand whatever the model does.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "analyzers/testgen/testgen.hpp"
#include "analyzers/validation/remote.hpp"

namespace vigil::validation {

struct ModelTests {
  bool kept = false;               // the model's tests were added to the test's content
  std::string message;             // one line for the user: what the model added, or why nothing
  std::string model;
  std::vector<std::string> tests;  // names (titles in JavaScript) of the tests the model added
  size_t redacted = 0;             // secrets replaced in the prompt
};

// `test` is what testgen::generate made from `snapshot`; it is extended in place when the model's
// code is kept.
ModelTests extend_tests_with_model(testgen::GeneratedTest& test, const document::Snapshot& snapshot, const EndpointOptions& options,
                                   const std::atomic<bool>& cancelled);

}  // namespace vigil::validation
