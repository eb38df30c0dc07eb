// Runs rules against their annotated fixtures (Semgrep's convention): a comment `ruleid: <id>` on
// the line above code that must be flagged, `ok: <id>` above a look-alike that must not be;
// `todoruleid:` / `todook:` record known misses and false alarms without failing.
#pragma once

#include <string>
#include <vector>

#include "analyzers/rules/sources.hpp"

namespace vigil::rules {

struct FixtureReport {
  std::string rule_id;     // empty when the rule file did not load
  std::string rule_path;
  std::string fixture_path;  // the fixture run; when there is none, the path looked for
  bool passed = false;
  bool skipped = false;    // no fixture, outside strict mode
  int positives = 0;       // ruleid: cases
  int negatives = 0;       // ok: cases
  std::vector<std::string> failures;  // "fixture:12: expected a finding, got none"
};

struct FixtureOptions {
  // Built-in packs: every rule must have a fixture with at least this many cases of each kind.
  bool strict = false;
  int min_cases = 2;
};

std::vector<FixtureReport> run_fixtures(const std::vector<PackFile>& pack, const FixtureOptions& options);

// The 0-based lines expected to be flagged / known in a fixture for `rule_id`.
struct Annotations {
  std::vector<uint32_t> ruleid, ok, todoruleid, todook;
};
Annotations parse_annotations(std::string_view fixture, std::string_view comment, std::string_view rule_id);

}  // namespace vigil::rules
