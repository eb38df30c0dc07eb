#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "analyzers/text/line_diff.hpp"

using namespace vigil::text;
using Lines = std::vector<std::string_view>;
using Ops = std::vector<EditOp>;
constexpr EditOp K = EditOp::keep, R = EditOp::remove, A = EditOp::add;

TEST_CASE("split_lines keeps terminators, CRLF and a missing final newline", "[line_diff]") {
  CHECK(split_lines("").empty());
  CHECK(split_lines("a\nb\n") == Lines{"a\n", "b\n"});
  CHECK(split_lines("a\r\nb") == Lines{"a\r\n", "b"});
  CHECK(split_lines("\n\n") == Lines{"\n", "\n"});
}

TEST_CASE("edit_script: small scripts", "[line_diff]") {
  CHECK(edit_script({}, {}, 1000).empty());
  CHECK(edit_script({"a\n"}, {"a\n"}, 1000) == Ops{K});
  CHECK(edit_script({"a\n", "b\n", "c\n"}, {"a\n", "X\n", "c\n"}, 1000) == Ops{K, R, A, K});
  CHECK(edit_script({"a\n", "c\n"}, {"a\n", "b\n", "c\n"}, 1000) == Ops{K, A, K});
  CHECK(edit_script({"x\n", "a\n"}, {"a\n", "y\n"}, 1000) == Ops{R, K, A});
  // CRLF against LF, and a last line without its newline, are different lines.
  CHECK(edit_script(split_lines("a\r\nb\n"), split_lines("a\nb\n"), 1000) == Ops{R, A, K});
  CHECK(edit_script(split_lines("a\nb"), split_lines("a\nb\n"), 1000) == Ops{K, R, A});
}

TEST_CASE("edit_script: past max_distance the middle is one replacement", "[line_diff]") {
  const Lines a{"h\n", "1\n", "2\n", "3\n", "t\n"}, b{"h\n", "x\n", "2\n", "y\n", "t\n"};
  CHECK(edit_script(a, b, 1000) == Ops{K, R, A, K, R, A, K});
  CHECK(edit_script(a, b, 3) == Ops{K, R, R, R, A, A, A, K});
  CHECK(line_diff("h\n1\n2\n3\nt\n", "h\nx\n2\ny\nt\n", 3) == std::vector<Hunk>{{1, 3, 1, 3}});
  CHECK(line_diff("h\n1\n2\n3\nt\n", "h\nx\n2\ny\nt\n", 1000) == std::vector<Hunk>{{1, 1, 1, 1}, {3, 1, 3, 1}});
}

TEST_CASE("edit_script turns a into b, minimally, and line_diff's hunks are its changes", "[line_diff]") {
  std::mt19937 rng(7);
  const char* pieces[] = {"a\n", "b\n", "c\n", "a\r\n", "a"};
  auto gen = [&] {
    std::string s;
    for (int n = static_cast<int>(rng() % 10); n > 0; --n) s += pieces[rng() % 5];
    return s;
  };
  for (int iter = 0; iter < 2000; ++iter) {
    const std::string before = gen(), after = gen();
    const auto a = split_lines(before), b = split_lines(after);
    const auto ops = edit_script(a, b, 1000);
    Lines rebuilt;
    size_t ai = 0, bi = 0, edits = 0;
    for (EditOp op : ops) {
      if (op == K) {
        REQUIRE(ai < a.size());
        REQUIRE(bi < b.size());
        REQUIRE(a[ai] == b[bi]);
        rebuilt.push_back(a[ai++]), ++bi;
      } else if (op == R) {
        REQUIRE(ai < a.size());
        ++ai, ++edits;
      } else {
        REQUIRE(bi < b.size());
        rebuilt.push_back(b[bi++]), ++edits;
      }
    }
    REQUIRE(ai == a.size());
    REQUIRE(rebuilt == b);
    // Minimal: the edits are n + m - 2 * LCS.
    std::vector<std::vector<size_t>> lcs(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
    for (size_t i = a.size(); i-- > 0;)
      for (size_t j = b.size(); j-- > 0;)
        lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    REQUIRE(edits == a.size() + b.size() - 2 * lcs[0][0]);
    // Hunks cover exactly the changed lines.
    size_t removed = 0, added = 0;
    for (const auto& h : line_diff(before, after, 1000)) removed += h.old_count, added += h.new_count;
    REQUIRE(removed + added == edits);
  }
}
