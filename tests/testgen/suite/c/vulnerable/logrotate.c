/* Compresses one application log on request from the admin page. */
#include <stdio.h>
#include <stdlib.h>

int compress_log(const char *log_name) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "gzip -k /var/log/app/%s", log_name);
  return system(cmd);
}
