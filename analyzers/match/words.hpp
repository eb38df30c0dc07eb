// Which words a text contains, for the prefilters of rules (RuleMatcher::may_match): each word is
// searched once per text, however many rules and rule items need it (`request`, `open`, `exec`).
// Pure computation, no IO.
#pragma once

#include <string_view>
#include <unordered_map>

namespace vigil::match {

class TextWords {
 public:
  // The text and the words asked about must outlive this object.
  explicit TextWords(std::string_view text) : text_(text) {}
  bool operator()(std::string_view word) const {
    auto [it, added] = seen_.try_emplace(word, false);
    if (added) it->second = text_.find(word) != std::string_view::npos;
    return it->second;
  }
  std::string_view text() const { return text_; }
  // How many distinct words have been searched so far.
  size_t searched() const { return seen_.size(); }

 private:
  std::string_view text_;
  mutable std::unordered_map<std::string_view, bool> seen_;
};

}  // namespace vigil::match
