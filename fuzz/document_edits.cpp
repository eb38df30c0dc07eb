// The document edit path: a document opened with fuzzer text, then didChange sequences with
// fuzzer-chosen ranges (past the end of lines and of the text too, as clients send them), in any
// position encoding, some replacing the whole text. Checks after each batch: the incrementally
// edited tree is the tree a fresh parse gives (when neither has a syntax error), and incremental
// analysis with the built-in rules finds exactly what a full analysis finds.
#include <spdlog/spdlog.h>
#include <tree_sitter/api.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <set>

#include "analyzers/document/document.hpp"
#include "analyzers/engine.hpp"
#include "analyzers/rules/sources.hpp"
#include "fuzz/fuzz_check.hpp"
#include "vigil/grammars/registry.hpp"

using namespace vigil;

namespace {

// The languages with built-in packs that the target edits, each with its rules loaded once.
const std::vector<std::pair<const grammars::Language*, std::unique_ptr<RuleSet>>>& languages() {
  static const auto all = [] {
    std::vector<std::pair<const grammars::Language*, std::unique_ptr<RuleSet>>> out;
    for (const char* id : {"python", "javascript", "go", "java", "c", "cpp"}) {
      const auto* lang = grammars::by_name(id);
      const std::set<const grammars::Language*> only{lang};
      auto set = std::make_unique<RuleSet>();
      for (auto& rule : rules::load_builtin_rules(&only).rules) set->add(rule);
      out.emplace_back(lang, std::move(set));
    }
    return out;
  }();
  return all;
}

std::string tree_string(TSNode root) {
  char* s = ts_node_string(root);
  std::string out(s);
  std::free(s);
  return out;
}

std::vector<std::string> keys(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings)
    out.push_back(f.rule_id() + "@" + std::to_string(f.start_byte) + "-" + std::to_string(f.end_byte) + " " + f.message +
                  " " + f.fingerprint + (f.fix ? " fix " + f.fix->replacement : std::string()));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  (void)languages();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  fuzz::Bytes in(data, size);
  const auto& [lang, rules] = languages()[in.byte() % languages().size()];
  document::Document doc("fuzz", *lang, std::string(in.take(in.below(1024))), 1);
  auto before = doc.snapshot();
  auto before_findings = analyze(*rules, *before);
  for (int64_t version = 2; !in.empty() && version < 40; ++version) {
    const auto enc = static_cast<document::Encoding>(in.byte() % 3);
    std::vector<document::TextChange> changes(1 + in.byte() % 3);
    for (auto& change : changes) {
      const uint8_t shape = in.byte();
      if (shape % 16 != 0) {  // mostly ranged edits, now and then the whole text
        const uint32_t lines = doc.lines().line_count() + 1;
        document::Position start{in.below(lines), in.below(48)};
        document::Position end = start;
        if (shape & 0x10) end = {start.line + in.below(3), in.below(48)};
        if (shape & 0x20) std::swap(start, end);  // reversed: clients do send them
        change.range = document::Range{start, end};
      }
      change.text = std::string(in.take(in.byte() % 24));
    }
    doc.apply(changes, enc, version);
    const auto now = doc.snapshot();
    FUZZ_CHECK(now->text == doc.text());
    const auto fresh = document::Snapshot::parse("fresh", *lang, doc.text());
    if (!ts_node_has_error(now->root()) && !ts_node_has_error(fresh->root()))
      FUZZ_CHECK(tree_string(now->root()) == tree_string(fresh->root()));
    auto incremental = analyze_incremental(*rules, *now, *before, before_findings);
    auto full = analyze(*rules, *now);
    if (keys(incremental) != keys(full)) {
      std::fprintf(stderr, "incremental analysis differs from a full one on:\n%s\n", now->text.c_str());
      FUZZ_CHECK(keys(incremental) == keys(full));
    }
    if (in.byte() % 3) {  // skip versions, as the scheduler does under a burst
      before = now;
      before_findings = std::move(full);
    }
  }
  return 0;
}
