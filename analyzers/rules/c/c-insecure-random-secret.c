#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

static const char ALPHABET[] = "abcdefghijklmnopqrstuvwxyz0123456789";

void make_reset_token(char *out, size_t len) {
  srand(time(NULL));
  for (size_t i = 0; i + 1 < len; i++) {
    // ruleid: c-insecure-random-secret
    out[i] = ALPHABET[rand() % (sizeof ALPHABET - 1)];
  }
  out[len - 1] = '\0';
}

struct session { unsigned long session_id; };

void start(struct session *s) {
  // ruleid: c-insecure-random-secret
  s->session_id = ((unsigned long)random() << 32) | random();
  // ruleid: c-insecure-random-secret
  long salt = lrand48();
  store_salt(salt);
}

void make_reset_token_safely(unsigned char *out, size_t len) {
  // ok: c-insecure-random-secret
  if (getrandom(out, len, 0) != (ssize_t)len) abort();
}

int roll_dice(void) {
  // ok: c-insecure-random-secret
  return rand() % 6 + 1;
}

void jitter(struct timespec *ts) {
  // ok: c-insecure-random-secret
  long delay_ms = random() % 100;
  ts->tv_nsec = delay_ms * 1000000L;
}
