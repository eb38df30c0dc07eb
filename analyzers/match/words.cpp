#include "analyzers/match/words.hpp"

#include <algorithm>
#include <deque>
#include <map>

namespace vigil::match {

WordIndex::WordIndex(std::vector<std::string> words) : words_(std::move(words)) {
  std::sort(words_.begin(), words_.end());
  words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
  for (uint32_t i = 0; i < words_.size(); ++i) ids_.emplace(words_[i], i);
  // Byte classes: each byte some word holds has its own; all others share class 0.
  for (const auto& w : words_)
    for (char c : w) {
      auto& k = class_of_[static_cast<unsigned char>(c)];
      if (k == 0) k = static_cast<uint16_t>(classes_++);
    }
  // The trie (goto function), state 0 the root.
  std::vector<std::map<uint32_t, uint32_t>> go(1);
  std::vector<std::vector<uint32_t>> ends(1);
  for (uint32_t i = 0; i < words_.size(); ++i) {
    if (words_[i].empty()) {
      empty_.push_back(i);
      continue;
    }
    uint32_t s = 0;
    for (char c : words_[i]) {
      const uint32_t k = class_of_[static_cast<unsigned char>(c)];
      auto it = go[s].find(k);
      if (it == go[s].end()) {
        it = go[s].emplace(k, static_cast<uint32_t>(go.size())).first;
        go.emplace_back();
        ends.emplace_back();
      }
      s = it->second;
    }
    ends[s].push_back(i);
  }
  // Breadth first: failure links, then the complete transition table and the output links.
  const size_t states = go.size();
  std::vector<uint32_t> next(states * classes_, 0);
  output_link_.assign(states, 0);
  outputs_.assign(states, 0);
  std::vector<uint32_t> fail(states, 0);
  std::deque<uint32_t> queue;
  for (const auto& [k, t] : go[0]) {
    next[k] = t;
    queue.push_back(t);
  }
  while (!queue.empty()) {
    const uint32_t s = queue.front();
    queue.pop_front();
    const uint32_t f = fail[s];
    output_link_[s] = !ends[f].empty() ? f : output_link_[f];
    outputs_[s] = !ends[s].empty() || output_link_[s] != 0;
    for (uint32_t k = 0; k < classes_; ++k) next[s * classes_ + k] = next[f * classes_ + k];
    for (const auto& [k, t] : go[s]) {
      fail[t] = next[f * classes_ + k];
      next[s * classes_ + k] = t;
      queue.push_back(t);
    }
  }
  if (states <= 65536) next16_.assign(next.begin(), next.end());
  else next32_ = std::move(next);
  ends_start_.reserve(states + 1);
  for (const auto& e : ends) {
    ends_start_.push_back(static_cast<uint32_t>(ends_.size()));
    ends_.insert(ends_.end(), e.begin(), e.end());
  }
  ends_start_.push_back(static_cast<uint32_t>(ends_.size()));
}

template <class State>
void WordIndex::run(const std::vector<State>& next, std::string_view text, std::vector<char>& present) const {
  std::vector<char> reported(outputs_.size(), 0);  // states whose words (and suffixes') are marked
  uint32_t s = 0;
  for (char c : text) {
    s = next[s * classes_ + class_of_[static_cast<unsigned char>(c)]];
    if (!outputs_[s]) continue;
    // Words ending here, and at each shorter suffix that is a state where words end; a state once
    // reported has had its whole chain reported.
    for (uint32_t t = s; t != 0 && !reported[t]; t = output_link_[t]) {
      reported[t] = 1;
      for (uint32_t e = ends_start_[t]; e < ends_start_[t + 1]; ++e) present[ends_[e]] = 1;
    }
  }
}

std::vector<char> WordIndex::scan(std::string_view text) const {
  std::vector<char> present(words_.size(), 0);
  for (uint32_t i : empty_) present[i] = 1;
  if (next32_.empty()) run(next16_, text, present);
  else run(next32_, text, present);
  return present;
}

}  // namespace vigil::match
