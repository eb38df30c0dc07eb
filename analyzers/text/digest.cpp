#include "analyzers/text/digest.hpp"

// The low-level SHA-256 of libcrypto rather than EVP: EVP's first use sets up the library context
// (reads openssl.cnf, loads the default provider), which leaves about 2 MB of libcrypto resident in
// a process that only ever hashes (a program hashing "abc" once: VmRSS 5.1 MB with EVP_Digest,
// 3.3 MB with SHA256_Init/Update/Final). Deprecated in OpenSSL 3, present throughout 3.x.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace vigil::text {

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  SHA256_Final(digest, &ctx);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char byte : digest) {
    out += hex[byte >> 4];
    out += hex[byte & 15];
  }
  return out;
}

}  // namespace vigil::text
