/* Writes audit events to the console log. */
#include <stdio.h>

void audit_event(const char *event) {
  printf("%s\n", event);
}
