#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

FILE *scratch(void) {
  char name[L_tmpnam];
  // ruleid: c-insecure-tempfile
  tmpnam(name);
  return fopen(name, "w+");
}

int lockfile(void) {
  char tmpl[] = "/tmp/app-XXXXXX";
  // ruleid: c-insecure-tempfile
  mktemp(tmpl);
  // ruleid: c-insecure-tempfile
  FILE *log = fopen("/tmp/app.log", "a");
  fclose(log);
  // ruleid: c-insecure-tempfile
  return open("/tmp/app.pid", O_WRONLY | O_CREAT | O_TRUNC, 0644);
}

int scratch_safely(void) {
  char tmpl[] = "/tmp/app-XXXXXX";
  // ok: c-insecure-tempfile
  int fd = mkstemp(tmpl);
  // ok: c-insecure-tempfile
  FILE *anon = tmpfile();
  // ok: c-insecure-tempfile
  FILE *in = fopen("/tmp/app.conf", "r");
  // ok: c-insecure-tempfile
  int pid = open("/tmp/app.pid", O_WRONLY | O_CREAT | O_EXCL, 0600);
  fclose(anon); fclose(in);
  return fd + pid;
}
