#include "analyzers/workspace/files.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <filesystem>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>

#include <spdlog/spdlog.h>

#include "analyzers/rules/sources.hpp"
#include "analyzers/workspace/boundary.hpp"
#include "analyzers/workspace/ignore.hpp"

namespace vigil::workspace {
namespace fs = std::filesystem;

namespace {

// An ignore file of the workspace, through the boundary; a missing one is empty, anything else
// that cannot be read (a FIFO, a device, a link outside, too large) is skipped with a notice.
std::string read_ignore_file(const Boundary& boundary, const fs::path& p) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(p, ec))) return {};
  std::string error;
  auto text = boundary.read(p.string(), FileKind::ignore, error);
  if (!text) spdlog::warn("{}", error);
  return text.value_or(std::string());
}

std::string relative_or_empty(const fs::path& path, const fs::path& base) {
  auto rel = path.lexically_relative(base);
  if (rel.empty() || *rel.begin() == "..") return {};
  return rel == "." ? std::string() : rel.generic_string();
}

std::string display(const fs::path& abs) {
  std::error_code ec;
  auto rel = relative_or_empty(abs, fs::current_path(ec));
  return rel.empty() ? abs.string() : rel;
}

class Walker {
 public:
  Walker(const Project& project, std::vector<SourceFile>& out, std::vector<SkippedFile>* skipped)
      : out_(out), skipped_(skipped), boundary_(project.root) {
    root_ = fs::path(project.root);
    for (const auto& pattern : project.config.exclude) ignore_.add_pattern("", pattern);
    for (const auto& d : default_excluded_dirs()) ignore_.add_pattern("", d + "/");
    ignore_.add_lines("", read_ignore_file(boundary_, root_ / ".gitignore"));
    ignore_.add_lines("", read_ignore_file(boundary_, root_ / ".git" / "info" / "exclude"));
    loaded_.insert("");
  }

  void walk(const fs::path& dir) {
    // No repository nests this deep; a hostile one can (thousands of levels, past PATH_MAX), and
    // the work per directory grows with its depth (ignore rules per level, relative paths).
    if (depth_ > kMaxDepth) {
      if (skipped_) skipped_->push_back({display(dir), "more than " + std::to_string(kMaxDepth) + " directories deep: not walked"});
      return;
    }
    std::error_code venv_ec;
    if (fs::exists(dir / "pyvenv.cfg", venv_ec)) return;  // a virtual environment, whatever its name
    const std::string rel = relative_or_empty(dir, root_);
    load_ignores_down_to(dir, rel);
    std::vector<fs::directory_entry> entries;
    std::error_code ec;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) entries.push_back(*it);
    if (ec) {
      // Unreadable, or a path past PATH_MAX: said, never missed in silence, and the walk goes on.
      if (skipped_) skipped_->push_back({display(dir), "cannot read the directory: " + ec.message()});
      if (entries.empty()) return;
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path() < b.path(); });
    for (const auto& e : entries) {
      if (e.is_symlink(ec)) continue;  // never follow links out of the tree
      const std::string child = rel.empty() ? e.path().filename().string() : rel + "/" + e.path().filename().string();
      const bool is_dir = e.is_directory(ec);
      if (inside_root(dir) && ignore_.ignored(child, is_dir)) continue;
      if (is_dir) {
        ++depth_;
        walk(e.path());
        --depth_;
      }
      else if (e.is_regular_file(ec)) add(e.path());
    }
  }

  // A file found by the walk: by extension, or by shebang when it has none.
  void add(const fs::path& file) {
    if (const auto* lang = language_of(file)) out_.push_back({file.string(), display(file), lang, false});
  }

  // A file named on the command line: checked whatever the ignore files say; said to be skipped
  // when no grammar reads it.
  void add_named(const fs::path& file, std::vector<SkippedFile>* skipped) {
    if (const auto* lang = language_of(file)) out_.push_back({file.string(), display(file), lang, true});
    else if (skipped) {
      const auto ext = file.extension().string();
      skipped->push_back({display(file), ext.empty() ? "no file extension or shebang Vigil knows"
                                                     : "no grammar for `" + ext + "` files"});
    }
  }

 private:
  bool inside_root(const fs::path& dir) const {
    return dir == root_ || !relative_or_empty(dir, root_).empty();
  }

  // .gitignore files apply to their directory and below; load every one between the root and `dir`.
  void load_ignores_down_to(const fs::path& dir, const std::string& rel) {
    if (!inside_root(dir) || rel.empty()) return;
    std::string prefix;
    for (const auto& part : fs::path(rel)) {
      prefix = prefix.empty() ? part.string() : prefix + "/" + part.string();
      if (loaded_.insert(prefix).second) {
        ignore_.add_lines(prefix, read_ignore_file(boundary_, root_ / prefix / ".gitignore"));
      }
    }
  }

  static const grammars::Language* language_of(const fs::path& file) {
    if (const auto* lang = grammars::by_path(file.string())) return lang;
    if (file.has_extension() && file.filename().string().front() != '.') return nullptr;
    // The first bytes only, without blocking on a FIFO; not a regular file: no language.
    const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat st {};
    char head[128] = {};
    ssize_t n = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? ::read(fd, head, sizeof head) : -1;
    ::close(fd);
    return n > 0 ? language_of_shebang(std::string_view(head, static_cast<size_t>(n))) : nullptr;
  }

  std::vector<SourceFile>& out_;
  std::vector<SkippedFile>* skipped_;
  static constexpr unsigned kMaxDepth = 256;
  unsigned depth_ = 0;  // below the directory walk() was first called on
  fs::path root_;
  Boundary boundary_;
  IgnoreRules ignore_;
  std::set<std::string> loaded_;
};

}  // namespace

rules::LoadResult load_rules(const Project& project, const std::vector<std::string>& extra, bool builtin,
                             const std::set<const grammars::Language*>* languages, bool languages_final) {
  rules::LoadResult loaded;
  if (builtin && project.config.builtin_rules)
    rules::merge(loaded, rules::load_builtin_rules(languages, languages_final && languages));
  // What the workspace names stays inside it; what the user named (--rules, their own settings) may
  // lie anywhere.
  Boundary workspace_only(project.root);
  Boundary named(project.root);
  // A rule file the user named brings the shared util rules of its pack (`utils/` beside it).
  auto allow_named = [](Boundary& boundary, const std::string& path) {
    boundary.allow(path);
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) boundary.allow((fs::path(path).parent_path() / "utils").string());
  };
  for (const auto& p : extra) allow_named(named, p);
  if (!project.root.empty()) {
    Boundary config_paths(project.root);
    for (const auto& p : project.config.rule_paths) {
      const std::string path = (fs::path(project.root) / p).string();
      if (project.config.rule_paths_from_user) allow_named(config_paths, path);
      rules::merge(loaded, rules::load_rule_path(path, &config_paths));
    }
    const auto dir = fs::path(project.root) / ".vigil" / "rules";
    std::error_code ec;
    std::string why;
    if (vigil_dir_usable(project.root, why) && fs::exists(fs::symlink_status(dir, ec)))
      rules::merge(loaded, rules::load_rule_path(dir.string(), &workspace_only));
    else if (!why.empty())
      loaded.problems.push_back({rules::Problem::Level::warning, (fs::path(project.root) / ".vigil").string(), 1, 1, why, {}});
  }
  for (const auto& p : extra) rules::merge(loaded, rules::load_rule_path(p, &named));
  return loaded;
}

const std::vector<std::string>& default_excluded_dirs() {
  static const std::vector<std::string> dirs = {".git", ".hg", ".svn", ".vigil", "node_modules", ".venv", "venv",
                                                "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
                                                ".ruff_cache", ".eggs", "__pypackages__", "vendor", "site-packages",
                                                "dist", "build", "buck-out"};
  return dirs;
}

std::string user_config_path() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) return (fs::path(xdg) / "vigil" / "config.yaml").string();
  if (const char* home = std::getenv("HOME"); home && *home) return (fs::path(home) / ".config" / "vigil" / "config.yaml").string();
  return {};
}

std::optional<ConfigLayer> user_config_layer(std::vector<rules::Problem>& problems) {
  const std::string path = user_config_path();
  std::error_code ec;
  if (path.empty() || !fs::is_regular_file(path, ec)) return std::nullopt;
  std::string error;
  auto text = read_regular_file(path, size_cap(FileKind::config), error);  // the user's own: anywhere, but a regular file
  if (!text) {
    problems.push_back({rules::Problem::Level::warning, path, 1, 1, error, {}});
    return std::nullopt;
  }
  auto layer = config_layer_from_yaml(path, *text, problems);
  layer.user = true;
  return layer;
}

Project open_project(const std::string& start) {
  Project project;
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();
  project.root = dir.string();
  for (fs::path p = dir;; p = p.parent_path()) {
    if (fs::is_directory(p / ".vigil", ec) || fs::exists(p / ".git", ec)) {
      project.root = p.string();
      break;
    }
    if (p == p.root_path() || p.parent_path() == p) break;
  }
  auto config = fs::path(project.root) / ".vigil" / "config.yaml";
  std::vector<ConfigLayer> layers;
  if (auto user = user_config_layer(project.problems)) layers.push_back(std::move(*user));
  std::string why;
  if (!vigil_dir_usable(project.root, why)) {
    if (!why.empty()) project.problems.push_back({rules::Problem::Level::warning, (fs::path(project.root) / ".vigil").string(), 1, 1, why, {}});
  } else if (fs::exists(fs::symlink_status(config, ec))) {
    std::string error;
    if (auto text = Boundary(project.root).read(config.string(), FileKind::config, error))
      layers.push_back(config_layer_from_yaml(config.string(), *text, project.problems));
    else
      project.problems.push_back({rules::Problem::Level::warning, config.string(), 1, 1, error, {}});
  }
  project.config = merge_config(layers, project.root);
  return project;
}

const grammars::Language* language_of_shebang(std::string_view head) {
  if (!head.starts_with("#!")) return nullptr;
  std::string_view line = head.substr(2, head.find('\n') == std::string_view::npos ? std::string_view::npos : head.find('\n') - 2);
  // The interpreter: the program's base name, or with /usr/bin/env the first argument that is not
  // an option (`env -S node --flag`).
  std::vector<std::string_view> words;
  for (size_t i = 0; i < line.size();) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) words.push_back(line.substr(i, j - i));
    i = j;
  }
  auto base = [](std::string_view w) { return w.substr(w.rfind('/') == std::string_view::npos ? 0 : w.rfind('/') + 1); };
  std::string_view program;
  for (size_t i = 0; i < words.size(); ++i) {
    const auto b = base(words[i]);
    if (i == 0 && b == "env") continue;
    if (i > 0 && base(words[0]) == "env" && (words[i].starts_with("-") || words[i].find('=') != std::string_view::npos)) continue;
    program = b;
    break;
  }
  if (program.starts_with("python") || program == "pypy" || program == "pypy3") return grammars::by_name("python");
  if (program == "node" || program == "nodejs" || program == "bun" || program == "deno" || program == "zx")
    return grammars::by_name("javascript");
  if (program == "ts-node" || program == "tsx") return grammars::by_name("typescript");
  return nullptr;
}

std::string generated_reason(std::string_view path, const grammars::Language& language, std::string_view text) {
  if (language.id != "javascript" && language.id != "typescript" && language.id != "tsx") return {};
  if (path.ends_with(".min.js") || path.ends_with(".min.mjs") || path.ends_with(".min.cjs")) return "minified (.min.js)";
  // A generated-file marker near the top (protoc, GraphQL codegen, Facebook's @generated).
  const std::string_view head = text.substr(0, 2048);
  if (head.find("@generated") != std::string_view::npos || head.find("DO NOT EDIT") != std::string_view::npos)
    return "generated (marked @generated or DO NOT EDIT)";
  // Minified or bundled: very long lines. Source code wraps at a few hundred characters.
  size_t longest = 0, lines = 0;
  for (size_t i = 0; i < text.size();) {
    size_t nl = text.find('\n', i);
    if (nl == std::string_view::npos) nl = text.size();
    longest = std::max(longest, nl - i);
    ++lines;
    i = nl + 1;
  }
  const bool source_map = text.find("//# sourceMappingURL=") != std::string_view::npos;
  if (longest >= 5000 || (source_map && longest >= 1000) || (text.size() >= 2000 && text.size() / std::max<size_t>(lines, 1) >= 300))
    return source_map ? "bundled (source-mapped, minified lines)" : "minified (lines of " + std::to_string(longest) + " characters)";
  return {};
}

bool is_test_code(const TestCodeSettings& settings, std::string_view root_path) {
  if (settings.paths.empty()) return false;
  IgnoreRules rules;
  for (const auto& p : settings.paths) rules.add_pattern("", p);
  // A directory pattern (`tests/`) covers everything below it, as in .gitignore.
  for (size_t slash = root_path.find('/'); slash != std::string_view::npos; slash = root_path.find('/', slash + 1))
    if (rules.ignored(root_path.substr(0, slash), true)) return true;
  return rules.ignored(root_path, false);
}

std::vector<SourceFile> discover(const Project& project, const std::vector<std::string>& paths,
                                 std::vector<std::string>& missing, std::vector<SkippedFile>* skipped) {
  std::vector<SourceFile> out;
  Walker walker(project, out, skipped);
  for (const auto& p : paths) {
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec).lexically_normal();
    if (!abs.has_filename()) abs = abs.parent_path();
    if (fs::is_directory(abs, ec)) walker.walk(abs);
    else if (fs::is_regular_file(abs, ec)) walker.add_named(abs, skipped);  // named explicitly: always checked
    else missing.push_back(p);
  }
  std::sort(out.begin(), out.end(), [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
  out.erase(std::unique(out.begin(), out.end(), [](const SourceFile& a, const SourceFile& b) { return a.path == b.path; }),
            out.end());
  return out;
}

}  // namespace vigil::workspace
