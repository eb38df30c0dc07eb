// `vigil feedback stats|export|import|baseline`: the feedback bank (analyzers/feedback) from the
// command line, on the project around the current directory.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "analyzers/feedback/bank.hpp"
#include "analyzers/feedback/baseline.hpp"
#include "analyzers/feedback/effects.hpp"
#include "analyzers/json_input.hpp"
#include "analyzers/store/store.hpp"
#include "analyzers/validation/redact.hpp"
#include "analyzers/workspace/boundary.hpp"
#include "analyzers/workspace/files.hpp"
#include "cli/commands.hpp"

namespace vigil::cli {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kUsage =
    "usage: vigil feedback stats [--format text|json]\n"
    "       vigil feedback export [--format jsonl] [-o FILE]\n"
    "       vigil feedback import FILE\n"
    "       vigil feedback baseline [PATH]... [check options]";

// The project's bank: read-only for reports (a missing bank is an empty one), writable for import.
std::unique_ptr<store::Database> open_bank(const workspace::Project& project, bool write, int& status) {
  const std::string path = store::database_path(project.root);
  std::error_code ec;
  status = 0;
  if (!write && !fs::exists(path, ec)) return nullptr;
  std::string error;
  auto db = store::Database::open(path, !write, error);
  if (!db) {
    std::cerr << "vigil: " << error << '\n';
    status = 2;
  } else if (!db->warning().empty()) {
    std::cerr << "vigil: warning: " << db->warning() << '\n';
  }
  return db;
}

std::string percent(std::optional<double> p) {
  if (!p) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", *p * 100);
  return buf;
}

std::optional<double> ratio(uint64_t part, uint64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

int stats(const workspace::Project& project, const std::vector<std::string>& args) {
  std::string format = "text";
  for (ArgCursor cur(args, 1); cur.next();) {
    if (cur.arg() == "--format") format = cur.value();
    else throw UsageError("unknown option for `vigil feedback stats`: " + cur.arg());
  }
  if (format != "text" && format != "json") throw UsageError("--format must be text or json");
  int status = 0;
  auto db = open_bank(project, false, status);
  if (status) return status;
  const feedback::Stats s = db ? feedback::Bank(*db).stats() : feedback::Stats{};
  if (format == "json") {
    json rules = json::object(), prov = json::object();
    for (const auto& [id, r] : s.rules) {
      rules[id] = {{"findings", r.findings},         {"confirmed", r.confirmed},
                   {"falsePositives", r.false_positives}, {"fixed", r.fixed},
                   {"validatorConfirmed", r.validator_confirmed}, {"validatorRefuted", r.validator_refuted},
                   {"precision", r.precision() ? json(*r.precision()) : json()}};
    }
    for (const auto& [origin, p] : s.provenance)
      prov[origin] = {{"findings", p.findings}, {"fixed", p.fixed}, {"falsePositives", p.false_positives},
                      {"fixRate", ratio(p.fixed, p.findings) ? json(*ratio(p.fixed, p.findings)) : json()}};
    std::cout << json{{"rules", rules}, {"provenance", prov}}.dump(2) << '\n';
    return 0;
  }
  if (s.rules.empty()) {
    std::cout << "The feedback bank is empty (" << store::database_path(project.root)
              << "): mark findings in the editor, or run `vigil check --record`.\n";
    return 0;
  }
  size_t width = 4;
  for (const auto& [id, r] : s.rules) width = std::max(width, id.size());
  std::ostringstream out;
  out << std::left << std::setw(static_cast<int>(width)) << "rule" << std::right << std::setw(10) << "findings" << std::setw(11)
      << "confirmed" << std::setw(7) << "FP" << std::setw(7) << "fixed" << std::setw(11) << "precision" << std::setw(16)
      << "validator +/-" << '\n';
  feedback::RuleStats total;
  for (const auto& [id, r] : s.rules) {
    out << std::left << std::setw(static_cast<int>(width)) << id << std::right << std::setw(10) << r.findings << std::setw(11)
        << r.confirmed << std::setw(7) << r.false_positives << std::setw(7) << r.fixed << std::setw(11) << percent(r.precision())
        << std::setw(16) << (std::to_string(r.validator_confirmed) + "/" + std::to_string(r.validator_refuted)) << '\n';
    total.findings += r.findings;
    total.confirmed += r.confirmed;
    total.false_positives += r.false_positives;
    total.fixed += r.fixed;
    total.validator_confirmed += r.validator_confirmed;
    total.validator_refuted += r.validator_refuted;
  }
  out << std::left << std::setw(static_cast<int>(width)) << "total" << std::right << std::setw(10) << total.findings << std::setw(11)
      << total.confirmed << std::setw(7) << total.false_positives << std::setw(7) << total.fixed << std::setw(11)
      << percent(total.precision()) << std::setw(16)
      << (std::to_string(total.validator_confirmed) + "/" + std::to_string(total.validator_refuted)) << "\n\n";
  out << "by provenance    findings   fixed   fix rate   false positives\n";
  for (const char* origin : {"ai", "human", "unknown"}) {
    auto it = s.provenance.find(origin);
    if (it == s.provenance.end()) continue;
    const auto& p = it->second;
    const std::string label = std::string(origin) == "ai" ? "AI-written" : std::string(origin) == "human" ? "human-written" : "unknown";
    out << std::left << std::setw(16) << label << std::right << std::setw(9) << p.findings << std::setw(8) << p.fixed << std::setw(11)
        << percent(ratio(p.fixed, p.findings)) << std::setw(18) << p.false_positives << '\n';
  }
  std::cout << out.str();
  return 0;
}

int export_bank(const workspace::Project& project, const std::vector<std::string>& args) {
  std::string format = "jsonl", output;
  for (ArgCursor cur(args, 1); cur.next();) {
    if (cur.arg() == "--format") format = cur.value();
    else if (cur.arg() == "-o" || cur.arg() == "--output") output = cur.value();
    else throw UsageError("unknown option for `vigil feedback export`: " + cur.arg());
  }
  if (format != "jsonl") throw UsageError("--format must be jsonl");
  int status = 0;
  auto db = open_bank(project, false, status);
  if (status) return status;
  std::ofstream file;
  if (!output.empty()) {
    file.open(output, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "vigil: cannot write " << output << '\n';
      return 2;
    }
  }
  std::ostream& out = output.empty() ? std::cout : file;
  size_t count = 0, secrets = 0;
  for (auto& v : db ? feedback::Bank(*db).all() : std::vector<feedback::Verdict>{}) {
    // The code leaves the machine in a dataset: secrets out, as for a validation request.
    for (std::string* field : {&v.context, &v.diff, &v.reason}) {
      auto r = validation::redact_secrets(*field);
      secrets += r.count;
      *field = std::move(r.text);
    }
    out << v.to_json().dump() << '\n';
    ++count;
  }
  out.flush();
  std::cerr << "vigil: exported " << count << (count == 1 ? " verdict" : " verdicts");
  if (secrets) std::cerr << " (" << secrets << (secrets == 1 ? " secret" : " secrets") << " redacted)";
  std::cerr << '\n';
  return 0;
}

int import_bank(const workspace::Project& project, const std::vector<std::string>& args) {
  if (args.size() != 2) throw UsageError("usage: vigil feedback import FILE (JSON lines, as `vigil feedback export` writes)");
  std::ifstream in(args[1], std::ios::binary);
  if (!in) {
    std::cerr << "vigil: cannot read " << args[1] << '\n';
    return 2;
  }
  std::vector<feedback::Verdict> verdicts;
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto parsed = json_input::parse(line);
    const json& j = parsed.value;
    std::string error = j.is_discarded() ? "not JSON"
                        : parsed.too_deep ? "nested more than " + std::to_string(json_input::kMaxDepth) + " levels deep"
                                          : "";
    std::optional<feedback::Verdict> v;
    if (error.empty()) v = feedback::Verdict::from_json(j, error);
    if (!v) {
      // Nothing is imported from a file with a bad line: a half-merged bank is worse than none.
      std::cerr << args[1] << ":" << n << ": " << error << " (nothing imported)\n";
      return 2;
    }
    verdicts.push_back(std::move(*v));
  }
  int status = 0;
  auto db = open_bank(project, true, status);
  if (!db) return status ? status : 2;
  std::string error;
  const size_t total = verdicts.size();
  auto added = feedback::Bank(*db).record_all(std::move(verdicts), &error);
  if (!added) {
    std::cerr << "vigil: import failed (nothing imported): " << error << '\n';
    return 2;
  }
  std::cerr << "vigil: imported " << *added << " of " << total << (total == 1 ? " verdict" : " verdicts");
  if (*added < total) std::cerr << " (" << total - *added << " already in the bank)";
  std::cerr << '\n';
  return 0;
}

int baseline(const workspace::Project& project, const std::vector<std::string>& args) {
  std::vector<std::string> check_args(args.begin() + 1, args.end());
  std::vector<feedback::Bank::Seen> seen;
  CheckHooks hooks;
  hooks.collect = [&](const std::vector<feedback::Bank::Seen>& all) { seen = all; };
  const int status = check_with(check_args, hooks);
  if (status == 2) return 2;
  const std::string path = feedback::baseline_path(project.root);
  std::string error;
  if (!workspace::vigil_dir_usable(project.root, error)) {
    std::cerr << "vigil: " << error << ": no baseline written\n";
    return 2;
  }
  if (!feedback::write_baseline(path, seen, error)) {
    std::cerr << "vigil: " << error << '\n';
    return 2;
  }
  std::cerr << "vigil: wrote " << seen.size() << (seen.size() == 1 ? " finding" : " findings") << " to " << path
            << " (commit it: `vigil check` then reports only new findings)\n";
  return 0;
}

}  // namespace

int feedback_command(const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError(kUsage);
  auto project = workspace::open_project(".");
  for (const auto& p : project.problems) std::cerr << p.to_string() << '\n';
  if (args[0] == "stats") return stats(project, args);
  if (args[0] == "export") return export_bank(project, args);
  if (args[0] == "import") return import_bank(project, args);
  if (args[0] == "baseline") return baseline(project, args);
  throw UsageError(kUsage);
}

}  // namespace vigil::cli
