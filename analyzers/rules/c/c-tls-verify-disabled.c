#include <curl/curl.h>
#include <openssl/ssl.h>

SSL_CTX *client_context(void) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  // ruleid: c-tls-verify-disabled
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
  return ctx;
}

void fetch(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  // ruleid: c-tls-verify-disabled
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
  // ruleid: c-tls-verify-disabled
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0);
  curl_easy_perform(h);
}

SSL_CTX *client_context_verified(const char *ca_file) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  // ok: c-tls-verify-disabled
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  SSL_CTX_load_verify_locations(ctx, ca_file, NULL);
  return ctx;
}

void fetch_verified(const char *url, const char *ca) {
  CURL *h = curl_easy_init();
  // ok: c-tls-verify-disabled
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  // ok: c-tls-verify-disabled
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  // ok: c-tls-verify-disabled
  curl_easy_setopt(h, CURLOPT_CAINFO, ca);
  curl_easy_perform(h);
}
