#include "analyzers/workspace/boundary.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace vigil::workspace {

namespace fs = std::filesystem;

namespace {

bool inside(const fs::path& resolved, const fs::path& base) {
  const auto rel = resolved.lexically_relative(base);
  return !rel.empty() && *rel.begin() != "..";
}

std::string canonical_or_empty(const std::string& path) {
  if (path.empty()) return {};
  std::error_code ec;
  auto p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? std::string() : p.string();
}

}  // namespace

size_t size_cap(FileKind kind) {
  switch (kind) {
    case FileKind::config:
    case FileKind::ignore:
    case FileKind::rule: return 1u << 20;
    case FileKind::source: return 8u << 20;
  }
  return 1u << 20;
}

const char* to_string(FileKind kind) {
  switch (kind) {
    case FileKind::config: return "config file";
    case FileKind::ignore: return "ignore file";
    case FileKind::rule: return "rule file";
    case FileKind::source: return "source file";
  }
  return "file";
}

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
  // O_NONBLOCK: opening a FIFO with no writer would wait forever; a regular file ignores it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    error = "`" + path + "` " + (errno == ENOENT ? "does not exist" : "cannot be read: " + std::string(std::strerror(errno)));
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    error = "`" + path + "` is not a regular file (" +
            (S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISDIR(st.st_mode) ? "a directory" : S_ISSOCK(st.st_mode) ? "a socket" : "a device") +
            "): skipped";
    return std::nullopt;
  }
  if (static_cast<unsigned long long>(st.st_size) > max_bytes) {
    ::close(fd);
    error = "`" + path + "` is " + std::to_string(st.st_size) + " bytes, over the limit of " + std::to_string(max_bytes) +
            ": skipped";
    return std::nullopt;
  }
  std::string out;
  out.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  // Never more than the cap, even if the file grows while it is read.
  while (got < max_bytes) {
    if (got == out.size()) out.resize(std::min(max_bytes, out.size() + 4096));
    const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      error = "`" + path + "` cannot be read: " + std::strerror(e);
      return std::nullopt;
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(got);
  return out;
}

bool is_regular_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool vigil_dir_usable(const std::string& root, std::string& why) {
  if (root.empty()) return false;
  struct stat st {};
  const std::string dir = (fs::path(root) / ".vigil").string();
  if (::lstat(dir.c_str(), &st) != 0) return errno == ENOENT;
  if (S_ISDIR(st.st_mode)) return true;
  why = S_ISLNK(st.st_mode) ? dir + " is a symlink: Vigil neither reads its rules and config nor keeps its database there"
                            : dir + " is not a directory: ignored";
  return false;
}

bool replace_file(const std::string& path, const std::string& text, std::string& error) {
  struct stat st {};
  mode_t mode = 0;
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode)) {
      error = path + (S_ISLNK(st.st_mode) ? " is a symlink" : " is not a regular file") + ": not written";
      return false;
    }
    mode = st.st_mode & 07777;
  } else if (errno != ENOENT) {
    error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  std::string tmp = path + ".vigil-tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    error = "cannot create a temporary file beside " + path + ": " + std::strerror(errno);
    return false;
  }
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const bool ok = written == text.size() && ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    error = (ok ? "cannot replace " : "cannot write ") + path + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

Boundary::Boundary(std::string root, std::vector<std::string> named) : root_(canonical_or_empty(root)) {
  for (const auto& n : named) allow(n);
}

void Boundary::allow(const std::string& path) {
  if (auto c = canonical_or_empty(path); !c.empty()) named_.push_back(std::move(c));
}

bool Boundary::allowed(const std::string& resolved) const {
  const fs::path p(resolved);
  if (!root_.empty() && (p == fs::path(root_) || inside(p, root_))) return true;
  for (const auto& n : named_)
    if (p == fs::path(n) || inside(p, n)) return true;
  return false;
}

std::optional<std::string> Boundary::resolve(const std::string& path, std::string& error) const {
  if (path.empty()) {
    error = "the path is empty";
    return std::nullopt;
  }
  std::error_code ec;
  fs::path p(path);
  if (p.is_relative()) p = (root_.empty() ? fs::current_path(ec) : fs::path(root_)) / p;
  const fs::path resolved = fs::weakly_canonical(p, ec);  // follows every symlink of the parts that exist
  if (ec) {
    error = "`" + path + "` cannot be resolved: " + ec.message();
    return std::nullopt;
  }
  if (!allowed(resolved.string())) {
    error = "`" + path + "` is outside the workspace" + (root_.empty() ? std::string() : " (" + root_ + ")") +
            (resolved != p.lexically_normal() ? ", through a symlink to " + resolved.string() : std::string()) +
            ": refused (name it on the command line or in your own settings to read it)";
    return std::nullopt;
  }
  return resolved.string();
}

std::optional<std::string> Boundary::read(const std::string& path, FileKind kind, std::string& error) const {
  auto resolved = resolve(path, error);
  if (!resolved) return std::nullopt;
  auto text = read_regular_file(*resolved, size_cap(kind), error);
  if (!text) error = std::string(to_string(kind)) + " " + error;
  return text;
}

}  // namespace vigil::workspace
