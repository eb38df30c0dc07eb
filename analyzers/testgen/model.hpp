// "…with the model": a configured model endpoint is asked to add cases to a generated security test,
// and its code is kept only when it parses and defines tests the framework will run. Pure: the
// prompt is built and the answer merged here; asking the model is the caller's IO (the session or
// the CLI, through analyzers/validation), which also redacts the prompt before it leaves.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/testgen/testgen.hpp"

namespace vigil::testgen {

// Frameworks whose test files take extra top-level tests (pytest, unittest, node:test, jest,
// vitest, go). Java classes and the C/C++ harnesses' mains are not extended by a model.
bool model_extends(std::string_view framework);

struct ModelPrompt {
  std::string system;
  std::string user;
};

// Asks for a few more tests of the same family for `test` (the file as generate() returned it),
// named from `prefix` on ("test_<id>_model_", "TestVigil<Id>Model"), reusing the file's helpers.
ModelPrompt model_prompt(const GeneratedTest& test, const FunctionInfo& function, const Template& family,
                         std::string_view language_id);

// The same for a test generate() made from `snapshot`: its function and family looked up again.
// Nullopt when the framework is not extended by a model.
std::optional<ModelPrompt> model_prompt_for(const GeneratedTest& test, const document::Snapshot& snapshot,
                                            const TemplateSet& templates);

// The model's answer merged into `test.content`, or why it was not.
struct ModelMerge {
  bool kept = false;
  std::string reason;                  // why the answer was dropped (kept == false)
  std::vector<std::string> test_names; // the tests added (kept == true)
};

// Extracts the code (the first fenced block, else the whole answer), checks it parses with the
// test file's grammar (`test_language`) alone and inside the file, that every top-level part is a
// test definition the framework collects (or a helper function; no imports, no statements run at
// import time), that each name is new to the file, and appends it marked as the model's. `test`
// is changed only when kept.
ModelMerge merge_model_tests(GeneratedTest& test, std::string_view answer, const grammars::Language& test_language,
                             std::string_view model_name);

}  // namespace vigil::testgen
