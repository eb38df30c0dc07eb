// Deep validation time per finding: every finding of the built-in rules in the given files is
// validated by the deep analyzer RUNS times; prints the median and p95 of the per-finding times
// (each finding's median over the runs), and the verdict counts.
//   vigil_deep_validation_bench [--runs N] FILE...
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "analyzers/engine.hpp"
#include "analyzers/rules/sources.hpp"
#include "analyzers/validation/deep.hpp"

using namespace vigil;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  int runs = 5;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) runs = std::max(1, std::stoi(argv[++i]));
    else files.push_back(a);
  }
  if (files.empty()) {
    std::cerr << "usage: vigil_deep_validation_bench [--runs N] FILE...\n";
    return 2;
  }
  auto loaded = rules::load_builtin_rules();
  RuleSet set;
  for (auto& r : loaded.rules) set.add(r);
  std::vector<double> per_finding;
  size_t lines = 0, confirmed = 0, refuted = 0, other = 0;
  for (const auto& path : files) {
    const auto* lang = grammars::by_path(path);
    if (!lang) continue;
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    auto snap = document::Snapshot::parse(path, *lang, ss.str());
    lines += snap->lines.line_count();
    for (const auto& f : analyze(set, *snap)) {
      std::vector<double> t;
      validation::Verdict v;
      for (int r = 0; r < runs; ++r) {
        auto t0 = Clock::now();
        v = validation::deep_validate(f, *snap, snap);  // as validators run: the file indexed once
        t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
      std::sort(t.begin(), t.end());
      per_finding.push_back(t[t.size() / 2]);
      if (v.status == validation::Status::confirmed) ++confirmed;
      else if (v.status == validation::Status::refuted) ++refuted;
      else ++other;
    }
  }
  if (per_finding.empty()) {
    std::cout << "no findings\n";
    return 0;
  }
  std::sort(per_finding.begin(), per_finding.end());
  auto at = [&](double q) { return per_finding[std::min(per_finding.size() - 1, static_cast<size_t>(q * static_cast<double>(per_finding.size())))]; };
  std::cout << files.size() << " files, " << lines << " lines, " << per_finding.size() << " findings (" << confirmed << " confirmed, "
            << refuted << " refuted, " << other << " other)\n";
  std::cout << "deep validation per finding: median " << at(0.5) << " ms, p95 " << at(0.95) << " ms, max " << per_finding.back()
            << " ms\n";
  return 0;
}
