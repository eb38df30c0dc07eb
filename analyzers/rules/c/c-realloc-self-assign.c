#include <stdlib.h>
#include <string.h>

struct vec { int *items; size_t len, cap; };

int push(struct vec *v, int x) {
  if (v->len == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 8;
    // ruleid: c-realloc-self-assign
    v->items = realloc(v->items, v->cap * sizeof *v->items);
    if (!v->items) return -1;
  }
  v->items[v->len++] = x;
  return 0;
}

char *append(char *buf, size_t *len, const char *s) {
  size_t n = strlen(s);
  // ruleid: c-realloc-self-assign
  buf = (char *) realloc(buf, *len + n + 1);
  memcpy(buf + *len, s, n + 1);
  *len += n;
  return buf;
}

int grow(struct vec *v, size_t cap) {
  // ok: c-realloc-self-assign
  int *tmp = realloc(v->items, cap * sizeof *tmp);
  if (tmp == NULL) return -1;
  // ok: c-realloc-self-assign
  v->items = tmp;
  v->cap = cap;
  return 0;
}

char *grow_copy(char *old, size_t n) {
  // ok: c-realloc-self-assign
  char *bigger = realloc(old, n);
  return bigger;
}

void *xrealloc(void *p, size_t n) {
  // ok: c-realloc-self-assign
  p = realloc(p, n);
  if (p == NULL) xalloc_die();
  return p;
}

int *grow_or_exit(int *p, size_t n) {
  // ok: c-realloc-self-assign
  if ((p = realloc(p, n)) == NULL) exit(EXIT_FAILURE);
  return p;
}

int *grow_checked_later(int *p, size_t n, size_t *cap) {
  // ok: c-realloc-self-assign
  p = realloc(p, n * sizeof *p);
  *cap = n;
  /* callers never see NULL */
  if (p == NULL)
    err(1, "realloc");
  return p;
}

int *grow_or_error(int *p, size_t n) {
  // ruleid: c-realloc-self-assign
  p = realloc(p, n);
  if (p == NULL) {
    return NULL;
  }
  return p;
}

int *grow_in_condition(int *p, size_t n) {
  // ruleid: c-realloc-self-assign
  if ((p = realloc(p, n)) == NULL) return NULL;
  return p;
}
