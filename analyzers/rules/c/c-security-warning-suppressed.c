#include <stdio.h>
#include <string.h>
// ruleid: c-security-warning-suppressed
#define _CRT_SECURE_NO_WARNINGS

// ruleid: c-security-warning-suppressed
#pragma GCC diagnostic ignored "-Wformat-security"

void log_message(const char *msg) {
  printf(msg);
}

void copy_name(char *dst, const char *src) {
  // ruleid: c-security-warning-suppressed
  strcpy(dst, src); // NOLINT(clang-analyzer-security.insecureAPI.strcpy)
  // ruleid: c-security-warning-suppressed
  strcat(dst, src); // flawfinder: ignore
  // ruleid: c-security-warning-suppressed
  // NOLINTNEXTLINE
  sprintf(dst, "%s", src);
}

// ok: c-security-warning-suppressed
#pragma GCC diagnostic ignored "-Wunused-parameter"

int add(int a, int b) {
  // ok: c-security-warning-suppressed
  return a + b; // NOLINT(readability-magic-numbers)
}

void copy_name_safely(char *dst, size_t n, const char *src) {
  // ok: c-security-warning-suppressed
  // NOLINTNEXTLINE
  int unused_but_needed = 0;
  snprintf(dst, n, "%s", src);
  (void)unused_but_needed;
}
