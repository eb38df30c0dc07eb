#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int serve_file(void) {
  const char *query = getenv("QUERY_STRING");
  char path[512];
  if (query == NULL) return 1;
  snprintf(path, sizeof path, "/var/www/files/%s", query);
  // ruleid: c-path-traversal
  FILE *f = fopen(path, "r");
  if (!f) return 1;
  fclose(f);
  return 0;
}

void delete_item(void) {
  const char *name = getenv("PATH_INFO");
  // ruleid: c-path-traversal
  unlink(name);
}

int save_upload(int sock) {
  char name[128] = {0};
  if (recv(sock, name, sizeof name - 1, 0) <= 0) return -1;
  char path[256];
  snprintf(path, sizeof path, "/srv/files/%s", name);
  // ruleid: c-path-traversal
  return open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
}

int open_safely(int sock, int argc, char **argv) {
  char name[128] = {0}, path[512];
  // ok: c-path-traversal
  FILE *conf = fopen("/etc/app/app.conf", "r");
  if (recv(sock, name, sizeof name - 1, 0) <= 0) return -1;
  snprintf(path, sizeof path, "/var/app/uploads/%s", basename(name));
  // ok: c-path-traversal
  FILE *f = fopen(path, "r");
  snprintf(path, sizeof path, "/var/app/logs/%d.log", atoi(name));
  // ok: c-path-traversal
  int fd = open(path, O_RDONLY);
  // ok: c-path-traversal
  FILE *in = fopen(argv[1], "r");
  fclose(conf); fclose(f); fclose(in);
  return fd;
}

FILE *open_named(const char *name) {
  char path[256];
  if (strchr(name, '/') || strstr(name, "..")) return NULL;
  snprintf(path, sizeof path, "/var/app/uploads/%s", name);
  // ok: c-path-traversal
  return fopen(path, "rb");
}

FILE *open_named_unchecked(const char *name) {
  char path[256];
  snprintf(path, sizeof path, "/var/app/uploads/%s", name);
  // ruleid: c-path-traversal
  return fopen(path, "rb");
}

FILE *open_conf(const char *config_dir) {
  char path[256];
  snprintf(path, sizeof path, "%s/app.conf", config_dir);
  // ok: c-path-traversal
  return fopen(path, "r");
}

int drop_entry(const char *cache_dir, const char *key) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", cache_dir, key);
  // ruleid: c-path-traversal
  return unlink(path);
}
