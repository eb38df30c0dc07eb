#include <catch2/catch.hpp>

#include "analyzers/document/document.hpp"
#include "analyzers/match/query.hpp"

using namespace vigil;

namespace {
// Texts of the @match capture of every match.
std::vector<std::string> matches(std::string_view lang_name, std::string_view query_src, const std::string& code) {
  const auto& lang = *grammars::by_name(lang_name);
  match::Query q(lang.ts_language(), query_src);
  auto snap = document::Snapshot::parse("t", lang, code);
  std::vector<std::string> out;
  const int id = q.capture_id("match");
  q.for_each_match(snap->root(), snap->text, [&](const match::QueryMatch& m) {
    for (const auto& c : m.captures)
      if (static_cast<int>(c.capture_id) == id) out.emplace_back(snap->node_text(c.node));
  });
  return out;
}
}  // namespace

TEST_CASE("#eq? and #not-eq? compare a capture with a string or another capture") {
  const std::string code = "eval(a)\nexec(b)\nprint(c)\nf(f)\n";
  CHECK(matches("python", R"((call function: (identifier) @f (#eq? @f "eval")) @match)", code) ==
        std::vector<std::string>{"eval(a)"});
  CHECK(matches("python", R"((call function: (identifier) @f (#not-eq? @f "eval")) @match)", code).size() == 3);
  CHECK(matches("python", R"((call function: (identifier) @f arguments: (argument_list (identifier) @a) (#eq? @f @a)) @match)",
                code) == std::vector<std::string>{"f(f)"});
}

TEST_CASE("#match? uses RE2, partial match, and #not-match?") {
  const std::string code = "md5(x)\nsha256(y)\nmd5sum(z)\n";
  CHECK(matches("python", R"((call function: (identifier) @f (#match? @f "^md5$")) @match)", code) ==
        std::vector<std::string>{"md5(x)"});
  CHECK(matches("python", R"((call function: (identifier) @f (#match? @f "md5")) @match)", code).size() == 2);
  CHECK(matches("python", R"((call function: (identifier) @f (#not-match? @f "^md5")) @match)", code) ==
        std::vector<std::string>{"sha256(y)"});
}

TEST_CASE("#any-of? and #not-any-of?") {
  const std::string code = "eval(a)\nexec(b)\nprint(c)\n";
  CHECK(matches("python", R"((call function: (identifier) @f (#any-of? @f "eval" "exec")) @match)", code).size() == 2);
  CHECK(matches("python", R"((call function: (identifier) @f (#not-any-of? @f "eval" "exec")) @match)", code) ==
        std::vector<std::string>{"print(c)"});
}

TEST_CASE("#any- forms behave like the plain ones on a single node") {
  const std::string code = "f(a)\ng(b)\n";
  CHECK(matches("python", R"((call arguments: (argument_list (identifier) @arg) (#any-eq? @arg "b")) @match)", code) ==
        std::vector<std::string>{"g(b)"});
  CHECK(matches("python", R"((call arguments: (argument_list (identifier) @arg) (#any-not-eq? @arg "b")) @match)", code) ==
        std::vector<std::string>{"f(a)"});
  CHECK(matches("python", R"((call arguments: (argument_list (identifier) @arg) (#any-match? @arg "^[ab]$")) @match)", code)
            .size() == 2);
}

TEST_CASE("query errors carry the offset of the problem") {
  const auto* py = grammars::by_name("python")->ts_language();
  auto offset_of = [&](std::string_view src) -> std::pair<uint32_t, std::string> {
    try {
      match::Query q(py, src);
    } catch (const match::QueryError& e) {
      return {e.offset, e.what()};
    }
    return {UINT32_MAX, ""};
  };
  auto [o1, m1] = offset_of("(call function: (identifer))");
  CHECK(o1 == 17);
  CHECK(m1 == "unknown node type 'identifer' for this language");
  auto [o2, m2] = offset_of("(call funktion: (identifier))");
  CHECK(m2.find("unknown field 'funktion'") != std::string::npos);
  auto [o3, m3] = offset_of("(call) @c (#set! @c \"x\")");
  CHECK(o3 == 11);
  CHECK(m3.find("unsupported predicate #set!") != std::string::npos);
  auto [o4, m4] = offset_of("((identifier) @c (#match? @c \"(unclosed\"))");
  CHECK(m4.find("invalid regex") != std::string::npos);
  auto [o5, m5] = offset_of("(call");
  CHECK(m5.find("invalid query syntax") != std::string::npos);
}
