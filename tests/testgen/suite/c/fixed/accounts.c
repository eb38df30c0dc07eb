/* Account records: the username field holds at most USERNAME_MAX bytes. */
#include <stdio.h>
#include <string.h>

#define USERNAME_MAX 64

void store_username(char *field, const char *username) {
  snprintf(field, USERNAME_MAX, "%s", username);
}
