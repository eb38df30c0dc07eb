#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#define LEGACY_BITS 1024

RSA *device_key(void) {
  RSA *rsa = RSA_new();
  BIGNUM *e = BN_new();
  BN_set_word(e, RSA_F4);
  // ruleid: c-weak-rsa-key
  RSA_generate_key_ex(rsa, 1024, e, NULL);
  BN_free(e);
  return rsa;
}

EVP_PKEY *legacy_key(void) {
  EVP_PKEY *pkey = NULL;
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, NULL);
  EVP_PKEY_keygen_init(ctx);
  // ruleid: c-weak-rsa-key
  EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, LEGACY_BITS);
  EVP_PKEY_keygen(ctx, &pkey);
  EVP_PKEY_CTX_free(ctx);
  return pkey;
}

EVP_PKEY *quick_key(void) {
  const int bits = 512;
  // ruleid: c-weak-rsa-key
  return EVP_RSA_gen(bits);
}

EVP_PKEY *signing_key(void) {
  EVP_PKEY *pkey = NULL;
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, NULL);
  EVP_PKEY_keygen_init(ctx);
  // ok: c-weak-rsa-key
  EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 3072);
  EVP_PKEY_keygen(ctx, &pkey);
  EVP_PKEY_CTX_free(ctx);
  return pkey;
}

EVP_PKEY *server_key(int bits) {
  // ok: c-weak-rsa-key
  return EVP_RSA_gen(bits < 2048 ? 2048 : bits);
}

EVP_PKEY *default_key(void) {
  // ok: c-weak-rsa-key
  return EVP_RSA_gen(2048);
}
