// Taint mode: does data from a source reach a sink without passing a sanitizer? Intra-procedural
// (each function body, and the file's top level, is its own scope), flow-sensitive in statement
// order, with branches merged (union) and loops iterated to a fixpoint. Sources, sinks, sanitizers
// and propagators are NodeMatchers (compiled ast-grep rules); the built-in propagation (assignments,
// string building, containers, attribute/index access, call results) knows the tree-sitter grammars
// of Python, JavaScript/TypeScript/TSX, Go, Java, C and C++.
// Pure computation on a parsed tree: no IO.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzers/match/matcher.hpp"

namespace vigil::match {

class TextWords;
struct TaintIndexCache;  // taint.cpp
std::shared_ptr<TaintIndexCache> make_taint_index_cache();

struct TaintSource {
  std::shared_ptr<const NodeMatcher> matcher;  // null when `parameters` is set
  // Every parameter of the enclosing function is tainted on entry (`parameters: true`).
  bool parameters = false;
  // Optional: the node bound to this metavariable becomes tainted instead of the match's value
  // (sources by side effect, e.g. `fgets($BUF, ...)` with focus BUF taints the buffer variable).
  std::string focus;
  // `parameters: false`: this rule never takes parameters as sources, even when the analysis asks
  // for them (TaintOptions::parameters), e.g. a format-string rule, where a wrapper's `fmt`
  // parameter is the usual idiom.
  bool no_parameters = false;
  // `parameters: direct`: parameters made sources by the analysis count even when they reach the
  // sink unchanged (`eval(code)`, `requests.get(url)`, `new RegExp(pattern)` in a helper: the
  // helper itself is the dangerous operation). By default only values built from them count.
  bool direct_parameters = false;
};

struct TaintSink {
  std::shared_ptr<const NodeMatcher> matcher;
  // Optional: only taint reaching the node(s) bound to this metavariable counts, and the finding's
  // range is that node. Without it the sink match's own value (a call: its arguments and receiver).
  std::string focus;
};

struct TaintSanitizer {
  std::shared_ptr<const NodeMatcher> matcher;
  // Optional: only the node bound to this metavariable is clean (`escape($X, $$$)` with focus X).
  std::string focus;
  // With `focus`: the focused variable is clean from this point on, as after a guard
  // (`if !filepath.IsLocal(p) { return }` with pattern `filepath.IsLocal($P)`, focus P).
  bool by_side_effect = false;
};

// Taint on the node bound to `from` flows into the lvalue bound to `to` (`$TO.add($FROM)`).
struct TaintPropagator {
  std::shared_ptr<const NodeMatcher> matcher;
  std::string from;
  std::string to;
};

struct TaintSpec {
  std::vector<TaintSource> sources;
  std::vector<TaintSink> sinks;
  std::vector<TaintSanitizer> sanitizers;
  std::vector<TaintPropagator> propagators;
  // What analyses derive from these matchers (their kinds, callee names and indexes), kept for the
  // next analysis while the text's words leave the same ones live. Copies share it; its entries
  // are keyed by the matchers themselves, so a copy changed since builds its own.
  std::shared_ptr<TaintIndexCache> index_cache = make_taint_index_cache();
};

// Per-analysis policy (the rule decides what its sources are; the analysis decides whether the
// parameters of every function are sources too).
struct TaintOptions {
  // The parameters of each named function are untrusted on entry, unless their type or name says
  // they carry no attacker data (numbers, booleans, `self`, db/connection handles, contexts,
  // loggers, configuration objects, callbacks). Findings whose path starts at such a parameter say
  // so (TaintFinding::from_parameter): callers keep them only where the policy applies (AI-written
  // code, or everywhere).
  bool parameters = false;
  // With a range: whether the file's top level (the code outside every function) is analyzed.
  // false: it is not, and top-level statements outside the range are not walked at all; the caller
  // keeps the top-level findings of an earlier analysis (same_top_level said they cannot change).
  bool top_level = true;
  // Optional: the words of the text (the whole file's, whatever the range). A sink, source,
  // sanitizer or propagator whose required words it lacks (RuleMatcher::may_match) cannot match
  // there and is not tried.
  const TextWords* words = nullptr;
};

struct TaintStep {
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
  TSPoint start{};
  TSPoint end{};
  std::string label;  // "source: request.args.get('id')", "assigned to q", "sink: cur.execute(q)"
};

struct TaintFinding {
  size_t sink_index = 0;  // into TaintSpec::sinks
  TSNode sink{};          // the sink match
  TSNode node{};          // the finding's range: the focused node, or the sink match
  Bindings bindings;      // the sink match's metavariables
  TSNode source{};                // the source match (or the parameter), for `$SOURCE`
  std::string source_text;        // its code
  std::vector<TaintStep> trace;   // source first, sink last
  // The path starts at a parameter tainted by TaintOptions::parameters (not by the rule's own
  // sources). A rule's own source is preferred when both reach the sink.
  bool from_parameter = false;
  // Bytes spanned by the whole path: an edit there can change the finding.
  uint32_t extent_start = 0;
  uint32_t extent_end = 0;
  // Found in the file's top-level scope (its sink lies outside every function).
  bool top_level = false;
};

// Every sink of `spec` reached by tainted data under `root`, one finding per sink node (and focused
// node), in document order. With `range`, only findings whose path touches [range.first,
// range.second) are returned, and functions outside the range are not analyzed (the file's top
// level always is: a flow there can cross the range).
std::vector<TaintFinding> find_taint(const TaintSpec& spec, const MatchInput& in, TSNode root,
                                     std::optional<std::pair<uint32_t, uint32_t>> range = std::nullopt,
                                     const TaintOptions& options = {});

// The same for several specs at once (one walk of the tree serves them all): one result per spec.
std::vector<std::vector<TaintFinding>> find_taint(const std::vector<const TaintSpec*>& specs, const MatchInput& in,
                                                  TSNode root,
                                                  std::optional<std::pair<uint32_t, uint32_t>> range = std::nullopt,
                                                  const TaintOptions& options = {});

// The function-like node (function, method, lambda, closure) that is the taint scope of `node`, or
// a null node when `node` is at the file's top level.
TSNode enclosing_taint_scope(const grammars::Language& lang, TSNode node);

}  // namespace vigil::match
