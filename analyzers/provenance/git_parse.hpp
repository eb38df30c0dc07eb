// What git says about a file's lines, parsed from git's own output, and which commits an agent
// wrote. Pure parsing and classification (no IO): git.hpp runs git.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/provenance/map.hpp"

namespace vigil::provenance::git {

// One line of `git blame --line-porcelain`.
struct BlameLine {
  std::string commit;        // 40 hex digits; all zeros when not committed yet
  uint32_t orig_line = 0;    // 1-based line in `orig_path` at `commit`
  uint32_t final_line = 0;   // 1-based line in the blamed text
  std::string orig_path;     // the file's path in that commit
  std::string author;
  std::string author_mail;   // with angle brackets, as git prints it
  bool uncommitted() const { return commit.find_first_not_of('0') == std::string::npos; }
};
std::vector<BlameLine> parse_blame_porcelain(std::string_view out);

// One record of `git log -z --format=%H%x00%an%x00%ae%x00%B`.
struct Commit {
  std::string sha, author_name, author_email, message;
};
std::vector<Commit> parse_log(std::string_view out);

// New-side line ranges of `git diff -U0` hunks (1-based first line, count), per file path (b/ side).
struct LineRange {
  uint32_t first = 0;
  uint32_t count = 0;
  bool operator==(const LineRange&) const = default;
};
std::map<std::string, std::vector<LineRange>> parse_diff_u0(std::string_view out);

// The filter and diff drivers a repository's config names, from
// `git config -z --name-only --get-regexp '^(filter|diff)\.'` ("filter.<name>.clean\0..."): the
// names whose commands every git call clears (a driver name may hold dots, `=` and newlines).
struct DriverNames {
  std::vector<std::string> filters, diffs;
};
DriverNames parse_driver_names(std::string_view out);

// A git-ai authorship note (refs/notes/ai, "authorship/3.0.0"): the attestation section lists files
// and, per prompt hash, 1-based line ranges ("1-10,15"); the JSON after `---` names each prompt's
// tool. Returns path -> (line ranges, tool).
struct NoteRange {
  uint32_t first = 0, last = 0;  // inclusive, 1-based
  std::string tool;
};
std::map<std::string, std::vector<NoteRange>> parse_ai_note(std::string_view note);

// Agent patterns (RE2) matched against each line of a commit message (trailers) and against the
// synthetic line "Author: Name <email>", trailers first. A match on a message line is git-trailer
// evidence, on the author line git-author. The tool is the agent name found in the matching line.
class AgentMatcher {
 public:
  // Bad patterns are skipped and described in `errors`.
  explicit AgentMatcher(const std::vector<std::string>& patterns, std::vector<std::string>* errors = nullptr);
  ~AgentMatcher();
  AgentMatcher(AgentMatcher&&) noexcept;
  AgentMatcher& operator=(AgentMatcher&&) noexcept;

  std::optional<Label> classify(const Commit& commit) const;
  static const std::vector<std::string>& default_patterns();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What git says about each line of a file (index = final line - 1).
enum class LineState { unknown, uncommitted, committed_human, committed_agent };
struct LineVerdict {
  LineState state = LineState::unknown;
  Label label;  // for committed_agent
};
// Combines blame, the commits it names and their git-ai notes. `notes` maps commit -> note text.
// Lines blamed on a commit of `shallow_boundary` (a shallow clone's cut) stay unknown.
std::vector<LineVerdict> classify_lines(const std::vector<BlameLine>& blame, const std::vector<Commit>& commits,
                                        const std::map<std::string, std::string>& notes, const AgentMatcher& matcher,
                                        const std::set<std::string>& shallow_boundary = {});

}  // namespace vigil::provenance::git
