// The ast-grep pattern compiler (match::Pattern): a pattern in a fuzzer-chosen language and
// strictness, plain or contextual ({context, selector}), then matched against every node of a
// sample program and of the pattern's own text parsed as code.
#include <tree_sitter/api.h>

#include <vector>

#include "analyzers/document/document.hpp"
#include "analyzers/match/pattern.hpp"
#include "fuzz/fuzz_check.hpp"
#include "fuzz/samples.hpp"
#include "vigil/grammars/registry.hpp"

using namespace vigil;

namespace {

void match_everywhere(const match::Pattern& pattern, const grammars::Language& lang, const document::Snapshot& snap) {
  match::MatchInput input{snap.text, &lang};
  std::vector<TSNode> stack{snap.root()};
  size_t visited = 0;
  while (!stack.empty() && visited < 20000) {
    const TSNode node = stack.back();
    stack.pop_back();
    ++visited;
    match::Bindings env;
    if (pattern.match(input, node, env))
      for (const auto& [name, bound] : env.single) FUZZ_CHECK(ts_node_end_byte(bound) <= snap.text.size());
    for (uint32_t i = ts_node_child_count(node); i-- > 0;) stack.push_back(ts_node_child(node, i));
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) { return 0; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // patterns are short; long inputs only slow the search down
  fuzz::Bytes in(data, size);
  const auto languages = grammars::all();
  const grammars::Language& lang = languages[in.byte() % languages.size()];
  const auto strictness = static_cast<match::Strictness>(in.byte() % 6);
  const bool contextual = in.byte() % 4 == 0;
  std::string_view selector;
  if (contextual) selector = in.take(in.byte() % 32);
  const std::string text(in.rest());
  try {
    const auto pattern = contextual ? match::Pattern::compile_contextual(text, selector, lang, strictness)
                                    : match::Pattern::compile(text, lang, strictness);
    std::vector<std::string> words, vars;
    pattern.required_words(words);
    pattern.defined_vars(vars);
    (void)pattern.root_kind();
    match_everywhere(pattern, lang, *document::Snapshot::parse("sample", lang, std::string(fuzz::sample_for(lang.id))));
    match_everywhere(pattern, lang, *document::Snapshot::parse("self", lang, text));
  } catch (const match::PatternError&) {
  }
  return 0;
}
