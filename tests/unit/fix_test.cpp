// Fix edits, suppression comments and the unified diff (analyzers/fix, analyzers/report/unified_diff).
#include <catch2/catch.hpp>

#include "analyzers/fix/fix.hpp"
#include "analyzers/report/unified_diff.hpp"

using vigil::FixEdit;
namespace fix = vigil::fix;

namespace {

FixEdit edit_of(std::string_view text, std::string_view old_part, std::string replacement, bool safe = true) {
  const auto at = text.find(old_part);
  REQUIRE(at != std::string_view::npos);
  return FixEdit{static_cast<uint32_t>(at), static_cast<uint32_t>(at + old_part.size()), std::move(replacement), safe};
}

std::shared_ptr<const vigil::document::Snapshot> parse(const char* language, std::string text) {
  return vigil::document::Snapshot::parse("t", *vigil::grammars::by_name(language), std::move(text));
}

std::string suppressed(const char* language, const std::string& text, std::string_view flagged, std::string_view id) {
  auto snap = parse(language, text);
  const auto s = fix::suppression(*snap, static_cast<uint32_t>(text.find(flagged)), id);
  std::string out = text;
  out.insert(s.offset, s.text("because"));
  return out;
}

}  // namespace

TEST_CASE("a fix edit shrinks to the words that change") {
  const std::string text = "cfg = yaml.load(data)\n";
  auto e = fix::minimal(edit_of(text, "yaml.load(data)", "yaml.safe_load(data)"), text);
  CHECK(text.substr(e.start_byte, e.end_byte - e.start_byte) == "load");
  CHECK(e.replacement == "safe_load");
  CHECK(fix::apply(text, {e}) == "cfg = yaml.safe_load(data)\n");

  const std::string kw = "get(u, verify=False)\n";
  e = fix::minimal(edit_of(kw, "verify=False", "verify=True"), kw);
  CHECK(kw.substr(e.start_byte, e.end_byte - e.start_byte) == "False");  // not "Fals" -> "Tru"
  CHECK(e.replacement == "True");

  // Never inside a UTF-8 character: "é" and "è" share their first byte.
  const std::string accents = "s = 'é'\n";
  e = fix::minimal(edit_of(accents, "'é'", "'è'"), accents);
  CHECK(e.start_byte == accents.find("é"));
  CHECK(e.replacement == "è");

  // An identical replacement becomes an empty edit at one point (harmless to apply).
  e = fix::minimal(edit_of(kw, "verify=False", "verify=False"), kw);
  CHECK(fix::apply(kw, {e}) == kw);
}

TEST_CASE("a deletion that empties its line removes the line") {
  const std::string text = "a = 1\n  // @ts-ignore\n  b();\n";
  auto e = fix::minimal(edit_of(text, "// @ts-ignore", ""), text);
  CHECK(fix::apply(text, {e}) == "a = 1\n  b();\n");
  const std::string inline_comment = "x = 1  # nosec\n";
  e = fix::minimal(edit_of(inline_comment, "# nosec", ""), inline_comment);
  CHECK(fix::apply(inline_comment, {e}) == "x = 1  \n");
}

TEST_CASE("fixes applied together never overlap") {
  FixEdit a{0, 10, "A", true}, b{5, 15, "B", true}, c{10, 12, "C", true}, d{20, 20, "D", true}, d2{20, 20, "E", true};
  auto chosen = fix::non_overlapping({b, a, c, d, d2, a});
  REQUIRE(chosen.size() == 3);
  CHECK(chosen[0].replacement == "A");  // first by position wins over the overlapping B
  CHECK(chosen[1].replacement == "C");  // touching A's end is fine
  CHECK(chosen[2].replacement == "D");  // two insertions at one point: the first only
  CHECK(fix::overlap(FixEdit{3, 3, "", true}, FixEdit{0, 10, "", true}));
  CHECK_FALSE(fix::overlap(FixEdit{10, 10, "", true}, FixEdit{0, 10, "", true}));

  const std::string text = "0123456789abcdefghij";
  CHECK(fix::apply(text, chosen) == "ACcdefghijD");
}

TEST_CASE("suppression comments use the language's syntax and the flagged line's indentation") {
  CHECK(suppressed("python", "def f(x):\n    return eval(x)\n", "eval", "py-eval-injection") ==
        "def f(x):\n    # vigil-ignore: py-eval-injection -- because\n    return eval(x)\n");
  CHECK(suppressed("go", "func f() {\n\tif ok {\n\t\tdanger(x)\n\t}\n}\n", "danger", "go-x") ==
        "func f() {\n\tif ok {\n\t\t// vigil-ignore: go-x -- because\n\t\tdanger(x)\n\t}\n}\n");
  CHECK(suppressed("c", "int main(void) {\n  gets(buf);\n}\n", "gets", "c-gets") ==
        "int main(void) {\n  // vigil-ignore: c-gets -- because\n  gets(buf);\n}\n");
  // First line of the file, CRLF line endings.
  CHECK(suppressed("javascript", "eval(a);\r\nok();\r\n", "eval", "js-eval-injection") ==
        "// vigil-ignore: js-eval-injection -- because\r\neval(a);\r\nok();\r\n");
  // Flagged inside a multi-line string: the comment goes above the string's first line.
  CHECK(suppressed("javascript", "function f(id) {\n  const q = `SELECT *\n    FROM t WHERE id = ${id}`;\n}\n", "${id}", "js-sql") ==
        "function f(id) {\n  // vigil-ignore: js-sql -- because\n  const q = `SELECT *\n    FROM t WHERE id = ${id}`;\n}\n");
  CHECK(suppressed("python", "q = '''SELECT\n  %s''' % x\n", "%s", "py-sql") == "# vigil-ignore: py-sql -- because\nq = '''SELECT\n  %s''' % x\n");
}

TEST_CASE("unified diff") {
  using vigil::report::unified_diff;
  CHECK(unified_diff("a\n", "a\n", "a/x", "b/x").empty());
  std::string old_text, new_text;
  for (int i = 1; i <= 20; ++i) {
    old_text += "line " + std::to_string(i) + "\n";
    new_text += (i == 5 ? "LINE 5" : i == 16 ? "LINE 16" : "line " + std::to_string(i)) + "\n";
  }
  new_text += "added\n";
  CHECK(unified_diff(old_text, new_text, "a/x", "b/x") ==
        "--- a/x\n+++ b/x\n"
        "@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+LINE 5\n line 6\n line 7\n line 8\n"
        "@@ -13,8 +13,9 @@\n line 13\n line 14\n line 15\n-line 16\n+LINE 16\n line 17\n line 18\n line 19\n line 20\n+added\n");
  // Changes 6 lines apart share a hunk; a missing final newline is marked.
  CHECK(unified_diff("a\nb\nc\nd\ne\nf\ng\nh\n", "A\nb\nc\nd\ne\nf\ng\nH", "a/x", "b/x") ==
        "--- a/x\n+++ b/x\n@@ -1,8 +1,8 @@\n-a\n+A\n b\n c\n d\n e\n f\n g\n-h\n+H\n\\ No newline at end of file\n");
  // Insertion into an empty file.
  CHECK(unified_diff("", "x\n", "a/x", "b/x") == "--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+x\n");
}
