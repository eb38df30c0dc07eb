#include <fcntl.h>
#include <sys/stat.h>

int create_store(const char *path) {
  // ruleid: c-world-writable-permissions
  umask(0);
  // ruleid: c-world-writable-permissions
  mkdir("/var/lib/app/cache", 0777);
  // ruleid: c-world-writable-permissions
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  // ruleid: c-world-writable-permissions
  chmod(path, S_IRWXU | S_IRWXG | S_IRWXO);
  return fd;
}

int create_store_safely(const char *path) {
  // ok: c-world-writable-permissions
  umask(022);
  // ok: c-world-writable-permissions
  mkdir("/var/lib/app/cache", 0750);
  // ok: c-world-writable-permissions
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  // ok: c-world-writable-permissions
  chmod(path, S_IRUSR | S_IWUSR | S_IRGRP);
  // ok: c-world-writable-permissions
  mkdir("/tmp/app-shared", 01777);
  return fd;
}
