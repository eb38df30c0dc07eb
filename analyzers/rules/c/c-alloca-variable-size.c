#include <alloca.h>
#include <string.h>
#define HDR_SIZE 16

int handle(const char *msg, size_t len) {
  // ruleid: c-alloca-variable-size
  char *copy = alloca(len + 1);
  memcpy(copy, msg, len);
  copy[len] = '\0';
  return process(copy);
}

void each_line(char **lines, int n) {
  for (int i = 0; i < n; i++) {
    // ruleid: c-alloca-variable-size
    char *tmp = (char *)alloca(strlen(lines[i]) * 2);
    escape(tmp, lines[i]);
  }
}

int fixed(void) {
  // ok: c-alloca-variable-size
  char *hdr = alloca(HDR_SIZE);
  // ok: c-alloca-variable-size
  struct stat *st = alloca(sizeof(struct stat));
  // ok: c-alloca-variable-size
  char *pair = alloca(2 * HDR_SIZE + 1);
  return hdr != NULL && st != NULL && pair != NULL;
}
