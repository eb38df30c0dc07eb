#include <stdint.h>
#include <stdlib.h>

struct point { int x, y; };

struct point *read_points(FILE *f, uint32_t count) {
  // ruleid: c-malloc-size-overflow
  struct point *pts = malloc(count * sizeof(struct point));
  if (!pts) return NULL;
  fread(pts, sizeof *pts, count, f);
  return pts;
}

char **split(const char *s, size_t fields) {
  // ruleid: c-malloc-size-overflow
  char **out = (char **)malloc(fields * sizeof(char *));
  if (out == NULL) return NULL;
  return out;
}

int *table(size_t rows, size_t cols) {
  // ruleid: c-malloc-size-overflow
  return malloc(rows * cols);
}

struct point *read_points_checked(uint32_t count) {
  if (count > SIZE_MAX / sizeof(struct point)) return NULL;
  // ok: c-malloc-size-overflow
  return malloc(count * sizeof(struct point));
}

void fixed(void) {
  // ok: c-malloc-size-overflow
  char *a = malloc(16 * sizeof(int));
  // ok: c-malloc-size-overflow
  struct point *b = calloc(count_points(), sizeof *b);
  // ok: c-malloc-size-overflow
  char *c = malloc(len + 1);
  // ok: c-malloc-size-overflow
  char *d = malloc(sizeof(char) * len);
  free(d);
  free(a); free(b); free(c);
}
