#include <catch2/catch.hpp>

#include "analyzers/json_input.hpp"
#include "analyzers/workspace/ignore.hpp"
#include "lsp/convert.hpp"
#include "lsp/transport.hpp"

using vigil::lsp::FrameReader;

TEST_CASE("frames split at any byte boundary") {
  const std::string stream = vigil::lsp::frame(R"({"a":1})") + vigil::lsp::frame("{\"b\":\"é\"}");
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    FrameReader r;
    auto first = r.feed(std::string_view(stream).substr(0, cut));
    auto second = r.feed(std::string_view(stream).substr(cut));
    first.insert(first.end(), second.begin(), second.end());
    REQUIRE(first.size() == 2);
    CHECK(first[0].body == R"({"a":1})");
    CHECK(first[1].body == "{\"b\":\"é\"}");
  }
}

TEST_CASE("frame headers: case, extra headers, errors") {
  FrameReader r;
  auto f = r.feed("content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}");
  REQUIRE(f.size() == 1);
  CHECK(f[0].ok);
  auto bad = r.feed("Content-Length: abc\r\n\r\n");
  REQUIRE(bad.size() == 1);
  CHECK_FALSE(bad[0].ok);
  auto missing = r.feed("X: y\r\n\r\nContent-Length: 1\r\n\r\n1");
  REQUIRE(missing.size() == 2);
  CHECK_FALSE(missing[0].ok);
  CHECK(missing[1].body == "1");
}

TEST_CASE("file URIs and paths") {
  CHECK(vigil::lsp::uri_to_path("file:///tmp/a%20b/c.py") == "/tmp/a b/c.py");
  CHECK(vigil::lsp::uri_to_path("file://localhost/tmp/x.py") == "/tmp/x.py");
  CHECK(vigil::lsp::path_to_uri("/tmp/a b/é.py") == "file:///tmp/a%20b/%C3%A9.py");
}

TEST_CASE("gitignore-style patterns") {
  using vigil::workspace::glob_match;
  CHECK(glob_match("*.py", "a.py"));
  CHECK_FALSE(glob_match("*.py", "d/a.py"));
  CHECK(glob_match("**/*.py", "d/e/a.py"));
  CHECK(glob_match("**/*.py", "a.py"));
  CHECK(glob_match("src/**", "src/a/b"));
  CHECK(glob_match("a/**/b", "a/b"));
  CHECK(glob_match("a/**/b", "a/x/y/b"));
  CHECK(glob_match("[ab]?.js", "bx.js"));
  CHECK_FALSE(glob_match("[!ab]?.js", "bx.js"));

  vigil::workspace::IgnoreRules rules;
  rules.add_lines("", "# comment\n*.log\nbuild/\n/top.py\n!keep.log\n");
  rules.add_lines("sub", "gen_*.py\n");
  CHECK(rules.ignored("x.log", false));
  CHECK_FALSE(rules.ignored("keep.log", false));
  CHECK(rules.ignored("deep/build", true));
  CHECK_FALSE(rules.ignored("deep/build", false));
  CHECK(rules.ignored("top.py", false));
  CHECK_FALSE(rules.ignored("d/top.py", false));
  CHECK(rules.ignored("sub/x/gen_a.py", false));
  CHECK_FALSE(rules.ignored("gen_a.py", false));
}

TEST_CASE("JSON from outside: nesting bounded at 256 levels, deeper values dropped while parsing") {
  auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  auto ok = vigil::json_input::parse("{\"id\":1,\"x\":" + nested(255) + "}");
  CHECK_FALSE(ok.too_deep);
  CHECK(ok.value["id"] == 1);
  auto deep = vigil::json_input::parse("{\"id\":7,\"x\":" + nested(100000) + "}");
  CHECK(deep.too_deep);
  CHECK(deep.value["id"] == 7);  // the shallow members survive, so a protocol can answer the id
  CHECK(vigil::json_input::parse_or_discard("{\"x\":" + nested(300) + "}").is_discarded());
  CHECK(vigil::json_input::parse_or_discard("{\"x\":").is_discarded());
  CHECK(vigil::json_input::parse_or_discard("[1,2]") == nlohmann::json::array({1, 2}));
}
