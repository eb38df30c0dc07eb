#include "analyzers/provenance/tracker.hpp"

#include <algorithm>

namespace vigil::provenance {

namespace {

bool utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

void track_change(ProvenanceMap& map, std::string_view old_text, uint32_t start, uint32_t end, std::string_view inserted,
                  bool whole, const BulkInsertThresholds& bulk) {
  // Replacing everything with a line or two is typing over a selection, not a rewrite.
  const bool rewrite =
      (whole || (start == 0 && end == old_text.size())) && !old_text.empty() && is_bulk_insert(inserted, bulk);
  if (rewrite) {
    std::string_view after = inserted;
    for (auto [a, b] : apply_rewrite(map, old_text, after)) map.mark(a, b, {Origin::ai, Evidence::external_edit, ""});
    return;
  }
  // Only what really changed: clients replace whole lines to insert one (Neovim 0.7 sends a quick
  // fix's new line as a replacement of the lines around it). Trim the common prefix and suffix of
  // the replaced and the inserted text, on UTF-8 character boundaries.
  std::string_view replaced = old_text.substr(start, end - start);
  size_t prefix = 0;
  while (prefix < replaced.size() && prefix < inserted.size() && replaced[prefix] == inserted[prefix]) ++prefix;
  while (prefix > 0 && prefix < inserted.size() && utf8_continuation(inserted[prefix])) --prefix;
  size_t suffix = 0;
  while (suffix < replaced.size() - prefix && suffix < inserted.size() - prefix &&
         replaced[replaced.size() - 1 - suffix] == inserted[inserted.size() - 1 - suffix])
    ++suffix;
  while (suffix > 0 && utf8_continuation(inserted[inserted.size() - suffix])) --suffix;
  start += static_cast<uint32_t>(prefix);
  end -= static_cast<uint32_t>(suffix);
  inserted = inserted.substr(prefix, inserted.size() - prefix - suffix);
  map.edit(start, end, static_cast<uint32_t>(inserted.size()));
  if (is_bulk_insert(inserted, bulk))
    map.mark(start, start + static_cast<uint32_t>(inserted.size()), {Origin::ai, Evidence::bulk_insert, ""});
}

void restore(ProvenanceMap& map, std::string_view stored_content, const std::vector<Span>& stored, std::string_view text) {
  map.clear_all();
  for (const auto& s : stored) map.mark(s.start, s.end, s.label);
  if (stored_content == text) return;
  for (auto [a, b] : apply_rewrite(map, stored_content, text)) map.mark(a, b, {Origin::ai, Evidence::external_edit, ""});
}

void apply_git(ProvenanceMap& map, std::string_view text, const std::vector<git::LineVerdict>& verdicts, bool mark_uncommitted) {
  // Line starts of `text`; runs of equal verdicts are painted at once.
  std::vector<uint32_t> starts{0};
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts.push_back(static_cast<uint32_t>(i + 1));
  const uint32_t size = static_cast<uint32_t>(text.size());
  auto line_start = [&](size_t line) { return line < starts.size() ? starts[line] : size; };
  size_t i = 0;
  while (i < verdicts.size()) {
    size_t j = i + 1;
    while (j < verdicts.size() && verdicts[j].state == verdicts[i].state && verdicts[j].label == verdicts[i].label) ++j;
    const uint32_t a = line_start(i), b = line_start(j);
    switch (verdicts[i].state) {
      case git::LineState::committed_agent:
        map.paint(a, b, verdicts[i].label, [](const Label& l) { return l.origin == Origin::ai; });
        break;
      case git::LineState::committed_human:
        map.paint(a, b, std::nullopt, [](const Label& l) { return l.origin != Origin::human; });
        break;
      case git::LineState::uncommitted:
        if (mark_uncommitted) map.paint(a, b, Label{Origin::ai, Evidence::git_uncommitted, ""}, [](const Label&) { return false; });
        break;
      case git::LineState::unknown:
        break;
    }
    i = j;
  }
}

std::vector<int64_t> map_lines(std::string_view before, std::string_view after) {
  size_t count = 0;
  for (char c : before) count += c == '\n';
  if (!before.empty() && before.back() != '\n') ++count;
  std::vector<int64_t> out(count);
  int64_t shift = 0;
  size_t next = 0;
  for (const auto& h : line_diff(before, after)) {
    for (; next < h.old_start && next < count; ++next) out[next] = static_cast<int64_t>(next) + shift;
    for (uint32_t k = 0; k < h.old_count && next < count; ++k, ++next) out[next] = -1;
    shift += static_cast<int64_t>(h.new_count) - static_cast<int64_t>(h.old_count);
  }
  for (; next < count; ++next) out[next] = static_cast<int64_t>(next) + shift;
  return out;
}

size_t apply_proposal(ProvenanceMap& map, std::string_view proposal, const std::vector<uint32_t>& lines,
                      const Label& label, std::string_view text) {
  if (lines.empty()) return 0;
  const auto moved = map_lines(proposal, text);
  std::vector<uint32_t> found;
  for (uint32_t l : lines)
    if (l < moved.size() && moved[l] >= 0) found.push_back(static_cast<uint32_t>(moved[l]));
  if (found.size() * 2 < lines.size()) return 0;
  for (uint32_t l : found) {
    auto [start, end] = line_span(text, l, 1);
    map.mark(start, end, label);
  }
  return found.size();
}

std::vector<Span> effective_spans(const ProvenanceMap& map, std::string_view text, bool path_matches_ai_glob) {
  auto markers = marker_spans(text);
  if (markers.empty() && !path_matches_ai_glob) return map.spans();
  ProvenanceMap combined;
  if (path_matches_ai_glob && !text.empty()) combined.mark(0, static_cast<uint32_t>(text.size()), {Origin::ai, Evidence::glob, ""});
  for (const auto& m : markers) combined.mark(m.start, m.end, m.label);
  for (const auto& s : map.spans()) combined.mark(s.start, s.end, s.label);
  return combined.spans();
}

const Span* ai_span_for(const std::vector<Span>& spans, uint32_t start, uint32_t end) {
  auto it = std::upper_bound(spans.begin(), spans.end(), start, [](uint32_t s, const Span& sp) { return s < sp.end; });
  for (; it != spans.end() && (it->start < end || it->start == start); ++it)
    if (it->label.origin == Origin::ai) return &*it;
  return nullptr;
}

std::string describe(const Label& label) {
  std::string out(to_string(label.evidence));
  if (!label.tool.empty()) out += ", " + label.tool;
  return out;
}

}  // namespace vigil::provenance
