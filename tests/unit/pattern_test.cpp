// ast-grep patterns: parsing (root selection, expando characters), metavariables, `$$$` lazy
// matching, repeated metavariables, smart strictness and fix templates. Expected results were
// checked against ast-grep 0.51.1.
#include <catch2/catch.hpp>

#include "analyzers/document/document.hpp"
#include "analyzers/match/fix_template.hpp"
#include "analyzers/match/pattern.hpp"
#include "analyzers/match/rule_tree.hpp"

using namespace vigil;
using namespace vigil::match;

namespace {

struct Found {
  std::string text;
  std::map<std::string, std::string> vars;  // $X -> text, $$$X -> texts joined by "|"
};

std::vector<Found> matches_of(std::string_view lang_name, const std::string& pattern, const std::string& code,
                        Strictness strictness = Strictness::smart) {
  const auto& lang = *grammars::by_name(lang_name);
  auto p = Pattern::compile(pattern, lang, strictness);
  auto snap = document::Snapshot::parse("t", lang, code);
  MatchInput in{snap->text, &lang};
  std::vector<Found> out;
  std::vector<TSNode> stack{snap->root()}, kids;
  // Pre-order over every node, as ast-grep scans.
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    Bindings env;
    if (p.match(in, n, env)) {
      Found f{std::string(in.node_text(n)), {}};
      for (const auto& [k, v] : env.single) f.vars["$" + k] = std::string(in.node_text(v));
      for (const auto& [k, v] : env.multi) {
        std::string joined;
        for (size_t i = 0; i < v.size(); ++i) joined += (i ? "|" : "") + std::string(in.node_text(v[i]));
        f.vars["$$$" + k] = joined;
      }
      out.push_back(std::move(f));
    }
    children_of(n, kids);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
  }
  return out;
}

std::vector<std::string> texts(const std::vector<Found>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(f.text);
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("patterns: metavariables are replaced by each grammar's expando character") {
  const auto& py = *grammars::by_name("python");
  CHECK(preprocess_pattern("$A($$B, $$$, $$$C) + $1 + $a", py) == "µA(µµB, µµµ, µµµC) + $1 + $a");
  CHECK(preprocess_pattern("$A($$B, $$$, $$$C)", *grammars::by_name("go")) == "µA(µµB, µµµ, µµµC)");
  CHECK(preprocess_pattern("$A($$$)", *grammars::by_name("c")) == "_A(___)");
  CHECK(preprocess_pattern("$A($$$)", *grammars::by_name("cpp")) == "_A(___)");
  CHECK(preprocess_pattern("$A($$$)", *grammars::by_name("javascript")) == "$A($$$)");
  CHECK(preprocess_pattern("$A($$$)", *grammars::by_name("java")) == "$A($$$)");
  CHECK(preprocess_pattern("trailing $$$", py) == "trailing µµµ");
}

TEST_CASE("patterns: the root is the innermost node spanning the whole pattern") {
  // `$X.foo($$$)` parses as module > expression_statement > call: the call is what matches.
  auto fs = matches_of("python", "$X.foo($$$)", "a.foo(1)\nb = c.foo()\nd.bar(2)\n");
  CHECK(texts(fs) == V{"a.foo(1)", "c.foo()"});
  CHECK(fs[1].vars["$X"] == "c");
  // JavaScript: a call pattern also matches a call in a return statement.
  CHECK(texts(matches_of("javascript", "$A($B)", "function f() { return test(123); }")) == V{"test(123)"});
  CHECK_THROWS_WITH(Pattern::compile("a b c", *grammars::by_name("javascript")),
                    Catch::Contains("multiple AST nodes"));
  CHECK_THROWS_WITH(Pattern::compile("", *grammars::by_name("python")), Catch::Contains("no AST root"));
}

TEST_CASE("patterns: single, anonymous and multi metavariables") {
  // `eval(z)` has no `,` for the pattern's `,`: no match, as in ast-grep.
  auto fs = matches_of("python", "eval($X, $$$ARGS)", "eval(a, b, c)\neval(z)\n");
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].vars["$X"] == "a");
  CHECK(fs[0].vars["$$$ARGS"] == "b|,|c");  // the nodes between, separators included
  fs = matches_of("python", "f($$$ARGS)", "f()\n");
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].vars["$$$ARGS"].empty());
  // $_ binds nothing and matches one named node.
  fs = matches_of("javascript", "foo($_)", "foo(1); foo(); foo(1, 2);");
  CHECK(texts(fs) == V{"foo(1)"});
  CHECK(fs[0].vars.empty());
  // $$$ matches zero or more.
  CHECK(texts(matches_of("javascript", "foo($$$)", "foo(); foo(a, b);")) == V{"foo()", "foo(a, b)"});
  // Go, C, C++ and Java.
  const std::string go = "package p\nfunc f() { fmt.Println(\"x\", y) }\n";
  CHECK(texts(matches_of("go", "fmt.Println($X, $Y)", go)) == V{"fmt.Println(\"x\", y)"});
  CHECK(texts(matches_of("go", "$F($X, $$$R)", go)) == V{"fmt.Println(\"x\", y)"});
  // Go parses `fmt.Println(µµµ)` as a type conversion: ast-grep finds nothing either.
  CHECK(texts(matches_of("go", "fmt.Println($$$)", go)).empty());
  fs = matches_of("c", "strcpy($D, $S)", "void f(char *a, char *b) { strcpy(a, b); strncpy(a, b, 1); }");
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].vars["$D"] == "a");
  CHECK(texts(matches_of("cpp", "$P->reset()", "void f() { p->reset(); q.reset(); }")) == V{"p->reset()"});
  CHECK(texts(matches_of("java", "$O.exec($$$)", "class A { void f() { rt.exec(cmd); run(x); } }")) == V{"rt.exec(cmd)"});
}

TEST_CASE("patterns: $$$ is lazy and backtracks like ast-grep") {
  CHECK(texts(matches_of("javascript", "foo($$$A, c)", "foo(a, b, c)")) == V{"foo(a, b, c)"});
  CHECK(texts(matches_of("javascript", "foo($$$A, a, b, c)", "foo(a, b, c)")) == V{"foo(a, b, c)"});
  CHECK(texts(matches_of("javascript", "foo($$$A, a, b, c)", "foo(b, c)")).empty());
  CHECK(texts(matches_of("javascript", "foo(a, $$$)", "foo(a, b, c)")) == V{"foo(a, b, c)"});
  CHECK(texts(matches_of("javascript", "foo(a, b, c, $$$)", "foo(b, c)")).empty());
  // Lazy: $$$A stops at the first node the next goal matches.
  auto fs = matches_of("python", "print($$$A, sep=$B, $$$C)", "print(a, b, sep=x, end=y)\n");
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].vars["$$$A"] == "a|,|b");
  CHECK(fs[0].vars["$B"] == "x");
  CHECK(fs[0].vars["$$$C"] == "end=y");
  // A failed look-ahead probe leaves no binding behind (ast-grep#2670).
  fs = matches_of("javascript", "function _() {\n  $$$A\n  let $P = g()\n  let $Q = h()\n  $$$B\n}",
            "function _() { let a = 0; let p = g(); let q = h(); let b = 1; }");
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].vars["$P"] == "p");
  CHECK(fs[0].vars["$Q"] == "q");
}

TEST_CASE("patterns: repeated metavariables must bind the same code") {
  CHECK(texts(matches_of("javascript", "$A($A)", "test(test); test(aaa); foo(bar);")) == V{"test(test)"});
  CHECK(texts(matches_of("python", "$A == $A", "x == x\nx == y\nf(a) == f(a)\nf(a) == f( a )\n")) ==
        V{"x == x", "f(a) == f(a)", "f(a) == f( a )"});  // same structure, whitespace aside
  // $$$ repeated: the named nodes pairwise equal.
  CHECK(texts(matches_of("javascript", "if (true) { $$$A } else { $$$A }",
                   "if (true) { a += 1; b += 1 } else { a += 1; b += 1 }\nif (true) { a += 1 } else { b += 1 }")) ==
        V{"if (true) { a += 1; b += 1 } else { a += 1; b += 1 }"});
}

TEST_CASE("patterns: smart strictness skips what ast-grep skips") {
  // Trailing unnamed nodes (a trailing comma) may be skipped.
  CHECK(texts(matches_of("javascript", "foo($A, $B)", "foo(a, b,)")) == V{"foo(a, b,)"});
  // Comments (extras) are stepped over before leaves and single metavariables...
  auto fs = matches_of("javascript", "foo($X)", "foo(/* x */ y); bar(1, /* x */ 2);");
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].vars["$X"] == "y");
  CHECK(texts(matches_of("javascript", "bar(1, 2)", "bar(1, /* x */ 2);")) == V{"bar(1, /* x */ 2)"});
  // ...but not before a subtree of the pattern.
  CHECK(texts(matches_of("javascript", "x = [1, [2]]", "x = [1, /* c */ [2]];")).empty());
  // Python line continuations are extras too.
  fs = matches_of("python", "$A = $B", "y = \\\n    foo(1)\n");
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].vars["$B"] == "foo(1)");
  // ast strictness skips unnamed trailing nodes too.
  CHECK(texts(matches_of("javascript", "foo($A, $B)", "foo(a, b,)", Strictness::ast)) == V{"foo(a, b,)"});
  // cst strictness does not skip the trailing comma.
  CHECK(texts(matches_of("javascript", "foo($A, $B)", "foo(a, b,)", Strictness::cst)).empty());
  // Strings compare by text.
  CHECK(texts(matches_of("javascript", "'a'", "x('a'); y('b');")) == V{"'a'"});
}

TEST_CASE("patterns: contextual patterns select a node kind") {
  const auto& tsx = *grammars::by_name("tsx");
  auto p = Pattern::compile_contextual("class A { $F = $I }", "public_field_definition", tsx);
  auto snap = document::Snapshot::parse("t", tsx, "class B { b = 123 }\nlet c = 1\n");
  MatchInput in{snap->text, &tsx};
  int hits = 0;
  std::vector<TSNode> stack{snap->root()}, kids;
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    Bindings env;
    if (p.match(in, n, env)) {
      ++hits;
      CHECK(in.node_text(env.single.at("F")) == "b");
    }
    children_of(n, kids);
    for (TSNode k : kids) stack.push_back(k);
  }
  CHECK(hits == 1);
  CHECK_THROWS_WITH(Pattern::compile_contextual("a", "property_identifier", tsx), Catch::Contains("matches no node"));
  // A selector with a NUL byte after a real kind name is no kind (tree-sitter's own lookup read
  // past the end of the shorter symbol name: fuzz/corpus/pattern/crash-383dab679974ceb2).
  const auto& py = *grammars::by_name("python");
  CHECK_THROWS_AS(Pattern::compile_contextual("{'k': 1}", std::string("pair\0\0\0\0\0\0\0\0", 12), py), PatternError);
  CHECK_NOTHROW(Pattern::compile_contextual("{'k': 1}", "pair", py));
}

TEST_CASE("fix templates: metavariables, $$$ spans and indentation as ast-grep") {
  const auto& js = *grammars::by_name("javascript");
  auto expand = [&](const std::string& pattern, const std::string& code, const std::string& templ) {
    auto p = Pattern::compile(pattern, js);
    auto snap = document::Snapshot::parse("t", js, code);
    MatchInput in{snap->text, &js};
    std::string result = "<no match>";
    std::vector<TSNode> stack{snap->root()}, kids;
    while (!stack.empty()) {
      TSNode n = stack.back();
      stack.pop_back();
      Bindings env;
      if (p.match(in, n, env)) return expand_template(templ, env, in, ts_node_start_byte(n));
      children_of(n, kids);
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
    }
    return result;
  };
  CHECK(expand("console.log($$$ARGS)", "console.log(a, b,  c)", "logger.info($$$ARGS)") == "logger.info(a, b,  c)");
  CHECK(expand("let $V = $A", "let a = 123", "var $V = $A") == "var a = 123");
  CHECK(expand("f($A)", "f(x)", "g($A, $UNBOUND, $$A, $1)") == "g(x, , x, )");
  // ast-grep's own example: the multi-line binding keeps its shape at the template's indentation,
  // and the replacement is indented like the matched line.
  CHECK(expand("a($B)", "if (true) {\n  a(\n    1\n      + 2\n      + 3\n  )\n}", "c(\n  $B\n)") ==
        "c(\n    1\n      + 2\n      + 3\n  )");
  CHECK(expand("let $A = $B", "function f() {\n  let b = g(\n    1,\n    2);\n}", "var $A = $B") ==
        "var b = g(\n    1,\n    2)");
}
