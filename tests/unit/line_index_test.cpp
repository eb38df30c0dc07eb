#include <catch2/catch.hpp>

#include "analyzers/document/line_index.hpp"

using namespace vigil::document;

TEST_CASE("line index converts positions in all three encodings") {
  // "é" is 2 bytes / 1 UTF-16 unit; "😀" is 4 bytes / 2 units / 1 code point.
  const std::string text = "ab\nxé😀z\r\nlast";
  LineIndex idx(text);
  REQUIRE(idx.line_count() == 3);

  const uint32_t z = static_cast<uint32_t>(text.find('z'));
  CHECK(idx.position_of(text, z, Encoding::utf8) == Position{1, 7});
  CHECK(idx.position_of(text, z, Encoding::utf16) == Position{1, 4});
  CHECK(idx.position_of(text, z, Encoding::utf32) == Position{1, 3});

  CHECK(idx.offset_of(text, {1, 7}, Encoding::utf8) == z);
  CHECK(idx.offset_of(text, {1, 4}, Encoding::utf16) == z);
  CHECK(idx.offset_of(text, {1, 3}, Encoding::utf32) == z);

  SECTION("round trip every code point boundary") {
    for (Encoding enc : {Encoding::utf8, Encoding::utf16, Encoding::utf32}) {
      for (uint32_t off : {0u, 1u, 2u, 3u, 4u, 6u, 10u, 11u, 14u, 15u, 17u}) {
        auto pos = idx.position_of(text, off, enc);
        CHECK(idx.offset_of(text, pos, enc) == off);
      }
    }
  }
  SECTION("clamping: past the line end is the line end, before CRLF") {
    CHECK(idx.offset_of(text, {1, 99}, Encoding::utf16) == text.find('\r'));
    CHECK(idx.offset_of(text, {0, 99}, Encoding::utf16) == 2);
    CHECK(idx.offset_of(text, {9, 0}, Encoding::utf16) == text.size());
  }
  SECTION("a position inside a surrogate pair moves to the character's start") {
    const uint32_t emoji = static_cast<uint32_t>(text.find("😀"));
    CHECK(idx.offset_of(text, {1, 3}, Encoding::utf16) == emoji);
  }
  SECTION("an offset inside a UTF-8 sequence counts from its start") {
    const uint32_t emoji = static_cast<uint32_t>(text.find("😀"));
    CHECK(idx.position_of(text, emoji + 2, Encoding::utf16) == Position{1, 2});
  }
}

TEST_CASE("line index of empty text and trailing newline") {
  LineIndex empty("");
  CHECK(empty.line_count() == 1);
  CHECK(empty.offset_of("", {0, 5}, Encoding::utf16) == 0);
  const std::string text = "a\n";
  LineIndex idx(text);
  CHECK(idx.line_count() == 2);
  CHECK(idx.position_of(text, 2, Encoding::utf16) == Position{1, 0});
}

TEST_CASE("length_in counts units") {
  CHECK(length_in("é😀a", Encoding::utf8) == 7);
  CHECK(length_in("é😀a", Encoding::utf16) == 4);
  CHECK(length_in("é😀a", Encoding::utf32) == 3);
}
