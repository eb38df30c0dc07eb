#include <catch2/catch.hpp>

#include "analyzers/document/document.hpp"
#include "analyzers/match/repetition.hpp"

using namespace vigil;

namespace {
std::vector<std::string> found(std::string_view lang, std::string text, match::RepetitionOptions opt = {}) {
  auto s = document::Snapshot::parse("t", *grammars::by_name(lang), std::move(text));
  std::vector<std::string> out;
  for (const auto& r : match::find_repetitions(s->text, s->root(), opt))
    out.push_back(std::to_string(document::point_at(s->lines, r.start_byte).row + 1) + "-" +
                  std::to_string(document::point_at(s->lines, r.end_byte).row + 1) + " x" + std::to_string(r.copies) +
                  " from " + std::to_string(document::point_at(s->lines, r.original_start_byte).row + 1));
  return out;
}
using V = std::vector<std::string>;
}  // namespace

TEST_CASE("a block written again back to back is one finding, however often it repeats") {
  CHECK(found("python",
              "def f(db):\n"
              "    row = db.get(1)\n"
              "    row.touch()\n"
              "    db.save(row)\n"
              "    row = db.get(1)\n"
              "    row.touch()\n"
              "    db.save(row)\n"
              "    row = db.get(1)\n"
              "    row.touch()\n"
              "    db.save(row)\n") == V{"5-10 x3 from 2"});
}

TEST_CASE("a function pasted again further down is found; whitespace does not hide it") {
  CHECK(found("javascript",
              "function check(u) {\n  if (!u) return false;\n  if (u.disabled) return false;\n  return u.admin;\n}\n"
              "const x = 1;\n"
              "function check(u) {\n  if (!u)   return false;\n  if (u.disabled) return false;\n  return u.admin;\n}\n") ==
        V{"7-11 x2 from 1"});
  // A short block pasted again apart from the original is often deliberate (parse the same
  // optional token before and after): only back-to-back copies count below paste_min_lines.
  CHECK(found("python", "if v:\n    t = p(v)\n    out.add(t)\nt2 = q(v)\nif v:\n    t = p(v)\n    out.add(t)\n") == V{});
}

TEST_CASE("similar but different code is not repetition") {
  // Field-by-field assignments, a table of cases, and short repeated statements below the threshold.
  CHECK(found("python",
              "def init(self, a, b, c):\n    self.a = a\n    self.b = b\n    self.c = c\n"
              "x += 1\nx += 1\nx += 1\nx += 1\n"
              "if a:\n    run(1)\n    log(1)\nelif b:\n    run(2)\n    log(2)\n") == V{});
  CHECK(found("go", "package p\nfunc f() {\n\tmu.Lock()\n\tmu.Unlock()\n\tmu.Lock()\n\tmu.Unlock()\n}\n") == V{});
}

TEST_CASE("short lines repeated many times count") {
  CHECK(found("c",
              "void f(char *b) {\n"
              "  strcat(buffer, user_input);\n  strcat(buffer, user_input);\n"
              "  strcat(buffer, user_input);\n  strcat(buffer, user_input);\n}\n") == V{"3-5 x4 from 2"});
}

TEST_CASE("thresholds are options") {
  match::RepetitionOptions opt;
  opt.min_lines = 2;
  CHECK(found("java", "class A { void f() {\n  a.b();\n  c.d();\n  a.b();\n  c.d();\n} }\n", opt) == V{"4-5 x2 from 2"});
  opt.min_lines = 3;
  CHECK(found("java", "class A { void f() {\n  a.b();\n  c.d();\n  a.b();\n  c.d();\n} }\n", opt) == V{});
}

TEST_CASE("a long run of identical lines is one finding of the longest unit (linear per unit length)") {
  // 20,000 identical statements: a 24-statement unit repeated 833 times; the 8 left over make a
  // 4-statement unit twice. The quadratic scan this replaced took seconds here and minutes at
  // 200,000 (the same results as that scan: checked with both binaries on random files).
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "total = total + compute(value, 42)\n";
  CHECK(found("python", text) == V{"25-19992 x833 from 1", "19997-20000 x2 from 19993"});
  // A repeated unit with a break in the middle: the longest units that repeat, on each side.
  std::string broken;
  for (int i = 0; i < 12; ++i) broken += "a = f(1)\nb = g(2)\nc = h(3)\n";
  broken += "different_statement_here(1, 2, 3)\n";
  for (int i = 0; i < 6; ++i) broken += "a = f(1)\nb = g(2)\nc = h(3)\n";
  CHECK(found("python", broken) == V{"19-36 x2 from 1", "47-55 x2 from 38"});
}
