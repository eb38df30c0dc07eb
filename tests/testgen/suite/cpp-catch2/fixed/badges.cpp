// The "@user" label shown on a profile badge.
#include <cstring>
#include <string>

std::string badge_label(const char *user) {
  return "@" + std::string(user);
}
