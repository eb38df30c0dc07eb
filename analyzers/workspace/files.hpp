// Finds the source files to check: explicit files as given, directories walked recursively,
// skipping what .gitignore files, the config's `exclude` and the usual vendored/generated
// directories exclude. The same filter serves the editor and CI.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzers/workspace/config.hpp"
#include "vigil/grammars/registry.hpp"

namespace vigil::workspace {

struct SourceFile {
  std::string path;          // absolute
  std::string display_path;  // relative to the current directory when below it
  const grammars::Language* language;
};

struct Project {
  std::string root;  // absolute; nearest ancestor of the start directory with .vigil/ or .git, else the start
  ProjectConfig config;
  std::vector<rules::Problem> problems;  // from .vigil/config.yaml
};

// The user's own settings file: $XDG_CONFIG_HOME/vigil/config.yaml, else ~/.config/vigil/config.yaml.
std::string user_config_path();
// That file as a user layer (problems carry its line:col); none when there is no such file.
std::optional<ConfigLayer> user_config_layer(std::vector<rules::Problem>& problems);

// Finds the project around `start` (a directory) and reads its config: the user's settings file,
// then the project's `.vigil/config.yaml` (which wins, except for what only users may set).
Project open_project(const std::string& start);

// Every rule a run uses, in override order (a later rule replaces an earlier one with the same id):
// the built-in packs unless `builtin` is false or the config says so, the config's `rules:` and
// `<root>/.vigil/rules/`, then `extra` (the command line's --rules). The editor and CI both load
// rules through here. An empty root means no project.
rules::LoadResult load_rules(const Project& project, const std::vector<std::string>& extra, bool builtin);

// Directories never descended into unless named on the command line.
const std::vector<std::string>& default_excluded_dirs();

// Expands `paths` (files or directories) into source files, sorted and unique. Paths that do not
// exist are reported in `missing`.
std::vector<SourceFile> discover(const Project& project, const std::vector<std::string>& paths,
                                 std::vector<std::string>& missing);

}  // namespace vigil::workspace
