#include <stdarg.h>
#include <stdio.h>
#define PORT_FMT "%5d"

void make_path(const char *dir, const char *name) {
  char path[256];
  // ruleid: c-sprintf-overflow
  sprintf(path, "%s/%s", dir, name);
  open_file(path);
}

void log_line(const char *fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  // ruleid: c-sprintf-overflow
  vsprintf(line, fmt, ap);
  va_end(ap);
  fputs(line, stderr);
}

void banner(char *out, const char *user_fmt, const char *who) {
  // ruleid: c-sprintf-overflow
  sprintf(out, user_fmt, who);
  // ruleid: c-sprintf-overflow
  sprintf(out, "user=%10s", who);
  // ruleid: c-sprintf-overflow
  sprintf(out, user_fmt);
}

void safe(const char *dir, const char *name, int port) {
  char path[256];
  char num[16];
  // ok: c-sprintf-overflow
  snprintf(path, sizeof path, "%s/%s", dir, name);
  // ok: c-sprintf-overflow
  sprintf(num, "%d", port);
  // ok: c-sprintf-overflow
  sprintf(path, "%.200s", name);
  // ok: c-sprintf-overflow
  sprintf(num, "%%s %u", (unsigned)port);
  // ok: c-sprintf-overflow
  sprintf(num, PORT_FMT, port);
}

char *pub_name(const char *priv) {
  char *name = xalloc(strlen(priv) + 5);
  // ok: c-sprintf-overflow
  sprintf(name, "%s.pub", priv);
  return name;
}

void temp_name(const char *tmpdir, int base, long v) {
  char fname[strlen(tmpdir) + sizeof "/app.XXXXXX"];
  // ok: c-sprintf-overflow
  sprintf(fname, "%s/app.XXXXXX", tmpdir);
  char num[32];
  // ok: c-sprintf-overflow
  sprintf(num, base == 10 ? "%ld" : "%lx", v);
}
