#include "analyzers/workspace/config.hpp"

#include <yaml-cpp/yaml.h>

namespace vigil::workspace {
namespace {

rules::Problem problem(rules::Problem::Level level, std::string_view path, const YAML::Mark& m, std::string msg) {
  return {level, std::string(path), static_cast<uint32_t>(std::max(m.line, 0) + 1),
          static_cast<uint32_t>(std::max(m.column, 0) + 1), std::move(msg), {}};
}

void string_list(std::string_view path, const YAML::Node& n, const char* key, std::vector<std::string>& out,
                 std::vector<rules::Problem>& problems) {
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
    return;
  }
  if (!n.IsSequence()) {
    problems.push_back(problem(rules::Problem::Level::error, path, n.Mark(), std::string("`") + key + "` must be a list of strings"));
    return;
  }
  for (const auto& item : n) {
    if (item.IsScalar()) out.push_back(item.Scalar());
    else problems.push_back(problem(rules::Problem::Level::error, path, item.Mark(), std::string("`") + key + "` items must be strings"));
  }
}

}  // namespace

ProjectConfig parse_config(std::string_view path, std::string_view text, std::vector<rules::Problem>& problems) {
  ProjectConfig config;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    problems.push_back(problem(rules::Problem::Level::error, path, e.mark, "invalid YAML: " + e.msg));
    return config;
  }
  if (root.IsNull()) return config;
  if (!root.IsMap()) {
    problems.push_back(problem(rules::Problem::Level::error, path, root.Mark(), "the config must be a mapping"));
    return config;
  }
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>("");
    const YAML::Node& value = kv.second;
    if (key == "exclude") {
      string_list(path, value, "exclude", config.exclude, problems);
    } else if (key == "rules") {
      string_list(path, value, "rules", config.rule_paths, problems);
    } else if (key == "builtin") {
      bool b = true;
      if (value.IsScalar() && YAML::convert<bool>::decode(value, b)) config.builtin_rules = b;
      else problems.push_back(problem(rules::Problem::Level::error, path, value.Mark(), "`builtin` must be true or false"));
    } else {
      problems.push_back(problem(rules::Problem::Level::warning, path, kv.first.Mark(),
                                 "unknown key `" + key + "` ignored (known: exclude, rules, builtin)"));
    }
  }
  return config;
}

}  // namespace vigil::workspace
