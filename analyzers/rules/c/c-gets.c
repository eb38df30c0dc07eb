#include <stdio.h>
#include <string.h>

int ask_name(void) {
  char name[32];
  printf("name: ");
  // ruleid: c-gets
  gets(name);
  return strlen(name) > 0;
}

int read_command(char *line) {
  // ruleid: c-gets
  while (gets(line) != NULL) {
    if (strcmp(line, "quit") == 0) return 0;
  }
  return 1;
}

int ask_safely(void) {
  char name[32];
  // ok: c-gets
  if (fgets(name, sizeof name, stdin) == NULL) return 0;
  name[strcspn(name, "\n")] = '\0';
  char *line = NULL;
  size_t cap = 0;
  // ok: c-gets
  ssize_t n = getline(&line, &cap, stdin);
  return n > 0;
}

struct reader { char *(*gets)(void *self); };

void use_reader(struct reader *r) {
  // ok: c-gets
  char *s = r->gets(r);
  puts(s);
}
