/* Opens a stored upload for the download endpoint. */
#include <stdio.h>
#include <string.h>

FILE *open_upload(const char *name) {
  /* An upload name is one path component. */
  if (name[0] == '\0' || strchr(name, '/') || strcmp(name, "..") == 0 || strcmp(name, ".") == 0) return NULL;
  char path[512];
  snprintf(path, sizeof path, "/srv/uploads/%s", name);
  return fopen(path, "rb");
}
