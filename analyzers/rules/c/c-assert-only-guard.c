#include <arpa/inet.h>
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int read_record(int fd, unsigned char *out) {
  uint16_t hdr;
  char buf[256];
  if (read(fd, &hdr, 2) != 2) return -1;
  size_t len = ntohs(hdr);
  // ruleid: c-assert-only-guard
  assert(len <= sizeof buf);
  if (read(fd, buf, len) < 0) return -1;
  memcpy(out, buf, len);
  return (int)len;
}

int set_slot(int *slots, const char *arg, int v) {
  int idx = atoi(arg);
  // ruleid: c-assert-only-guard
  assert(idx >= 0 && idx < 16);
  slots[idx] = v;
  return 0;
}

int delete_user(const char *who, const char *pw, int id) {
  // ruleid: c-assert-only-guard
  assert(check_password(who, pw));
  return remove_user(id);
}

int main(int argc, char **argv) {
  // ruleid: c-assert-only-guard
  assert(argc > 1);
  return run(argv[1]);
}

int set_slot_safely(int *slots, int idx, int v) {
  // ok: c-assert-only-guard
  assert(slots != NULL);
  if (idx < 0 || idx >= 16) return -1;
  slots[idx] = v;
  return 0;
}

int sum(const int *v, size_t n) {
  int total = 0;
  // ok: c-assert-only-guard
  assert(n < 1000000);
  for (size_t i = 0; i < n; i++) total += v[i];
  return total;
}

int lookup(const int *table, size_t n, size_t i) {
  // ok: c-assert-only-guard
  assert(i < n);
  return table[i];
}
