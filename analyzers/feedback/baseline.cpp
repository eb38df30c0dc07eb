#include "analyzers/feedback/baseline.hpp"
#include "analyzers/workspace/boundary.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

#include "analyzers/json_input.hpp"

namespace vigil::feedback {
namespace fs = std::filesystem;
using nlohmann::json;

std::string baseline_path(const std::string& root) { return (fs::path(root) / ".vigil" / "baseline.json").string(); }

std::optional<std::set<std::string>> read_baseline(const std::string& root, std::string& error) {
  const std::string path = baseline_path(root);
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) return std::set<std::string>{};
  if (!workspace::vigil_dir_usable(root, error)) return std::nullopt;
  // One baseline line per finding: 64 MiB holds hundreds of thousands.
  constexpr size_t kMaxBaselineBytes = size_t{64} << 20;
  const auto resolved = workspace::resolve_inside(root, path, error);
  const auto text = resolved ? workspace::read_regular_file(*resolved, kMaxBaselineBytes, error) : std::nullopt;
  if (!text) return std::nullopt;
  const json j = json_input::parse_or_discard(*text);  // a committed file: bounded
  if (j.is_discarded() || !j.is_object() || !j.contains("findings") || !j["findings"].is_array()) {
    error = path + ": not a Vigil baseline (expected {\"version\": 1, \"findings\": [...]}); write it again with `vigil feedback baseline`";
    return std::nullopt;
  }
  if (j.value("version", 0) != 1) {
    error = path + ": baseline version " + j.value("version", json(0)).dump() + " is not one this Vigil reads (1)";
    return std::nullopt;
  }
  std::set<std::string> out;
  for (const auto& f : j["findings"])
    if (f.is_object() && f.contains("fingerprint") && f["fingerprint"].is_string()) out.insert(f["fingerprint"].get<std::string>());
  return out;
}

bool write_baseline(const std::string& path, std::vector<Bank::Seen> findings, std::string& error) {
  std::sort(findings.begin(), findings.end(), [](const Bank::Seen& a, const Bank::Seen& b) {
    return std::tie(a.path, a.line, a.rule_id, a.fingerprint) < std::tie(b.path, b.line, b.rule_id, b.fingerprint);
  });
  json list = json::array();
  std::set<std::string> done;
  for (const auto& f : findings)
    if (done.insert(f.fingerprint).second)
      list.push_back({{"fingerprint", f.fingerprint}, {"ruleId", f.rule_id}, {"path", f.path}, {"line", f.line}});
  const json doc = {{"version", 1}, {"tool", "vigil"}, {"findings", std::move(list)}};
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  return workspace::replace_file(path, doc.dump(2) + "\n", error);
}

}  // namespace vigil::feedback
