// Runs git (a subprocess with an argument list, never a shell) and turns its answers into per-line
// verdicts. No git on the PATH, no repository or no commits: empty answers, never an exception.
// Boost.Process is confined to git.cpp (it compiles slowly).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/provenance/git_parse.hpp"

namespace vigil::provenance::git {

struct RunResult {
  bool started = false;  // false: git is not installed (or could not start)
  int exit_code = -1;
  std::string out;
  std::string err;
  bool ok() const { return started && exit_code == 0; }
};
// `git <args>` in `cwd`, `input` on stdin, with nothing a repository can make git execute: the
// safety options (no fsmonitor, pager, signature check, implicit bare repository or external diff),
// GIT_CONFIG_NOSYSTEM, and the commands of every filter and diff driver the config names cleared.
// Gives up after `timeout_ms`.
RunResult run_git(const std::string& cwd, const std::vector<std::string>& args, std::string_view input = {},
                  int timeout_ms = 30000);

// The config that clears the commands of the drivers in `names` (as GIT_CONFIG_KEY/VALUE pairs).
std::vector<std::pair<std::string, std::string>> neutralising_config(const DriverNames& names);

// The work tree root around `dir`, or nothing (no git, not a repository).
std::optional<std::string> toplevel(const std::string& dir);

// Per-line verdicts for `abs_path` in the repository at `root`. With `contents`, blames that text
// (the editor's buffer) rather than the file on disk. Empty when git knows nothing (no commits,
// blame failed); an untracked file in a repository with commits is all `uncommitted`.
std::vector<LineVerdict> file_verdicts(const std::string& root, const std::string& abs_path, const std::string* contents,
                                       const AgentMatcher& matcher);

// Lines added or changed since `ref` (`git diff -U0 ref`), per path relative to `root`; nothing
// when the diff fails (unknown ref, no git).
std::optional<std::map<std::string, std::vector<LineRange>>> changed_since(const std::string& root, const std::string& ref);

}  // namespace vigil::provenance::git
