#include <stdlib.h>
#include <string.h>

struct node { int key; struct node *next; };

char *copy_message(const char *src, size_t len) {
  char *buf = malloc(len + 1);
  // ruleid: c-malloc-unchecked-null
  memcpy(buf, src, len);
  buf[len] = '\0';
  return buf;
}

struct node *push(struct node *head, int key) {
  struct node *n = (struct node *) malloc(sizeof *n);
  // ruleid: c-malloc-unchecked-null
  n->key = key;
  n->next = head;
  return n;
}

int *zeros(size_t count) {
  int *v;
  v = calloc(count, sizeof *v);
  // ruleid: c-malloc-unchecked-null
  for (size_t i = 0; i < count; i++) v[i] = -1;
  return v;
}

char *copy_checked(const char *src, size_t len) {
  char *buf = malloc(len + 1);
  // ok: c-malloc-unchecked-null
  if (buf == NULL) return NULL;
  // ok: c-malloc-unchecked-null
  memcpy(buf, src, len);
  buf[len] = '\0';
  return buf;
}

struct node *push_checked(struct node *head, int key) {
  struct node *n = malloc(sizeof *n);
  // ok: c-malloc-unchecked-null
  if (!n) abort();
  n->key = key;
  char *label = xmalloc(16);
  // ok: c-malloc-unchecked-null
  label[0] = '\0';
  return n;
}

char *dup_or_null(const char *src, size_t n) {
  char *copy = malloc(n);
  // ok: c-malloc-unchecked-null
  return copy != NULL ? memcpy(copy, src, n) : NULL;
}

size_t table_bytes(size_t k) {
  int *v = malloc(k * sizeof *v);
  // ok: c-malloc-unchecked-null
  size_t bytes = k * sizeof(*v);
  if (!v) return 0;
  free(v);
  return bytes;
}

int *zeroed(int n) {
  int *p = malloc(n * sizeof(int));
  // ok: c-malloc-unchecked-null
  for (int i = 0; p != NULL && i < n; i++) p[i] = 0;
  return p;
}

int *filled(int n) {
  int *p = malloc(n * sizeof(int));
  // ruleid: c-malloc-unchecked-null
  for (int i = 0; i < n; i++) p[i] = -1;
  return p;
}
