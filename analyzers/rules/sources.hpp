// Where rules come from: the built-in packs embedded in the binary, and rule files or directories
// on disk. This is the rules room's IO; the loader itself only parses text.
#pragma once

#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/rules/loader.hpp"
#include "analyzers/workspace/boundary.hpp"
#include "vigil/grammars/registry.hpp"

namespace vigil::rules {

// A file of a rule pack: a rule (.yaml/.yml) or its fixture, by path relative to the pack root.
struct PackFile {
  std::string path;
  std::string content;
};

// The built-in packs (analyzers/rules/<lang>/*), embedded at build time.
std::span<const PackFile> builtin_pack();
// Loads every built-in rule, or with `only`, the rules for those languages (a file whose languages
// cannot be read from its `language:` line is loaded anyway). Paths read "builtin:<lang>/<id>.yaml".
// With `compile_only_these` too, a rule written for several languages gets matchers for those of
// `only` alone (for a run that sees no other language; not for a set that grows language by language).
LoadResult load_builtin_rules(const std::set<const grammars::Language*>* only = nullptr, bool compile_only_these = false);

// Reads a rule file, or every *.yaml / *.yml under a directory (recursively, sorted), and loads it.
// A path that cannot be read is an error problem on that path. With a `boundary`, the path and
// every file below it (symlinks followed) must lie inside it: others are refused with a warning.
// Only regular files are read, each up to the rule-file cap.
LoadResult load_rule_path(const std::string& path, const workspace::Boundary* boundary = nullptr);
// Reads a directory of rules and fixtures as a pack (same shape as builtin_pack()); with
// `rule_files_only`, only the YAML files.
std::vector<PackFile> read_pack(const std::string& dir, std::vector<Problem>& problems,
                                const workspace::Boundary* boundary = nullptr, bool rule_files_only = false);

// A rule file: .yaml/.yml, not a util rule file (those live in `utils/` directories).
bool is_rule_file(std::string_view path);
// The util rules of a pack (its `utils/*.yml` files).
std::shared_ptr<const match::GlobalUtils> pack_utils(const std::vector<PackFile>& pack, std::vector<Problem>& problems);

// Appends `more` to `into`.
void merge(LoadResult& into, LoadResult&& more);

}  // namespace vigil::rules
