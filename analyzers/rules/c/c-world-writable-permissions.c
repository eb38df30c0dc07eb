#include <fcntl.h>
#include <sys/stat.h>

int publish_socket(const char *path) {
  // ruleid: c-world-writable-permissions
  return chmod(path, 0777);
}

int create_store(const char *path) {
  // ruleid: c-world-writable-permissions
  umask(0);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  // ruleid: c-world-writable-permissions
  fchmod(fd, S_IRWXU | S_IRWXG | S_IRWXO);
  // ruleid: c-world-writable-permissions
  fchmodat(AT_FDCWD, "/var/lib/app/db", 0666, 0);
  return fd;
}

int create_store_safely(const char *path) {
  // ok: c-world-writable-permissions
  umask(022);
  // ok: c-world-writable-permissions
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  // ok: c-world-writable-permissions
  chmod(path, S_IRUSR | S_IWUSR | S_IRGRP);
  // ok: c-world-writable-permissions
  chmod("/tmp/app-shared", 01777);
  // ok: c-world-writable-permissions
  fchmod(fd, 0644);
  return fd;
}
