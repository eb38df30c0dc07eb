/* Prints the banner a kiosk shows when a visitor signs in. */
#include <stdio.h>
#include <string.h>

void print_greeting(const char *visitor) {
  char banner[32];
  snprintf(banner, sizeof banner, "Welcome, %s", visitor);
  puts(banner);
}

int main(int argc, char **argv) {
  print_greeting(argc > 1 ? argv[1] : "guest");
  return 0;
}
