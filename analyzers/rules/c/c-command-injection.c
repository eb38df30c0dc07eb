#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  char cmd[256];
  if (argc < 2) return 2;
  snprintf(cmd, sizeof cmd, "ls -l %s", argv[1]);
  // ruleid: c-command-injection
  return system(cmd);
}

void open_in_editor(const char *file) {
  const char *editor = getenv("EDITOR");
  char cmd[512];
  snprintf(cmd, sizeof cmd, "%s %s", editor, file);
  // ruleid: c-command-injection
  FILE *p = popen(cmd, "r");
  pclose(p);
}

void serve(int fd) {
  char request[128] = {0};
  if (recv(fd, request, sizeof request - 1, 0) <= 0) return;
  // ruleid: c-command-injection
  execl("/bin/sh", "sh", "-c", request, (char *)NULL);
}

void ping_from_stdin(void) {
  char host[64], cmd[128];
  if (fgets(host, sizeof host, stdin) == NULL) return;
  strcpy(cmd, "ping -c 1 ");
  strcat(cmd, host);
  // ruleid: c-command-injection
  system(cmd);
}

void housekeeping(int argc, char **argv) {
  char cmd[64];
  // ok: c-command-injection
  system("rm -rf /var/cache/app/tmp");
  snprintf(cmd, sizeof cmd, "kill -HUP %d", atoi(argv[1]));
  // ok: c-command-injection
  system(cmd);
  // ok: c-command-injection
  execlp("ls", "ls", "-l", "--", argv[1], (char *)NULL);
  const char *fixed = "uptime";
  // ok: c-command-injection
  FILE *p = popen(fixed, "r");
  pclose(p);
}
