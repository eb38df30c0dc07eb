/* Account records: the username field holds at most USERNAME_MAX bytes. */
#include <string.h>

#define USERNAME_MAX 64

void store_username(char *field, const char *username) {
  memcpy(field, username, strlen(username) + 1);
}
