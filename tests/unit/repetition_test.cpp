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
