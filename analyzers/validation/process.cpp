// Boost.Process is kept to this file (it compiles slowly).
#include <boost/asio/io_context.hpp>
#include <boost/process.hpp>

#include <future>

#include "analyzers/validation/transport.hpp"

namespace vigil::validation {

namespace bp = boost::process;

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input, std::chrono::milliseconds timeout,
                          const std::atomic<bool>& cancelled) {
  ProcessResult result;
  if (argv.empty()) {
    result.error = "no command configured";
    return result;
  }
  boost::filesystem::path exe = argv[0];
  if (argv[0].find('/') == std::string::npos) exe = bp::search_path(argv[0]);
  if (exe.empty()) {
    result.error = "`" + argv[0] + "` not found in PATH";
    return result;
  }
  try {
    boost::asio::io_context ios;
    std::future<std::string> out, err;
    std::vector<std::string> args(argv.begin() + 1, argv.end());
    bp::child child(exe, bp::args(args), bp::std_in < boost::asio::buffer(input), bp::std_out > out, bp::std_err > err, ios);
    result.started = true;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ios.stopped()) {
      ios.run_for(std::chrono::milliseconds(20));
      if (ios.stopped()) break;
      if (cancelled.load() || std::chrono::steady_clock::now() >= deadline) {
        result.cancelled = cancelled.load();
        result.timed_out = !result.cancelled;
        result.error = result.cancelled ? "cancelled" : "timed out after " + std::to_string(timeout.count()) + " ms";
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

}  // namespace vigil::validation
