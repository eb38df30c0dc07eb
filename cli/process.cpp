// The CLI's only use of Boost.Process (slow to compile: kept to this file).
#include "cli/process.hpp"

#include <boost/process.hpp>

#include <filesystem>

namespace vigil::cli {

int run_command(const std::vector<std::string>& argv, const std::string& cwd, std::string& error) {
  namespace bp = boost::process;
  if (argv.empty()) {
    error = "empty command";
    return -1;
  }
  try {
    boost::filesystem::path program;
    if (argv[0].find('/') != std::string::npos) program = boost::filesystem::path(cwd) / argv[0];
    else program = bp::search_path(argv[0]);
    if (program.empty()) {
      error = "`" + argv[0] + "` is not on PATH";
      return -1;
    }
    const std::vector<std::string> args(argv.begin() + 1, argv.end());
    bp::child child(program, bp::args(args), bp::start_dir(cwd));
    child.wait();
    return child.exit_code();
  } catch (const std::exception& e) {
    error = "cannot run `" + argv[0] + "`: " + e.what();
    return -1;
  }
}

}  // namespace vigil::cli
