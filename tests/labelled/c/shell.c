/* Shell, SQL, file and logging helpers as an assistant writes them (labelled: vuln/safe per function). */
#include <errno.h>
#include <limits.h>
#include <mysql/mysql.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

// vuln: command-injection
int list_dir(const char *dir) {
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "ls -la %s", dir);
    return system(cmd);
}

// safe: command-injection
int list_dir_safe(const char *dir) {
    pid_t pid = fork();
    if (pid == 0) {
        execlp("ls", "ls", "-la", "--", dir, (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WEXITSTATUS(status);
}

// vuln: command-injection
int ping_host(const char *host) {
    char cmd[256];
    sprintf(cmd, "ping -c 1 %s > /dev/null", host);
    return system(cmd) == 0;
}

// safe: command-injection
int ping_host_safe(const char *host) {
    char *const argv[] = {"ping", "-c", "1", (char *)host, NULL};
    pid_t pid = fork();
    if (pid == 0) {
        execvp("ping", argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// vuln: command-injection
char *read_command_output(const char *filename) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "file -b %s", filename);
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    char *out = malloc(4096);
    if (out && !fgets(out, 4096, p)) out[0] = '\0';
    pclose(p);
    return out;
}

// safe: command-injection
int clear_screen(void) {
    return system("clear");
}

// vuln: command-injection
int backup_database(const char *db_name, const char *dest) {
    char cmd[PATH_MAX * 2];
    strcpy(cmd, "pg_dump ");
    strcat(cmd, db_name);
    strcat(cmd, " > ");
    strcat(cmd, dest);
    return system(cmd);
}

// safe: command-injection
int uptime_report(char *out, size_t len) {
    FILE *p = popen("uptime", "r");
    if (!p) return -1;
    if (!fgets(out, (int)len, p)) out[0] = '\0';
    return pclose(p);
}

// vuln: command-injection
int send_mail(const char *to, const char *subject) {
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "mail -s \"%s\" %s < /tmp/body.txt", subject, to);
    FILE *p = popen(cmd, "w");
    if (!p) return -1;
    return pclose(p);
}

// vuln: command-injection
void run_hook(const char *hook_dir, const char *event) {
    char path[256];
    snprintf(path, sizeof(path), "%s/%s.sh", hook_dir, event);
    execl("/bin/sh", "sh", "-c", path, (char *)NULL);
}

// vuln: sql-injection
int delete_user(sqlite3 *db, const char *username) {
    char sql[256];
    sprintf(sql, "DELETE FROM users WHERE name = '%s';", username);
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

// safe: sql-injection
int delete_user_safe(sqlite3 *db, const char *username) {
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(db, "DELETE FROM users WHERE name = ?;", -1, &stmt, NULL);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_text(stmt, 1, username, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

// vuln: sql-injection
int find_user(sqlite3 *db, const char *email, sqlite3_callback cb, void *arg) {
    char *sql = sqlite3_mprintf("SELECT id, name FROM users WHERE email = '%s'", email);
    int rc = sqlite3_exec(db, sql, cb, arg, NULL);
    sqlite3_free(sql);
    return rc;
}

// safe: sql-injection
int find_user_safe(sqlite3 *db, const char *email, sqlite3_callback cb, void *arg) {
    char *sql = sqlite3_mprintf("SELECT id, name FROM users WHERE email = %Q", email);
    int rc = sqlite3_exec(db, sql, cb, arg, NULL);
    sqlite3_free(sql);
    return rc;
}

// vuln: sql-injection
int insert_log(MYSQL *conn, const char *user, const char *action) {
    char query[1024];
    snprintf(query, sizeof(query), "INSERT INTO audit (user, action) VALUES ('%s', '%s')", user, action);
    return mysql_query(conn, query);
}

// safe: sql-injection
int insert_log_safe(MYSQL *conn, const char *user, const char *action) {
    char u[256], a[512], query[1024];
    if (strlen(user) >= sizeof(u) / 2 || strlen(action) >= sizeof(a) / 2) return -1;
    mysql_real_escape_string(conn, u, user, strlen(user));
    mysql_real_escape_string(conn, a, action, strlen(action));
    snprintf(query, sizeof(query), "INSERT INTO audit (user, action) VALUES ('%s', '%s')", u, a);
    return mysql_query(conn, query);
}

// vuln: sql-injection
int prepare_lookup(sqlite3 *db, const char *table, sqlite3_stmt **stmt) {
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE id = ?", table);
    return sqlite3_prepare_v2(db, sql, -1, stmt, NULL);
}

// safe: sql-injection
int count_orders(sqlite3 *db, int customer_id, sqlite3_callback cb) {
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM orders WHERE customer = %d", customer_id);
    return sqlite3_exec(db, sql, cb, NULL, NULL);
}

// vuln: path-traversal
FILE *open_upload(const char *name) {
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "/var/www/uploads/%s", name);
    return fopen(path, "rb");
}

// safe: path-traversal
FILE *open_upload_safe(const char *name) {
    if (strchr(name, '/') || strstr(name, "..")) {
        errno = EINVAL;
        return NULL;
    }
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "/var/www/uploads/%s", name);
    return fopen(path, "rb");
}

// vuln: path-traversal
int remove_cache_entry(const char *cache_dir, const char *key) {
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", cache_dir, key);
    return unlink(path);
}

// safe: path-traversal
FILE *open_in_root(const char *root, const char *rel) {
    char joined[PATH_MAX], resolved[PATH_MAX];
    snprintf(joined, sizeof(joined), "%s/%s", root, rel);
    if (!realpath(joined, resolved)) return NULL;
    size_t n = strlen(root);
    if (strncmp(resolved, root, n) != 0 || (resolved[n] != '/' && resolved[n] != '\0')) {
        errno = EACCES;
        return NULL;
    }
    return fopen(resolved, "r");
}

// vuln: path-traversal
int write_report(const char *dir, const char *user, const char *text) {
    char path[512];
    snprintf(path, sizeof(path), "%s/%s.txt", dir, user);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

// vuln: path-traversal
int read_template(const char *name, char *buf, size_t len) {
    char path[256] = "templates/";
    strncat(path, name, sizeof(path) - strlen(path) - 1);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
    return (int)n;
}

// safe: path-traversal
FILE *open_config(void) {
    const char *home = getenv("HOME");
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/.config/app/config.ini", home ? home : ".");
    return fopen(path, "r");
}

// vuln: format-string
void log_message(const char *msg) {
    printf(msg);
    printf("\n");
}

// safe: format-string
void log_message_safe(const char *msg) {
    printf("%s\n", msg);
}

// vuln: format-string
void log_error(const char *user_input) {
    syslog(LOG_ERR, user_input);
}

// safe: format-string
void log_error_safe(const char *user_input) {
    syslog(LOG_ERR, "%s", user_input);
}

// vuln: format-string
void warn_user(FILE *out, const char *text) {
    fprintf(out, text);
}

// safe: format-string
void warn_user_safe(FILE *out, const char *text) {
    fputs(text, out);
}

// vuln: format-string
int format_greeting(char *dst, size_t n, const char *name) {
    return snprintf(dst, n, name);
}

// safe: format-string
void logf_checked(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void logf_checked(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

// vuln: format-string
void die(const char *reason) {
    fprintf(stderr, reason);
    exit(1);
}
