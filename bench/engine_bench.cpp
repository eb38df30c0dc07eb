// Engine throughput: parse time and per-rule match time on one file, median of repeated runs.
//   vigil_engine_bench FILE [RULES_PATH] [RUNS]
// Without RULES_PATH, the built-in rules.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "analyzers/engine.hpp"
#include "analyzers/rules/sources.hpp"

using namespace vigil;
using Clock = std::chrono::steady_clock;

static double median_ms(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: vigil_engine_bench FILE [RULES_PATH] [RUNS]\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const auto* lang = grammars::by_path(argv[1]);
  if (!lang) return 2;
  auto loaded = argc > 2 && std::string(argv[2]) != "-" ? rules::load_rule_path(argv[2]) : rules::load_builtin_rules();
  const int runs = argc > 3 ? std::stoi(argv[3]) : 20;
  RuleSet all;
  for (auto& r : loaded.rules) all.add(r);

  std::vector<double> parse;
  std::shared_ptr<const document::Snapshot> snap;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    snap = document::Snapshot::parse(argv[1], *lang, text);
    parse.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::cout << "file: " << argv[1] << " (" << snap->lines.line_count() << " lines, " << text.size() << " bytes)\n";
  std::cout << "parse: " << median_ms(parse) << " ms\n";
  double total = 0;
  for (const auto& rule : all.for_language(*lang)) {
    RuleSet one;
    one.add(rule);
    std::vector<double> t;
    size_t n = 0;
    for (int i = 0; i < runs; ++i) {
      auto t0 = Clock::now();
      n = analyze(one, *snap).size();
      t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    total += median_ms(t);
    std::cout << "  " << rule->id << ": " << median_ms(t) << " ms, " << n << " findings\n";
  }
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    analyze(all, *snap);
    t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::cout << "all " << all.for_language(*lang).size() << " rules: " << median_ms(t) << " ms (sum of singles " << total
            << " ms)\n";
}
