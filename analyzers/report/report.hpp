// Writers for `vigil check`: compiler-style text, JSON and SARIF 2.1.0. They format findings the
// caller already has; they read no files.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "analyzers/engine.hpp"
#include "analyzers/suppressions.hpp"
#include "analyzers/validation/verdict.hpp"

namespace vigil::report {

// Who wrote a finding's code, when the caller asked provenance (as the editor's data.provenance).
struct FindingProvenance {
  std::string origin;    // "ai"
  std::string evidence;  // "git-trailer", "bulk-insert", ...
  std::string tool;      // "claude"; "" when unknown
};

struct FileResult {
  std::string display_path;  // for people: relative to the current directory when below it
  std::string root_path;     // for SARIF: relative to the project root, or absolute outside it
  std::shared_ptr<const document::Snapshot> snapshot;
  std::vector<Finding> findings;
  // Parallel to `findings` when provenance was asked (empty otherwise): set for AI-written code.
  std::vector<std::optional<FindingProvenance>> provenance = {};
  std::vector<SuppressedFinding> suppressed = {};  // silenced by a comment (SARIF lists them)
  const std::optional<FindingProvenance>* provenance_of(size_t i) const {
    return i < provenance.size() && provenance[i] ? &provenance[i] : nullptr;
  }
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
  std::string automation_id = {};  // SARIF runs[0].automationDetails.id ("vigil/", "vigil/shard-1-of-3/")
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

// A summary for a pull-request comment or $GITHUB_STEP_SUMMARY: counts by severity and rule, then
// the findings grouped by file with links to their lines, AI-written code first.
struct MarkdownOptions {
  // Prefix of a link to a file at the checked commit ("https://github.com/o/r/blob/<sha>/"); empty:
  // the path alone. Lines are appended GitHub's way (#L4-L6) or GitLab's (#L4-6).
  std::string link_base;
  bool gitlab_lines = false;
  size_t max_findings = 500;  // a comment has a size limit: the rest are counted, not listed
  std::string tool_version;
};
void write_markdown(std::ostream& out, const std::vector<FileResult>& results, const Tally& tally,
                    const RunSummary& summary, const MarkdownOptions& options);

// GitLab's code quality report (a JSON array of {description, check_name, fingerprint, severity,
// location: {path, lines: {begin}}}) for merge-request widgets.
void write_codequality(std::ostream& out, const std::vector<FileResult>& results);

// The rule's help as SARIF and code scanning show it: the constraint, why, instead, CWE links.
std::string rule_help_markdown(const rules::Rule& rule);

// Percent-encodes a path for use in a URI (keeps '/', unreserved characters).
std::string uri_escape_path(std::string_view path);

}  // namespace vigil::report
