// `.vigil/baseline.json`: the fingerprints of findings a team accepted as they are (committed to
// git), written by `vigil feedback baseline` and honoured by `vigil check`, so that a team adopting
// Vigil on an old repository sees only new findings.
//   {"version": 1, "tool": "vigil", "findings": [{"fingerprint", "ruleId", "path", "line"}, ...]}
// Findings are sorted (path, line, rule) so that the file diffs well.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzers/feedback/bank.hpp"

namespace vigil::feedback {

// The fingerprints in `<root>/.vigil/baseline.json`; an empty set when the file does not exist;
// nullopt with `error` when it exists but cannot be used (never silently ignored): a symlink out of
// the workspace, a FIFO or device, over 64 MiB, or not a baseline.
std::optional<std::set<std::string>> read_baseline(const std::string& root, std::string& error);
std::string baseline_path(const std::string& root);

// Writes the baseline (through a temporary file and a rename). False with `error`.
bool write_baseline(const std::string& path, std::vector<Bank::Seen> findings, std::string& error);

}  // namespace vigil::feedback
