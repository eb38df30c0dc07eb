// What security-test generation needs to know about a project, read through the workspace
// boundary: the files that name a test framework, the test directories, Python package markers,
// and an existing test file (to extend it).
#pragma once

#include <optional>
#include <string>

#include "analyzers/testgen/testgen.hpp"

namespace vigil::workspace {

// `source` is relative to `root`. Reads only regular files inside the root, each capped in size.
testgen::ProjectFacts testgen_facts(const std::string& root, const std::string& source);

// The content of `relative` under `root`, if it is a regular file inside the root (symlinks
// resolved) and under 4 MiB.
std::optional<std::string> read_inside(const std::string& root, const std::string& relative);

}  // namespace vigil::workspace
