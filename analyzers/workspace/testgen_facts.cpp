#include "analyzers/workspace/testgen_facts.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace vigil::workspace {
namespace fs = std::filesystem;

std::optional<std::string> read_inside(const std::string& root, const std::string& relative) {
  std::error_code ec;
  const fs::path base = fs::weakly_canonical(root, ec);
  if (ec) return std::nullopt;
  const fs::path target = fs::weakly_canonical(base / relative, ec);
  if (ec) return std::nullopt;
  const auto rel = target.lexically_relative(base);
  if (rel.empty() || rel.begin()->string() == "..") return std::nullopt;
  if (!fs::is_regular_file(target, ec) || fs::file_size(target, ec) > (4u << 20)) return std::nullopt;
  std::ifstream in(target, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

testgen::ProjectFacts testgen_facts(const std::string& root, const std::string& source) {
  testgen::ProjectFacts facts;
  for (const auto& name : testgen::fact_files())
    if (auto content = read_inside(root, name)) facts.files[name] = std::move(*content);
  std::error_code ec;
  for (const auto& dir : testgen::fact_dirs())
    if (fs::is_directory(fs::path(root) / dir, ec)) facts.dirs.push_back(dir);
  // Python packages along the source's directory.
  fs::path dir = fs::path(source).parent_path();
  while (!dir.empty()) {
    if (read_inside(root, (dir / "__init__.py").generic_string())) facts.python_packages.push_back(dir.generic_string());
    else break;
    dir = dir.parent_path();
  }
  return facts;
}

}  // namespace vigil::workspace
