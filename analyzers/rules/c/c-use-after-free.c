#include <stdio.h>
#include <stdlib.h>

struct session { char *user; int fd; };

void close_session(struct session *s) {
  free(s->user);
  // ruleid: c-use-after-free
  printf("closing session of %s\n", s->user);
  free(s);
}

int handle(char *buf, int failed) {
  free(buf);
  if (failed) {
    return -1;
  }
  // ruleid: c-use-after-free
  free(buf);
  return 0;
}

int last_byte(char *data, size_t n) {
  free(data);
  // ruleid: c-use-after-free
  return data[n - 1];
}

void reset(struct session *s) {
  free(s->user);
  // ok: c-use-after-free
  s->user = NULL;
  // ok: c-use-after-free
  if (s->user == NULL) s->fd = -1;
}

char *replace(char *old, const char *src) {
  free(old);
  // ok: c-use-after-free
  old = strdup(src);
  // ok: c-use-after-free
  printf("%s\n", old);
  return old;
}

void rebuild(struct session *s) {
  free(s->user);
  reload_session(&s);
  // ok: c-use-after-free
  printf("%s\n", s->user);
}
