#include <curl/curl.h>
#include <stdio.h>

int sign_in(const char *user, const char *password) {
  char body[256];
  snprintf(body, sizeof body, "user=%s&password=%s", user, password);
  CURL *h = curl_easy_init();
  // ruleid: c-cleartext-credentials
  curl_easy_setopt(h, CURLOPT_URL, "http://accounts.example.com/login");
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return rc;
}

int sign_in_tls(const char *user, const char *password) {
  CURL *h = curl_easy_init();
  // ok: c-cleartext-credentials
  curl_easy_setopt(h, CURLOPT_URL, "https://accounts.example.com/login");
  curl_easy_setopt(h, CURLOPT_USERNAME, user);
  curl_easy_setopt(h, CURLOPT_PASSWORD, password);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return rc;
}

int push_backup(FILE *f) {
  CURL *h = curl_easy_init();
  // ruleid: c-cleartext-credentials
  curl_easy_setopt(h, CURLOPT_URL, "ftp://backup.example.com/in/db.gz");
  curl_easy_setopt(h, CURLOPT_USERPWD, "backup:hunter2");
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READDATA, f);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return rc;
}

int local_admin(const char *token) {
  CURL *h = curl_easy_init();
  struct curl_slist *hdrs = NULL;
  char auth[256];
  snprintf(auth, sizeof auth, "X-Token: %s", token);
  hdrs = curl_slist_append(hdrs, auth);
  // ok: c-cleartext-credentials
  curl_easy_setopt(h, CURLOPT_URL, "http://127.0.0.1:9000/admin");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return rc;
}

int fetch_page(FILE *out) {
  CURL *h = curl_easy_init();
  // ok: c-cleartext-credentials
  curl_easy_setopt(h, CURLOPT_URL, "http://example.com/index.html");
  curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return rc;
}

int fetch_mail_starttls(void) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_USERNAME, "user");
  curl_easy_setopt(h, CURLOPT_PASSWORD, "secret");
  // ok: c-cleartext-credentials -- STARTTLS is required before the login
  curl_easy_setopt(h, CURLOPT_URL, "imap://imap.example.com/INBOX/;UID=1");
  curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return rc;
}

int fetch_mail(void) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_USERNAME, "user");
  curl_easy_setopt(h, CURLOPT_PASSWORD, "secret");
  // ruleid: c-cleartext-credentials
  curl_easy_setopt(h, CURLOPT_URL, "imap://imap.example.com/INBOX/;UID=1");
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return rc;
}
