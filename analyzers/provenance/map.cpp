#include "analyzers/provenance/map.hpp"

#include <algorithm>
#include <array>

namespace vigil::provenance {

namespace {
constexpr std::array<std::string_view, 3> origin_names = {"ai", "human", "reviewed"};
constexpr std::array<std::string_view, 11> evidence_names = {
    "bulk-insert", "external-edit", "declared", "git-uncommitted", "git-trailer", "git-author",
    "git-notes",   "marker",        "glob",     "user",            "agent-mcp"};
}  // namespace

std::string_view to_string(Origin o) { return origin_names[static_cast<size_t>(o)]; }
std::string_view to_string(Evidence e) { return evidence_names[static_cast<size_t>(e)]; }

bool parse_origin(std::string_view s, Origin& out) {
  for (size_t i = 0; i < origin_names.size(); ++i)
    if (origin_names[i] == s) {
      out = static_cast<Origin>(i);
      return true;
    }
  return false;
}

bool parse_evidence(std::string_view s, Evidence& out) {
  for (size_t i = 0; i < evidence_names.size(); ++i)
    if (evidence_names[i] == s) {
      out = static_cast<Evidence>(i);
      return true;
    }
  return false;
}

uint32_t ProvenanceMap::intern(const Label& label) {
  for (size_t i = 0; i < labels_.size(); ++i)
    if (labels_[i] == label) return static_cast<uint32_t>(i);
  labels_.push_back(label);
  return static_cast<uint32_t>(labels_.size() - 1);
}

void ProvenanceMap::move_shift(size_t index) {
  index = std::min(index, entries_.size());
  if (shift_ != 0) {
    if (index > shift_from_) {
      for (size_t i = shift_from_; i < index; ++i) entries_[i].start += shift_, entries_[i].end += shift_;
    } else {
      for (size_t i = index; i < shift_from_ && i < entries_.size(); ++i) entries_[i].start -= shift_, entries_[i].end -= shift_;
    }
  }
  shift_from_ = index;
}

size_t ProvenanceMap::first_ending_after(uint32_t offset) const {
  size_t lo = 0, hi = entries_.size();
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (end_of(mid) > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

void ProvenanceMap::splice(size_t lo, size_t hi, std::vector<Entry> pieces) {
  // Coalesce the new pieces among themselves.
  std::vector<Entry> zone;
  for (const auto& p : pieces) {
    if (p.start >= p.end) continue;
    if (!zone.empty() && zone.back().end == p.start && zone.back().label == p.label) zone.back().end = p.end;
    else zone.push_back(p);
  }
  const size_t n = entries_.size();
  if (zone.empty()) {
    // The two neighbours may now touch.
    if (lo > 0 && hi < n && end_of(lo - 1) == start_of(hi) && entries_[lo - 1].label == entries_[hi].label) {
      zone.push_back({start_of(lo - 1), end_of(hi), entries_[hi].label});
      --lo;
      ++hi;
    }
  } else {
    if (lo > 0 && end_of(lo - 1) == zone.front().start && entries_[lo - 1].label == zone.front().label) {
      zone.front().start = start_of(lo - 1);
      --lo;
    }
    if (hi < n && start_of(hi) == zone.back().end && entries_[hi].label == zone.back().label) {
      zone.back().end = end_of(hi);
      ++hi;
    }
  }
  move_shift(hi);  // entries before hi now hold true offsets; those after keep the pending shift
  if (zone.size() == hi - lo) {
    std::copy(zone.begin(), zone.end(), entries_.begin() + static_cast<std::ptrdiff_t>(lo));
  } else {
    entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(lo), entries_.begin() + static_cast<std::ptrdiff_t>(hi));
    entries_.insert(entries_.begin() + static_cast<std::ptrdiff_t>(lo), zone.begin(), zone.end());
  }
  shift_from_ = lo + zone.size();
  if (shift_from_ >= entries_.size()) shift_ = 0, shift_from_ = entries_.size();
}

void ProvenanceMap::edit(uint32_t start, uint32_t old_end, uint32_t new_length) {
  if (old_end < start) std::swap(start, old_end);
  const uint32_t delta = new_length - (old_end - start);  // modular: may "wrap" for deletions
  // Text replacing the gap between two ranges with equal labels (the byte before and the byte
  // after the edit) joins them, as it would inside one range.
  std::optional<Label> join;
  if (new_length > 0 && start > 0) {
    const size_t l = first_ending_after(start - 1), r = first_ending_after(old_end);
    if (l < entries_.size() && start_of(l) < start && r < entries_.size() && r != l && start_of(r) <= old_end &&
        entries_[l].label == entries_[r].label)
      join = labels_[entries_[l].label];
  }
  const size_t lo = first_ending_after(start);
  size_t hi = lo;
  while (hi < entries_.size() && start_of(hi) < old_end) ++hi;
  // Shift everything from hi on (lazily), then rebuild the touched entries.
  move_shift(hi);
  std::vector<Entry> pieces;
  for (size_t i = lo; i < hi; ++i) {
    const Entry e = entries_[i];  // i < hi: true offsets
    if (e.start < start && e.end > old_end) pieces.push_back({e.start, e.end + delta, e.label});  // inserted inside: joins
    else if (e.start < start) pieces.push_back({e.start, start, e.label});
    else if (e.end > old_end) pieces.push_back({start + new_length, e.end + delta, e.label});
  }
  if (hi < entries_.size()) shift_ += delta;
  splice(lo, hi, std::move(pieces));
  if (join) mark(start, start + new_length, *join);
}

void ProvenanceMap::paint(uint32_t start, uint32_t end, const std::optional<Label>& label,
                          const std::function<bool(const Label&)>& overwrite) {
  if (start >= end) return;
  const size_t lo = first_ending_after(start);
  size_t hi = lo;
  while (hi < entries_.size() && start_of(hi) < end) ++hi;
  std::optional<uint32_t> id;
  if (label) id = intern(*label);
  std::vector<Entry> pieces;
  uint32_t pos = start;
  for (size_t i = lo; i < hi; ++i) {
    const Entry e = true_entry(i);
    if (e.start < start) pieces.push_back({e.start, start, e.label});
    const uint32_t inner_start = std::max(e.start, start), inner_end = std::min(e.end, end);
    if (id && pos < inner_start) pieces.push_back({pos, inner_start, *id});
    if (!overwrite(labels_[e.label])) pieces.push_back({inner_start, inner_end, e.label});
    else if (id) pieces.push_back({inner_start, inner_end, *id});
    if (e.end > end) pieces.push_back({end, e.end, e.label});
    pos = inner_end;
  }
  if (id && pos < end) pieces.push_back({pos, end, *id});
  splice(lo, hi, std::move(pieces));
}

void ProvenanceMap::clear_all() {
  entries_.clear();
  shift_from_ = 0;
  shift_ = 0;
}

std::vector<Span> ProvenanceMap::spans() const {
  std::vector<Span> out;
  out.reserve(entries_.size());
  for (size_t i = 0; i < entries_.size(); ++i) out.push_back({start_of(i), end_of(i), labels_[entries_[i].label]});
  return out;
}

std::vector<Span> ProvenanceMap::overlapping(uint32_t start, uint32_t end) const {
  std::vector<Span> out;
  for (size_t i = first_ending_after(start); i < entries_.size(); ++i) {
    const uint32_t a = start_of(i);
    if (start == end ? a > start : a >= end) break;
    out.push_back({a, end_of(i), labels_[entries_[i].label]});
    if (start == end) break;
  }
  return out;
}

}  // namespace vigil::provenance
