// The YAML rule loader (rules::load_rules_from_yaml, with util files): rule files are
// attacker-controlled in a cloned workspace (.vigil/rules loads automatically). What loads is then
// run on a sample program of each of its languages, under a time budget as `vigil check` runs it.
#include <spdlog/spdlog.h>

#include <chrono>

#include "analyzers/budget.hpp"
#include "analyzers/engine.hpp"
#include "analyzers/rules/loader.hpp"
#include "fuzz/fuzz_check.hpp"
#include "fuzz/samples.hpp"
#include "vigil/grammars/registry.hpp"

using namespace vigil;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16384) return 0;
  fuzz::Bytes in(data, size);
  const bool with_utils = in.byte() & 1;
  std::string_view text = in.rest();
  rules::LoadOptions options;
  std::vector<rules::Problem> problems;
  if (with_utils) {
    // "<util file>\0<rule file>": a util directory of one file serving the rule file.
    const auto cut = text.find('\0');
    if (cut != std::string_view::npos) {
      options.global_utils = rules::load_util_files({{"utils/u.yml", std::string(text.substr(0, cut))}}, problems);
      text = text.substr(cut + 1);
    }
  }
  auto loaded = rules::load_rules_from_yaml("fuzz.yaml", text, options);
  for (const auto& p : loaded.problems) FUZZ_CHECK(!p.to_string().empty());
  RuleSet set;
  for (auto& rule : loaded.rules) set.add(rule);
  for (const auto& lang : grammars::all()) {
    if (set.for_language(lang).empty()) continue;
    const auto snapshot = document::Snapshot::parse("sample", lang, std::string(fuzz::sample_for(lang.id)));
    try {
      budget::Scope budget(std::chrono::seconds(2));
      for (const auto& f : analyze(set, *snapshot)) FUZZ_CHECK(f.end_byte <= snapshot->text.size());
    } catch (const budget::Exceeded&) {
    }
  }
  return 0;
}
