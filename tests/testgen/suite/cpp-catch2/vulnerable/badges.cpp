// The "@user" label shown on a profile badge.
#include <cstring>
#include <string>

std::string badge_label(const char *user) {
  char buf[32];
  strcpy(buf, "@");
  strcat(buf, user);
  return std::string(buf);
}
