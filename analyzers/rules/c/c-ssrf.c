#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

int avatar(const char *host, const char *user, FILE *out) {
  char url[512];
  snprintf(url, sizeof url, "https://%s/avatars/%s.png", host, user);
  CURL *h = curl_easy_init();
  // ruleid: c-ssrf
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
  return curl_easy_perform(h);
}

int proxy_cgi(FILE *out) {
  const char *target = getenv("QUERY_STRING");
  CURL *h = curl_easy_init();
  // ruleid: c-ssrf
  curl_easy_setopt(h, CURLOPT_URL, target);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
  return curl_easy_perform(h);
}

int relay(int sock, FILE *out) {
  char target[256] = {0};
  if (recv(sock, target, sizeof target - 1, 0) <= 0) return -1;
  CURL *h = curl_easy_init();
  // ruleid: c-ssrf
  curl_easy_setopt(h, CURLOPT_URL, target);
  return curl_easy_perform(h);
}

int item(const char *id, FILE *out) {
  char url[256];
  CURL *h = curl_easy_init();
  char *esc = curl_easy_escape(h, id, 0);
  snprintf(url, sizeof url, "https://api.example.com/v1/items/%s", esc);
  curl_free(esc);
  // ok: c-ssrf
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
  return curl_easy_perform(h);
}

int page(const char *slug, FILE *out) {
  char url[256];
  snprintf(url, sizeof url, "https://docs.example.com/pages/%s.html", slug);
  CURL *h = curl_easy_init();
  // ok: c-ssrf -- the scheme and host are fixed; the value only picks a page
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
  return curl_easy_perform(h);
}

int fixed(FILE *out) {
  CURL *h = curl_easy_init();
  // ok: c-ssrf
  curl_easy_setopt(h, CURLOPT_URL, "https://example.com/");
  curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
  return curl_easy_perform(h);
}
