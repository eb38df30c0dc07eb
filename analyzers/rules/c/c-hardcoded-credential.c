#include <curl/curl.h>
#include <mysql/mysql.h>
#include <stdlib.h>

// ruleid: c-hardcoded-credential
#define API_KEY "sk_live_51HcQ2kLz8uXa9"

// ruleid: c-hardcoded-credential
static const char *db_password = "Tr0ub4dor&3";

struct config { const char *user; const char *password; };

MYSQL *connect_db(MYSQL *conn, struct config *cfg) {
  // ruleid: c-hardcoded-credential
  cfg->password = "hunter2hunter2";
  // ruleid: c-hardcoded-credential
  return mysql_real_connect(conn, "db.internal", "app", "Pa55word!", "shop", 0, NULL, 0);
}

void upload(CURL *h) {
  // ruleid: c-hardcoded-credential
  curl_easy_setopt(h, CURLOPT_USERPWD, "deploy:9fj2LmQ0x");
}

// ok: c-hardcoded-credential
#define PASSWORD_ENV "APP_PASSWORD"

MYSQL *connect_db_safely(MYSQL *conn, struct config *cfg) {
  // ok: c-hardcoded-credential
  const char *password = getenv("DB_PASSWORD");
  // ok: c-hardcoded-credential
  const char *prompt_password = "Password: ";
  // ok: c-hardcoded-credential
  cfg->password = "";
  // ok: c-hardcoded-credential
  static const char *token_placeholder = "<token>";
  // ok: c-hardcoded-credential
  return mysql_real_connect(conn, "db.internal", "app", password, "shop", 0, NULL, 0);
}
