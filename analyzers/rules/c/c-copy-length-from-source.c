#include <stdlib.h>
#include <string.h>

struct msg { char subject[64]; char body[512]; };

void set_subject(struct msg *m, const char *subject) {
  // ruleid: c-copy-length-from-source
  memcpy(m->subject, subject, strlen(subject) + 1);
}

void set_body(struct msg *m, const char *text) {
  // ruleid: c-copy-length-from-source
  strncpy(m->body, text, strlen(text));
}

char *dup_string(const char *s) {
  char *p = malloc(strlen(s) + 1);
  if (!p) return NULL;
  // ok: c-copy-length-from-source
  memcpy(p, s, strlen(s) + 1);
  return p;
}

int set_subject_safely(struct msg *m, const char *subject) {
  if (strlen(subject) >= sizeof m->subject) return -1;
  // ok: c-copy-length-from-source
  memcpy(m->subject, subject, strlen(subject) + 1);
  // ok: c-copy-length-from-source
  strncpy(m->body, subject, sizeof m->body - 1);
  return 0;
}
