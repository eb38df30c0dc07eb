// Hashing, randomness, ciphers, keys, TLS, HTTP and secrets in C++ as an assistant writes them (labelled).
#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>

#include <cstdlib>
#include <ctime>
#include <iomanip>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {
std::string to_hex(const unsigned char* d, std::size_t n) {
    std::ostringstream os;
    for (std::size_t i = 0; i < n; ++i) os << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(d[i]);
    return os.str();
}
}  // namespace

// vuln: weak-hash
std::string hash_password(const std::string& password) {
    unsigned char digest[MD5_DIGEST_LENGTH];
    MD5(reinterpret_cast<const unsigned char*>(password.data()), password.size(), digest);
    return to_hex(digest, sizeof digest);
}

// safe: weak-hash
std::string hash_password_safe(const std::string& password, const std::vector<unsigned char>& salt) {
    unsigned char out[32];
    if (!PKCS5_PBKDF2_HMAC(password.c_str(), static_cast<int>(password.size()), salt.data(),
                           static_cast<int>(salt.size()), 600000, EVP_sha256(), sizeof out, out))
        throw std::runtime_error("pbkdf2 failed");
    return to_hex(out, sizeof out);
}

// vuln: weak-hash
std::string sha1_hex(const std::string& data) {
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    return to_hex(digest, sizeof digest);
}

// safe: weak-hash
std::string sha256_hex(const std::string& data) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    return to_hex(digest, sizeof digest);
}

// vuln: weak-hash
std::string digest_token(const std::string& token) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(token.data(), token.size(), md, &len, EVP_sha1(), nullptr);
    return to_hex(md, len);
}

// safe: weak-hash
std::string digest_token_safe(const std::string& token) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(token.data(), token.size(), md, &len, EVP_sha256(), nullptr);
    return to_hex(md, len);
}

// vuln: weak-random
std::string generate_token(std::size_t n) {
    static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::srand(static_cast<unsigned>(std::time(nullptr)));
    std::string token;
    for (std::size_t i = 0; i < n; ++i) token += chars[std::rand() % (sizeof(chars) - 1)];
    return token;
}

// safe: weak-random
std::string generate_token_safe(std::size_t n) {
    std::vector<unsigned char> buf(n);
    if (RAND_bytes(buf.data(), static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
    return to_hex(buf.data(), n);
}

// vuln: weak-random
std::string make_session_id() {
    std::mt19937 gen(static_cast<unsigned>(std::time(nullptr)));
    std::uniform_int_distribution<unsigned long long> dist;
    std::ostringstream os;
    os << std::hex << dist(gen) << dist(gen);
    return os.str();
}

// safe: weak-random
int random_delay_ms() {
    static std::mt19937 gen(std::random_device{}());
    std::uniform_int_distribution<int> dist(50, 250);
    return dist(gen);
}

// vuln: weak-random
std::vector<unsigned char> make_aes_key() {
    std::vector<unsigned char> key(32);
    for (auto& b : key) b = static_cast<unsigned char>(rand() % 256);
    return key;
}

// safe: weak-random
std::vector<unsigned char> make_aes_key_safe() {
    std::vector<unsigned char> key(32);
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) throw std::runtime_error("RAND_bytes failed");
    return key;
}

// vuln: weak-cipher
std::vector<unsigned char> encrypt_des(const unsigned char* key, const std::string& plain) {
    std::vector<unsigned char> out(plain.size() + 8);
    unsigned char iv[8] = {0};
    int n = 0, m = 0;
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(ctx, EVP_des_ede3_cbc(), nullptr, key, iv);
    EVP_EncryptUpdate(ctx, out.data(), &n, reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size()));
    EVP_EncryptFinal_ex(ctx, out.data() + n, &m);
    EVP_CIPHER_CTX_free(ctx);
    out.resize(n + m);
    return out;
}

// safe: weak-cipher
std::vector<unsigned char> encrypt_gcm(const unsigned char* key, const unsigned char* iv, const std::string& plain) {
    std::vector<unsigned char> out(plain.size() + 16);
    int n = 0, m = 0;
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key, iv);
    EVP_EncryptUpdate(ctx, out.data(), &n, reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size()));
    EVP_EncryptFinal_ex(ctx, out.data() + n, &m);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + n + m);
    EVP_CIPHER_CTX_free(ctx);
    out.resize(n + m + 16);
    return out;
}

// vuln: weak-cipher
std::vector<unsigned char> encrypt_ecb(const unsigned char* key, const std::string& plain) {
    std::vector<unsigned char> out(plain.size() + 16);
    int n = 0, m = 0;
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(ctx, EVP_aes_256_ecb(), nullptr, key, nullptr);
    EVP_EncryptUpdate(ctx, out.data(), &n, reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size()));
    EVP_EncryptFinal_ex(ctx, out.data() + n, &m);
    EVP_CIPHER_CTX_free(ctx);
    out.resize(n + m);
    return out;
}

// vuln: weak-cipher
const EVP_CIPHER* pick_cipher(bool legacy) {
    return legacy ? EVP_bf_cbc() : EVP_rc4();
}

// safe: weak-cipher
const EVP_CIPHER* pick_cipher_safe(bool wide) {
    return wide ? EVP_aes_256_gcm() : EVP_chacha20_poly1305();
}

// vuln: weak-key
EVP_PKEY* make_rsa_key() {
    EVP_PKEY* pkey = nullptr;
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr);
    EVP_PKEY_keygen_init(ctx);
    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 1024);
    EVP_PKEY_keygen(ctx, &pkey);
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

// safe: weak-key
EVP_PKEY* make_rsa_key_safe() {
    EVP_PKEY* pkey = nullptr;
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr);
    EVP_PKEY_keygen_init(ctx);
    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 4096);
    EVP_PKEY_keygen(ctx, &pkey);
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

// vuln: weak-key
EVP_PKEY* make_rsa_key_q() {
    return EVP_RSA_gen(512);
}

// safe: weak-key
EVP_PKEY* make_rsa_key_q_safe() {
    return EVP_RSA_gen(2048);
}

// vuln: tls-verify
SSL_CTX* client_context() {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    return ctx;
}

// safe: tls-verify
SSL_CTX* client_context_safe() {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    SSL_CTX_set_default_verify_paths(ctx);
    return ctx;
}

// vuln: tls-verify
std::string https_get(const std::string& url) {
    std::string body;
    CURL* curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_URL, "https://api.example.com/v1/status");
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    (void)url;
    return body;
}

// safe: tls-verify
std::string https_get_safe() {
    std::string body;
    CURL* curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_URL, "https://api.example.com/v1/status");
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return body;
}

// vuln: ssrf
std::string fetch(const std::string& url) {
    std::string body;
    CURL* curl = curl_easy_init();
    if (!curl) return body;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return body;
}

// safe: ssrf
std::string fetch_safe(const std::string& path) {
    static const std::string base = "https://api.example.com/v1/";
    for (char c : path)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '-') throw std::invalid_argument("bad path");
    std::string body;
    CURL* curl = curl_easy_init();
    if (!curl) return body;
    curl_easy_setopt(curl, CURLOPT_URL, (base + path).c_str());
    curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return body;
}

// vuln: ssrf
bool notify(const std::string& host, const std::string& event) {
    std::string url = "https://" + host + "/hooks/" + event;
    CURL* curl = curl_easy_init();
    if (!curl) return false;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, event.c_str());
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK;
}

// safe: ssrf
bool notify_safe(const std::string& event) {
    static const std::string base = "https://hooks.example.com/hooks/";
    CURL* curl = curl_easy_init();
    if (!curl) return false;
    char* escaped = curl_easy_escape(curl, event.c_str(), static_cast<int>(event.size()));
    if (!escaped) {
        curl_easy_cleanup(curl);
        return false;
    }
    std::string url = base + escaped;
    curl_free(escaped);
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, event.c_str());
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK;
}

// vuln: cleartext-credentials
bool login(const std::string& user, const std::string& password) {
    CURL* curl = curl_easy_init();
    if (!curl) return false;
    std::string body = "user=" + user + "&password=" + password;
    curl_easy_setopt(curl, CURLOPT_URL, "http://accounts.example.com/login");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK;
}

// safe: cleartext-credentials
bool login_safe(const std::string& user, const std::string& password) {
    CURL* curl = curl_easy_init();
    if (!curl) return false;
    std::string body = "user=" + user + "&password=" + password;
    curl_easy_setopt(curl, CURLOPT_URL, "https://accounts.example.com/login");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK;
}

// vuln: hardcoded-secret
const std::string kApiKey = "sk_live_51HxTqLKd9f8Gm2VbQ0zXy7aPwRt3uJn4";

// safe: hardcoded-secret
const std::string kApiBase = "https://api.stripe.com/v1";

// vuln: hardcoded-secret
std::string db_connection_string() {
    std::string password = "Pr0duction!Passw0rd";
    return "host=db.internal user=admin password=" + password;
}

// safe: hardcoded-secret
std::string db_connection_string_safe() {
    const char* password = std::getenv("DB_PASSWORD");
    if (!password) throw std::runtime_error("DB_PASSWORD not set");
    return std::string("host=db.internal user=admin password=") + password;
}
