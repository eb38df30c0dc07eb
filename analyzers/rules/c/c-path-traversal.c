#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  char path[512];
  if (argc < 2) return 2;
  snprintf(path, sizeof path, "/var/app/uploads/%s", argv[1]);
  // ruleid: c-path-traversal
  FILE *f = fopen(path, "r");
  if (!f) return 1;
  fclose(f);
  return 0;
}

void drop_cache(void) {
  const char *name = getenv("CACHE_FILE");
  // ruleid: c-path-traversal
  unlink(name);
}

int save_upload(int sock) {
  char name[128] = {0};
  if (read(sock, name, sizeof name - 1) <= 0) return -1;
  char path[256];
  snprintf(path, sizeof path, "/srv/files/%s", name);
  // ruleid: c-path-traversal
  return open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
}

int open_safely(int argc, char **argv) {
  char path[512];
  // ok: c-path-traversal
  FILE *conf = fopen("/etc/app/app.conf", "r");
  snprintf(path, sizeof path, "/var/app/uploads/%s", basename(argv[1]));
  // ok: c-path-traversal
  FILE *f = fopen(path, "r");
  snprintf(path, sizeof path, "/var/app/logs/%d.log", atoi(argv[2]));
  // ok: c-path-traversal
  int fd = open(path, O_RDONLY);
  fclose(conf); fclose(f);
  return fd;
}
