// Regexes of rules: compiled once per process and shared, and compiled on first use where the
// rules were validated beforehand. Rules repeat regexes (a util used by many rules, a rule compiled
// once per language of its pack), and compiling the built-in packs' regexes was half the start-up
// time of `vigil check` and the server, mostly for rules the checked files never reach.
// A rule's regex has Unicode classes (`\w` is `[\p{L}\p{M}\p{Nd}\p{Pc}]`, as in ast-grep), whose
// UTF-8 programs cost RE2 ten times more to compile than ASCII ones, forward and (for a regex
// anchored at its end only) backward. On a text of ASCII bytes only, the same regex with ASCII
// classes matches exactly where the Unicode one does; it is what such texts (nearly every node of
// code) are searched with, and what validation compiles.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace vigil::match {

class Regex {
 public:
  // `ascii_source`: the same regex for texts of ASCII bytes only (it must match exactly where
  // `source` does on such texts); empty: none, `source` serves every text.
  explicit Regex(std::string source, std::string ascii_source = {});
  ~Regex();
  // The compiled regex (RE2 syntax, errors not logged), compiled on first call; thread-safe, and
  // RE2 itself is safe to match from several threads.
  const re2::RE2& get() const;
  // Whether it matches somewhere in `text`: with the ASCII form when the text is ASCII, else with
  // `source` (or, should `source` be beyond RE2's memory limit while the ASCII form is not, the
  // ASCII form, where non-ASCII characters are no word, digit or space characters).
  bool search(std::string_view text) const;
  // Compiles it now (the ASCII form when there is one): empty when valid, else RE2's error (of
  // `source`). The only error the ASCII form cannot show is `source`'s program exceeding RE2's
  // memory limit, where search() falls back to the ASCII form.
  std::string error() const;
  const std::string& source() const { return source_; }

 private:
  const re2::RE2& ascii() const;
  std::string source_, ascii_source_;
  mutable std::once_flag once_, ascii_once_;
  mutable std::unique_ptr<re2::RE2> re_, ascii_;
};

// The regex for `source`, shared with every other holder of the same source. Entries live as long
// as a rule holds them, so reloading rules does not accumulate dead regexes.
std::shared_ptr<const Regex> shared_regex(const std::string& source, const std::string& ascii_source = {});

}  // namespace vigil::match
