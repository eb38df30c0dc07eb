#include "analyzers/match/regex_cache.hpp"

#include <re2/re2.h>

#include <unordered_map>

namespace vigil::match {

Regex::Regex(std::string source) : source_(std::move(source)) {}
Regex::~Regex() = default;

const re2::RE2& Regex::get() const {
  std::call_once(once_, [this] {
    RE2::Options options;
    options.set_log_errors(false);
    re_ = std::make_unique<re2::RE2>(source_, options);
  });
  return *re_;
}

std::string Regex::error() const { return get().ok() ? std::string() : get().error(); }

std::shared_ptr<const Regex> shared_regex(const std::string& source) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::weak_ptr<const Regex>> cache;
  static size_t inserts = 0;
  std::lock_guard lock(mutex);
  auto& slot = cache[source];
  if (auto alive = slot.lock()) return alive;
  auto re = std::make_shared<const Regex>(source);
  slot = re;
  // Now and then, forget the regexes no rule holds any more.
  if (++inserts % 512 == 0) std::erase_if(cache, [](const auto& entry) { return entry.second.expired(); });
  return re;
}

}  // namespace vigil::match
