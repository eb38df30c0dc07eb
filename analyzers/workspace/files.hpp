// Finds the source files to check: explicit files as given, directories walked recursively,
// skipping what .gitignore files, the config's `exclude` and the usual vendored/generated
// directories exclude. The same filter serves the editor and CI.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzers/workspace/config.hpp"
#include "vigil/grammars/registry.hpp"

namespace vigil::workspace {

struct SourceFile {
  std::string path;          // absolute
  std::string display_path;  // relative to the current directory when below it
  const grammars::Language* language;
  bool named = false;  // named on the command line (not found by a walk): checked even if generated
};

// A file named explicitly that is not checked, and why.
struct SkippedFile {
  std::string display_path;
  std::string reason;
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
// With `languages`, the built-in rules for other languages are not loaded (a one-language
// `vigil check` does not pay for the other packs); project and named rules always are. With
// `languages_final` too, built-in rules get matchers for those languages alone (the run will see
// no other; the editor's set, which grows language by language, must not ask for it).
rules::LoadResult load_rules(const Project& project, const std::vector<std::string>& extra, bool builtin,
                             const std::set<const grammars::Language*>* languages = nullptr, bool languages_final = false);

// Directories never descended into unless named on the command line (ruff's defaults, roughly); a
// directory holding `pyvenv.cfg` (a virtual environment, whatever its name) is skipped too.
const std::vector<std::string>& default_excluded_dirs();

// Expands `paths` (files or directories) into source files, sorted and unique. Paths that do not
// exist are reported in `missing`; files named explicitly that no grammar reads, in `skipped`.
// A file without a known extension is read by its shebang (`#!/usr/bin/env python3`).
std::vector<SourceFile> discover(const Project& project, const std::vector<std::string>& paths,
                                 std::vector<std::string>& missing, std::vector<SkippedFile>* skipped = nullptr);

// The language a shebang line names (`#!/usr/bin/env python3`, `#!/usr/bin/node`), or nullptr.
const grammars::Language* language_of_shebang(std::string_view first_bytes);

// Why a walk skips this file's content as generated or minified (`*.min.js`, a `@generated` marker
// in the first lines, a bundle whose lines run to thousands of characters with a source map), or
// empty when it is source code.
std::string generated_reason(std::string_view path, const grammars::Language& language, std::string_view text);

// Whether `root_path` (relative to the project root) is test code by `settings.paths`.
bool is_test_code(const TestCodeSettings& settings, std::string_view root_path);

}  // namespace vigil::workspace
