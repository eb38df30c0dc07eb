#include "analyzers/feedback/baseline.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vigil::feedback {
namespace fs = std::filesystem;
using nlohmann::json;

std::optional<std::set<std::string>> read_baseline(const std::string& path, std::string& error) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::set<std::string>{};
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot be read";
    return std::nullopt;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const json j = json::parse(buffer.str(), nullptr, false);
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
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << doc.dump(2) << '\n';
    if (!out.flush()) {
      error = "cannot write " + tmp;
      return false;
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    error = "cannot replace " + path + ": " + ec.message();
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

}  // namespace vigil::feedback
