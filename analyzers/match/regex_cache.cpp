#include "analyzers/match/regex_cache.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <unordered_map>

namespace vigil::match {

Regex::Regex(std::string source, std::string ascii_source)
    : source_(std::move(source)), ascii_source_(std::move(ascii_source)) {}
Regex::~Regex() = default;

const re2::RE2& Regex::get() const {
  std::call_once(once_, [this] {
    RE2::Options options;
    options.set_log_errors(false);
    re_ = std::make_unique<re2::RE2>(source_, options);
  });
  return *re_;
}

// Latin-1: the ASCII form is written in ASCII (see rule_tree.cpp's ascii_classes) and searched
// in ASCII texts only, where Latin-1 and UTF-8 read the same characters; `.` and case folding then
// compile to single bytes.
const re2::RE2& Regex::ascii() const {
  std::call_once(ascii_once_, [this] {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_encoding(RE2::Options::EncodingLatin1);
    ascii_ = std::make_unique<re2::RE2>(ascii_source_, options);
  });
  return *ascii_;
}

namespace {
bool is_ascii(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}
}  // namespace

bool Regex::search(std::string_view text) const {
  const re2::StringPiece piece(text.data(), text.size());
  if (!ascii_source_.empty() && is_ascii(text) && ascii().ok()) return re2::RE2::PartialMatch(piece, ascii());
  if (ascii_source_.empty() || get().ok()) return re2::RE2::PartialMatch(piece, get());
  return ascii().ok() && re2::RE2::PartialMatch(piece, ascii());
}

std::string Regex::error() const {
  if (!ascii_source_.empty() && ascii().ok()) return {};
  return get().ok() ? std::string() : get().error();
}

std::shared_ptr<const Regex> shared_regex(const std::string& source, const std::string& ascii_source) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::weak_ptr<const Regex>> cache;
  static size_t inserts = 0;
  std::lock_guard lock(mutex);
  auto& slot = cache[ascii_source.empty() ? source : source + '\0' + ascii_source];
  if (auto alive = slot.lock()) return alive;
  auto re = std::make_shared<const Regex>(source, ascii_source);
  slot = re;
  // Now and then, forget the regexes no rule holds any more.
  if (++inserts % 512 == 0) std::erase_if(cache, [](const auto& entry) { return entry.second.expired(); });
  return re;
}

}  // namespace vigil::match
