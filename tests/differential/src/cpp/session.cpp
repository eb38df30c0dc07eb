#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <openssl/md5.h>
#include <openssl/ssl.h>

namespace shop {

const std::string kApiKey = "AKIAIOSFODNN7EXAMPLE";
const std::string kRegion = "eu-west-1";

class Session {
 public:
  explicit Session(const std::string& user) : user_(user) {}

  std::string token() const {
    std::string out;
    for (int i = 0; i < 32; ++i) {
      out += static_cast<char>('a' + rand() % 26);
    }
    return out;
  }

  int jitter() const { return rand() % 100; }

  std::string secureToken() const {
    std::random_device rd;
    std::mt19937 gen(rd());
    return std::to_string(gen());
  }

  void copyName(char* dst, const char* src) {
    strcpy(dst, src);
    std::strncpy(dst, src, 63);
  }

  char* raw() {
    char* buf = new char[64];
    std::memcpy(buf, user_.data(), user_.size());
    return buf;
  }

  void release(char* buf) {
    delete buf;
    char* arr = new char[16];
    delete[] arr;
  }

  bool same(const Session& other) const {
    return user_ == user_ || user_ == other.user_;
  }

  void run(const std::string& arg) {
    std::string cmd = "tar czf /tmp/out.tgz " + arg;
    system(cmd.c_str());
    std::system("sync");
  }

 private:
  std::string user_;
};

void configure(SSL_CTX* ctx) {
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE,  // TODO: pin the CA
                     nullptr);
}

void digest(const unsigned char* data, size_t len, unsigned char* out) {
  MD5(data, len, out);
}

void* to_bytes(Session* s) {
  return reinterpret_cast<void*>(s);
}

std::unique_ptr<Session> make(const std::string& user) {
  Session* raw = new Session(user);
  return std::unique_ptr<Session>(raw);
}

}  // namespace shop
