#include <openssl/ssl.h>
#include <openssl/x509.h>

int connect_peer(SSL *ssl) {
  if (SSL_connect(ssl) != 1) return -1;
  // ruleid: c-verification-failure-ignored
  if (SSL_get_verify_result(ssl) != X509_V_OK) {}
  return 0;
}

int login(const char *user, const char *pw) {
  // ruleid: c-verification-failure-ignored
  if (!check_password(user, pw)) {
    /* TODO: reject */
  }
  return open_session(user);
}

int apply_update(const unsigned char *blob, size_t n, const unsigned char *sig) {
  // ruleid: c-verification-failure-ignored
  if (verify_signature(blob, n, sig) != 0)
    ;
  return install(blob, n);
}

int connect_peer_safely(SSL *ssl) {
  // ok: c-verification-failure-ignored
  if (SSL_get_verify_result(ssl) != X509_V_OK) {
    SSL_shutdown(ssl);
    return -1;
  }
  // ok: c-verification-failure-ignored
  if (!check_password("admin", "x")) { log_failure(); return -1; }
  // ok: c-verification-failure-ignored
  if (verify_signature(0, 0, 0) == 0) {
  } else {
    return -1;
  }
  return 0;
}
