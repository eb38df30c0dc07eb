#include "analyzers/match/taint.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "analyzers/budget.hpp"

namespace vigil::match {
namespace {

// What a grammar symbol means to the dataflow. One table per grammar, built from symbol names.
enum class Kind : uint8_t {
  other,        // evaluated as the union of its named children
  function,     // a scope of its own: never entered from the enclosing one
  identifier,   // a variable read
  self,         // `this`
  member,       // o.f (object + field name)
  subscript,    // a[i]
  wrapper,      // (x), *p, &x, (T)x, x as T, x!: the lvalue of the inner expression
  call,         // f(a), o.m(a), new T(a)
  assign,       // l = r (also Go `:=`, and augmented forms whose operator is not `=`)
  aug_assign,   // l += r
  declarator,   // x = v in a declaration (JS/Java variable_declarator, C init_declarator, Go var_spec)
  declaration,  // C/C++ declaration: plain declarators reset the variable
  if_stmt,
  else_clause,  // an unconditional alternative
  loop,
  foreach,      // for x in xs (target + iterable fields)
  range_clause, // Go `k, v := range xs`
  switch_stmt,
  case_clause,
  try_stmt,
  handler,      // except/catch clause
  keyword_arg,  // f(name=value), T{Key: value}: only the value is read
  as_pattern,   // Python `with open(x) as f`
  shift,        // C++ `stream << value`
  conditional,  // c ? a : b, a if c else b: the value is a or b, not c
};

enum class Family { python, js, go, java, c, cpp };

struct KindName {
  const char* name;
  Kind kind;
};

const std::vector<KindName>& kind_names(Family f) {
  static const std::vector<KindName> python = {
      {"function_definition", Kind::function}, {"lambda", Kind::function},
      {"identifier", Kind::identifier},
      {"attribute", Kind::member}, {"subscript", Kind::subscript},
      {"parenthesized_expression", Kind::wrapper},
      {"call", Kind::call},
      {"assignment", Kind::assign}, {"augmented_assignment", Kind::aug_assign},
      {"named_expression", Kind::declarator},
      {"if_statement", Kind::if_stmt}, {"else_clause", Kind::else_clause},
      {"while_statement", Kind::loop}, {"for_statement", Kind::foreach},
      {"match_statement", Kind::switch_stmt}, {"case_clause", Kind::case_clause},
      {"try_statement", Kind::try_stmt}, {"except_clause", Kind::handler}, {"except_group_clause", Kind::handler},
      {"keyword_argument", Kind::keyword_arg}, {"as_pattern", Kind::as_pattern},
      {"conditional_expression", Kind::conditional},
  };
  static const std::vector<KindName> js = {
      {"function_declaration", Kind::function}, {"function_expression", Kind::function}, {"function", Kind::function},
      {"arrow_function", Kind::function}, {"method_definition", Kind::function},
      {"generator_function_declaration", Kind::function}, {"generator_function", Kind::function},
      {"identifier", Kind::identifier}, {"shorthand_property_identifier", Kind::identifier},
      {"shorthand_property_identifier_pattern", Kind::identifier}, {"this", Kind::self},
      {"member_expression", Kind::member}, {"subscript_expression", Kind::subscript},
      {"parenthesized_expression", Kind::wrapper}, {"non_null_expression", Kind::wrapper},
      {"as_expression", Kind::wrapper}, {"satisfies_expression", Kind::wrapper}, {"type_assertion", Kind::wrapper},
      {"call_expression", Kind::call}, {"new_expression", Kind::call},
      {"assignment_expression", Kind::assign}, {"augmented_assignment_expression", Kind::aug_assign},
      {"variable_declarator", Kind::declarator},
      {"if_statement", Kind::if_stmt}, {"else_clause", Kind::else_clause},
      {"for_statement", Kind::loop}, {"while_statement", Kind::loop}, {"do_statement", Kind::loop},
      {"for_in_statement", Kind::foreach},
      {"switch_statement", Kind::switch_stmt}, {"switch_case", Kind::case_clause}, {"switch_default", Kind::case_clause},
      {"try_statement", Kind::try_stmt}, {"catch_clause", Kind::handler},
      {"ternary_expression", Kind::conditional},
  };
  static const std::vector<KindName> go = {
      {"function_declaration", Kind::function}, {"method_declaration", Kind::function}, {"func_literal", Kind::function},
      {"identifier", Kind::identifier},
      {"selector_expression", Kind::member}, {"index_expression", Kind::subscript}, {"slice_expression", Kind::subscript},
      {"parenthesized_expression", Kind::wrapper}, {"unary_expression", Kind::wrapper},
      {"type_assertion_expression", Kind::wrapper},
      {"call_expression", Kind::call},
      {"assignment_statement", Kind::assign}, {"short_var_declaration", Kind::assign},
      {"var_spec", Kind::declarator}, {"const_spec", Kind::declarator},
      {"if_statement", Kind::if_stmt},
      {"for_statement", Kind::loop}, {"range_clause", Kind::range_clause},
      {"expression_switch_statement", Kind::switch_stmt}, {"type_switch_statement", Kind::switch_stmt},
      {"select_statement", Kind::switch_stmt},
      {"expression_case", Kind::case_clause}, {"default_case", Kind::case_clause}, {"type_case", Kind::case_clause},
      {"communication_case", Kind::case_clause},
      {"keyed_element", Kind::keyword_arg},
  };
  static const std::vector<KindName> java = {
      {"method_declaration", Kind::function}, {"constructor_declaration", Kind::function},
      {"compact_constructor_declaration", Kind::function}, {"lambda_expression", Kind::function},
      {"identifier", Kind::identifier}, {"this", Kind::self},
      {"field_access", Kind::member}, {"array_access", Kind::subscript},
      {"parenthesized_expression", Kind::wrapper}, {"cast_expression", Kind::wrapper},
      {"method_invocation", Kind::call}, {"object_creation_expression", Kind::call},
      {"assignment_expression", Kind::assign},
      {"variable_declarator", Kind::declarator}, {"resource", Kind::declarator},
      {"if_statement", Kind::if_stmt},
      {"for_statement", Kind::loop}, {"while_statement", Kind::loop}, {"do_statement", Kind::loop},
      {"enhanced_for_statement", Kind::foreach},
      {"switch_expression", Kind::switch_stmt}, {"switch_statement", Kind::switch_stmt},
      {"switch_block_statement_group", Kind::case_clause}, {"switch_rule", Kind::case_clause},
      {"try_statement", Kind::try_stmt}, {"try_with_resources_statement", Kind::try_stmt},
      {"catch_clause", Kind::handler}, {"ternary_expression", Kind::conditional},
  };
  static const std::vector<KindName> c = {
      {"function_definition", Kind::function},
      {"identifier", Kind::identifier},
      {"field_expression", Kind::member}, {"subscript_expression", Kind::subscript},
      {"parenthesized_expression", Kind::wrapper}, {"pointer_expression", Kind::wrapper},
      {"cast_expression", Kind::wrapper},
      {"call_expression", Kind::call},
      {"assignment_expression", Kind::assign},
      {"init_declarator", Kind::declarator}, {"declaration", Kind::declaration},
      {"if_statement", Kind::if_stmt}, {"else_clause", Kind::else_clause},
      {"for_statement", Kind::loop}, {"while_statement", Kind::loop}, {"do_statement", Kind::loop},
      {"switch_statement", Kind::switch_stmt}, {"case_statement", Kind::case_clause},
      {"conditional_expression", Kind::conditional},
  };
  static const std::vector<KindName> cpp = [] {
    std::vector<KindName> v = c;
    v.insert(v.end(), {
                          {"lambda_expression", Kind::function},
                          {"qualified_identifier", Kind::identifier}, {"this", Kind::self},
                          {"for_range_loop", Kind::foreach},
                          {"try_statement", Kind::try_stmt}, {"catch_clause", Kind::handler},
                          {"binary_expression", Kind::shift},
                      });
    return v;
  }();
  switch (f) {
    case Family::python: return python;
    case Family::js: return js;
    case Family::go: return go;
    case Family::java: return java;
    case Family::c: return c;
    case Family::cpp: return cpp;
  }
  return python;
}

std::optional<Family> family_of(std::string_view id) {
  if (id == "python") return Family::python;
  if (id == "javascript" || id == "typescript" || id == "tsx") return Family::js;
  if (id == "go") return Family::go;
  if (id == "java") return Family::java;
  if (id == "c") return Family::c;
  if (id == "cpp") return Family::cpp;
  return std::nullopt;
}

// Field ids the dataflow reads; 0 where the grammar has no such field.
struct Fields {
  TSFieldId left, right, value, name, object, operand, argument, array, function, arguments, constructor, body,
      condition, consequence, alternative, initializer, declarator, parameters, parameter, pattern, alias,
      op, attribute, property, field, type, subject, index, subscript, key, size, default_value;
};

struct Grammar {
  Family family;
  std::vector<Kind> kinds;  // by symbol
  Fields f{};
  Kind kind(TSNode n) const {
    const TSSymbol s = ts_node_symbol(n);
    return s < kinds.size() ? kinds[s] : Kind::other;
  }
};

const Grammar* grammar_for(const grammars::Language& lang) {
  static std::mutex mutex;
  static std::map<const TSLanguage*, std::unique_ptr<Grammar>> cache;
  const auto family = family_of(lang.id);
  if (!family) return nullptr;
  const TSLanguage* ts = lang.ts_language();
  std::lock_guard lock(mutex);
  auto& slot = cache[ts];
  if (slot) return slot.get();
  auto g = std::make_unique<Grammar>();
  g->family = *family;
  const uint32_t count = ts_language_symbol_count(ts);
  g->kinds.assign(count, Kind::other);
  std::unordered_map<std::string_view, Kind> by_name;
  for (const auto& kn : kind_names(*family)) by_name.emplace(kn.name, kn.kind);
  for (uint32_t s = 0; s < count; ++s) {
    if (ts_language_symbol_type(ts, static_cast<TSSymbol>(s)) != TSSymbolTypeRegular) continue;
    if (auto it = by_name.find(ts_language_symbol_name(ts, static_cast<TSSymbol>(s))); it != by_name.end())
      g->kinds[s] = it->second;
  }
  auto id = [ts](const char* name) { return ts_language_field_id_for_name(ts, name, static_cast<uint32_t>(std::strlen(name))); };
  Fields& f = g->f;
  f = Fields{id("left"), id("right"), id("value"), id("name"), id("object"), id("operand"), id("argument"),
             id("array"), id("function"), id("arguments"), id("constructor"), id("body"), id("condition"),
             id("consequence"), id("alternative"), id("initializer"), id("declarator"), id("parameters"),
             id("parameter"), id("pattern"), id("alias"), id("operator"), id("attribute"), id("property"),
             id("field"), id("type"), id("subject"), id("index"), id("subscript"), id("key"), id("size"),
             id("default_value")};
  slot = std::move(g);
  return slot.get();
}

TSNode field(TSNode n, TSFieldId id) { return id ? ts_node_child_by_field_id(n, id) : TSNode{}; }

// Every child of `n` under field `id` (Go's var_spec has several `name`s, C declarations several
// `declarator`s).
std::vector<TSNode> fields(TSNode n, TSFieldId id) {
  std::vector<TSNode> out;
  if (!id) return out;
  TSTreeCursor cursor = ts_tree_cursor_new(n);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      if (ts_tree_cursor_current_field_id(&cursor) == id) out.push_back(ts_tree_cursor_current_node(&cursor));
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
  return out;
}

// With a cursor: ts_node_named_child(n, i) walks from the first child each time, which is
// quadratic over a module's or a block's statements.
std::vector<TSNode> named_children(TSNode n) {
  std::vector<TSNode> out;
  TSTreeCursor cursor = ts_tree_cursor_new(n);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      TSNode c = ts_tree_cursor_current_node(&cursor);
      if (ts_node_is_named(c)) out.push_back(c);
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
  return out;
}

const void* node_key(TSNode n) { return n.id; }

std::string shorten(std::string_view text) {
  auto nl = text.find('\n');
  bool cut = nl != std::string_view::npos;
  std::string s(text.substr(0, nl));
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  if (s.size() > 60) {
    s.resize(57);
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
    cut = true;
  }
  return cut ? s + "…" : s;
}

// One step of a path, linked to the step before it: taint values share their history.
struct TraceNode {
  uint32_t start_byte, end_byte;
  TSPoint start, end;
  std::string label;
  std::shared_ptr<const TraceNode> prev;  // null at the source
  std::string source_text;                // at the source only
  TSNode source{};                        // at the source only
};
using Taint = std::shared_ptr<const TraceNode>;

Taint step(const Taint& prev, TSNode at, std::string label) {
  auto t = std::make_shared<TraceNode>();
  t->start_byte = ts_node_start_byte(at);
  t->end_byte = ts_node_end_byte(at);
  t->start = ts_node_start_point(at);
  t->end = ts_node_end_point(at);
  t->label = std::move(label);
  t->prev = prev;
  return t;
}

Taint either(const Taint& a, const Taint& b) { return a ? a : b; }

// Variables (and access paths "o.f") that may hold tainted data at one program point.
using State = std::map<std::string, Taint, std::less<>>;

void merge_into(State& into, const State& from) {
  for (const auto& [k, v] : from) into.emplace(k, v);
}

bool same_keys(const State& a, const State& b) {
  if (a.size() != b.size()) return false;
  return std::equal(a.begin(), a.end(), b.begin(), [](const auto& x, const auto& y) { return x.first == y.first; });
}

// Methods that store their argument in the receiver (containers, builders, buffers).
const std::unordered_set<std::string_view> kMutators = {
    "append", "appendleft", "extend", "insert", "add", "addAll", "addFirst", "addLast", "offer", "push",
    "unshift", "put", "putAll", "putIfAbsent", "update", "setdefault", "write", "writelines", "push_back",
    "push_front", "emplace_back", "emplace_front", "emplace", "assign", "WriteString", "Write", "WriteByte",
    "WriteRune", "Add", "Set", "set", "setProperty"};

// Functions that write their other arguments into the first one.
const std::unordered_set<std::string_view> kCOutParam = {
    "sprintf", "snprintf", "vsprintf", "vsnprintf", "swprintf", "strcpy", "strncpy", "strcat", "strncat",
    "memcpy", "memmove", "strlcpy", "strlcat", "stpcpy", "stpncpy", "wcscpy", "wcsncpy", "wcscat", "wcsncat"};
const std::unordered_set<std::string_view> kGoOutParam = {"append", "Fprintf", "Fprint", "Fprintln", "copy"};

constexpr int kMaxLoopIterations = 8;
// Node evaluations one scope may spend iterating loops (nested loops multiply their rounds); past
// it, loops get a single round, so a pathological function costs time linear in its size.
constexpr size_t kLoopBudget = 200'000;

struct Hit {
  size_t index;
  Bindings bindings;
};

struct Hits {
  std::vector<Hit> sources, sinks, propagators;
  std::vector<TSNode> cleans;  // variables a by-side-effect sanitizer cleans once this node ran
  bool sanitized = false;
};

// A matcher and the node kinds it can start at (empty: any).
struct Prepared {
  const NodeMatcher* matcher;
  std::vector<bool> kinds;
  bool accepts(TSSymbol s) const { return kinds.empty() || (s < kinds.size() && kinds[s]); }
};

Prepared prepare(const NodeMatcher* m, uint32_t symbol_count) {
  Prepared p{m, {}};
  auto ks = m->start_kinds();
  if (!ks.empty()) {
    p.kinds.assign(symbol_count, false);
    for (TSSymbol s : ks)
      if (s < symbol_count) p.kinds[s] = true;
  }
  return p;
}

class Analyzer {
 public:
  Analyzer(const TaintSpec& spec, const MatchInput& in, const Grammar& g)
      : spec_(spec), in_(in), g_(g), f_(g.f) {
    const uint32_t count = ts_language_symbol_count(in.language->ts_language());
    for (const auto& s : spec.sources) {
      if (s.parameters) taint_parameters_ = true;
      sources_.push_back(s.matcher ? std::optional(prepare(s.matcher.get(), count)) : std::nullopt);
    }
    for (const auto& s : spec.sinks) sinks_.push_back(prepare(s.matcher.get(), count));
    for (const auto& s : spec.sanitizers) sanitizers_.push_back(prepare(s.matcher.get(), count));
    for (const auto& p : spec.propagators) propagators_.push_back(prepare(p.matcher.get(), count));
  }

  // Records what the sink matchers say about `n`, which lies in scope number `scope` (see
  // find_taint). Sinks are matched first: a scope without one is never analyzed, so the other
  // matchers (sources are often costly: parameters of decorated handlers...) skip it.
  void match_sinks(TSNode n, size_t scope) {
    if (scope >= scopes_.size()) scopes_.resize(scope + 1);
    const TSSymbol sym = ts_node_symbol(n);
    Hits* h = nullptr;
    for (size_t i = 0; i < sinks_.size(); ++i) {
      Bindings env;
      if (sinks_[i].accepts(sym) && sinks_[i].matcher->match(in_, n, env)) {
        if (!h) h = &hits_[node_key(n)];
        h->sinks.push_back({i, std::move(env)}), scopes_[scope].has_sink = true;
      }
    }
  }

  bool scope_has_sink(size_t scope) const { return scope < scopes_.size() && scopes_[scope].has_sink; }

  // Records what the sanitizers, sources and propagators say about `n` (in a scope with a sink).
  void match_node(TSNode n, size_t scope) {
    if (scope >= scopes_.size()) scopes_.resize(scope + 1);
    const TSSymbol sym = ts_node_symbol(n);
    Hits* h = nullptr;
    auto hits = [&]() -> Hits& {
      if (!h) h = &hits_[node_key(n)];
      return *h;
    };
    for (size_t i = 0; i < sanitizers_.size(); ++i) {
      Bindings env;
      if (!sanitizers_[i].accepts(sym) || !sanitizers_[i].matcher->match(in_, n, env)) continue;
      const auto& item = spec_.sanitizers[i];
      if (item.focus.empty()) {
        hits().sanitized = true;
        continue;
      }
      for (TSNode f : bound(env, item.focus)) {
        hits_[node_key(f)].sanitized = true;  // references into hits_ stay valid when it grows
        if (item.by_side_effect) hits().cleans.push_back(f);
      }
    }
    for (size_t i = 0; i < sources_.size(); ++i) {
      Bindings env;
      if (sources_[i] && sources_[i]->accepts(sym) && sources_[i]->matcher->match(in_, n, env))
        hits().sources.push_back({i, std::move(env)}), scopes_[scope].has_source = true;
    }
    for (size_t i = 0; i < propagators_.size(); ++i) {
      Bindings env;
      if (propagators_[i].accepts(sym) && propagators_[i].matcher->match(in_, n, env))
        hits().propagators.push_back({i, std::move(env)});
    }
  }

  // Analyzes scope number `id` (a function, or the file's top level when `is_root`), once every
  // node has been through match_node.
  void analyze_scope(TSNode scope, bool is_root, size_t id) {
    const ScopeFlags flags = id < scopes_.size() ? scopes_[id] : ScopeFlags{};
    // Without a sink, or without anything tainted to begin with, the scope cannot have a finding.
    if (!flags.has_sink || (!flags.has_source && (is_root || !taint_parameters_))) return;
    TSNode body = is_root ? scope : field(scope, f_.body);
    if (ts_node_is_null(body)) return;  // a declaration without a body
    memo_.clear();
    state_.clear();
    evals_ = 0;
    if (!is_root && taint_parameters_) taint_parameters(scope);
    eval(body);  // a block, or the expression of an arrow function or lambda
  }

  std::vector<TaintFinding>& findings() { return findings_; }

 private:
  std::string_view text(TSNode n) const { return in_.node_text(n); }

  // ---- lvalues

  // The access path a node reads or writes: "x", "this.f", "o.f.g"; subscripts name their
  // container. None for anything else (calls, literals).
  std::optional<std::string> key_of(TSNode n) const {
    switch (g_.kind(n)) {
      case Kind::identifier: return std::string(text(n));
      case Kind::self: return std::string("this");
      case Kind::member: {
        auto o = key_of(member_object(n));
        TSNode name = member_name(n);
        if (!o || ts_node_is_null(name)) return std::nullopt;
        return *o + "." + std::string(text(name));
      }
      case Kind::subscript: return key_of(subscript_object(n));
      case Kind::wrapper: {
        TSNode inner = wrapped(n);
        if (ts_node_is_null(inner)) return std::nullopt;
        return key_of(inner);
      }
      default: return std::nullopt;
    }
  }

  TSNode member_object(TSNode n) const {
    for (TSFieldId id : {f_.object, f_.operand, f_.argument}) {
      TSNode o = field(n, id);
      if (!ts_node_is_null(o)) return o;
    }
    return ts_node_named_child(n, 0);
  }
  TSNode member_name(TSNode n) const {
    for (TSFieldId id : {f_.attribute, f_.property, f_.field}) {
      TSNode o = field(n, id);
      if (!ts_node_is_null(o)) return o;
    }
    return TSNode{};
  }
  TSNode subscript_object(TSNode n) const {
    for (TSFieldId id : {f_.value, f_.object, f_.operand, f_.array, f_.argument}) {
      TSNode o = field(n, id);
      if (!ts_node_is_null(o)) return o;
    }
    return ts_node_named_child(n, 0);
  }
  TSNode wrapped(TSNode n) const {
    for (TSFieldId id : {f_.value, f_.argument, f_.operand}) {
      TSNode o = field(n, id);
      if (!ts_node_is_null(o)) return o;
    }
    return ts_node_named_child(n, 0);
  }

  // The variables a pattern binds: `a, (b, c)`, `{x, y: z}`, `*p`, `[a, ...rest]`, `int *p`.
  void collect_targets(TSNode n, std::vector<TSNode>& out) const {
    if (ts_node_is_null(n)) return;
    if (key_of(n)) {
      out.push_back(n);
      return;
    }
    if (std::string_view(ts_node_type(n)) == "pair_pattern") {  // {key: target}
      collect_targets(field(n, f_.value), out);
      return;
    }
    struct Child {
      TSNode node;
      TSFieldId field;
    };
    std::vector<Child> children;
    TSTreeCursor cursor = ts_tree_cursor_new(n);
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      do {
        TSNode c = ts_tree_cursor_current_node(&cursor);
        if (ts_node_is_named(c) && !ts_node_is_extra(c)) children.push_back({c, ts_tree_cursor_current_field_id(&cursor)});
      } while (ts_tree_cursor_goto_next_sibling(&cursor));
    }
    ts_tree_cursor_delete(&cursor);
    // The binding part of a declarator or pattern, when the grammar names it.
    for (TSFieldId id : {f_.declarator, f_.pattern, f_.name, f_.left}) {
      if (!id) continue;
      bool found = false;
      for (const auto& c : children)
        if (c.field == id) collect_targets(c.node, out), found = true;
      if (found) return;
    }
    for (const auto& c : children) {
      if (c.field && (c.field == f_.type || c.field == f_.value || c.field == f_.right || c.field == f_.size ||
                      c.field == f_.key || c.field == f_.default_value))
        continue;
      collect_targets(c.node, out);
    }
  }

  // ---- state

  // With `whole`, a tainted path below the variable taints it too (o.f = t; use(o)); not when the
  // variable is only the object of another access (self.a = t must not taint self.db.execute()).
  Taint lookup(const std::string& key, bool whole = true) const {
    if (auto it = state_.find(key); it != state_.end()) return it->second;
    if (!whole) return nullptr;
    const std::string prefix = key + ".";
    if (auto it = state_.lower_bound(prefix); it != state_.end() && it->first.compare(0, prefix.size(), prefix) == 0)
      return it->second;
    return nullptr;
  }

  void kill(const std::string& key) {
    state_.erase(key);
    const std::string prefix = key + ".";
    auto it = state_.lower_bound(prefix);
    while (it != state_.end() && it->first.compare(0, prefix.size(), prefix) == 0) it = state_.erase(it);
  }

  // Stores `v` into the lvalue `target`. A clean value kills the variable's taint, except when it
  // is stored into one element of a container (the others may still be tainted).
  void write(TSNode target, const Taint& v, const char* verb) {
    auto key = key_of(target);
    if (!key) return;
    const bool element = g_.kind(target) == Kind::subscript;
    if (v) {
      state_[*key] = step(v, target, std::string(verb) + " " + *key);
    } else if (!element) {
      kill(*key);
    }
  }

  // Taints without killing: mutations, propagators, sources by side effect.
  void taint(TSNode target, const Taint& v, const std::string& label) {
    if (!v) return;
    if (auto key = key_of(target)) state_[*key] = step(v, target, label);
  }

  // ---- evaluation: the taint of an expression's value, with the side effects of its evaluation
  // (assignments, mutations) applied to the state.

  Taint eval(TSNode n, bool as_object = false) {
    if (ts_node_is_null(n) || ts_node_is_extra(n)) return nullptr;
    ++evals_;
    Taint t = eval_kind(n, as_object);
    const auto hit = hits_.find(node_key(n));
    if (hit != hits_.end()) {
      Hits& h = hit->second;
      for (const auto& s : h.sources) {
        const auto& src = spec_.sources[s.index];
        auto root = std::make_shared<TraceNode>();
        root->start_byte = ts_node_start_byte(n);
        root->end_byte = ts_node_end_byte(n);
        root->start = ts_node_start_point(n);
        root->end = ts_node_end_point(n);
        root->source_text = std::string(text(n));
        root->source = n;
        root->label = "source: " + shorten(text(n));
        if (src.focus.empty()) {
          t = root;
        } else {
          for (TSNode target : bound(s.bindings, src.focus)) {
            taint(target, root, "tainted by " + shorten(text(n)));
            memo_[node_key(target)] = root;
          }
        }
      }
      if (h.sanitized) t = nullptr;
      for (TSNode c : h.cleans)
        if (auto key = key_of(c)) kill(*key);
      memo_[node_key(n)] = t;
      for (const auto& p : h.propagators) {
        const auto& prop = spec_.propagators[p.index];
        Taint from;
        for (TSNode f : bound(p.bindings, prop.from)) from = either(from, value_of(f));
        if (from)
          for (TSNode to : bound(p.bindings, prop.to)) taint(to, from, "propagated to " + shorten(text(to)));
      }
      for (const auto& s : h.sinks) check_sink(n, s);
    } else {
      memo_[node_key(n)] = t;
    }
    return t;
  }

  static std::vector<TSNode> bound(const Bindings& b, const std::string& name) {
    if (auto it = b.single.find(name); it != b.single.end()) return {it->second};
    if (auto it = b.multi.find(name); it != b.multi.end()) return it->second;
    return {};
  }

  // The taint a node had when evaluated last (nodes that are never evaluated on their own, such as
  // a field name, are evaluated now).
  Taint value_of(TSNode n) {
    if (auto it = memo_.find(node_key(n)); it != memo_.end()) return it->second;
    return eval(n);
  }

  void check_sink(TSNode sink, const Hit& hit) {
    const auto& spec = spec_.sinks[hit.index];
    std::vector<TSNode> targets = spec.focus.empty() ? std::vector<TSNode>{sink} : bound(hit.bindings, spec.focus);
    for (TSNode target : targets) {
      // One finding per sink node, whichever sink item or focused node saw the taint first.
      const auto key = std::make_pair(ts_node_start_byte(sink), ts_node_end_byte(sink));
      if (reported_.count(key)) return;
      Taint t = value_of(target);
      if (!t) continue;
      reported_.insert(key);
      TaintFinding f;
      f.sink_index = hit.index;
      f.sink = sink;
      f.node = target;
      f.bindings = hit.bindings;
      std::vector<const TraceNode*> chain;
      for (const TraceNode* s = t.get(); s; s = s->prev.get()) chain.push_back(s);
      std::reverse(chain.begin(), chain.end());
      f.source_text = chain.front()->source_text;
      f.source = chain.front()->source;
      f.extent_start = ts_node_start_byte(target);
      f.extent_end = ts_node_end_byte(target);
      for (const TraceNode* s : chain) {
        // A path through a loop can pass the same point twice; once is enough to show it.
        if (!f.trace.empty() && f.trace.back().start_byte == s->start_byte && f.trace.back().label == s->label) continue;
        f.trace.push_back({s->start_byte, s->end_byte, s->start, s->end, s->label});
        f.extent_start = std::min(f.extent_start, s->start_byte);
        f.extent_end = std::max(f.extent_end, s->end_byte);
      }
      f.trace.push_back({ts_node_start_byte(target), ts_node_end_byte(target), ts_node_start_point(target),
                         ts_node_end_point(target), "sink: " + shorten(text(sink))});
      f.extent_start = std::min(f.extent_start, ts_node_start_byte(sink));
      f.extent_end = std::max(f.extent_end, ts_node_end_byte(sink));
      findings_.push_back(std::move(f));
    }
  }

  Taint eval_children(TSNode n) {
    Taint t;
    for (TSNode c : named_children(n)) t = either(t, eval(c));
    return t;
  }

  // Comparisons, negations and type tests yield booleans (or a type name): no payload survives them.
  bool boolean_valued(TSNode n) const {
    const std::string_view type = ts_node_type(n);
    if (type == "comparison_operator" || type == "not_operator" || type == "instanceof_expression") return true;
    const bool binary = type == "binary_expression", unary = type == "unary_expression";
    if (!binary && !unary) return false;
    TSNode op = field(n, f_.op);
    if (ts_node_is_null(op)) return false;
    const std::string_view o = text(op);
    if (unary) return o == "!" || o == "typeof" || o == "void";
    if (o == "==" || o == "!=" || o == "===" || o == "!==" || o == "<" || o == ">" || o == "<=" || o == ">=" ||
        o == "instanceof" || o == "in")
      return true;
    // JavaScript's && and || return one of their operands; elsewhere they yield a boolean.
    return g_.family != Family::js && (o == "&&" || o == "||");
  }

  Taint eval_kind(TSNode n, bool as_object) {
    if (boolean_valued(n)) {
      eval_children(n);  // for the side effects (assignments in conditions, sinks)
      return nullptr;
    }
    switch (g_.kind(n)) {
      case Kind::function:
        return nullptr;  // its own scope
      case Kind::identifier:
      case Kind::self: {
        auto key = key_of(n);
        return key ? lookup(*key, !as_object) : nullptr;
      }
      case Kind::member: {
        Taint o = eval(member_object(n), true);
        if (auto key = key_of(n))
          if (auto own = lookup(*key, !as_object)) return own;
        return o;
      }
      case Kind::subscript: {
        TSNode object = subscript_object(n);
        // `dbs[i].name` reads the path "dbs.name", not every field stored under dbs.
        Taint o = eval(object, as_object);
        // The index is evaluated for its side effects; looking an element up with a tainted key
        // in a clean table gives a clean value.
        for (TSNode c : named_children(n)) {
          if (!ts_node_eq(c, object)) eval(c);
        }
        return o;
      }
      case Kind::call: return eval_call(n);
      case Kind::assign: return eval_assign(n);
      case Kind::aug_assign: return eval_augmented(n, field(n, f_.left), field(n, f_.right));
      case Kind::declarator: return eval_declarator(n);
      case Kind::declaration: return eval_declaration(n);
      case Kind::if_stmt: eval_if(n); return nullptr;
      case Kind::loop:
      case Kind::foreach: eval_loop(n); return nullptr;
      case Kind::range_clause: {
        Taint v = eval(field(n, f_.right));
        assign_all(field(n, f_.left), v, "iterated into");
        return v;
      }
      case Kind::switch_stmt: eval_switch(n); return nullptr;
      case Kind::try_stmt: eval_try(n); return nullptr;
      case Kind::keyword_arg: {
        TSNode v = field(n, f_.value);
        return ts_node_is_null(v) ? eval_children(n) : eval(v);
      }
      case Kind::as_pattern: {
        TSNode alias = field(n, f_.alias);
        Taint v;
        for (TSNode c : named_children(n)) {
          if (!ts_node_eq(c, alias)) v = either(v, eval(c));
        }
        if (!ts_node_is_null(alias)) assign_all(alias, v, "bound to");
        return v;
      }
      case Kind::shift: {
        TSNode left = field(n, f_.left), right = field(n, f_.right);
        Taint l = eval(left), r = eval(right);
        TSNode op = field(n, f_.op);
        if (r && !ts_node_is_null(op) && text(op) == "<<") {
          // `stream << value` writes into the stream (std::ostringstream, std::stringstream).
          if (auto target = mutation_target(left)) taint(*target, r, "written into " + *key_of(*target));
        }
        return either(l, r);
      }
      case Kind::conditional: {
        TSNode condition = field(n, f_.condition);
        if (ts_node_is_null(condition) && ts_node_named_child_count(n) == 3)
          condition = ts_node_named_child(n, 1);  // Python: a if c else b
        Taint t;
        for (TSNode c : named_children(n)) {
          Taint v = eval(c);
          if (!ts_node_eq(c, condition)) t = either(t, v);
        }
        return t;
      }
      case Kind::wrapper:
      case Kind::else_clause:
      case Kind::case_clause:
      case Kind::handler:
      case Kind::other:
        break;
    }
    return eval_children(n);
  }

  // The variable a mutation lands in: the receiver itself, or the start of a builder chain
  // (`sb.append(a).append(b)`).
  std::optional<TSNode> mutation_target(TSNode receiver) const {
    for (int depth = 0; depth < 64 && !ts_node_is_null(receiver); ++depth) {
      if (key_of(receiver)) return receiver;
      switch (g_.kind(receiver)) {
        case Kind::call: receiver = call_receiver(receiver); break;
        case Kind::shift: receiver = field(receiver, f_.left); break;
        case Kind::wrapper: receiver = wrapped(receiver); break;
        default:
          // Pointer arithmetic into a buffer: `sprintf(buf + len, ...)` writes into buf.
          if ((g_.family == Family::c || g_.family == Family::cpp) &&
              std::string_view(ts_node_type(receiver)) == "binary_expression") {
            receiver = field(receiver, f_.left);
            break;
          }
          return std::nullopt;
      }
    }
    return std::nullopt;
  }

  TSNode call_callee(TSNode call) const {
    TSNode c = field(call, f_.function);
    if (ts_node_is_null(c)) c = field(call, f_.constructor);
    return c;
  }

  // `o` in o.m(...) (Java's method_invocation names it `object`).
  TSNode call_receiver(TSNode call) const {
    if (g_.family == Family::java) return field(call, f_.object);
    TSNode callee = call_callee(call);
    if (!ts_node_is_null(callee) && g_.kind(callee) == Kind::member) return member_object(callee);
    return TSNode{};
  }

  std::string_view call_name(TSNode call) const {
    if (g_.family == Family::java) {
      TSNode name = field(call, f_.name);
      return ts_node_is_null(name) ? std::string_view{} : text(name);
    }
    TSNode callee = call_callee(call);
    if (ts_node_is_null(callee)) return {};
    if (g_.kind(callee) == Kind::member) {
      TSNode name = member_name(callee);
      return ts_node_is_null(name) ? std::string_view{} : text(name);
    }
    if (g_.family == Family::cpp && std::string_view(ts_node_type(callee)) == "qualified_identifier") {
      TSNode name = field(callee, f_.name);
      return ts_node_is_null(name) ? text(callee) : text(name);
    }
    return text(callee);
  }

  Taint eval_call(TSNode n) {
    TSNode args = field(n, f_.arguments);
    Taint result;
    std::vector<Taint> arg_taints;
    std::vector<TSNode> arg_nodes;
    for (TSNode c : named_children(n)) {
      if (ts_node_eq(c, args)) continue;
      if (g_.family == Family::java && ts_node_eq(c, field(n, f_.name))) continue;
      result = either(result, eval(c));
    }
    if (!ts_node_is_null(args)) {
      for (TSNode a : named_children(args)) {
        if (ts_node_is_extra(a)) continue;
        arg_nodes.push_back(a);
        arg_taints.push_back(eval(a));
        result = either(result, arg_taints.back());
      }
    }
    Taint any_arg;
    for (const auto& t : arg_taints) any_arg = either(any_arg, t);
    if (!any_arg) return result;
    const std::string_view name = call_name(n);
    TSNode receiver = call_receiver(n);
    // Java and JavaScript: `Collections.addAll(l, t)`, `Object.assign(o, t)` are static calls on a
    // class, not mutations of a receiver variable.
    const bool static_call = (g_.family == Family::java || g_.family == Family::js) && !ts_node_is_null(receiver) &&
                             g_.kind(receiver) == Kind::identifier && std::isupper(static_cast<unsigned char>(text(receiver)[0]));
    if (!ts_node_is_null(receiver) && !static_call && kMutators.count(name)) {
      if (auto target = mutation_target(receiver))
        taint(*target, any_arg, "flows into " + *key_of(*target) + " via " + std::string(name) + "()");
    }
    const bool out_param = ((g_.family == Family::c || g_.family == Family::cpp) && kCOutParam.count(name)) ||
                           (g_.family == Family::go && kGoOutParam.count(name));
    if (out_param && arg_nodes.size() >= 2) {
      Taint rest;
      for (size_t i = 1; i < arg_taints.size(); ++i) rest = either(rest, arg_taints[i]);
      if (auto target = mutation_target(arg_nodes[0]))
        taint(*target, rest, "written into " + *key_of(*target) + " by " + std::string(name) + "()");
    }
    return result;
  }

  static bool is_sequence(std::string_view type) {
    static const std::unordered_set<std::string_view> kinds = {
        "pattern_list", "tuple_pattern", "list_pattern", "expression_list", "array_pattern", "tuple", "list", "array"};
    return kinds.count(type) > 0;
  }

  // Assigns `rhs` to the lvalues in `lhs`, element by element when both sides are sequences of the
  // same length (`a, b = t, "x"`), else the whole value to every target.
  Taint assign(const std::vector<TSNode>& lhs_in, TSNode rhs, const char* verb) {
    std::vector<TSNode> lhs = lhs_in;
    if (lhs.size() == 1 && is_sequence(ts_node_type(lhs[0]))) lhs = named_children(lhs[0]);
    if (!ts_node_is_null(rhs) && is_sequence(ts_node_type(rhs))) {
      auto rs = named_children(rhs);
      if (rs.size() == lhs.size() && lhs.size() > 1) {
        Taint all;
        std::vector<Taint> values;
        for (TSNode r : rs) values.push_back(eval(r));  // right side first, as at run time
        for (size_t i = 0; i < lhs.size(); ++i) {
          assign_all(lhs[i], values[i], verb);
          all = either(all, values[i]);
        }
        return all;
      }
    }
    Taint v = eval(rhs);
    for (TSNode l : lhs) assign_all(l, v, verb);
    return v;
  }

  void assign_all(TSNode pattern, const Taint& v, const char* verb) {
    std::vector<TSNode> targets;
    collect_targets(pattern, targets);
    for (TSNode t : targets) {
      // Element and attribute targets read their container first (`a[f(t)] = x`).
      if (g_.kind(t) == Kind::subscript || g_.kind(t) == Kind::member) {
        for (TSNode c : named_children(t)) {
          if (g_.kind(c) == Kind::call) eval(c);
        }
      }
      write(t, v, verb);
    }
  }

  bool is_plain_assignment(TSNode n) const {
    TSNode op = field(n, f_.op);
    if (ts_node_is_null(op)) {
      // Grammars without an operator field: the first anonymous child between the sides.
      const uint32_t count = ts_node_child_count(n);
      for (uint32_t i = 0; i < count; ++i) {
        TSNode c = ts_node_child(n, i);
        if (!ts_node_is_named(c)) {
          auto t = text(c);
          if (t.size() >= 1 && t.back() == '=') return t == "=" || t == ":=";
        }
      }
      return true;
    }
    const auto t = text(op);
    return t == "=" || t == ":=";
  }

  Taint eval_assign(TSNode n) {
    TSNode left = field(n, f_.left), right = field(n, f_.right);
    if (ts_node_is_null(right)) return eval_children(n);  // `x: int` (annotation only)
    if (!is_plain_assignment(n)) return eval_augmented(n, left, right);
    return assign({left}, right, "assigned to");
  }

  Taint eval_augmented(TSNode, TSNode left, TSNode right) {
    Taint r = eval(right);
    Taint l = eval(left);
    std::vector<TSNode> lhs = {left};
    if (is_sequence(ts_node_type(left))) lhs = named_children(left);
    Taint v = either(l, r);
    for (TSNode t : lhs) {
      std::vector<TSNode> targets;
      collect_targets(t, targets);
      for (TSNode target : targets) {
        if (v) write(target, v, "appended to");
      }
    }
    return v;
  }

  Taint eval_declarator(TSNode n) {
    std::vector<TSNode> names = fields(n, f_.name);
    if (names.empty()) names = fields(n, f_.declarator);
    TSNode value = field(n, f_.value);
    if (ts_node_is_null(value)) {
      for (TSNode name : names) assign_all(name, nullptr, "reset");
      return nullptr;
    }
    return assign(names, value, "assigned to");
  }

  // C/C++ `T a, *b = v, c(t);`: declarators without initializer reset the variable.
  Taint eval_declaration(TSNode n) {
    Taint result;
    for (TSNode d : fields(n, f_.declarator)) {
      if (g_.kind(d) == Kind::declarator) {
        result = either(result, eval(d));
        continue;
      }
      if (g_.family == Family::cpp && std::string_view(ts_node_type(d)) == "function_declarator" &&
          !ts_node_is_null(enclosing_function(n))) {
        // Inside a function, `std::string s(t);` is a constructor call the grammar reads as a
        // function declaration: its "parameter types" are the arguments.
        Taint v;
        TSNode params = field(d, f_.parameters);
        if (!ts_node_is_null(params))
          for (TSNode p : named_children(params)) {
            TSNode type = field(p, f_.type);
            if (!ts_node_is_null(type) && ts_node_named_child_count(p) == 1) v = either(v, lookup(std::string(text(type))));
          }
        TSNode name = field(d, f_.declarator);
        if (!ts_node_is_null(name)) write(name, v, "assigned to");
        result = either(result, v);
        continue;
      }
      assign_all(d, nullptr, "reset");
    }
    return result;
  }

  TSNode enclosing_function(TSNode n) const {
    for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p))
      if (g_.kind(p) == Kind::function) return p;
    return TSNode{};
  }

  void eval_if(TSNode n) {
    TSNode consequence = field(n, f_.consequence);
    const auto alternatives = fields(n, f_.alternative);
    // Conditions and initializers run first, in order.
    for (TSNode c : named_children(n)) {
      if (ts_node_eq(c, consequence)) break;
      eval(c);
    }
    const State before = state_;
    State merged;
    bool has_else = false;
    if (!ts_node_is_null(consequence)) eval(consequence);
    merged = state_;
    for (TSNode alt : alternatives) {
      state_ = before;
      const Kind k = g_.kind(alt);
      // Python's elif is one more branch; every other alternative (else, else-if chains, Go and
      // Java's direct block) is taken whenever the others are not.
      if (g_.family != Family::python || k == Kind::else_clause) has_else = true;
      eval(alt);
      merge_into(merged, state_);
    }
    if (!has_else) merge_into(merged, before);
    state_ = std::move(merged);
  }

  void eval_loop(TSNode n) {
    State entry = state_;
    for (int i = 0; i < kMaxLoopIterations; ++i) {
      state_ = entry;
      if (g_.kind(n) == Kind::foreach) eval_foreach_once(n);
      else eval_children(n);
      State next = entry;
      merge_into(next, state_);
      const bool stable = same_keys(next, entry);
      entry = std::move(next);
      if (stable || evals_ > kLoopBudget) break;
    }
    state_ = std::move(entry);
  }

  void eval_foreach_once(TSNode n) {
    TSNode target, iterable;
    for (TSFieldId id : {f_.left, f_.declarator, f_.name}) {
      target = field(n, id);
      if (!ts_node_is_null(target)) break;
    }
    for (TSFieldId id : {f_.right, f_.value}) {
      iterable = field(n, id);
      if (!ts_node_is_null(iterable)) break;
    }
    Taint v = eval(iterable);
    if (!ts_node_is_null(target)) assign_all(target, v, "iterated into");
    for (TSNode c : named_children(n)) {
      if (ts_node_eq(c, target) || ts_node_eq(c, iterable)) continue;
      if (TSNode type = field(n, f_.type); ts_node_eq(c, type)) continue;
      eval(c);
    }
  }

  // Each case starts from the state before the switch; the result is their union (and the state
  // before, for when no case matches).
  void eval_switch(TSNode n) {
    std::vector<TSNode> cases;
    std::vector<TSNode> sequential;
    for (TSNode c : named_children(n)) {
      if (g_.kind(c) == Kind::case_clause) {
        cases.push_back(c);
        continue;
      }
      bool holds_cases = false;
      for (TSNode cc : named_children(c))
        if (g_.kind(cc) == Kind::case_clause) holds_cases = true;
      if (holds_cases) {
        for (TSNode cc : named_children(c)) (g_.kind(cc) == Kind::case_clause ? cases : sequential).push_back(cc);
      } else {
        sequential.push_back(c);
      }
    }
    for (TSNode s : sequential) eval(s);
    const State before = state_;
    State merged = before;
    for (TSNode c : cases) {
      state_ = before;
      eval(c);
      merge_into(merged, state_);
    }
    state_ = std::move(merged);
  }

  // Handlers start from the state after the body (a may-analysis: the body's taint may have
  // happened); finally blocks run after everything.
  void eval_try(TSNode n) {
    std::optional<State> after_body;
    State merged;
    for (TSNode c : named_children(n)) {
      if (g_.kind(c) == Kind::handler) {
        if (!after_body) after_body = state_, merged = state_;
        state_ = *after_body;
        eval(c);
        merge_into(merged, state_);
        continue;
      }
      if (after_body) {
        state_ = std::move(merged);
        after_body.reset();
      }
      eval(c);
    }
    if (after_body) state_ = std::move(merged);
  }

  // ---- parameters as sources

  TSNode parameters_of(TSNode fn) const {
    TSNode p = field(fn, f_.parameters);
    if (!ts_node_is_null(p)) return p;
    p = field(fn, f_.parameter);  // JS `x => ...`
    if (!ts_node_is_null(p)) return p;
    // C/C++: function_definition -> declarator (pointer_declarator ...) -> function_declarator.
    TSNode d = field(fn, f_.declarator);
    for (int depth = 0; depth < 8 && !ts_node_is_null(d); ++depth) {
      p = field(d, f_.parameters);
      if (!ts_node_is_null(p)) return p;
      d = field(d, f_.declarator);
    }
    return TSNode{};
  }

  void taint_parameters(TSNode fn) {
    TSNode params = parameters_of(fn);
    if (ts_node_is_null(params)) return;
    std::vector<TSNode> targets;
    if (g_.kind(params) == Kind::identifier) targets.push_back(params);
    else
      for (TSNode p : named_children(params)) collect_targets(p, targets);
    for (TSNode t : targets) {
      auto key = key_of(t);
      if (!key) continue;
      if (g_.family == Family::python && (*key == "self" || *key == "cls")) continue;
      auto root = std::make_shared<TraceNode>();
      root->start_byte = ts_node_start_byte(t);
      root->end_byte = ts_node_end_byte(t);
      root->start = ts_node_start_point(t);
      root->end = ts_node_end_point(t);
      root->source_text = *key;
      root->source = t;
      root->label = "source: parameter " + *key;
      state_[*key] = root;
    }
  }

  const TaintSpec& spec_;
  const MatchInput& in_;
  const Grammar& g_;
  const Fields& f_;
  bool taint_parameters_ = false;
  struct ScopeFlags {
    bool has_sink = false, has_source = false;
  };
  std::vector<ScopeFlags> scopes_;  // by scope number
  size_t evals_ = 0;                // in the current scope
  std::vector<std::optional<Prepared>> sources_;
  std::vector<Prepared> sinks_, sanitizers_, propagators_;

  std::unordered_map<const void*, Hits> hits_;
  std::unordered_map<const void*, Taint> memo_;
  State state_;
  std::set<std::pair<uint32_t, uint32_t>> reported_;
  std::vector<TaintFinding> findings_;
};

}  // namespace

std::vector<std::vector<TaintFinding>> find_taint(const std::vector<const TaintSpec*>& specs, const MatchInput& in,
                                                  TSNode root, std::optional<std::pair<uint32_t, uint32_t>> range) {
  std::vector<std::vector<TaintFinding>> out(specs.size());
  if (!in.language || ts_node_is_null(root)) return out;
  const Grammar* g = grammar_for(*in.language);
  if (!g) return out;
  // The matchers see the walk's path from the root (see `walk` below).
  std::vector<TSNode> path;
  MatchInput walk_in = in;
  walk_in.path = &path;
  std::vector<std::unique_ptr<Analyzer>> analyzers(specs.size());
  std::vector<Analyzer*> active;
  for (size_t i = 0; i < specs.size(); ++i) {
    if (specs[i]->sinks.empty()) continue;
    analyzers[i] = std::make_unique<Analyzer>(*specs[i], walk_in, *g);
    active.push_back(analyzers[i].get());
  }
  if (active.empty()) return out;
  auto intersects = [&](uint32_t s, uint32_t e) {
    return !range || (s < range->second && e > range->first) || (s == e && s >= range->first && s <= range->second);
  };

  // Walks of the tree number the scopes (in the same order each time) and give the matchers the
  // path from the root (parents without ts_node_parent's descent from the root). A function outside
  // the range is not entered. Scope 0 is the file's top level.
  std::vector<TSNode> scopes;
  auto walk = [&](const auto& visit) {
    scopes.assign(1, root);
    std::vector<std::pair<uint32_t, size_t>> open = {{0, 0}};  // (depth, scope) of the enclosing scopes
    path.assign(1, root);
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    for (;;) {
      const uint32_t depth = static_cast<uint32_t>(path.size() - 1);
      TSNode n = path.back();
      bool enter = true;
      if (depth > 0 && g->kind(n) == Kind::function) {
        if (intersects(ts_node_start_byte(n), ts_node_end_byte(n))) {
          open.emplace_back(depth, scopes.size());
          scopes.push_back(n);
        } else {
          enter = false;
        }
      } else if (ts_node_is_named(n)) {
        visit(n, open.back().second);
      }
      if (enter && ts_tree_cursor_goto_first_child(&cursor)) {
        path.push_back(ts_tree_cursor_current_node(&cursor));
        continue;
      }
      bool moved = false;
      while (!moved) {
        // Leaving a function node (moving to its sibling or up) closes its scope.
        while (open.size() > 1 && open.back().first >= path.size() - 1) open.pop_back();
        if (ts_tree_cursor_goto_next_sibling(&cursor)) {
          moved = true;
          path.back() = ts_tree_cursor_current_node(&cursor);
        } else if (ts_tree_cursor_goto_parent(&cursor)) {
          path.pop_back();
        } else {
          break;
        }
      }
      if (!moved) break;
    }
    ts_tree_cursor_delete(&cursor);
  };
  // Sinks first, on every node; the other items only in scopes with a sink, the only ones analyzed.
  walk([&](TSNode n, size_t scope) {
    budget::checkpoint();
    for (Analyzer* a : active) a->match_sinks(n, scope);
  });
  walk([&](TSNode n, size_t scope) {
    budget::checkpoint();
    for (Analyzer* a : active)
      if (a->scope_has_sink(scope)) a->match_node(n, scope);
  });

  for (size_t i = 0; i < specs.size(); ++i) {
    Analyzer* a = analyzers[i].get();
    if (!a) continue;
    for (size_t s = 0; s < scopes.size(); ++s) {
      budget::checkpoint();
      a->analyze_scope(scopes[s], s == 0, s);
    }
    for (auto& f : a->findings())
      if (intersects(f.extent_start, f.extent_end)) out[i].push_back(std::move(f));
    std::sort(out[i].begin(), out[i].end(), [](const TaintFinding& x, const TaintFinding& y) {
      if (ts_node_start_byte(x.node) != ts_node_start_byte(y.node)) return ts_node_start_byte(x.node) < ts_node_start_byte(y.node);
      if (ts_node_end_byte(x.node) != ts_node_end_byte(y.node)) return ts_node_end_byte(x.node) < ts_node_end_byte(y.node);
      return x.sink_index < y.sink_index;
    });
  }
  return out;
}

std::vector<TaintFinding> find_taint(const TaintSpec& spec, const MatchInput& in, TSNode root,
                                     std::optional<std::pair<uint32_t, uint32_t>> range) {
  return std::move(find_taint(std::vector<const TaintSpec*>{&spec}, in, root, range).front());
}

TSNode enclosing_taint_scope(const grammars::Language& lang, TSNode node) {
  const Grammar* g = grammar_for(lang);
  if (!g) return TSNode{};
  for (TSNode p = node; !ts_node_is_null(p); p = ts_node_parent(p))
    if (g->kind(p) == Kind::function) return p;
  return TSNode{};
}

}  // namespace vigil::match
