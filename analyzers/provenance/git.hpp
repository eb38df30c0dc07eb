// Runs git (a subprocess with an argument list, never a shell) and turns its answers into per-line
// verdicts. No git on the PATH, no repository or no commits: empty answers, never an exception.
// Boost.Process is confined to git.cpp (it compiles slowly).
#pragma once

#include "analyzers/process/process.hpp"
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/provenance/git_parse.hpp"

namespace vigil::provenance::git {

using RunResult = process::Result;  // started false: git is not installed (or could not start)
// `git <args>` in `cwd`, `input` on stdin, with nothing a repository can make git execute: the
// safety options (no fsmonitor, pager, signature check, implicit bare repository or external diff),
// GIT_CONFIG_NOSYSTEM, and the commands of every filter and diff driver the config names cleared.
// Gives up after `timeout_ms`.
RunResult run_git(const std::string& cwd, const std::vector<std::string>& args, std::string_view input = {},
                  int timeout_ms = 30000);

// The user's own identity, "Name <email>" (or either alone), from `git config --global` only: run
// outside any repository with GIT_CONFIG_NOSYSTEM=1 and safe.bareRepository=explicit, so no
// repository's config is read. Empty when git or the settings are missing.
std::string global_identity();

// The config that clears the commands of the drivers in `names` (as GIT_CONFIG_KEY/VALUE pairs).
std::vector<std::pair<std::string, std::string>> neutralising_config(const DriverNames& names);

// The work tree root around `dir`, or nothing (no git, not a repository).
std::optional<std::string> toplevel(const std::string& dir);

// The boundary commits of a shallow clone (`$GIT_DIR/shallow`): empty for a full clone.
std::set<std::string> shallow_boundary(const std::string& root);

// Per-line verdicts for `abs_path` in the repository at `root`. With `contents`, blames that text
// (the editor's buffer) rather than the file on disk. Empty when git knows nothing (no commits,
// blame failed); an untracked file in a repository with commits is all `uncommitted`. Lines blamed
// on a shallow clone's boundary commit are `unknown` (`shallow`: the boundary when the caller
// already has it; asked from git otherwise).
std::vector<LineVerdict> file_verdicts(const std::string& root, const std::string& abs_path, const std::string* contents,
                                       const AgentMatcher& matcher, const std::set<std::string>* shallow = nullptr);

// What a pull request changed: lines added or changed from the merge base of `ref` and HEAD to the
// working tree (`git diff REF...` plus what is not committed yet), and every line of untracked files
// that are not ignored, per path relative to `root`.
struct ChangedLines {
  std::map<std::string, std::vector<LineRange>> files;
  std::string base;  // the merge-base commit
};
// Nothing, with the reason in `error`, when git cannot answer (unknown ref, no common history,
// a shallow clone that lacks it, no git).
std::optional<ChangedLines> changed_since(const std::string& root, const std::string& ref, std::string& error);

}  // namespace vigil::provenance::git
