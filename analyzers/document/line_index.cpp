#include "analyzers/document/line_index.hpp"

#include <algorithm>
#include <cstring>

namespace vigil::document {
namespace {

// Length of the UTF-8 sequence starting with `lead`; 1 for a stray byte so that invalid input
// still makes progress.
uint32_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

uint32_t units_of(uint32_t seq_len, Encoding enc) {
  switch (enc) {
    case Encoding::utf8: return seq_len;
    case Encoding::utf16: return seq_len == 4 ? 2 : 1;
    case Encoding::utf32: return 1;
  }
  return 1;
}

}  // namespace

std::string_view to_string(Encoding e) {
  switch (e) {
    case Encoding::utf8: return "utf-8";
    case Encoding::utf16: return "utf-16";
    case Encoding::utf32: return "utf-32";
  }
  return "utf-16";
}

bool parse_encoding(std::string_view name, Encoding& out) {
  if (name == "utf-8") out = Encoding::utf8;
  else if (name == "utf-16") out = Encoding::utf16;
  else if (name == "utf-32") out = Encoding::utf32;
  else return false;
  return true;
}

LineIndex::LineIndex(std::string_view text) {
  starts_.reserve(text.size() / 32 + 1);
  starts_.push_back(0);
  const char* base = text.data();
  const char* end = base + text.size();
  for (const char* p = base; p < end;) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (!nl) break;
    p = static_cast<const char*>(nl) + 1;
    starts_.push_back(static_cast<uint32_t>(p - base));
  }
}

uint32_t LineIndex::line_end(std::string_view text, uint32_t line) const {
  uint32_t end = line + 1 < starts_.size() ? starts_[line + 1] - 1 : static_cast<uint32_t>(text.size());
  if (line + 1 < starts_.size() && end > starts_[line] && text[end - 1] == '\r') --end;
  return end;
}

uint32_t LineIndex::line_of(uint32_t offset) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  return static_cast<uint32_t>(it - starts_.begin()) - 1;
}

uint32_t LineIndex::offset_of(std::string_view text, Position pos, Encoding enc) const {
  if (pos.line >= starts_.size()) return static_cast<uint32_t>(text.size());
  uint32_t offset = starts_[pos.line];
  const uint32_t end = line_end(text, pos.line);
  uint32_t units = 0;
  while (offset < end) {
    uint32_t len = std::min(sequence_length(static_cast<unsigned char>(text[offset])), end - offset);
    uint32_t u = units_of(len, enc);
    if (units + u > pos.character) break;
    units += u;
    offset += len;
  }
  return offset;
}

Position LineIndex::position_of(std::string_view text, uint32_t offset, Encoding enc) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
  const uint32_t line = line_of(offset);
  uint32_t p = starts_[line];
  uint32_t units = 0;
  while (p < offset) {
    uint32_t len = sequence_length(static_cast<unsigned char>(text[p]));
    if (p + len > offset) break;  // offset inside a sequence: count from its start
    units += units_of(len, enc);
    p += len;
  }
  return {line, units};
}

uint32_t length_in(std::string_view text, Encoding enc) {
  uint32_t units = 0;
  for (size_t i = 0; i < text.size();) {
    uint32_t len = std::min<uint32_t>(sequence_length(static_cast<unsigned char>(text[i])),
                                      static_cast<uint32_t>(text.size() - i));
    units += units_of(len, enc);
    i += len;
  }
  return units;
}

}  // namespace vigil::document
