#include "analyzers/report/merge.hpp"
#include "analyzers/json_input.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

namespace vigil::report {
namespace {

using nlohmann::json;

std::string location_uri(const json& artifact_location) {
  return artifact_location.value("uriBaseId", "") + "\n" + artifact_location.value("uri", "");
}

// Every artifactLocation with an index inside `value` (locations, code flows, fixes) gets the index
// of its URI in the new artifact list.
void reindex(json& value, const std::map<std::string, size_t>& index_of) {
  if (value.is_object()) {
    if (auto it = value.find("artifactLocation"); it != value.end() && it->is_object() && it->contains("index"))
      if (auto at = index_of.find(location_uri(*it)); at != index_of.end()) (*it)["index"] = at->second;
    for (auto& [key, child] : value.items()) reindex(child, index_of);
  } else if (value.is_array()) {
    for (auto& child : value) reindex(child, index_of);
  }
}

json first_region(const json& result) {
  const json locations = result.value("locations", json::array());
  if (locations.empty()) return json::object();
  return locations[0].value("physicalLocation", json::object()).value("region", json::object());
}

std::string first_uri(const json& result) {
  const json locations = result.value("locations", json::array());
  if (locations.empty()) return {};
  return location_uri(locations[0].value("physicalLocation", json::object()).value("artifactLocation", json::object()));
}

int severity_rank(const std::string& s) {
  static const std::map<std::string, int> ranks = {{"error", 0}, {"warning", 1}, {"info", 2}, {"hint", 3}};
  auto it = ranks.find(s);
  return it == ranks.end() ? 4 : it->second;
}

// "vigil/shard-2-of-4/" -> "vigil/": the category of the whole run.
std::string unsharded_id(const std::string& id) {
  const auto at = id.find("shard-");
  if (at == std::string::npos || (at > 0 && id[at - 1] != '/')) return id;
  return id.substr(0, at);
}

std::optional<std::string> merge_sarif(std::vector<json>& logs, std::string& error) {
  json merged = logs.front();
  auto& run = merged["runs"][0];
  json artifacts = json::array(), results = json::array(), rules = json::array();
  std::map<std::string, size_t> rule_index;
  std::set<std::string> artifact_seen;
  for (auto& log : logs) {
    if (!log.contains("runs") || !log["runs"].is_array() || log["runs"].size() != 1) {
      error = "a SARIF part must hold exactly one run (as `vigil check --format sarif` writes)";
      return std::nullopt;
    }
    auto& part = log["runs"][0];
    // The part's rule list may differ (a part run with other rules): results point into the union.
    std::vector<size_t> remap;
    const json part_rules = part["tool"]["driver"].value("rules", json::array());
    for (const auto& rule : part_rules) {
      const std::string id = rule.value("id", "");
      auto [it, inserted] = rule_index.emplace(id, rules.size());
      if (inserted) rules.push_back(rule);
      remap.push_back(it->second);
    }
    const auto part_artifacts = part.value("artifacts", json::array());
    for (const auto& a : part_artifacts)
      if (artifact_seen.insert(location_uri(a.value("location", json::object()))).second) artifacts.push_back(a);
    const json part_results = part.value("results", json::array());
    for (auto result : part_results) {
      if (result.contains("ruleIndex") && result["ruleIndex"].is_number_unsigned() && result["ruleIndex"].get<size_t>() < remap.size())
        result["ruleIndex"] = remap[result["ruleIndex"].get<size_t>()];
      results.push_back(std::move(result));
    }
  }
  run["tool"]["driver"]["rules"] = rules;
  run["artifacts"] = artifacts;
  run["results"] = results;
  if (run.contains("automationDetails") && run["automationDetails"].contains("id"))
    run["automationDetails"]["id"] = unsharded_id(run["automationDetails"].value("id", ""));
  sort_sarif_run(run);
  return merged.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::optional<std::string> merge_json(std::vector<json>& reports, std::string& error) {
  json findings = json::array();
  bool all_summaries = true;
  for (auto& r : reports) {
    if (!r.contains("findings") || !r["findings"].is_array()) {
      error = "a JSON part has no `findings` list (is it a `vigil check --format json` report?)";
      return std::nullopt;
    }
    for (auto& f : r["findings"]) findings.push_back(std::move(f));
    all_summaries = all_summaries && r.contains("summary") && r["summary"].is_object();
  }
  auto key = [](const json& f) {
    const json s = f.value("start", json::object());
    const json e = f.value("end", json::object());
    return std::make_tuple(f.value("path", ""), s.value("line", 0), s.value("column", 0), e.value("line", 0), e.value("column", 0),
                           f.value("rule", ""), f.value("message", ""));
  };
  std::stable_sort(findings.begin(), findings.end(), [&](const json& a, const json& b) { return key(a) < key(b); });

  std::ostringstream out;
  out << "{\n  \"version\": 1,\n  \"findings\": [";
  for (size_t i = 0; i < findings.size(); ++i) out << (i ? ",\n" : "\n") << json_indented(findings[i], 2);
  out << (findings.empty() ? "]" : "\n  ]");
  if (all_summaries) {
    // Added up: the parts checked disjoint files with the same rules.
    json summary = reports.front()["summary"];
    size_t files_checked = 0, files_with = 0, fixable = 0, fixable_unsafe = 0, rules = 0;
    json by_severity = json::object();
    for (const auto* sev : {"error", "warning", "info", "hint"}) by_severity[sev] = 0;
    std::map<std::pair<std::string, std::string>, size_t> by_rule;
    json skipped = json::array();
    for (const auto& r : reports) {
      const auto& s = r["summary"];
      files_checked += s.value("filesChecked", size_t{0});
      files_with += s.value("filesWithFindings", size_t{0});
      fixable += s.value("fixable", size_t{0});
      fixable_unsafe += s.value("fixableUnsafe", size_t{0});
      rules = std::max(rules, s.value("rules", size_t{0}));
      const json severities = s.value("bySeverity", json::object()), rows = s.value("byRule", json::array()),
                 skips = s.value("skipped", json::array());
      for (const auto& [sev, n] : severities.items())
        if (n.is_number_unsigned()) by_severity[sev] = by_severity.value(sev, size_t{0}) + n.get<size_t>();
      for (const auto& row : rows) by_rule[{row.value("rule", ""), row.value("severity", "")}] += row.value("count", size_t{0});
      for (const auto& sk : skips) skipped.push_back(sk);
    }
    std::vector<std::tuple<int, long, std::string, std::string>> rows;  // most severe, most frequent, by id
    for (const auto& [k, n] : by_rule) rows.emplace_back(severity_rank(k.second), -static_cast<long>(n), k.first, k.second);
    std::sort(rows.begin(), rows.end());
    json by_rule_json = json::array();
    for (const auto& [rank, neg, rule, sev] : rows) by_rule_json.push_back({{"rule", rule}, {"severity", sev}, {"count", -neg}});
    std::stable_sort(skipped.begin(), skipped.end(),
                     [](const json& a, const json& b) { return a.value("path", "") < b.value("path", ""); });
    summary["filesChecked"] = files_checked;
    summary["filesWithFindings"] = files_with;
    summary["rules"] = rules;
    summary["findings"] = findings.size();
    summary["bySeverity"] = by_severity;
    summary["byRule"] = by_rule_json;
    summary["fixable"] = fixable;
    summary["fixableUnsafe"] = fixable_unsafe;
    summary["skipped"] = skipped;
    out << ",\n  \"summary\": " << json_indented(summary, 1).substr(2);
  }
  out << "\n}\n";
  return out.str();
}

}  // namespace

void sort_sarif_run(json& run) {
  if (!run.is_object()) return;
  auto& artifacts = run["artifacts"];
  if (!artifacts.is_array()) artifacts = json::array();
  std::stable_sort(artifacts.begin(), artifacts.end(), [](const json& a, const json& b) {
    return location_uri(a.value("location", json::object())) < location_uri(b.value("location", json::object()));
  });
  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < artifacts.size(); ++i) index_of[location_uri(artifacts[i].value("location", json::object()))] = i;
  auto& results = run["results"];
  if (!results.is_array()) results = json::array();
  reindex(results, index_of);
  auto key = [](const json& r) {
    const json region = first_region(r);
    return std::make_tuple(first_uri(r), region.value("startLine", 0), region.value("startColumn", 0), region.value("endLine", 0),
                           region.value("endColumn", 0), r.value("ruleId", ""),
                           r.value("message", json::object()).value("text", ""), r.contains("suppressions"));
  };
  std::stable_sort(results.begin(), results.end(), [&](const json& a, const json& b) { return key(a) < key(b); });
}

std::optional<std::string> merge_reports(const std::vector<std::string>& parts, std::string& error) {
  if (parts.empty()) {
    error = "nothing to merge";
    return std::nullopt;
  }
  std::vector<json> docs;
  bool sarif = false;
  for (size_t i = 0; i < parts.size(); ++i) {
    json doc = json_input::parse_or_discard(parts[i]);
    if (doc.is_discarded() || !doc.is_object()) {
      error = "part " + std::to_string(i + 1) + " is not JSON";
      return std::nullopt;
    }
    const bool is_sarif = doc.contains("runs");
    if (i == 0) sarif = is_sarif;
    else if (is_sarif != sarif) {
      error = "part " + std::to_string(i + 1) + " is " + (is_sarif ? "SARIF" : "a JSON report") + ", part 1 is not";
      return std::nullopt;
    }
    docs.push_back(std::move(doc));
  }
  return sarif ? merge_sarif(docs, error) : merge_json(docs, error);
}

}  // namespace vigil::report
