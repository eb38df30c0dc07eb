// Cost of provenance tracking per edit: a 5,000-line document with 1,000 AI ranges, then random
// edits. Reports the median and p99 microseconds per edit for single-character edits at random
// places (the worst case for the lazy shift), for typing runs at one place (the usual case), for
// the per-analysis copy of the ranges with markers (what the server does per version), and for a
// whole-file external rewrite (line diff).
//   vigil_provenance_bench [LINES] [RANGES] [EDITS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "analyzers/provenance/evidence.hpp"
#include "analyzers/provenance/map.hpp"
#include "analyzers/provenance/tracker.hpp"

using namespace vigil::provenance;
using Clock = std::chrono::steady_clock;

namespace {

struct Stats {
  double median, p99, mean;
};

Stats stats(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  double sum = 0;
  for (double u : us) sum += u;
  return {us[us.size() / 2], us[std::min(us.size() - 1, us.size() * 99 / 100)], sum / static_cast<double>(us.size())};
}

double since(Clock::time_point t) { return std::chrono::duration<double, std::micro>(Clock::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
  const int lines = argc > 1 ? std::atoi(argv[1]) : 5000;
  const int ranges = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int edits = argc > 3 ? std::atoi(argv[3]) : 20000;
  std::mt19937 rng(1);

  std::string text;
  for (int i = 0; i < lines; ++i) text += "    value_" + std::to_string(i) + " = compute(item, " + std::to_string(i % 97) + ")  # note\n";
  const uint32_t size = static_cast<uint32_t>(text.size());

  auto fresh_map = [&] {
    ProvenanceMap map;
    const uint32_t slot = size / static_cast<uint32_t>(ranges);
    for (int i = 0; i < ranges; ++i) {
      const uint32_t start = static_cast<uint32_t>(i) * slot + static_cast<uint32_t>(rng() % (slot / 2));
      map.mark(start, start + 1 + static_cast<uint32_t>(rng() % (slot / 2)),
               {Origin::ai, i % 3 ? Evidence::bulk_insert : Evidence::git_trailer, i % 3 ? "" : "claude"});
    }
    return map;
  };

  // 1. Single-character inserts and deletes at random places.
  ProvenanceMap map = fresh_map();
  uint32_t length = size;
  std::vector<double> random_us;
  for (int i = 0; i < edits; ++i) {
    const uint32_t at = static_cast<uint32_t>(rng() % length);
    const bool insert = rng() % 2 == 0;
    const auto t = Clock::now();
    if (insert) map.edit(at, at, 1);
    else map.edit(at, at + 1, 0);
    random_us.push_back(since(t));
    length += insert ? 1 : -1;
  }
  const size_t ranges_after_random = map.size();

  // 2. Typing runs: 50 characters at one place, then move.
  map = fresh_map();
  length = size;
  std::vector<double> typing_us;
  for (int i = 0; i < edits; ++i) {
    static uint32_t at = 0;
    if (i % 50 == 0) at = static_cast<uint32_t>(rng() % length);
    const auto t = Clock::now();
    map.edit(at, at, 1);
    typing_us.push_back(since(t));
    ++at;
    ++length;
  }

  // 3. Through track_change (bulk detection included), one character at random places.
  map = fresh_map();
  std::vector<double> tracked_us;
  const BulkInsertThresholds bulk;
  for (int i = 0; i < edits; ++i) {
    const uint32_t at = static_cast<uint32_t>(rng() % size);
    const auto t = Clock::now();
    track_change(map, text, at, at, "x", false, bulk);
    tracked_us.push_back(since(t));
  }

  // 4. What the server builds per analysed version: ranges + markers over the text.
  map = fresh_map();
  std::vector<double> effective_us;
  for (int i = 0; i < 300; ++i) {
    const auto t = Clock::now();
    auto spans = effective_spans(map, text, false);
    effective_us.push_back(since(t));
    if (spans.size() != map.size()) return 1;
  }

  // 5. A whole-file rewrite changing 20 scattered lines (an agent rewrote the file).
  std::string rewritten = text;
  for (int k = 0; k < 20; ++k) {
    const auto pos = rewritten.find("compute", static_cast<size_t>(rng() % (rewritten.size() - 100)));
    if (pos != std::string::npos) rewritten.replace(pos, 7, "COMPUTE_AGAIN");
  }
  std::vector<double> rewrite_us;
  for (int i = 0; i < 20; ++i) {
    map = fresh_map();
    const auto t = Clock::now();
    auto changed = apply_rewrite(map, text, rewritten);
    rewrite_us.push_back(since(t));
    if (changed.empty()) return 1;
  }

  auto row = [](const char* what, const Stats& s) { std::printf("%-48s median %8.3f us  p99 %8.3f us  mean %8.3f us\n", what, s.median, s.p99, s.mean); };
  std::printf("document: %d lines, %u bytes, %d ranges (%zu left after random edits), %d edits per series\n", lines, size, ranges,
              ranges_after_random, edits);
  row("edit, 1 char at a random place", stats(random_us));
  row("edit, typing runs (50 chars per place)", stats(typing_us));
  row("track_change (bulk check), random place", stats(tracked_us));
  row("effective ranges per analysis (markers scan)", stats(effective_us));
  row("whole-file rewrite, 20 lines changed (diff)", stats(rewrite_us));
  return 0;
}
