// gitignore-style path patterns (`*`, `?`, `[...]`, `**`, leading `/` anchors, trailing `/` for
// directories, `!` negates), shared by .gitignore files and `.vigil/config.yaml` excludes so that
// the editor and CI skip the same files. Pure matching, no IO.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil::workspace {

// Glob match of a whole path with '/' as separator: `*` and `?` stay within a segment, `**`
// spans segments.
bool glob_match(std::string_view pattern, std::string_view path);

// True when `path` (relative, '/'-separated) matches one of `globs`; as in .gitignore, a glob without
// '/' matches the file name at any depth (`*_pb2.py`).
bool matches_any_glob(const std::vector<std::string>& globs, std::string_view path);

class IgnoreRules {
 public:
  // Adds the lines of an ignore file found in `base` (a path relative to the walk root, "" for it).
  void add_lines(std::string_view base, std::string_view text);
  void add_pattern(std::string_view base, std::string_view pattern);
  // `path` is relative to the walk root. The last matching pattern decides, as in git.
  bool ignored(std::string_view path, bool is_dir) const;

 private:
  struct Pattern {
    std::string base;
    std::string glob;
    bool negated = false;
    bool dir_only = false;
    bool anchored = false;  // contains a '/' before its end: matched against the path from base
  };
  std::vector<Pattern> patterns_;
};

}  // namespace vigil::workspace
