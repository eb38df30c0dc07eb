#include "analyzers/workspace/boundary.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace vigil::workspace {

namespace fs = std::filesystem;

std::optional<std::string> resolve_inside(const std::string& root, const std::string& path, std::string& error) {
  if (root.empty()) {
    error = "no workspace root: start `vigil mcp` in the project (or pass --root DIR)";
    return std::nullopt;
  }
  if (path.empty()) {
    error = "the path is empty";
    return std::nullopt;
  }
  std::error_code ec;
  const fs::path real_root = fs::weakly_canonical(root, ec);
  if (ec) {
    error = "the workspace root " + root + " cannot be resolved: " + ec.message();
    return std::nullopt;
  }
  fs::path p(path);
  if (p.is_relative()) p = real_root / p;
  const fs::path resolved = fs::weakly_canonical(p, ec);  // follows symlinks of the parts that exist
  if (ec) {
    error = "`" + path + "` cannot be resolved: " + ec.message();
    return std::nullopt;
  }
  const auto rel = resolved.lexically_relative(real_root);
  if (rel.empty() || *rel.begin() == ".." || rel == ".") {
    error = "`" + path + "` is outside the workspace root " + real_root.string() +
            " (symlinks are followed): give a path inside the workspace, relative to its root";
    return std::nullopt;
  }
  return resolved.string();
}

std::optional<std::string> read_regular_file(const std::string& path, size_t max_bytes, std::string& error) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    error = "`" + path + "` does not exist";
    return std::nullopt;
  }
  if (!fs::is_regular_file(status)) {
    error = "`" + path + "` is not a regular file";
    return std::nullopt;
  }
  const auto size = fs::file_size(path, ec);
  if (ec || size > max_bytes) {
    error = "`" + path + "` is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(max_bytes) +
            ": check a part of it as `code`";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "`" + path + "` cannot be read";
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace vigil::workspace
