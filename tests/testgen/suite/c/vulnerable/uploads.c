/* Opens a stored upload for the download endpoint. */
#include <stdio.h>

FILE *open_upload(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "/srv/uploads/%s", name);
  return fopen(path, "rb");
}
