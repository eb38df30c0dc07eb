// Reports of one run split into parts (`vigil check --shard K/N`) merged back into one: `vigil report
// merge`. Pure: text in, text out.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

namespace vigil::report {

// Puts a SARIF run in its canonical order: artifacts by URI (every artifactLocation.index follows),
// results by file, position, rule and message. write_sarif and the merge both end with it, so that
// merging the shards of a run gives the single run's log byte for byte.
void sort_sarif_run(nlohmann::json& run);

// Merges parts that are all SARIF logs or all `vigil check --format json` reports. JSON findings are
// sorted by path and position and the summary is added up (the rules of a part are the run's).
// Nothing, with the reason in `error`, when a part is neither or the parts differ in kind.
std::optional<std::string> merge_reports(const std::vector<std::string>& parts, std::string& error);

// `value` as dump(2) prints it nested `depth` levels deep (the JSON report's layout).
std::string json_indented(const nlohmann::json& value, int depth);

}  // namespace vigil::report
