#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>

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

namespace {
// (pattern index, every capture as name=text) of each match, sorted: the matches of a query as a set.
std::vector<std::string> all_matches(const match::Query& q, const document::Snapshot& snap,
                                     std::optional<std::pair<uint32_t, uint32_t>> range = std::nullopt) {
  std::vector<std::string> out;
  q.for_each_match(
      snap.root(), snap.text,
      [&](const match::QueryMatch& m) {
        std::string s = std::to_string(m.pattern_index);
        std::vector<std::string> caps;
        for (const auto& c : m.captures)
          caps.push_back(std::string(q.capture_name(c.capture_id)) + "=" + std::to_string(ts_node_start_byte(c.node)) +
                         ":" + std::string(snap.node_text(c.node)));
        std::sort(caps.begin(), caps.end());
        for (const auto& c : caps) s += " " + c;
        out.push_back(s);
      },
      range);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}
}  // namespace

TEST_CASE("sibling patterns (_ (A) (B)) are joined by parent and give tree-sitter's own matches") {
  // The same pattern wrapped in a group is left to tree-sitter's cursor: the reference.
  const std::string body =
      "(expression_statement (call_expression function: (member_expression property: (property_identifier) @fn) "
      "arguments: (arguments . (string) @h . (_) @v)) @match) "
      "(expression_statement (call_expression function: (member_expression property: (property_identifier) @fn2) "
      "arguments: (arguments . (string) @h2 . [(string) (true)] @v2))) "
      "(#any-of? @fn \"setHeader\" \"set\") (#match? @h \"Origin\") (#eq? @fn @fn2)";
  const std::string joined = "(_ " + body + ") @parent";
  const std::string native = "((_ " + body + ") @parent)";
  const auto& js = *grammars::by_name("javascript");
  match::Query q_joined(js.ts_language(), joined);
  match::Query q_native(js.ts_language(), native);
  CHECK(q_joined.sibling_pattern_count() == 1);
  CHECK(q_native.sibling_pattern_count() == 0);
  const std::string code =
      "res.setHeader(\"Origin\", req.headers.origin);\n"
      "res.setHeader(\"X\", \"1\");\n"
      "res.set(\"Y\", true);\n"
      "function f(res) {\n"
      "  res.set(\"Origin-A\", a);\n"
      "  other();\n"
      "  res.set(\"Origin-B\", b);\n"
      "  res.set(\"Z\", \"z\");\n"
      "  res.setHeader(\"Z\", \"z\");\n"
      "  if (x) { res.set(\"Origin\", o); }\n"
      "}\n"
      "res.set(\"late\", \"z\");\n"
      "res.setHeader(\"Origin\", \"z\");\n";
  auto snap = document::Snapshot::parse("t.js", js, code);
  const auto expected = all_matches(q_native, *snap);
  CHECK(expected.size() == 4);  // two at the top level, two in the function body
  CHECK(all_matches(q_joined, *snap) == expected);
  // With a byte range, the matches whose parent intersects it, as tree-sitter's range has it.
  for (uint32_t start = 0; start < code.size(); start += 7)
    for (uint32_t len : {0u, 1u, 30u, 90u}) {
      const auto range = std::make_pair(start, std::min<uint32_t>(start + len, static_cast<uint32_t>(code.size())));
      INFO("range " << range.first << "-" << range.second);
      CHECK(all_matches(q_joined, *snap, range) == all_matches(q_native, *snap, range));
    }
}

TEST_CASE("patterns that are not plain siblings stay with tree-sitter") {
  const auto* py = grammars::by_name("python")->ts_language();
  CHECK(match::Query(py, "(_ (call) . (call))").sibling_pattern_count() == 0);        // anchored
  CHECK(match::Query(py, "(_ (call) (call)?)").sibling_pattern_count() == 0);         // quantified
  CHECK(match::Query(py, "(_ (call) body: (block))").sibling_pattern_count() == 0);   // a field
  CHECK(match::Query(py, "(_ (call))").sibling_pattern_count() == 0);                 // one child
  CHECK(match::Query(py, "(block (expression_statement) (expression_statement))").sibling_pattern_count() == 0);  // named parent
  CHECK(match::Query(py, "(_ (call) @a ; comment\n [(string) (integer)] @b)").sibling_pattern_count() == 1);
}
