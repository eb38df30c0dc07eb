/* String and buffer helpers as an assistant writes them (labelled: vuln/safe per function). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct user {
    char name[32];
    char email[64];
    int id;
};

// vuln: buffer-overflow
int read_line(void) {
    char buf[128];
    gets(buf);
    return (int)strlen(buf);
}

// safe: buffer-overflow
int read_line_safe(void) {
    char buf[128];
    if (!fgets(buf, sizeof(buf), stdin)) return -1;
    buf[strcspn(buf, "\n")] = '\0';
    return (int)strlen(buf);
}

// vuln: buffer-overflow
int copy_name(char *dst, const char *src) {
    strcpy(dst, src);
    return 0;
}

// safe: buffer-overflow
int copy_name_safe(char *dst, size_t dst_len, const char *src) {
    if (dst_len == 0) return -1;
    strncpy(dst, src, dst_len - 1);
    dst[dst_len - 1] = '\0';
    return 0;
}

// vuln: buffer-overflow
void set_user_name(struct user *u, const char *name) {
    strcpy(u->name, name);
}

// safe: buffer-overflow
void set_user_name_safe(struct user *u, const char *name) {
    snprintf(u->name, sizeof(u->name), "%s", name);
}

// vuln: buffer-overflow
char *build_path(const char *dir, const char *file) {
    static char path[256];
    strcpy(path, dir);
    strcat(path, "/");
    strcat(path, file);
    return path;
}

// safe: buffer-overflow
char *build_path_safe(const char *dir, const char *file) {
    size_t len = strlen(dir) + strlen(file) + 2;
    char *path = malloc(len);
    if (path == NULL) return NULL;
    snprintf(path, len, "%s/%s", dir, file);
    return path;
}

// vuln: buffer-overflow
void greet(const char *name) {
    char msg[64];
    sprintf(msg, "Hello, %s! Welcome back.", name);
    puts(msg);
}

// safe: buffer-overflow
void greet_safe(const char *name) {
    char msg[64];
    snprintf(msg, sizeof(msg), "Hello, %s! Welcome back.", name);
    puts(msg);
}

// vuln: buffer-overflow
int parse_command(void) {
    char cmd[16];
    char arg[64];
    if (scanf("%s %s", cmd, arg) != 2) return -1;
    return strcmp(cmd, "quit") == 0;
}

// safe: buffer-overflow
int parse_command_safe(void) {
    char cmd[16];
    char arg[64];
    if (scanf("%15s %63s", cmd, arg) != 2) return -1;
    return strcmp(cmd, "quit") == 0;
}

// safe: buffer-overflow
void format_id(char *out, int id) {
    char tmp[32];
    sprintf(tmp, "%d", id);
    strcpy(out, "user-");
    strncat(out, tmp, 11);
}

// safe: buffer-overflow
void init_user(struct user *u) {
    strcpy(u->name, "anonymous");
    strcpy(u->email, "nobody@example.com");
    u->id = 0;
}

// vuln: buffer-overflow
void copy_header(char *out, const char *in, size_t in_len) {
    char local[256];
    memcpy(local, in, in_len);
    local[in_len] = '\0';
    strcpy(out, local);
}

// safe: buffer-overflow
int copy_header_safe(char *out, size_t out_len, const char *in, size_t in_len) {
    if (in_len >= out_len) return -1;
    memcpy(out, in, in_len);
    out[in_len] = '\0';
    return 0;
}

// vuln: buffer-overflow
char *join_words(char **words, int count) {
    char *out = malloc(256);
    if (!out) return NULL;
    out[0] = '\0';
    for (int i = 0; i < count; i++) {
        strcat(out, words[i]);
        strcat(out, " ");
    }
    return out;
}

// vuln: memory-safety
int grow_buffer(char **buf, size_t *cap) {
    *cap *= 2;
    *buf = realloc(*buf, *cap);
    return 0;
}

// safe: memory-safety
int grow_buffer_safe(char **buf, size_t *cap) {
    size_t new_cap = *cap * 2;
    char *tmp = realloc(*buf, new_cap);
    if (tmp == NULL) return -1;
    *buf = tmp;
    *cap = new_cap;
    return 0;
}

// vuln: memory-safety
int *append_int(int *arr, size_t *len, int value) {
    arr = realloc(arr, (*len + 1) * sizeof(int));
    arr[*len] = value;
    (*len)++;
    return arr;
}

// safe: memory-safety
char *append_char(char *s, size_t len, char c) {
    s = realloc(s, len + 2);
    if (s == NULL) {
        perror("realloc");
        exit(EXIT_FAILURE);
    }
    s[len] = c;
    s[len + 1] = '\0';
    return s;
}

// vuln: memory-safety
char *duplicate(const char *s) {
    char *copy = malloc(strlen(s) + 1);
    memcpy(copy, s, strlen(s) + 1);
    return copy;
}

// safe: memory-safety
char *duplicate_safe(const char *s) {
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    return copy;
}

// safe: memory-safety
struct user *new_user(int id) {
    struct user *u = malloc(sizeof(*u));

    /* the caller owns the result */
    if (u == NULL) {
        return NULL;
    }
    memset(u, 0, sizeof(*u));
    u->id = id;
    return u;
}

// vuln: memory-safety
int *make_table(size_t n) {
    int *t = malloc(n * sizeof(int));
    for (size_t i = 0; i < n; i++) t[i] = -1;
    return t;
}

// safe: memory-safety
int *make_table_safe(size_t n) {
    int *t = calloc(n, sizeof(int));
    if (t == NULL) return NULL;
    for (size_t i = 0; i < n; i++) t[i] = -1;
    return t;
}

// vuln: memory-safety
void free_twice(char *p, int failed) {
    free(p);
    if (failed) {
        free(p);
    }
}

// safe: memory-safety
void release(char **p) {
    free(*p);
    *p = NULL;
}
