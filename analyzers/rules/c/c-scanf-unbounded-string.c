#include <stdio.h>

int read_user(void) {
  char name[32];
  int age;
  // ruleid: c-scanf-unbounded-string
  if (scanf("%s %d", name, &age) != 2) return -1;
  return age;
}

int parse_header(const char *line, char *key, char *value) {
  // ruleid: c-scanf-unbounded-string
  return sscanf(line, "%[^:]: %s", key, value);
}

void load(FILE *f) {
  char host[64];
  // ruleid: c-scanf-unbounded-string
  while (fscanf(f, "host=%s\n", host) == 1) connect_to(host);
}

int read_safely(FILE *f, const char *line) {
  char name[32], key[16];
  int port;
  // ok: c-scanf-unbounded-string
  if (scanf("%31s", name) != 1) return -1;
  // ok: c-scanf-unbounded-string
  sscanf(line, "%15[^:]:%d", key, &port);
  // ok: c-scanf-unbounded-string
  fscanf(f, "%*s %d", &port);
  char *word = NULL;
  // ok: c-scanf-unbounded-string
  fscanf(f, "%ms", &word);
  // ok: c-scanf-unbounded-string
  sscanf("alice 42", "%s %d", name, &port);
  // ok: c-scanf-unbounded-string
  printf("%s\n", name);
  return port;
}
