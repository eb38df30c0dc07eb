// `vigil`: the language server and the same engine on the command line.
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <pthread.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "cli/commands.hpp"
#include "cli/help.hpp"
#include "lsp/server.hpp"
#include "lsp/transport.hpp"
#include "mcp/server.hpp"
#include "analyzers/workspace/files.hpp"

namespace {

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
#ifdef __GLIBC__
  // glibc gives each thread that allocates an arena of its own (up to 8 per core), and what one
  // thread frees stays in its arena: the server's threads (IO, analysis, warm-up, background
  // queues) held megabytes apart. Two arenas: the IO thread and the analysis rarely wait for one.
  mallopt(M_ARENA_MAX, 2);
#endif
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

static int run_command(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command;
  try {
    if (args.empty()) {
      // As git and cargo do: usage goes to stderr and the exit code says nothing was done.
      std::cerr << vigil::cli::usage();
      return 2;
    }
    if (args[0] == "--help" || args[0] == "-h") {
      std::cout << vigil::cli::usage();
      return 0;
    }
    if (args[0] == "help") {
      if (args.size() == 1) std::cout << vigil::cli::usage();
      else if (const auto* help = vigil::cli::command_help(args[1])) std::cout << help;
      else throw vigil::cli::UsageError("no command `" + args[1] + "`");
      return 0;
    }
    if (args[0] == "--version" || args[0] == "-V") {
      std::cout << vigil::cli::version_text();
      return 0;
    }
    command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (const auto* help = vigil::cli::command_help(command);
        help && std::any_of(rest.begin(), rest.end(), [](const std::string& a) { return a == "--help" || a == "-h"; })) {
      std::cout << help;
      return 0;
    }
    if (command == "lsp") return run_lsp(rest);
    if (command == "mcp") return run_mcp(rest);
    setup_logging("", "warn");
    if (command == "check") return vigil::cli::check(rest);
    if (command == "report") return vigil::cli::report_command(rest);
    if (command == "prompt") return vigil::cli::prompt_command(rest);
    if (command == "test-rules") return vigil::cli::test_rules(rest);
    if (command == "rules") return vigil::cli::rules_command(rest);
    if (command == "parse") return vigil::cli::parse_command(rest);
    if (command == "gen-tests") return vigil::cli::gen_tests(rest);
    if (command == "feedback") return vigil::cli::feedback_command(rest);
    throw vigil::cli::UsageError("unknown command `" + command + "`");
  } catch (const vigil::cli::UsageError& e) {
    const bool known = vigil::cli::command_help(command) != nullptr;
    std::cerr << "vigil: " << e.what() << "\n(see `vigil " << (known ? command + " " : "") << "--help`)\n";
    return 2;
  }
}

// Analyses recurse over syntax trees and rules (taint evaluation, pattern matching): every thread,
// this command's own included, gets a stack of kStackBytes (address space, touched only as used),
// in which the deepest tree analysed (budget::kMaxNesting levels) fits with room to spare.
int main(int argc, char** argv) {
  constexpr size_t kStackBytes = size_t{256} << 20;
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) == 0) {
    if (pthread_attr_setstacksize(&attr, kStackBytes) == 0) pthread_setattr_default_np(&attr);
    pthread_attr_destroy(&attr);
  }
  int code = 0;
  std::thread([&] { code = run_command(argc, argv); }).join();
  return code;
}
