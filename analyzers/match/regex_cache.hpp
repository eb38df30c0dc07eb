// Regexes of rules: compiled once per process and shared, and compiled on first use where the
// rules were validated beforehand. Rules repeat regexes (a util used by many rules, a rule compiled
// once per language of its pack), and compiling the built-in packs' regexes was half the start-up
// time of `vigil check` and the server, mostly for rules the checked files never reach.
#pragma once

#include <memory>
#include <mutex>
#include <string>

namespace re2 {
class RE2;
}

namespace vigil::match {

class Regex {
 public:
  explicit Regex(std::string source);
  ~Regex();
  // The compiled regex (RE2 syntax, errors not logged), compiled on first call; thread-safe, and
  // RE2 itself is safe to match from several threads.
  const re2::RE2& get() const;
  // Compiles it now: empty when valid, else RE2's error.
  std::string error() const;
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<re2::RE2> re_;
};

// The regex for `source`, shared with every other holder of the same source. Entries live as long
// as a rule holds them, so reloading rules does not accumulate dead regexes.
std::shared_ptr<const Regex> shared_regex(const std::string& source);

}  // namespace vigil::match
