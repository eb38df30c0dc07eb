#include <stdio.h>
#include <stdlib.h>

static int counters[16];
static const char *names[] = {"zero", "one", "two"};

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  int slot = atoi(argv[1]);
  long value = strtol(argv[2], NULL, 10);
  // ruleid: c-array-index-unchecked-input
  counters[slot] += (int)value;
  printf("%d\n", counters[0]);
  return 0;
}

const char *name_of(const char *line) {
  unsigned long n;
  n = strtoul(line, NULL, 10);
  // ruleid: c-array-index-unchecked-input
  return names[n];
}

int bump(const char *arg) {
  int i = atoi(arg);
  if (i < 0 || i >= 16) return -1;
  // ok: c-array-index-unchecked-input
  counters[i]++;
  return 0;
}

const char *name_of_safely(const char *line) {
  unsigned long n = strtoul(line, NULL, 10);
  // ok: c-array-index-unchecked-input
  return n < sizeof names / sizeof names[0] ? names[n] : "unknown";
}

int sum(int k) {
  int total = 0;
  for (int j = 0; j < k; j++) {
    // ok: c-array-index-unchecked-input
    total += counters[j];
  }
  return total;
}
