/* Hashing, ciphers, keys, TLS, HTTP and secrets with OpenSSL and libcurl, as an assistant writes them (labelled). */
#include <curl/curl.h>
#include <openssl/bn.h>
#include <openssl/des.h>
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

// vuln: weak-hash
void hash_password(const char *password, unsigned char out[MD5_DIGEST_LENGTH]) {
    MD5((const unsigned char *)password, strlen(password), out);
}

// safe: weak-hash
int hash_password_safe(const char *password, const unsigned char *salt, size_t salt_len, unsigned char out[32]) {
    return PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, (int)salt_len, 600000, EVP_sha256(), 32, out);
}

// vuln: weak-hash
int digest_token(const char *token, unsigned char *md, unsigned int *md_len) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx) return 0;
    int ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) && EVP_DigestUpdate(ctx, token, strlen(token)) &&
             EVP_DigestFinal_ex(ctx, md, md_len);
    EVP_MD_CTX_free(ctx);
    return ok;
}

// safe: weak-hash
int digest_token_safe(const char *token, unsigned char *md, unsigned int *md_len) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx) return 0;
    int ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) && EVP_DigestUpdate(ctx, token, strlen(token)) &&
             EVP_DigestFinal_ex(ctx, md, md_len);
    EVP_MD_CTX_free(ctx);
    return ok;
}

// vuln: weak-hash
void sign_request(const char *secret, const char *body, unsigned char out[SHA_DIGEST_LENGTH]) {
    SHA_CTX c;
    SHA1_Init(&c);
    SHA1_Update(&c, secret, strlen(secret));
    SHA1_Update(&c, body, strlen(body));
    SHA1_Final(out, &c);
}

// safe: weak-hash
void checksum(const unsigned char *data, size_t len, unsigned char out[SHA256_DIGEST_LENGTH]) {
    SHA256(data, len, out);
}

// vuln: weak-random
void generate_session_id(char *out, size_t len) {
    static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    srand((unsigned)time(NULL));
    for (size_t i = 0; i + 1 < len; i++) out[i] = chars[rand() % (sizeof(chars) - 1)];
    out[len - 1] = '\0';
}

// safe: weak-random
int generate_session_id_safe(unsigned char *out, int len) {
    return RAND_bytes(out, len) == 1 ? 0 : -1;
}

// vuln: weak-random
void make_key(unsigned char *key, size_t len) {
    for (size_t i = 0; i < len; i++) key[i] = (unsigned char)(rand() & 0xff);
}

// safe: weak-random
int roll_dice(void) {
    return rand() % 6 + 1;
}

// vuln: weak-random
unsigned int make_nonce(void) {
    srandom((unsigned)time(NULL) ^ (unsigned)clock());
    return (unsigned int)random();
}

// vuln: weak-cipher
int encrypt_des(const unsigned char *key, const unsigned char *in, int in_len, unsigned char *out, int *out_len) {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    unsigned char iv[8] = {0};
    int n = 0, ok = EVP_EncryptInit_ex(ctx, EVP_des_cbc(), NULL, key, iv) &&
                    EVP_EncryptUpdate(ctx, out, &n, in, in_len) && EVP_EncryptFinal_ex(ctx, out + n, out_len);
    *out_len += n;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

// safe: weak-cipher
int encrypt_gcm(const unsigned char key[32], const unsigned char iv[12], const unsigned char *in, int in_len,
                unsigned char *out, unsigned char tag[16]) {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, m = 0;
    int ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, iv) &&
             EVP_EncryptUpdate(ctx, out, &n, in, in_len) && EVP_EncryptFinal_ex(ctx, out + n, &m) &&
             EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
    EVP_CIPHER_CTX_free(ctx);
    return ok ? n + m : -1;
}

// vuln: weak-cipher
int encrypt_ecb(const unsigned char key[16], const unsigned char *in, int in_len, unsigned char *out) {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, m = 0;
    EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL);
    EVP_EncryptUpdate(ctx, out, &n, in, in_len);
    EVP_EncryptFinal_ex(ctx, out + n, &m);
    EVP_CIPHER_CTX_free(ctx);
    return n + m;
}

// vuln: weak-cipher
void legacy_encrypt(DES_cblock *key, const unsigned char *in, unsigned char *out, long len) {
    DES_key_schedule ks;
    DES_cblock iv = {0};
    DES_set_key_unchecked(key, &ks);
    DES_ncbc_encrypt(in, out, len, &ks, &iv, DES_ENCRYPT);
}

// vuln: weak-cipher
const EVP_CIPHER *stream_cipher(void) {
    return EVP_rc4();
}

// vuln: weak-key
RSA *generate_rsa_key(void) {
    RSA *rsa = RSA_new();
    BIGNUM *e = BN_new();
    BN_set_word(e, RSA_F4);
    RSA_generate_key_ex(rsa, 1024, e, NULL);
    BN_free(e);
    return rsa;
}

// safe: weak-key
EVP_PKEY *generate_rsa_key_safe(void) {
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, NULL);
    if (!ctx) return NULL;
    if (EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 3072) <= 0 ||
        EVP_PKEY_keygen(ctx, &pkey) <= 0)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

// vuln: weak-key
EVP_PKEY *generate_small_key(void) {
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, NULL);
    EVP_PKEY_keygen_init(ctx);
    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 1024);
    EVP_PKEY_keygen(ctx, &pkey);
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

// vuln: tls-verify
SSL_CTX *make_client_ctx(void) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    return ctx;
}

// safe: tls-verify
SSL_CTX *make_client_ctx_safe(void) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) return NULL;
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_default_verify_paths(ctx);
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    return ctx;
}

// vuln: tls-verify
int download_insecure(const char *url, FILE *out) {
    CURL *curl = curl_easy_init();
    if (!curl) return -1;
    curl_easy_setopt(curl, CURLOPT_URL, "https://updates.example.com/latest.tar.gz");
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    (void)url;
    return rc == CURLE_OK ? 0 : -1;
}

// safe: tls-verify
int download_latest(FILE *out) {
    CURL *curl = curl_easy_init();
    if (!curl) return -1;
    curl_easy_setopt(curl, CURLOPT_URL, "https://updates.example.com/latest.tar.gz");
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK ? 0 : -1;
}

// vuln: ssrf
int fetch_url(const char *url, FILE *out) {
    CURL *curl = curl_easy_init();
    if (!curl) return -1;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK ? 0 : -1;
}

// safe: ssrf
int fetch_status(const char *service, FILE *out) {
    static const char *const known[] = {"billing", "search", "auth"};
    char url[256];
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (strcmp(service, known[i]) == 0) {
            snprintf(url, sizeof(url), "https://%s.internal.example.com/status", known[i]);
            CURL *curl = curl_easy_init();
            if (!curl) return -1;
            curl_easy_setopt(curl, CURLOPT_URL, url);
            curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
            CURLcode rc = curl_easy_perform(curl);
            curl_easy_cleanup(curl);
            return rc == CURLE_OK ? 0 : -1;
        }
    }
    return -1;
}

// vuln: ssrf
int fetch_avatar(const char *host, const char *user, FILE *out) {
    char url[512];
    snprintf(url, sizeof(url), "https://%s/avatars/%s.png", host, user);
    CURL *curl = curl_easy_init();
    if (!curl) return -1;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK ? 0 : -1;
}

// vuln: cleartext-credentials
int login(const char *user, const char *password) {
    char body[512];
    snprintf(body, sizeof(body), "username=%s&password=%s", user, password);
    CURL *curl = curl_easy_init();
    if (!curl) return -1;
    curl_easy_setopt(curl, CURLOPT_URL, "http://auth.example.com/login");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK ? 0 : -1;
}

// safe: cleartext-credentials
int login_safe(const char *user, const char *password) {
    CURL *curl = curl_easy_init();
    if (!curl) return -1;
    curl_easy_setopt(curl, CURLOPT_URL, "https://auth.example.com/login");
    curl_easy_setopt(curl, CURLOPT_USERNAME, user);
    curl_easy_setopt(curl, CURLOPT_PASSWORD, password);
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK ? 0 : -1;
}

// vuln: cleartext-credentials
int upload_backup(const char *path) {
    CURL *curl = curl_easy_init();
    if (!curl) return -1;
    FILE *f = fopen(path, "rb");
    curl_easy_setopt(curl, CURLOPT_URL, "ftp://backup.example.com/incoming/db.tar.gz");
    curl_easy_setopt(curl, CURLOPT_USERPWD, "backup:backup123");
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READDATA, f);
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    fclose(f);
    return rc == CURLE_OK ? 0 : -1;
}

// vuln: hardcoded-secret
static const char *API_KEY = "sk_live_51HxTqLKd9f8Gm2VbQ0zXy7aPwRt3uJn4";

// safe: hardcoded-secret
static const char *API_BASE = "https://api.stripe.com/v1";

// vuln: hardcoded-secret
int connect_db(void) {
    const char *password = "Pr0duction!Passw0rd";
    printf("connecting as admin with %zu-char password\n", strlen(password));
    return 0;
}

// safe: hardcoded-secret
int connect_db_safe(void) {
    const char *password = getenv("DB_PASSWORD");
    if (!password) return -1;
    printf("connecting as admin with %zu-char password\n", strlen(password));
    return 0;
}

// safe: hardcoded-secret
const char *api_key_from_env(void) {
    const char *key = getenv("API_KEY");
    return key ? key : "";
}
