// What `vigil --help`, `vigil <command> --help` and `vigil --version` print. The man page is
// generated from the same text at build time (cli/man.cmake), so the two cannot drift.
#pragma once

#include <string>

namespace vigil::cli {

// The overview of every command.
std::string usage();
// One command's help, or nullptr for an unknown command.
const char* command_help(const std::string& command);
// Version, built-in rule packs, grammar versions and build type.
std::string version_text();

}  // namespace vigil::cli
