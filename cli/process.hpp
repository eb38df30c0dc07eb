// Running a command for the CLI (the generated tests' run commands): an argument list, no shell.
#pragma once

#include <string>
#include <vector>

namespace vigil::cli {

// Runs argv[0] (found on PATH unless it names a path) in `cwd`, with the terminal's stdin, stdout
// and stderr. Returns its exit code; -1 (with `error`) when it could not start.
int run_command(const std::vector<std::string>& argv, const std::string& cwd, std::string& error);

}  // namespace vigil::cli
