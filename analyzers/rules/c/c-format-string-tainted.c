#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  // ruleid: c-format-string-tainted
  printf(argv[1], argv[2]);
  return 0;
}

void log_request(int fd, const char *client) {
  char line[256];
  FILE *in = fdopen(fd, "r");
  if (fgets(line, sizeof line, in) == NULL) return;
  // ruleid: c-format-string-tainted
  syslog(LOG_INFO, line, client);
}

void greet(void) {
  const char *fmt = getenv("GREETING_FORMAT");
  char out[128];
  // ruleid: c-format-string-tainted
  snprintf(out, sizeof out, fmt, "world");
  puts(out);
}

void log_request_safely(int fd, const char *client, int argc, char **argv) {
  char line[256];
  FILE *in = fdopen(fd, "r");
  if (fgets(line, sizeof line, in) == NULL) return;
  // ok: c-format-string-tainted
  syslog(LOG_INFO, "request %s from %s", line, client);
  // ok: c-format-string-tainted
  printf("%s: %d args\n", argv[0], argc);
  const char *fmt = argc > 2 ? "%s\n" : "%s";
  // ok: c-format-string-tainted
  fprintf(stderr, fmt, client);
}
