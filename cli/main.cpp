// `vigil`: the language server and the same engine on the command line.
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "lsp/server.hpp"
#include "lsp/transport.hpp"
#include "mcp/server.hpp"
#include "analyzers/workspace/files.hpp"

namespace {

constexpr const char* kUsage = R"(vigil — a language server that holds AI-written code to security rules

Usage:
  vigil lsp [--rules PATH]... [--no-builtin] [--log-file FILE] [--log-level LEVEL]
      Serve the Language Server Protocol on stdin/stdout.
  vigil mcp [--root DIR] [--rules PATH]... [--no-builtin] [--log-file FILE] [--log-level LEVEL]
      Serve the Model Context Protocol on stdin/stdout for coding agents (tools
      security_rules, check_code, check_diff; resources vigil://rules/<id>). The workspace
      is --root or the project around the current directory. See docs/mcp.md.
  vigil check [PATH]... [--rules PATH]... [--no-builtin] [--format text|json|sarif]
              [--output FILE] [--jobs N] [--fail-on error|warning|info|hint|never]
              [--ai-only] [--diff REF] [--fix] [--unsafe-fixes] [--dry-run]
      Check files and directories (default: .). Exit 0 when clean, 1 with findings at or
      above the --fail-on severity (default: info), 2 on a usage or configuration error.
      Suppress a finding with `vigil-ignore: <rule-id> -- <reason>` on or above its line.
      --ai-only keeps findings in code an AI wrote (git trailers/authors/notes, markers,
      globs, the editor's stored ranges); --diff REF keeps findings on lines changed since REF.
      --fix rewrites files with the rules' safe fixes, then reports what is left;
      --unsafe-fixes applies the others too; with --dry-run the fixes are printed as a
      unified diff and nothing is written (exit 1 when there is something to fix).
  vigil test-rules [DIR]
      Run rules against their annotated fixtures (default: the built-in packs).
  vigil rules list [--rules PATH]... [--no-builtin] [--format text|json]
      List the loaded rules.
  vigil gen-tests FILE[:LINE] [--function NAME] [--cwe CWE-N] [--family NAME]
                  [--framework NAME] [--out DIR] [--run]
      Write security tests for the findings in FILE (on LINE, in NAME, of CWE-N) that
      call the function with attack inputs: they fail while it is vulnerable and pass
      once it is fixed. Without a finding, --function and --cwe name what to test.
      Prints how to run them; --run runs them and exits 1 when one fails.
  vigil parse [--tree] FILE...
      Report syntax errors as Vigil's parser sees them (exit 1 when any);
      --tree prints the syntax tree (for writing rule queries).
  vigil --version | --help

Logs go to stderr (or --log-file), never to stdout.
)";

void setup_logging(const std::string& file, const std::string& level) {
  std::shared_ptr<spdlog::logger> logger;
  if (!file.empty()) logger = spdlog::basic_logger_mt("vigil", file);
  else logger = std::make_shared<spdlog::logger>("vigil", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

// --log-file and --log-level, shared by the servers.
struct LogOptions {
  std::string file, level = "info";
  bool take(vigil::cli::ArgCursor& cur) {
    if (cur.arg() == "--log-file") file = cur.value();
    else if (cur.arg() == "--log-level") level = cur.value();
    else return false;
    return true;
  }
  // Validates the level and installs the logger (stderr or the file).
  void apply() const {
    static const std::vector<std::string> levels = {"trace", "debug", "info", "warn", "error", "critical", "off"};
    if (std::find(levels.begin(), levels.end(), level) == levels.end())
      throw vigil::cli::UsageError("--log-level must be one of trace, debug, info, warn, error, critical, off");
    setup_logging(file, level);
  }
};

int run_lsp(const std::vector<std::string>& args) {
  vigil::lsp::ServerOptions options;
  options.version = VIGIL_VERSION;
  LogOptions log;
  vigil::cli::RuleOptions rules;
  for (vigil::cli::ArgCursor cur(args); cur.next();) {
    const auto& a = cur.arg();
    if (rules.take(cur) || log.take(cur)) continue;
    if (a == "--stdio") continue;  // the only transport; accepted because editors pass it
    else throw vigil::cli::UsageError("unknown option for `vigil lsp`: " + a);
  }
  options.rule_paths = rules.paths;
  options.builtin_rules = rules.builtin;
  log.apply();
  // A client that goes away must not kill us mid-write: a failed write is reported and handled.
  std::signal(SIGPIPE, SIG_IGN);
  auto transport = vigil::lsp::make_fd_transport(STDIN_FILENO, STDOUT_FILENO);
  vigil::lsp::Server server(*transport, options);
  transport->run(server);
  spdlog::info("exiting with code {}", server.exit_code());
  return server.exit_code();
}

int run_mcp(const std::vector<std::string>& args) {
  vigil::mcp::Options options;
  options.version = VIGIL_VERSION;
  std::string root;
  LogOptions log;
  vigil::cli::RuleOptions rules;
  for (vigil::cli::ArgCursor cur(args); cur.next();) {
    const auto& a = cur.arg();
    if (rules.take(cur) || log.take(cur)) continue;
    if (a == "--root") root = cur.value();
    else throw vigil::cli::UsageError("unknown option for `vigil mcp`: " + a);
  }
  log.apply();
  std::error_code ec;
  if (!root.empty() && !std::filesystem::is_directory(root, ec))
    throw vigil::cli::UsageError("--root " + root + " is not a directory");
  // The project around the start directory (nearest .vigil/ or .git), as `vigil check` finds it.
  options.root = root.empty() ? vigil::workspace::open_project(std::filesystem::current_path().string()).root
                              : std::filesystem::weakly_canonical(root).string();
  options.rule_paths = rules.paths;
  options.builtin_rules = rules.builtin;
  std::signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);
  vigil::mcp::Server server(options);
  // Messages are capped a little above the tools' input limit (JSON escaping grows text).
  const int code = vigil::mcp::serve(server, std::cin, std::cout, options.max_input_bytes * 2 + (64u << 10));
  if (server.abandoned_work()) {
    std::cout.flush();
    std::_Exit(code);  // an analysis past its deadline still runs: no static destructors under it
  }
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      std::cout << kUsage;
      return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version" || args[0] == "-V") {
      std::cout << "vigil " << VIGIL_VERSION << '\n';
      return 0;
    }
    const std::string command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "lsp") return run_lsp(rest);
    if (command == "mcp") return run_mcp(rest);
    setup_logging("", "warn");
    if (command == "check") return vigil::cli::check(rest);
    if (command == "test-rules") return vigil::cli::test_rules(rest);
    if (command == "rules") return vigil::cli::rules_command(rest);
    if (command == "parse") return vigil::cli::parse_command(rest);
    if (command == "gen-tests") return vigil::cli::gen_tests(rest);
    throw vigil::cli::UsageError("unknown command `" + command + "`");
  } catch (const vigil::cli::UsageError& e) {
    std::cerr << "vigil: " << e.what() << "\n(see `vigil --help`)\n";
    return 2;
  }
}
