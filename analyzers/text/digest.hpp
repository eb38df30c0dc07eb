#pragma once
// Content digests for fingerprints and cache keys.
#include <string>
#include <string_view>

namespace vigil::text {

// SHA-256 of `data`, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace vigil::text
