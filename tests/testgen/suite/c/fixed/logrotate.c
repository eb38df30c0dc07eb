/* Compresses one application log on request from the admin page. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

int compress_log(const char *log_name) {
  /* Log names are letters, digits, '.', '-' and '_' only, and never start with '.'. */
  if (log_name[0] == '\0' || log_name[0] == '.') return -1;
  for (const char *p = log_name; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_') return -1;
  char cmd[512];
  snprintf(cmd, sizeof cmd, "gzip -k /var/log/app/%s", log_name);
  return system(cmd);
}
