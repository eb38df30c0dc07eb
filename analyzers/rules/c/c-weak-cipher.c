#include <openssl/evp.h>

int encrypt_record(EVP_CIPHER_CTX *ctx, const unsigned char *key, const unsigned char *iv) {
  // ruleid: c-weak-cipher
  return EVP_EncryptInit_ex(ctx, EVP_des_ede3_cbc(), NULL, key, iv);
}

int encrypt_block(EVP_CIPHER_CTX *ctx, const unsigned char *key) {
  // ruleid: c-weak-cipher
  const EVP_CIPHER *c = EVP_aes_128_ecb();
  return EVP_EncryptInit_ex(ctx, c, NULL, key, NULL);
}

void stream(const unsigned char *key, int len, unsigned char *buf) {
  RC4_KEY k;
  // ruleid: c-weak-cipher
  RC4_set_key(&k, len, key);
  // ruleid: c-weak-cipher
  EVP_CIPHER *legacy = EVP_CIPHER_fetch(NULL, "DES-EDE3-CBC", NULL);
  (void)legacy; (void)buf;
}

int encrypt_record_safely(EVP_CIPHER_CTX *ctx, const unsigned char *key, const unsigned char *iv) {
  // ok: c-weak-cipher
  if (!EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv)) return 0;
  // ok: c-weak-cipher
  EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
  // ok: c-weak-cipher
  const EVP_CIPHER *cc = EVP_chacha20_poly1305();
  (void)c; (void)cc;
  return 1;
}
