#pragma once

#include <filesystem>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyzers/feedback/bank.hpp"
#include "vigil/grammars/registry.hpp"

namespace vigil {
class RuleSet;
namespace workspace {
struct Project;
}
}  // namespace vigil

namespace vigil::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Walks a command's arguments one at a time; value() takes the current option's value.
class ArgCursor {
 public:
  ArgCursor(const std::vector<std::string>& args, size_t start = 0) : args_(args), next_(start) {}
  bool next() {
    if (next_ >= args_.size()) return false;
    current_ = next_++;
    return true;
  }
  const std::string& arg() const { return args_[current_]; }
  std::string value() {
    if (next_ >= args_.size()) throw UsageError(arg() + " needs a value");
    return args_[next_++];
  }

 private:
  const std::vector<std::string>& args_;
  size_t next_;
  size_t current_ = 0;
};

// Which rules to load: the built-in packs unless --no-builtin, plus every --rules PATH.
struct RuleOptions {
  std::vector<std::string> paths;
  bool builtin = true;
  // Consumes --rules/--no-builtin at the cursor; false if the argument is something else.
  bool take(ArgCursor& args) {
    // A path typed on the command line is relative to the current directory, not to the project
    // root (the workspace boundary resolves relative paths against the root).
    if (args.arg() == "--rules") paths.push_back(std::filesystem::absolute(args.value()).lexically_normal().string());
    else if (args.arg() == "--no-builtin") builtin = false;
    else return false;
    return true;
  }
};

// Loads the run's rules (workspace::load_rules: built-in, project, --rules) into `set` and prints
// their problems to stderr; false when any is an error.
// `languages`: load only the built-in rules for these, with matchers for these languages alone (the
// command sees no other; see workspace::load_rules).
bool load_rules(const RuleOptions& options, const workspace::Project& project, RuleSet& set,
                const std::set<const grammars::Language*>* languages = nullptr);
// The whole file; `ok` false when it cannot be opened.
std::string read_file(const std::string& path, bool& ok);

int check(const std::vector<std::string>& args);
// `vigil check` with hooks for other commands: `collect` gets every finding of the run (before the
// bank and the baseline hide any) and nothing is reported (`vigil feedback baseline`).
struct CheckHooks {
  std::function<void(const std::vector<feedback::Bank::Seen>&)> collect;
};
int check_with(const std::vector<std::string>& args, const CheckHooks& hooks);
// `vigil feedback stats|export|import|baseline` (cli/feedback.cpp).
int feedback_command(const std::vector<std::string>& args);
// `vigil report merge PART... [-o FILE]`.
int report_command(const std::vector<std::string>& args);
// `vigil prompt`: the rules as an agent's instructions.
int prompt_command(const std::vector<std::string>& args);
int test_rules(const std::vector<std::string>& args);
int rules_command(const std::vector<std::string>& args);
// `vigil parse [--tree] FILE...`: syntax errors as tree-sitter sees them (exit 1 when any), and
// with --tree the syntax tree, for writing queries.
int parse_command(const std::vector<std::string>& args);
// `vigil gen-tests FILE[:LINE] ...`: security tests for findings (cli/gen_tests.cpp).
int gen_tests(const std::vector<std::string>& args);

}  // namespace vigil::cli
