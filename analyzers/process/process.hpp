#pragma once
// Running another program: argv without a shell, stdin fed, stdout and stderr captured, killed after
// a timeout or on cancellation. The one place that uses Boost.Process (it compiles slowly).
#include <atomic>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace vigil::process {

struct Command {
  std::vector<std::string> argv;  // argv[0]: a name looked up in PATH, or a path (relative to cwd)
  std::string cwd;                // empty: the current directory
  std::string input;              // stdin
  std::chrono::milliseconds timeout{30000};
  const std::atomic<bool>* cancelled = nullptr;  // checked every 20 ms
  std::vector<std::pair<std::string, std::string>> set_env;
  std::vector<std::string> unset_env;
  bool capture = true;  // false: the child shares this process's stdin, stdout and stderr
};

struct Result {
  bool started = false;  // false: not found or could not start (see `error`)
  int exit_code = -1;
  std::string out, err;
  std::string error;  // could not start, timed out, cancelled
  bool timed_out = false;
  bool cancelled = false;
  bool ok() const { return started && !timed_out && !cancelled && exit_code == 0; }
};

Result run(const Command& command);

// The absolute path of `name` in PATH, or empty.
std::string find_program(const std::string& name);

}  // namespace vigil::process
