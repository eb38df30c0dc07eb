#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace vigil::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

int check(const std::vector<std::string>& args);
int test_rules(const std::vector<std::string>& args);
int rules_command(const std::vector<std::string>& args);

}  // namespace vigil::cli
