#include <openssl/evp.h>
#include <openssl/md5.h>
#include <string.h>

void store_password(const char *password, unsigned char out[MD5_DIGEST_LENGTH]) {
  // ruleid: c-weak-password-hash
  MD5((const unsigned char *)password, strlen(password), out);
}

int hash_token(EVP_MD_CTX *ctx, const char *value) {
  // ruleid: c-weak-password-hash
  if (!EVP_DigestInit_ex(ctx, EVP_sha1(), NULL)) return 0;
  return EVP_DigestUpdate(ctx, value, strlen(value));
}

int check(const struct user *u, unsigned char *digest) {
  // ruleid: c-weak-password-hash
  return SHA1((const unsigned char *)u->passwd, strlen(u->passwd), digest) != NULL;
}

int checksum_file(EVP_MD_CTX *ctx, const unsigned char *data, size_t n, unsigned char *out) {
  // ok: c-weak-password-hash
  MD5(data, n, out);
  // ok: c-weak-password-hash
  return EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
}

int store_password_safely(const char *password, const unsigned char *salt, unsigned char *out) {
  // ok: c-weak-password-hash
  return PKCS5_PBKDF2_HMAC(password, strlen(password), salt, 16, 600000, EVP_sha256(), 32, out);
}
