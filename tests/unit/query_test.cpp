#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <tuple>

#include "analyzers/document/document.hpp"
#include "analyzers/match/query.hpp"
#include "analyzers/match/query_prefilter.hpp"
#include "analyzers/match/words.hpp"
#include "analyzers/rules/loader.hpp"
#include "analyzers/rules/sources.hpp"

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
  // An anchor glued to a node name inside a parent: tree-sitter 0.25.1 writes past its step array
  // (fuzz/rule_loader); refused before tree-sitter parses it. Anchors between patterns still work.
  auto [oa, ma] = offset_of("(call function: (.identifier) @f)");
  CHECK(oa == 17);
  CHECK(ma.find("anchor") != std::string::npos);
  CHECK(offset_of("((.identifier))").second.find("anchor") != std::string::npos);
  CHECK(offset_of("(argument_list . (identifier) @first)").first == UINT32_MAX);
  CHECK(offset_of("(string) @s (#eq? @s \"(.x\") ; (.y").first == UINT32_MAX);
  // An empty string, as a node or a predicate argument: tree-sitter 0.25.1 passes a null pointer to
  // strncmp/memcpy for it (UBSan, fuzz/rule_loader). Escaped quotes and `""` in comments are fine.
  CHECK(offset_of("(call \"\" @x)").first == 6);
  CHECK(offset_of("((identifier) @x (#eq? @x \"\"))").second.find("empty string") != std::string::npos);
  CHECK(offset_of("((string) @s (#eq? @s \"\\\"\")) ; \"\"").first == UINT32_MAX);
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

TEST_CASE("QueryPrefilter: the words of #eq? and #any-of? on captures every match has") {
  match::QueryPrefilter eq(R"q((call function: (identifier) @f (#eq? @f "eval")) @match)q");
  CHECK_FALSE(eq.unconstrained());
  CHECK(eq.may_match("x = eval(a)"));
  CHECK_FALSE(eq.may_match("x = exec(a)"));
  match::QueryPrefilter any(R"q((call function: (identifier) @f (#any-of? @f "exec" "spawn")) @match)q");
  CHECK(any.may_match("spawn(x)"));
  CHECK_FALSE(any.may_match("eval(x)"));
  // In every branch of an alternation: required; in some branches only, under `?`, or negated: nothing.
  match::QueryPrefilter both(R"q((call function: [(identifier) @f (attribute attribute: (identifier) @f)] (#eq? @f "eval")))q");
  CHECK_FALSE(both.may_match("exec(a)"));
  for (const char* q : {R"q((call function: [(identifier) @f (attribute object: (identifier) @o)] (#eq? @o "os")))q",
                        R"q((call function: (identifier) arguments: (argument_list (identifier)? @a) (#eq? @a "x")))q",
                        R"q((call function: (identifier) @f (#not-eq? @f "eval")))q",
                        R"q((call function: (identifier) @f (#eq? @f @f)))q", "(comment) @c", "(unbalanced"}) {
    match::QueryPrefilter p(q);
    CHECK(p.unconstrained());
    CHECK(p.may_match(""));
  }
  // Several patterns: one whose words are present suffices.
  match::QueryPrefilter two("((identifier) @a (#eq? @a \"alpha\"))\n((identifier) @b (#eq? @b \"beta\")) ; comment \"x\"\n");
  CHECK(two.may_match("beta"));
  CHECK_FALSE(two.may_match("gamma"));
  // Escapes in strings are read as tree-sitter reads them.
  match::QueryPrefilter esc(R"q(((string) @s (#eq? @s "\"q\"")))q");
  CHECK(esc.may_match("x = \"q\""));
  CHECK_FALSE(esc.may_match("x = 'q'"));
}

TEST_CASE("QueryPrefilter: #match? needs the literals of RE2's prefilter, case-insensitively") {
  match::QueryPrefilter re(R"q(((identifier) @n (#match? @n "(?i)(password|secret_?key)")))q");
  CHECK(re.may_match("PASSWORD = 1"));
  CHECK(re.may_match("my_secretkey = 1"));
  CHECK_FALSE(re.may_match("token = 1"));
  match::QueryPrefilter math(R"q(((call) @c (#match? @c "\\bMath\\.random\\(")))q");
  CHECK(math.may_match("x = Math.random()"));
  CHECK_FALSE(math.may_match("x = Math.floor(y)"));
  // A regex without a literal imposes nothing.
  match::QueryPrefilter any(R"q(((identifier) @n (#match? @n "^[A-Z]+$")))q");
  CHECK(any.may_match("x"));
}

TEST_CASE("QueryPrefilter: literal clauses ask the file's TextWords, each word searched once") {
  match::QueryPrefilter eval1(R"q((call function: (identifier) @f (#eq? @f "eval")) @match)q");
  match::QueryPrefilter eval2(R"q((call function: (attribute attribute: (identifier) @f) (#any-of? @f "eval" "exec")))q");
  match::QueryPrefilter secret(R"q(((identifier) @n (#match? @n "(?i)secret")) ((identifier) @m (#eq? @m "eval")))q");
  const std::string text = "x = eval(SECRET)";
  const match::TextWords words(text);
  CHECK(eval1.may_match(words));
  CHECK(words.searched() == 1);
  CHECK(eval2.may_match(words));
  CHECK(words.searched() == 1);  // `eval` was found before; `exec` need not be searched
  CHECK(secret.may_match(words));  // the regex clause reads the text, case-insensitively
  const std::string other = "x = exec(token)";
  const match::TextWords other_words(other);
  CHECK_FALSE(eval1.may_match(other_words));
  CHECK(eval2.may_match(other_words));
  CHECK(other_words.searched() == 2);  // `eval`, then `exec`
  CHECK_FALSE(secret.may_match(other_words));
  CHECK(other_words.searched() == 2);
  // The same verdicts as on the text alone.
  for (const auto* f : {&eval1, &eval2, &secret})
    for (const std::string& t : {text, other, std::string(""), std::string("eva l")}) {
      const match::TextWords w(t);
      CHECK(f->may_match(w) == f->may_match(t));
    }
}

TEST_CASE("WordIndex: one pass over a text finds exactly the words std::string_view::find finds") {
  // Words sharing prefixes and suffixes, words inside words, an empty word, punctuation.
  const std::vector<std::string> words = {"exec", "execSync", "xec", "ec", "c", "child_process", "os.system",
                                          "system", "sys", "", "getParameter", "Parameter", "ParameterMap",
                                          ".get(", "aaa", "aab", "ab", "b", "md5.New", "New"};
  const match::WordIndex index(words);
  std::vector<std::string> texts = {"", "exec", "cp.execSync(cmd)", "os.system(x) # sys", "req.getParameterMap()",
                                    "aaab", "aab", "abab", "md5.New()", "a\xff" "exe\ncexecSyn", "New"};
  // And pseudo-random texts over the words' bytes and a few others.
  uint32_t seed = 12345;
  const std::string alphabet = "aebcxNw.()_sySParmtd5ceo ";
  for (int t = 0; t < 300; ++t) {
    std::string text;
    const int len = t % 40;
    for (int i = 0; i < len; ++i) {
      seed = seed * 1103515245u + 12345u;
      text += (seed >> 16) % 7 == 0 ? words[(seed >> 8) % words.size()] : std::string(1, alphabet[(seed >> 16) % alphabet.size()]);
    }
    texts.push_back(text);
  }
  for (const auto& text : texts) {
    const auto present = index.scan(text);
    const match::TextWords indexed(text, &index);
    const match::TextWords plain(text);
    for (const auto& w : words) {
      INFO("text `" << text << "`, word `" << w << "`");
      const bool expected = text.find(w) != std::string::npos;
      CHECK(bool(present[*index.id(w)]) == expected);
      CHECK(indexed(w) == expected);
      CHECK(plain(w) == expected);
    }
    // A word outside the index is searched on its own.
    CHECK(indexed("zz") == (text.find("zz") != std::string::npos));
    CHECK(indexed.searched() == 1);
  }
  CHECK_FALSE(index.id("zz"));

  // More states than 16-bit transitions can number: the table has 32-bit entries, same answers.
  std::vector<std::string> many;
  for (int i = 0; i < 12000; ++i) {
    std::string w;
    for (int j = 0; j < 8; ++j) {
      seed = seed * 1103515245u + 12345u;
      w += alphabet[(seed >> 16) % alphabet.size()];
    }
    many.push_back(w);
  }
  const match::WordIndex big(many);
  REQUIRE(big.states() > 65536);
  for (int t = 0; t < 40; ++t) {
    std::string text;
    for (int i = 0; i < 30; ++i) {
      seed = seed * 1103515245u + 12345u;
      text += (seed >> 16) % 5 == 0 ? many[(seed >> 4) % many.size()] : std::string(1, alphabet[(seed >> 16) % alphabet.size()]);
    }
    const auto present = big.scan(text);
    size_t found = 0;
    for (const auto& w : many) {
      const bool expected = text.find(w) != std::string::npos;
      found += expected;
      if (bool(present[*big.id(w)]) != expected) FAIL("text `" << text << "`, word `" << w << "`");
    }
    CHECK(found > 0);
  }
}

// Never false where the query matches: every built-in query rule against every fixture and rule
// file of its language.
TEST_CASE("QueryPrefilter never rules out a text that a built-in query rule matches") {
  std::vector<rules::PackFile> pack(rules::builtin_pack().begin(), rules::builtin_pack().end());
  std::vector<rules::Problem> problems;
  auto utils = rules::pack_utils(pack, problems);
  size_t checked = 0, ruled_out = 0;
  for (const auto& f : pack) {
    if (!rules::is_rule_file(f.path)) continue;
    for (const auto& rule : rules::load_rules_from_yaml(f.path, f.content, {.validate_queries = false, .global_utils = utils}).rules)
      for (const auto& m : rule->matchers) {
        if (m->source().empty()) continue;
        const match::QueryPrefilter filter(m->source());
        for (const auto& text_file : pack) {
          const auto* lang = grammars::by_path(text_file.path);
          if (lang != m->language) continue;
          auto snap = document::Snapshot::parse(text_file.path, *lang, text_file.content);
          bool found = false;
          m->query().for_each_match(snap->root(), snap->text, [&](const match::QueryMatch&) { found = true; });
          const bool may = filter.may_match(text_file.content);
          INFO(rule->id << " on " << text_file.path);
          CHECK((may || !found));
          CHECK(filter.may_match(match::TextWords(text_file.content)) == may);
          ++checked;
          if (!may) ++ruled_out;
        }
      }
  }
  CHECK(checked > 100);
  CHECK(ruled_out > checked / 2);  // and it does rule texts out
}

namespace {
// Every match of a byte-ranged walk, as (pattern, capture id, start, end) in sorted order.
using MatchKey = std::vector<std::tuple<uint32_t, uint32_t, uint32_t, uint32_t>>;
std::vector<MatchKey> ranged_matches(const match::Query& q, TSNode root, std::string_view text, uint32_t s, uint32_t e) {
  std::vector<MatchKey> out;
  q.for_each_match(
      root, text,
      [&](const match::QueryMatch& m) {
        MatchKey key;
        for (const auto& c : m.captures)
          key.emplace_back(m.pattern_index, c.capture_id, ts_node_start_byte(c.node), ts_node_end_byte(c.node));
        out.push_back(std::move(key));
      },
      std::make_pair(s, e));
  std::sort(out.begin(), out.end());
  return out;
}
// The same from tree-sitter's own cursor run on `root` (no text predicates in these queries).
std::vector<MatchKey> cursor_matches(const TSLanguage* lang, std::string_view src, TSNode root, uint32_t s, uint32_t e) {
  uint32_t offset = 0;
  TSQueryError error = TSQueryErrorNone;
  TSQuery* q = ts_query_new(lang, src.data(), static_cast<uint32_t>(src.size()), &offset, &error);
  REQUIRE(q);
  TSQueryCursor* cursor = ts_query_cursor_new();
  ts_query_cursor_set_byte_range(cursor, s, e);
  ts_query_cursor_exec(cursor, q, root);
  std::vector<MatchKey> out;
  TSQueryMatch m;
  while (ts_query_cursor_next_match(cursor, &m)) {
    MatchKey key;
    for (uint16_t i = 0; i < m.capture_count; ++i)
      key.emplace_back(m.pattern_index, m.captures[i].index, ts_node_start_byte(m.captures[i].node),
                       ts_node_end_byte(m.captures[i].node));
    out.push_back(std::move(key));
  }
  ts_query_cursor_delete(cursor);
  ts_query_delete(q);
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

// A byte-ranged walk runs from the root's children in the range, not from the root (whose cursor
// visits every top-level statement): it must find what tree-sitter's cursor on the root finds,
// including patterns that need what a child cannot see from itself.
TEST_CASE("a byte-ranged query finds what tree-sitter's cursor on the root finds") {
  const auto& lang = *grammars::by_name("javascript");
  const std::string code =
      "// helper\nfunction a(x) { return eval(x); }\nconst b = require('fs');\n"
      "b.readFile(p, cb);\n// other\nfunction c() { new Thing(1); }\nclass D { m() { f(); } }\nlet e = () => g(h(1));\n";
  auto snap = document::Snapshot::parse("t.js", lang, code);
  const std::vector<std::string> queries = {
      "(call_expression) @match",
      "[(call_expression) (new_expression)] @match",
      "(statement) @match",                                        // a supertype: hidden above a top-level child
      "(declaration) @match (expression) @x",                      // supertypes again
      "((comment) @a . (function_declaration) @match)",            // not rooted: spans top-level siblings
      "(program (expression_statement) @match)",                   // starts at the root
      "(program . (comment) @match)",                              // anchored among the root's children
      "(_ (identifier) @match)",                                   // a wildcard parent
      "(function_declaration name: (identifier) @match)",
  };
  std::vector<std::pair<uint32_t, uint32_t>> ranges = {{0, 1}, {10, 11}, {0, 0}};
  for (uint32_t at : {11u, 40u, 44u, 45u, 70u, 90u, 120u, 150u}) ranges.emplace_back(at, at + 1);
  ranges.emplace_back(44, 90);
  ranges.emplace_back(45, 45);
  ranges.emplace_back(static_cast<uint32_t>(code.size()) - 1, static_cast<uint32_t>(code.size()));
  for (const auto& src : queries) {
    match::Query q(lang.ts_language(), src);
    for (auto [s, e] : ranges) {
      INFO(src << " in [" << s << ", " << e << ")");
      CHECK(ranged_matches(q, snap->root(), snap->text, s, e) == cursor_matches(lang.ts_language(), src, snap->root(), s, e));
    }
  }
  // From a node whose children have field names (a pattern may start at `function:`).
  TSNode call = ts_node_named_descendant_for_byte_range(snap->root(), 72, 72);
  while (!ts_node_is_null(call) && std::string_view(ts_node_type(call)) != "call_expression") call = ts_node_parent(call);
  REQUIRE(!ts_node_is_null(call));
  for (const std::string src : {"(member_expression) @match", "(arguments (_) @match)", "function: (member_expression) @match"}) {
    match::Query q(lang.ts_language(), src);
    const uint32_t s = ts_node_start_byte(call), e = ts_node_end_byte(call);
    for (uint32_t at = s; at < e; ++at) {
      INFO(src << " at " << at);
      CHECK(ranged_matches(q, call, snap->text, at, at + 1) == cursor_matches(lang.ts_language(), src, call, at, at + 1));
    }
  }
}
