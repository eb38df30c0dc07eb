// A key lookup in a const YAML mapping, without yaml-cpp's cost for a missing key.
#pragma once

#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace vigil::match {

// `map[key]` for a const node. yaml-cpp's const operator[] builds a std::stringstream for every key
// it does not find (to name the key in an InvalidNode error, should the result be used): about
// 10,000 instructions a miss, and a rule object is asked for every key it may have. Same result:
// the value when `map` is a mapping that holds `key`, else an invalid node (as operator[] returns
// for a missing key; only the key it would name in an error differs), and operator[]'s own
// behaviour for anything but a mapping.
inline YAML::Node yaml_get(const YAML::Node& map, std::string_view key) {
  if (!map.IsMap()) return map[std::string(key)];
  for (const auto& kv : map)
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.second;
  static const YAML::Node empty(YAML::NodeType::Map);
  static const YAML::Node missing = empty["(a missing key)"];
  return missing;
}

}  // namespace vigil::match
