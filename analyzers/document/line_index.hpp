// Line index over UTF-8 text: converts between byte offsets and editor positions whose `character`
// counts UTF-16 code units (LSP's default), UTF-8 bytes or UTF-32 code points.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace vigil::document {

enum class Encoding { utf8, utf16, utf32 };

// "utf-8" / "utf-16" / "utf-32" as LSP spells them.
std::string_view to_string(Encoding e);
bool parse_encoding(std::string_view name, Encoding& out);

struct Position {
  uint32_t line = 0;
  uint32_t character = 0;
  bool operator==(const Position&) const = default;
};

struct Range {
  Position start;
  Position end;
  bool operator==(const Range&) const = default;
};

class LineIndex {
 public:
  LineIndex() : starts_{0} {}
  explicit LineIndex(std::string_view text);

  uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }
  uint32_t line_start(uint32_t line) const { return starts_.at(line); }
  // Byte offset where `line`'s content ends (before "\n" or "\r\n").
  uint32_t line_end(std::string_view text, uint32_t line) const;
  // The line holding byte `offset`.
  uint32_t line_of(uint32_t offset) const;

  // Position -> byte offset. Out-of-range positions clamp as LSP asks: a character past the line's
  // end means the end of the line, a line past the last means the end of the text. A position inside
  // a multi-unit character moves to that character's start.
  uint32_t offset_of(std::string_view text, Position pos, Encoding enc) const;
  // Byte offset -> position (an offset inside a UTF-8 sequence counts from the sequence's start).
  Position position_of(std::string_view text, uint32_t offset, Encoding enc) const;

 private:
  std::vector<uint32_t> starts_;
};

// Length of `text` in the units of `enc`; invalid UTF-8 bytes count as one unit each.
uint32_t length_in(std::string_view text, Encoding enc);

}  // namespace vigil::document
