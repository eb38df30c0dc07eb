#include <mysql/mysql.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int remove_account(sqlite3 *db, const char *login) {
  char sql[200];
  snprintf(sql, sizeof sql, "DELETE FROM accounts WHERE login = '%s'", login);
  // ruleid: c-sql-injection
  return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

int remove_account_bound(sqlite3 *db, const char *login) {
  sqlite3_stmt *st;
  // ok: c-sql-injection
  if (sqlite3_prepare_v2(db, "DELETE FROM accounts WHERE login = ?", -1, &st, NULL) != SQLITE_OK) return -1;
  sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc;
}

int lookup_from_stdin(sqlite3 *db) {
  char title[64], q[160];
  if (!fgets(title, sizeof title, stdin)) return -1;
  strcpy(q, "SELECT * FROM books WHERE title = '");
  strcat(q, title);
  strcat(q, "'");
  sqlite3_stmt *st;
  // ruleid: c-sql-injection
  return sqlite3_prepare_v2(db, q, -1, &st, NULL);
}

int tag_item(MYSQL *m, const char *tag, int item) {
  char q[300];
  sprintf(q, "INSERT INTO tags (item, tag) VALUES (%d, '%s')", item, tag);
  // ruleid: c-sql-injection
  return mysql_query(m, q);
}

int tag_count(MYSQL *m, int item) {
  char q[100];
  snprintf(q, sizeof q, "SELECT COUNT(*) FROM tags WHERE item = %d", item);
  // ok: c-sql-injection
  return mysql_query(m, q);
}

int quoted(sqlite3 *db, const char *city) {
  char *q = sqlite3_mprintf("SELECT id FROM shops WHERE city = %Q", city);
  // ok: c-sql-injection
  int rc = sqlite3_exec(db, q, NULL, NULL, NULL);
  sqlite3_free(q);
  return rc;
}

int unquoted(sqlite3 *db, const char *city) {
  char *q = sqlite3_mprintf("SELECT id FROM shops WHERE city = '%s'", city);
  // ruleid: c-sql-injection
  int rc = sqlite3_exec(db, q, NULL, NULL, NULL);
  sqlite3_free(q);
  return rc;
}

int by_id_from_env(sqlite3 *db) {
  char q[80];
  snprintf(q, sizeof q, "SELECT * FROM jobs WHERE id = %ld", strtol(getenv("JOB_ID"), NULL, 10));
  // ok: c-sql-injection
  return sqlite3_exec(db, q, NULL, NULL, NULL);
}

int constant(sqlite3 *db) {
  // ok: c-sql-injection
  return sqlite3_exec(db, "VACUUM", NULL, NULL, NULL);
}
