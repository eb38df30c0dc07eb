// Writers for `vigil check`: compiler-style text, JSON and SARIF 2.1.0. They format findings the
// caller already has; they read no files.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "analyzers/engine.hpp"
#include "analyzers/validation/verdict.hpp"

namespace vigil::report {

struct FileResult {
  std::string display_path;  // for people: relative to the current directory when below it
  std::string root_path;     // for SARIF: relative to the project root, or absolute outside it
  std::shared_ptr<const document::Snapshot> snapshot;
  std::vector<Finding> findings;
  // With `vigil check --validate`: the verdict on findings[i] (empty when not validated).
  std::vector<std::optional<validation::Verdict>> verdicts = {};

  const validation::Verdict* verdict(size_t i) const { return i < verdicts.size() && verdicts[i] ? &*verdicts[i] : nullptr; }
};

// A refuted finding is reported as a note and never fails the build.
bool is_refuted(const FileResult& r, size_t i);

struct RunInfo {
  std::string tool_version;
  std::string root_uri;  // file:///abs/root/ ; SARIF's %SRCROOT%
  const RuleSet* rules = nullptr;
};

// path:line:col: severity [rule-id] message (CWE-…) — columns are 1-based code points.
void write_text(std::ostream& out, const std::vector<FileResult>& results);
void write_json(std::ostream& out, const std::vector<FileResult>& results);
void write_sarif(std::ostream& out, const std::vector<FileResult>& results, const RunInfo& info);

// Percent-encodes a path for use in a URI (keeps '/', unreserved characters).
std::string uri_escape_path(std::string_view path);

}  // namespace vigil::report
