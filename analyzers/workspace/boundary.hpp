// The workspace boundary: every file Vigil reads on behalf of a workspace goes through here. Paths
// are resolved with symlinks followed and must end inside the workspace root, or inside a path the
// user named (command line, the user's own settings); only regular files are read (a FIFO, device
// or socket is refused without blocking), each kind of file with its size cap. Errors are sentences
// the caller can act on; they never quote the file's content.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace vigil::workspace {

enum class FileKind { config, ignore, rule, source };
// config, ignore and rule files: 1 MiB; source files: 8 MiB (the document cap, as in the editor).
size_t size_cap(FileKind kind);
const char* to_string(FileKind kind);

// `path` (absolute, or relative to `root`) resolved through symlinks (the parts that exist), if it
// lies inside `root` (itself resolved); nullopt with `error` otherwise.
std::optional<std::string> resolve_inside(const std::string& root, const std::string& path, std::string& error);

// The content of a regular file of at most `max_bytes` bytes; nullopt with `error` otherwise
// (missing, a directory, FIFO or device, too large, unreadable). Opened with O_NONBLOCK, so a FIFO
// never blocks the caller, and checked with fstat on the open descriptor (no race with a swap).
std::optional<std::string> read_regular_file(const std::string& path, size_t max_bytes, std::string& error);

// Whether `path` is a regular file (following symlinks), without opening it.
bool is_regular_file(const std::string& path);

// Whether `<root>/.vigil` may be used: absent or a real directory. A symlink (or anything else)
// is refused with `why`: the database and rules must never be read or written where it points.
bool vigil_dir_usable(const std::string& root, std::string& why);

// Replaces (or creates) `path` with `text`: a fresh temporary file beside it (mkstemp: O_EXCL, an
// unpredictable name, so a link planted at a known name is never followed), fsync, rename. A failed
// write leaves the old file as it was; its permissions are kept (a new file gets 0644 less umask).
// `path` must be a regular file or absent: a symlink, FIFO or directory there is refused.
bool replace_file(const std::string& path, const std::string& text, std::string& error);

class Boundary {
 public:
  // An empty root confines nothing but `named` (no workspace: only what the user named).
  explicit Boundary(std::string root, std::vector<std::string> named = {});

  const std::string& root() const { return root_; }
  // Adds a path the user named (a file or directory): it and what lies below it may be read.
  void allow(const std::string& path);

  // `path` (absolute, or relative to the root) with symlinks resolved, when it lies inside the
  // root or a named path; nullopt with `error` ("... is outside the workspace ...") otherwise.
  std::optional<std::string> resolve(const std::string& path, std::string& error) const;
  // resolve + read_regular_file with the kind's cap.
  std::optional<std::string> read(const std::string& path, FileKind kind, std::string& error) const;

 private:
  bool allowed(const std::string& resolved) const;
  std::string root_;                // resolved
  std::vector<std::string> named_;  // resolved
};

}  // namespace vigil::workspace
