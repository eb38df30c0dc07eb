// The workspace boundary for paths that come from outside (an agent's tool call): resolved with
// symlinks followed, kept inside the root, regular files only, size-capped. Errors are sentences
// the caller can act on.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace vigil::workspace {

// `path` (absolute, or relative to `root`) resolved through symlinks (the parts that exist), if it
// lies inside `root` (itself resolved); nullopt with `error` otherwise.
std::optional<std::string> resolve_inside(const std::string& root, const std::string& path, std::string& error);

// The content of a regular file of at most `max_bytes` bytes; nullopt with `error` otherwise
// (missing, a directory or device, too large, unreadable).
std::optional<std::string> read_regular_file(const std::string& path, size_t max_bytes, std::string& error);

}  // namespace vigil::workspace
