// Which words a text contains, for the prefilters of rules (RuleMatcher::may_match): each word is
// searched once per text, however many rules and rule items need it (`request`, `open`, `exec`).
// With a WordIndex (the words of a rule set, known in advance), one pass over the text finds all of
// them at once (Aho-Corasick) instead of one search of the text per word.
// Pure computation, no IO.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vigil::match {

// A fixed set of words and an automaton that finds which of them occur in a text, in one pass.
class WordIndex {
 public:
  explicit WordIndex(std::vector<std::string> words);
  // The word's number, if it is one of the set.
  std::optional<uint32_t> id(std::string_view word) const {
    auto it = ids_.find(word);
    return it == ids_.end() ? std::nullopt : std::optional<uint32_t>(it->second);
  }
  size_t size() const { return words_.size(); }
  size_t states() const { return outputs_.size(); }  // the automaton's (the root included)
  // present[i]: word i occurs in `text` (as a substring, as std::string_view::find would say).
  std::vector<char> scan(std::string_view text) const;

 private:
  std::vector<std::string> words_;
  std::unordered_map<std::string_view, uint32_t> ids_;
  template <class State>
  void run(const std::vector<State>& next, std::string_view text, std::vector<char>& present) const;

  std::array<uint16_t, 256> class_of_{};  // byte -> class; 0: a byte no word holds
  uint32_t classes_ = 1;
  // state * classes_ + class -> state (a complete DFA): 16-bit entries when the states allow
  // (next16_; the words of a language's built-in rules make a few thousand states), else next32_.
  std::vector<uint16_t> next16_;
  std::vector<uint32_t> next32_;
  std::vector<uint32_t> ends_start_, ends_;  // the words ending at state s: ends_[ends_start_[s] .. ends_start_[s + 1])
  std::vector<uint32_t> output_link_;   // by state: the nearest proper suffix state where words end (0: none)
  std::vector<char> outputs_;           // by state: words end there or at a suffix
  std::vector<uint32_t> empty_;         // words that are empty (in every text)
};

class TextWords {
 public:
  // The text, the index and the words asked about must outlive this object. `index` null: each
  // word is searched on its own.
  explicit TextWords(std::string_view text, const WordIndex* index = nullptr) : text_(text), index_(index) {}
  bool operator()(std::string_view word) const {
    if (index_)
      if (auto id = index_->id(word)) {
        if (!scanned_) present_ = index_->scan(text_), scanned_ = true;
        return present_[*id];
      }
    auto [it, added] = seen_.try_emplace(word, false);
    if (added) it->second = text_.find(word) != std::string_view::npos;
    return it->second;
  }
  std::string_view text() const { return text_; }
  // How many distinct words have been searched on their own so far (not through the index).
  size_t searched() const { return seen_.size(); }

 private:
  std::string_view text_;
  const WordIndex* index_;
  mutable bool scanned_ = false;
  mutable std::vector<char> present_;
  mutable std::unordered_map<std::string_view, bool> seen_;
};

}  // namespace vigil::match
