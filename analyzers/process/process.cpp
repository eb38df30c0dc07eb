#include "analyzers/process/process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/process.hpp>

#include <csignal>
#include <ctime>
#include <future>

#include <pthread.h>

namespace vigil::process {

namespace bp = boost::process;

// Keeps SIGPIPE from this thread while it lives, and discards one raised here meanwhile: a child
// may exit without reading its stdin (`git blame --contents -` on a path it does not track), and
// writing the rest then raises SIGPIPE, which kills the process where it is not ignored (`vigil
// check`). The write fails with EPIPE instead and the child's exit status tells what happened.
// Per thread, so that `vigil check | head` still ends quietly on its own stdout.
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlocked() {
    if (sigismember(&old_, SIGPIPE)) return;  // blocked before: not ours to discard
    const timespec now{0, 0};
    while (sigtimedwait(&pipe_, nullptr, &now) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

 private:
  sigset_t pipe_{}, old_{};
};

std::string find_program(const std::string& name) { return bp::search_path(name).string(); }

Result run(const Command& command) {
  Result result;
  if (command.argv.empty()) {
    result.error = "no command";
    return result;
  }
  const std::string& name = command.argv[0];
  boost::filesystem::path exe;
  if (name.find('/') == std::string::npos) exe = bp::search_path(name);
  else if (name.front() != '/' && !command.cwd.empty()) exe = boost::filesystem::path(command.cwd) / name;
  else exe = name;
  if (exe.empty()) {
    result.error = "`" + name + "` not found in PATH";
    return result;
  }
  try {
    // A copy: this_process::environment() is the process's own, and editing it would setenv in
    // Vigil itself (racing every thread that reads the environment, and leaking into every child).
    // Only erase() and set() touch it: they compare "NAME=" with a length check. Boost 1.74's
    // find() (behind env[k], emplace, count) memcmp()s the whole name against every entry, past
    // the end of shorter ones: a heap over-read that ASan stops (unit test "process: variables").
    bp::environment env = boost::this_process::environment();
    for (const auto& v : command.unset_env) env.erase(v);
    for (const auto& [k, v] : command.set_env) env.set(k, v);
    const std::vector<std::string> args(command.argv.begin() + 1, command.argv.end());
    const std::string cwd = command.cwd.empty() ? "." : command.cwd;
    if (!command.capture) {
      bp::child child(exe, bp::args(args), bp::start_dir(cwd), env);
      result.started = true;
      child.wait();
      result.exit_code = child.exit_code();
      return result;
    }
    const SigpipeBlocked no_sigpipe;  // the input is written on this thread, by ios.run_for
    boost::asio::io_context ios;
    std::future<std::string> out, err;
    bp::child child(exe, bp::args(args), bp::start_dir(cwd), env, bp::std_in < boost::asio::buffer(command.input),
                    bp::std_out > out, bp::std_err > err, ios);
    result.started = true;
    const auto deadline = std::chrono::steady_clock::now() + command.timeout;
    while (!ios.stopped()) {
      ios.run_for(std::chrono::milliseconds(20));
      if (ios.stopped()) break;
      const bool cancelled = command.cancelled && command.cancelled->load();
      if (cancelled || std::chrono::steady_clock::now() >= deadline) {
        result.cancelled = cancelled;
        result.timed_out = !cancelled;
        result.error = cancelled ? "cancelled" : "timed out after " + std::to_string(command.timeout.count()) + " ms";
        std::error_code ec;
        child.terminate(ec);  // SIGKILL
        child.wait(ec);
        return result;
      }
    }
    child.wait();
    result.exit_code = child.exit_code();
    result.out = out.get();
    result.err = err.get();
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  return result;
}

}  // namespace vigil::process
