// `vigil report merge PART...`: the reports of a sharded run (`vigil check --shard K/N`) as one.
#include "cli/commands.hpp"

#include <fstream>
#include <iostream>

#include "analyzers/report/merge.hpp"

namespace vigil::cli {

int report_command(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "merge") throw UsageError("`vigil report` has one subcommand: merge PART...");
  std::vector<std::string> paths;
  std::string output;
  for (ArgCursor cur(args, 1); cur.next();) {
    const auto& a = cur.arg();
    if (a == "--output" || a == "-o") output = cur.value();
    else if (a.starts_with("-") && a != "-") throw UsageError("unknown option for `vigil report merge`: " + a);
    else paths.push_back(a);
  }
  if (paths.empty()) throw UsageError("`vigil report merge` needs the report parts to merge");
  std::vector<std::string> parts;
  for (const auto& p : paths) {
    bool ok = false;
    parts.push_back(p == "-" ? std::string(std::istreambuf_iterator<char>(std::cin), {}) : read_file(p, ok));
    if (p != "-" && !ok) {
      std::cerr << "vigil: cannot read " << p << '\n';
      return 2;
    }
  }
  std::string error;
  auto merged = report::merge_reports(parts, error);
  if (!merged) {
    std::cerr << "vigil: report merge: " << error << '\n';
    return 2;
  }
  if (output.empty()) {
    std::cout << *merged << std::flush;
    return 0;
  }
  std::ofstream out(output, std::ios::binary);
  if (!(out << *merged) || !out.flush()) {
    std::cerr << "vigil: cannot write " << output << '\n';
    return 2;
  }
  return 0;
}

}  // namespace vigil::cli
