#include <catch2/catch.hpp>

#include <random>

#include "analyzers/document/document.hpp"

using namespace vigil::document;

namespace {
std::string tree_string(TSNode n) {
  char* s = ts_node_string(n);
  std::string out(s);
  free(s);
  return out;
}
}  // namespace

TEST_CASE("incremental edits keep the tree equal to a fresh parse") {
  const auto& python = *vigil::grammars::by_name("python");
  Document doc("t.py", python, "def f(a):\n    return a + 1\n\nx = f(2)\n", 1);
  std::mt19937 rng(42);
  const std::vector<std::string> inserts = {"b", "\n", "    ", "é", "😀", "(", ")", "g(x)\n", "", "# c\n", ":"};
  int64_t version = 1;
  for (int i = 0; i < 300; ++i) {
    const auto& text = doc.text();
    const uint32_t lines = doc.lines().line_count();
    const uint32_t line = rng() % lines;
    const uint32_t len = vigil::document::length_in(
        std::string_view(text).substr(doc.lines().line_start(line), doc.lines().line_end(text, line) - doc.lines().line_start(line)),
        Encoding::utf16);
    const uint32_t start = len ? rng() % (len + 1) : 0;
    const uint32_t end = std::min(len, start + static_cast<uint32_t>(rng() % 3));
    TextChange change{Range{{line, start}, {line, end}}, inserts[rng() % inserts.size()]};
    doc.apply({change}, Encoding::utf16, ++version);
    auto fresh = Snapshot::parse("t.py", python, doc.text());
    REQUIRE(tree_string(doc.root()) == tree_string(fresh->root()));
  }
  CHECK(doc.version() == 301);
}

TEST_CASE("several changes in one notification apply in order") {
  const auto& js = *vigil::grammars::by_name("javascript");
  Document doc("t.js", js, "let a = 1;\n", 1);
  doc.apply({{Range{{0, 4}, {0, 5}}, "bb"}, {Range{{0, 0}, {0, 0}}, "// x\n"}, {Range{{1, 9}, {1, 10}}, "2"}},
            Encoding::utf16, 2);
  CHECK(doc.text() == "// x\nlet bb = 2;\n");
  CHECK_FALSE(ts_node_has_error(doc.root()));
}

TEST_CASE("a change without a range replaces the whole text") {
  const auto& go = *vigil::grammars::by_name("go");
  Document doc("t.go", go, "package a\n", 1);
  doc.apply({{std::nullopt, "package b\n\nfunc F() {}\n"}}, Encoding::utf16, 2);
  CHECK(doc.lines().line_count() == 4);
  CHECK_FALSE(ts_node_has_error(doc.root()));
  auto snap = doc.snapshot();
  CHECK(snap->version == 2);
  CHECK(snap->text == doc.text());
}

TEST_CASE("every registered grammar loads and parses") {
  for (const auto& lang : vigil::grammars::all()) {
    auto snap = Snapshot::parse("x", lang, "");
    CHECK(snap->tree != nullptr);
  }
  CHECK(vigil::grammars::by_path("a/b.tsx")->id == "tsx");
  CHECK(vigil::grammars::by_path("x.H") != nullptr);
  CHECK(vigil::grammars::by_path("Makefile") == nullptr);
  CHECK(vigil::grammars::by_lsp_language_id("typescriptreact")->id == "tsx");
  CHECK(vigil::grammars::by_name("JS")->id == "javascript");
}
