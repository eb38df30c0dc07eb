// The session's share of security-test generation: from an open document's finding to a test file
// in the project's framework (analyzers/testgen), the project read through the workspace room.
#include <filesystem>

#include "analyzers/session/background.hpp"
#include "analyzers/session/session.hpp"
#include "analyzers/validation/validators.hpp"
#include "analyzers/workspace/testgen_facts.hpp"

namespace vigil::session {

bool Session::has_test_template(const std::string& id, const Finding& finding) const {
  const auto* doc = document(id);
  return doc && !testgen::templates_for(finding, doc->language(), testgen::builtin_templates()).empty();
}

Session::GeneratedTests Session::generate_tests(const std::string& id, std::string_view fingerprint,
                                                std::optional<uint32_t> near_line) const {
  const auto* doc = document(id);
  if (!doc) throw testgen::GenerateError(id + " is not open");
  auto ref = finding(id, fingerprint, near_line);
  if (!ref) throw testgen::GenerateError("the finding is no longer there");
  return generate_tests_for(*ref->snapshot, ref->finding);
}

Session::GeneratedTests Session::generate_tests_for(const document::Snapshot& snapshot, const Finding* finding,
                                                    const std::string& function, const std::string& cwe) const {
  if (root_.empty() || !inside_root(snapshot.path))
    throw testgen::GenerateError("security tests need a workspace folder that holds " + snapshot.path);
  const std::string rel = relative_path(snapshot.path);
  const auto facts = workspace::testgen_facts(root_, rel);
  const auto info = testgen::detect_project(*snapshot.language, facts);

  testgen::Request request;
  request.snapshot = &snapshot;
  request.source_path = rel;
  if (finding) request.finding = *finding;
  request.function = function;
  request.cwe = cwe;
  GeneratedTests out;
  // The test file as the user sees it: the open buffer when it is open, else the disk.
  request.read_existing = [&](const std::string& path) -> std::optional<std::string> {
    const std::string absolute = (std::filesystem::path(root_) / path).lexically_normal().string();
    for (const auto& [doc_id, open] : documents_)
      if (open.doc->path() == absolute) return out.existing = open.doc->text();
    return out.existing = workspace::read_inside(root_, path);
  };
  out.test = testgen::generate(request, info, testgen::builtin_templates());
  out.absolute_path = (std::filesystem::path(root_) / out.test.path).lexically_normal().string();
  return out;
}

bool Session::model_tests_available() const { return config_.validation.endpoint.configured(); }

bool Session::generate_tests_with_model(const std::string& id, std::string_view fingerprint, std::optional<uint32_t> near_line,
                                        std::shared_ptr<std::atomic<bool>> cancelled, ModelTestsCallback done, std::string& error) {
  auto endpoint = validation::endpoint_options(config_.validation, error);
  if (!endpoint) return false;
  auto ref = finding(id, fingerprint, near_line);
  if (!ref) {
    error = "the finding is no longer in " + id + " (edited away?)";
    return false;
  }
  GeneratedTests generated;
  try {
    generated = generate_tests_for(*ref->snapshot, ref->finding);
  } catch (const testgen::GenerateError& e) {
    error = e.what();
    return false;
  }
  validation_queue().push([this, generated = std::move(generated), snapshot = ref->snapshot, endpoint = std::move(*endpoint), cancelled,
                           done = std::move(done)]() mutable {
    auto asked = validation::extend_tests_with_model(generated.test, *snapshot, endpoint, *cancelled);
    events_.post([this, generated = std::move(generated), asked = std::move(asked), done = std::move(done)]() mutable {
      if (stopped_) return;
      if (done) done(std::move(generated), std::move(asked));
    });
  });
  return true;
}

}  // namespace vigil::session
