#include "analyzers/validation/model_tests.hpp"

#include "analyzers/testgen/model.hpp"
#include "analyzers/validation/redact.hpp"

namespace vigil::validation {

ModelTests extend_tests_with_model(testgen::GeneratedTest& test, const document::Snapshot& snapshot, const EndpointOptions& options,
                                   const std::atomic<bool>& cancelled) {
  ModelTests out;
  out.model = options.model;
  const auto prompt = testgen::model_prompt_for(test, snapshot, testgen::builtin_templates());
  if (!prompt) {
    out.message = "the model is not asked for " + test.framework + " tests (Python, JavaScript/TypeScript and Go tests only)";
    return out;
  }
  // Code and the test file leave the machine: secrets in either are replaced first.
  auto user = redact_secrets(prompt->user);
  out.redacted = user.count;
  const nlohmann::json messages = nlohmann::json::array({{{"role", "system"}, {"content", prompt->system}},
                                                         {{"role", "user"}, {"content", user.text}}});
  auto answer = chat_completion(
      options, [&](bool) { return nlohmann::json{{"model", options.model}, {"temperature", 0}, {"messages", messages}}; }, false,
      cancelled);
  out.model = answer.model;
  if (!answer.error.empty()) {
    out.message = "the model endpoint gave no tests (" + answer.error + "); the generated tests are unchanged";
    return out;
  }
  const auto* test_language = grammars::by_path(test.path);
  if (!test_language) test_language = snapshot.language;
  auto merged = testgen::merge_model_tests(test, answer.content, *test_language, answer.model);
  if (!merged.kept) {
    out.message = "the model's tests were not kept: " + merged.reason;
    return out;
  }
  out.kept = true;
  out.tests = merged.test_names;
  out.message = "the model " + (answer.model.empty() ? std::string("endpoint") : answer.model) + " added " +
                std::to_string(merged.test_names.size()) + (merged.test_names.size() == 1 ? " test" : " tests");
  return out;
}

}  // namespace vigil::validation
