// Shared by the fuzz targets: checks that hold for every input abort (libFuzzer keeps the input as
// a crash), and a small reader that turns the fuzzer's bytes into structured choices.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_CHECK(cond)                                                                     \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond);    \
      std::abort();                                                                          \
    }                                                                                        \
  } while (0)

namespace vigil::fuzz {

// Consumes the input from the front: numbers, then strings; past the end everything is 0 or empty.
class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : data_(reinterpret_cast<const char*>(data), size) {}
  uint8_t byte() { return pos_ < data_.size() ? static_cast<uint8_t>(data_[pos_++]) : 0; }
  uint32_t below(uint32_t bound) { return bound ? (uint32_t(byte()) << 8 | byte()) % bound : 0; }
  std::string_view take(size_t n) {
    n = std::min(n, data_.size() - pos_);
    auto s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view rest() { return take(data_.size() - pos_); }
  bool empty() const { return pos_ >= data_.size(); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace vigil::fuzz
