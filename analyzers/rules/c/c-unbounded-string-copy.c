#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct user {
  char name[32];
  char home[64];
};

void set_name(struct user *u, const char *input) {
  // ruleid: c-unbounded-string-copy
  strcpy(u->name, input);
}

void greet(int argc, char **argv) {
  char msg[128] = "hello, ";
  // ruleid: c-unbounded-string-copy
  strcat(msg, argv[1]);
  puts(msg);
}

char *join_path(char *out, const char *dir, const char *file) {
  // ok: c-unbounded-string-copy
  strcpy(out, "/");
  // ruleid: c-unbounded-string-copy
  char *end = stpcpy(out + 1, dir);
  *end++ = '/';
  // ruleid: c-unbounded-string-copy
  strcpy(end, file);
  return out;
}

void copy_safely(struct user *u, const char *input) {
  // ok: c-unbounded-string-copy
  snprintf(u->name, sizeof u->name, "%s", input);
  // ok: c-unbounded-string-copy
  strcat(u->home, "/.config");
}

char *duplicate(const char *s) {
  char *p = malloc(strlen(s) + 1);
  if (p == NULL) return NULL;
  // ok: c-unbounded-string-copy
  strcpy(p, s);
  return p;
}

char *concat(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 1;
  char *out = xmalloc(n);
  // ok: c-unbounded-string-copy
  strcpy(out, a);
  // ok: c-unbounded-string-copy
  strcat(out, b);
  return out;
}

int set_name_checked(struct user *u, const char *input) {
  if (strlen(input) >= sizeof u->name) return -1;
  // ok: c-unbounded-string-copy
  strcpy(u->name, input);
  return 0;
}
