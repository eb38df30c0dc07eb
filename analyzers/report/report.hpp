// Writers for `vigil check`: compiler-style text, JSON and SARIF 2.1.0. They format findings the
// caller already has; they read no files.
#pragma once

#include <map>
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

// What a run did besides its findings, for the summaries.
struct RunSummary {
  size_t files_checked = 0;
  size_t rules = 0;
  struct Skipped {
    std::string path;
    std::string reason;
  };
  std::vector<Skipped> skipped;  // files not (fully) checked, and why
  bool unsafe_fixes = false;     // --unsafe-fixes: unsafe fixes count as fixable
};

struct TextOptions {
  bool color = false;        // ANSI colours (the caller decides: terminal, NO_COLOR, --color)
  bool show_source = true;   // the source line with a caret under the finding
  bool unsafe_fixes = false; // mark findings with an unsafe fix as fixable too
};

// Counts findings per severity and rule as files go by, for the summaries (a streamed report keeps
// no finding).
class Tally {
 public:
  void add(const FileResult& result, bool unsafe_fixes);
  struct Row {
    std::string rule;
    rules::Severity severity;
    size_t count;
  };
  std::vector<Row> rows() const;  // most severe first, then most frequent, then by id
  size_t total = 0, files = 0, fixable = 0, unsafe = 0;
  std::map<int, size_t> by_severity;  // severity (error first) -> count

 private:
  std::map<std::pair<std::string, int>, size_t> rows_;
};

// path:line:col: severity [rule-id] [*] message (CWE-…) — columns are 1-based code points; `[*]`
// marks a fix `vigil check --fix` applies. Then, unless disabled, the source line with a caret.
// `text` with control characters (escape sequences, newlines) written as \\xNN: file names and
// messages never drive the terminal they are printed on.
std::string printable(std::string_view text);

void write_text(std::ostream& out, const FileResult& result, const TextOptions& options = {});
void write_text(std::ostream& out, const std::vector<FileResult>& results, const TextOptions& options = {});
// The count of findings per severity and per rule, and how many are fixable; nothing when clean.
void write_text_summary(std::ostream& out, const Tally& tally, const RunSummary& summary, const TextOptions& options = {});

// {"version": 1, "findings": [...], "summary": {...}}, written one file at a time.
class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}
  void add(const FileResult& result);
  void finish(const RunSummary* summary, const Tally* tally);

 private:
  std::ostream& out_;
  bool started_ = false;
  bool any_ = false;
};
void write_json(std::ostream& out, const std::vector<FileResult>& results, const RunSummary* summary = nullptr);
void write_sarif(std::ostream& out, const std::vector<FileResult>& results, const RunInfo& info);

// Percent-encodes a path for use in a URI (keeps '/', unreserved characters).
std::string uri_escape_path(std::string_view path);

}  // namespace vigil::report
