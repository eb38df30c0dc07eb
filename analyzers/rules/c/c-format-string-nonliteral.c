#include <stdio.h>
#include <syslog.h>
#include <libintl.h>
#define _(s) gettext(s)
#define USAGE_FMT "usage: %s FILE\n"

void report(const char *user_msg, FILE *out) {
  // ruleid: c-format-string-nonliteral
  printf(user_msg);
  // ruleid: c-format-string-nonliteral
  fprintf(out, user_msg);
}

void audit(struct request *req) {
  // ruleid: c-format-string-nonliteral
  syslog(LOG_WARNING, req->path);
  char line[256];
  // ruleid: c-format-string-nonliteral
  snprintf(line, sizeof line, req->headers[0]);
}

void report_safely(const char *user_msg, FILE *out, const char *prog) {
  // ok: c-format-string-nonliteral
  printf("%s", user_msg);
  // ok: c-format-string-nonliteral
  fprintf(out, "%s\n", user_msg);
  // ok: c-format-string-nonliteral
  syslog(LOG_INFO, "request for %s", user_msg);
  // ok: c-format-string-nonliteral
  printf(_("done\n"));
  // ok: c-format-string-nonliteral
  fprintf(stderr, USAGE_FMT, prog);
  // ok: c-format-string-nonliteral
  fputs(user_msg, out);
  // ok: c-format-string-nonliteral
  fprintf(out, prog[0] ? "named\n" : "anonymous\n");
}
