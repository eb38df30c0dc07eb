// `vigil gen-tests FILE[:LINE] [--function NAME] [--cwe CWE-N] [--family NAME] [--framework NAME]
//                  [--out DIR] [--with-model] [--run]`: security tests for the findings in a file (or for
// a function and a CWE), written where the project keeps its tests; --with-model asks the model
// endpoint of the user's settings for more cases (kept only when they parse); --run runs them
// (exit 1 when one fails).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "analyzers/engine.hpp"
#include "analyzers/process/process.hpp"
#include "analyzers/suppressions.hpp"
#include "analyzers/testgen/testgen.hpp"
#include "analyzers/validation/model_tests.hpp"
#include "analyzers/validation/validators.hpp"
#include "analyzers/workspace/files.hpp"
#include "analyzers/workspace/testgen_facts.hpp"
#include "cli/commands.hpp"

namespace vigil::cli {
namespace fs = std::filesystem;

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

int gen_tests(const std::vector<std::string>& args) {
  RuleOptions rule_options;
  std::string target, function, cwe, family, framework, out_dir;
  bool run = false, with_model = false;
  for (ArgCursor cur(args); cur.next();) {
    const auto& a = cur.arg();
    if (rule_options.take(cur)) continue;
    if (a == "--function") function = cur.value();
    else if (a == "--cwe") cwe = cur.value();
    else if (a == "--family") family = cur.value();
    else if (a == "--framework") framework = cur.value();
    else if (a == "--out") out_dir = cur.value();
    else if (a == "--run") run = true;
    else if (a == "--with-model") with_model = true;
    else if (a.starts_with("-")) throw UsageError("unknown option for `vigil gen-tests`: " + a);
    else if (!target.empty()) throw UsageError("`vigil gen-tests` takes one FILE[:LINE]");
    else target = a;
  }
  if (target.empty()) throw UsageError("usage: vigil gen-tests FILE[:LINE] [--function NAME] [--cwe CWE-N] [--out DIR] [--with-model] [--run]");
  if (!cwe.empty()) {
    for (auto& c : cwe) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (all_digits(cwe)) cwe = "CWE-" + cwe;
    if (!cwe.starts_with("CWE-") || !all_digits(cwe.substr(4))) throw UsageError("--cwe takes a CWE id such as CWE-78");
  }

  // FILE[:LINE]
  std::string file = target;
  std::optional<uint32_t> line;
  if (const auto colon = target.rfind(':'); colon != std::string::npos && all_digits(target.substr(colon + 1)) &&
                                              !fs::exists(target)) {
    file = target.substr(0, colon);
    line = static_cast<uint32_t>(std::stoul(target.substr(colon + 1)));
    if (*line == 0) throw UsageError("lines count from 1");
  }
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    std::cerr << "vigil: " << file << ": no such file\n";
    return 2;
  }
  const fs::path abs = fs::weakly_canonical(fs::absolute(file));
  const auto* language = grammars::by_path(abs.string());
  if (!language) {
    std::cerr << "vigil: " << file << ": no grammar for this file type\n";
    return 2;
  }
  const auto project = workspace::open_project(abs.parent_path().string());
  const fs::path root = fs::weakly_canonical(project.root);
  std::string rel = abs.lexically_relative(root).generic_string();
  if (rel.empty() || rel.starts_with("..")) {
    std::cerr << "vigil: " << file << " is outside the project root " << root.string() << '\n';
    return 2;
  }
  const auto text = workspace::read_inside(root.string(), rel);
  if (!text) {
    std::cerr << "vigil: cannot read " << file << '\n';
    return 2;
  }
  const auto snapshot = document::Snapshot::parse(rel, *language, *text);

  // The model is the user's: its endpoint comes from their settings, never the workspace's alone.
  std::optional<validation::EndpointOptions> endpoint;
  if (with_model) {
    for (const auto& w : project.config.validation.ignored) std::cerr << "vigil: warning: " << w << '\n';
    std::string error;
    endpoint = validation::endpoint_options(project.config.validation, error);
    if (!endpoint) {
      std::cerr << "vigil: --with-model: " << error << '\n';
      return 2;
    }
  }

  RuleSet rules;
  auto loaded = workspace::load_rules(project, rule_options.paths, rule_options.builtin);
  for (const auto& p : loaded.problems) std::cerr << p.to_string() << '\n';
  for (const auto& r : loaded.rules) rules.add(r);
  const auto findings = apply_suppressions(*snapshot, analyze(rules, *snapshot), rules);

  const auto& templates = testgen::builtin_templates();
  const auto facts = workspace::testgen_facts(root.string(), rel);
  const auto info = testgen::detect_project(*language, facts);

  std::string test_dir;
  if (!out_dir.empty()) {
    fs::create_directories(out_dir, ec);
    test_dir = fs::weakly_canonical(fs::absolute(out_dir)).lexically_relative(root).generic_string();
    if (test_dir.empty()) test_dir = ".";
  }

  // The line's function, when a line names one and --function does not.
  if (line && function.empty()) {
    const uint32_t row = *line - 1;
    const uint32_t byte = row < snapshot->lines.line_count() ? snapshot->lines.line_start(row) : 0;
    // The first non-blank byte of the line: a position inside the function when the line is.
    uint32_t at = byte;
    while (at < snapshot->text.size() && (snapshot->text[at] == ' ' || snapshot->text[at] == '\t')) ++at;
    if (auto f = testgen::enclosing_function(*snapshot, at)) function = f->name;
  }

  // Which findings: on the line, in the function, of the CWE; each with a template.
  std::vector<testgen::Request> requests;
  auto base_request = [&]() {
    testgen::Request r;
    r.snapshot = snapshot.get();
    r.source_path = rel;
    r.cwe = cwe;
    r.family = family;
    r.framework = framework;
    r.test_dir = test_dir;
    return r;
  };
  for (const auto& f : findings) {
    if (line && f.start.row + 1 != *line && !(f.start.row + 1 <= *line && *line <= f.end.row + 1)) continue;
    if (!cwe.empty() && std::find(f.rule->metadata.cwe.begin(), f.rule->metadata.cwe.end(), cwe) == f.rule->metadata.cwe.end()) continue;
    if (testgen::templates_for(f, *language, templates).empty()) continue;
    if (!function.empty()) {
      auto fn = testgen::enclosing_function(*snapshot, f.start_byte);
      if (!fn || fn->name != function) continue;
    }
    auto r = base_request();
    r.finding = f;
    requests.push_back(std::move(r));
  }
  if (requests.empty()) {
    if (function.empty() || (cwe.empty() && family.empty())) {
      std::cerr << "vigil: no finding " << (line ? "on line " + std::to_string(*line) + " " : "")
                << "with a security-test template in " << file
                << "; name a function and a CWE: --function NAME --cwe CWE-N\n";
      return 2;
    }
    auto r = base_request();
    r.function = function;
    requests.push_back(std::move(r));
  }

  // Generate; several tests may go into one file, so pending writes are read back first.
  std::map<std::string, std::string> pending;
  std::vector<std::vector<std::string>> commands;
  std::set<std::string> done;
  int generated = 0, failed = 0;
  for (auto& r : requests) {
    r.read_existing = [&](const std::string& path) -> std::optional<std::string> {
      if (auto it = pending.find(path); it != pending.end()) return it->second;
      return workspace::read_inside(root.string(), path);
    };
    try {
      auto test = testgen::generate(r, info, templates);
      if (!done.insert(test.path + "\n" + test.test_names.front()).second) continue;
      ++generated;
      if (endpoint) {
        const std::atomic<bool> never{false};
        const auto asked = validation::extend_tests_with_model(test, *snapshot, *endpoint, never);
        std::cerr << "vigil: " << test.function << ": " << asked.message << '\n';
        if (asked.kept)
          for (const auto& name : asked.tests) std::cerr << "  + " << name << '\n';
      }
      pending[test.path] = test.content;
      std::cout << (test.unchanged ? "has  " : test.created ? "wrote " : "added ") << test.path << ": " << test.family
                << " (" << test.cwe << ") for " << test.function << " [" << test.framework << "]"
                << (r.finding ? " from " + r.finding->rule_id() : "") << '\n';
      if (std::find(commands.begin(), commands.end(), test.run_commands[0]) == commands.end())
        for (const auto& c : test.run_commands) commands.push_back(c);
    } catch (const testgen::GenerateError& e) {
      ++failed;
      std::cerr << "vigil: " << rel << (r.finding ? ":" + std::to_string(r.finding->start.row + 1) : "") << ": " << e.what() << '\n';
    }
  }
  for (const auto& [path, content] : pending) {
    const fs::path out = root / path;
    fs::create_directories(out.parent_path(), ec);
    std::ofstream o(out, std::ios::binary);
    o << content;
    if (!o) {
      std::cerr << "vigil: cannot write " << out.string() << '\n';
      return 2;
    }
  }
  if (generated == 0) return 2;

  // One command line per distinct test run (C harnesses compile, then run).
  std::cout << "run from " << root.string() << ":\n";
  for (size_t i = 0; i < commands.size();) {
    // Group a compile step with the run step that follows it.
    size_t j = i + 1;
    if (commands[i][0] == "cc" && j < commands.size()) ++j;
    std::cout << "  " << testgen::display_command({commands.begin() + static_cast<long>(i), commands.begin() + static_cast<long>(j)}) << '\n';
    i = j;
  }
  if (!run) return failed ? 2 : 0;

  int status = 0;
  for (size_t i = 0; i < commands.size(); ++i) {
    // With the terminal's stdin, stdout and stderr: the test framework reports to the user.
    process::Command command;
    command.argv = commands[i];
    command.cwd = root.string();
    command.capture = false;
    const auto r = process::run(command);
    if (!r.started) {
      std::cerr << "vigil: cannot run `" << (commands[i].empty() ? "" : commands[i][0]) << "`: " << r.error << '\n';
      return 2;
    }
    if (r.exit_code != 0) {
      status = 1;
      if (commands[i][0] == "cc") ++i;  // no binary to run
    }
  }
  std::cout << (status ? "security tests FAILED\n" : "security tests passed\n");
  return status;
}

}  // namespace vigil::cli
