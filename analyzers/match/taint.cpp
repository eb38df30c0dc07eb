#include "analyzers/match/taint.hpp"
#include "analyzers/match/cursor.hpp"
#include "analyzers/match/taint_top_level.hpp"
#include "analyzers/match/rule_tree.hpp"
#include "analyzers/match/words.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <re2/re2.h>

#include "analyzers/budget.hpp"
#include "analyzers/match/pattern.hpp"

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

// Top-level statements that may bind a name that the taint analysis of other statements reads (an
// allowlist kept in a module-level variable): all but functions, classes, imports and comments.
// Java keeps fields and methods in one top-level statement (the class); C/C++ allowlists are not
// modelled.
bool binds_for_other_statements(Family family, std::string_view type) {
  if (family != Family::python && family != Family::js && family != Family::go) return false;
  static const std::unordered_set<std::string_view> kNot = {
      "function_definition", "decorated_definition", "class_definition", "import_statement",
      "import_from_statement", "future_import_statement", "comment", "function_declaration",
      "generator_function_declaration", "class_declaration", "method_declaration", "import_declaration",
      "package_clause", "type_declaration", "interface_declaration", "type_alias_declaration",
      "enum_declaration", "abstract_class_declaration"};
  return !kNot.contains(type);
}

// Every child of `n` under field `id` (Go's var_spec has several `name`s, C declarations several
// `declarator`s).
std::vector<TSNode> fields(TSNode n, TSFieldId id) {
  std::vector<TSNode> out;
  if (!id) return out;
  match::ScopedCursor scoped_cursor(n);
  TSTreeCursor& cursor = scoped_cursor.get();
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      if (ts_tree_cursor_current_field_id(&cursor) == id) out.push_back(ts_tree_cursor_current_node(&cursor));
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  return out;
}

// With a cursor: ts_node_named_child(n, i) walks from the first child each time, which is
// quadratic over a module's or a block's statements.
std::vector<TSNode> named_children(TSNode n) {
  std::vector<TSNode> out;
  match::ScopedCursor scoped_cursor(n);
  TSTreeCursor& cursor = scoped_cursor.get();
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      TSNode c = ts_tree_cursor_current_node(&cursor);
      if (ts_node_is_named(c)) out.push_back(c);
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
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
  // The path starts at a parameter that only the analysis policy made a source.
  bool implicit = false;
  // The value was built from the parameter (concatenated, formatted, joined, passed through a
  // call), not handed on as it came: a helper that passes its parameter straight to a sink is a
  // wrapper, and its caller decides what flows in.
  bool built = false;
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
  t->implicit = prev && prev->implicit;
  t->built = prev && prev->built;
  return t;
}

// `t` as a value built from it (only policy parameters care; see TraceNode::built).
Taint built_from(const Taint& t) {
  if (!t || !t->implicit || t->built) return t;
  auto c = std::make_shared<TraceNode>(*t);
  c->built = true;
  return c;
}

// Either taint; a rule's own source wins over a parameter tainted by the analysis policy, so a
// finding reached by both reports the real source (and is kept wherever the policy does not apply).
Taint either(const Taint& a, const Taint& b) {
  if (!a) return b;
  if (b && a->implicit && !b->implicit) return b;
  return a;
}

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

// A value known at analysis time (constant folding of conditions and switch subjects). Characters
// are one-character strings, so `case 'A'` compares with `"ABC".charAt(0)`.
struct Constant {
  enum class Type : uint8_t { integer, string, boolean } type = Type::integer;
  int64_t i = 0;
  std::string s;
  bool operator==(const Constant& o) const {
    return type == o.type && (type == Type::string ? s == o.s : i == o.i);
  }
  static Constant integer(int64_t v) { return {Type::integer, v, {}}; }
  static Constant boolean(bool v) { return {Type::boolean, v ? 1 : 0, {}}; }
  static Constant string(std::string v) { return {Type::string, 0, std::move(v)}; }
};
using Constants = std::map<std::string, Constant, std::less<>>;

// A small list or map whose every operation so far was understood, element by element: what
// `list.get(1)` or `m["k"]` holds, rather than "something in the container is tainted".
struct Container {
  bool is_map = false;
  std::vector<Taint> items;               // lists: by index
  std::map<std::string, Taint> entries;   // maps: by constant key
  bool operator==(const Container& o) const { return is_map == o.is_map && items == o.items && entries == o.entries; }
};
using Containers = std::map<std::string, Container, std::less<>>;
constexpr size_t kMaxContainerSize = 64;

// Keeps the entries equal in both (facts that hold on every path).
template <typename M>
void intersect_into(M& into, const M& other) {
  for (auto it = into.begin(); it != into.end();) {
    auto o = other.find(it->first);
    if (o == other.end() || !(o->second == it->second)) it = into.erase(it);
    else ++it;
  }
}

struct Hit {
  size_t index;
  Bindings bindings;
};

struct Hits {
  std::vector<Hit> sources, sinks, propagators;
  std::vector<TSNode> cleans;  // variables a by-side-effect sanitizer cleans once this node ran
  bool sanitized = false;
};

// A matcher and the node kinds it can start at (empty: any), ascending, each once; and its rule
// tree, which tells the keys of the calls of each kind it can match (CalleeNames), when it can.
struct Prepared {
  const NodeMatcher* matcher;
  std::vector<TSSymbol> kinds;
  const RuleMatcher* tree = nullptr;
  // What it says of the callees of calls of kind `call` (null: nothing).
  const CalleeNames* callee(TSSymbol call) const {
    if (!tree) return nullptr;
    const auto& names = tree->callee_names(call);
    return names ? &*names : nullptr;
  }
};

Prepared prepare(const NodeMatcher* m, uint32_t symbol_count) {
  Prepared p{m, {}};
  if (const auto* tree = dynamic_cast<const RuleMatcher*>(m); tree && tree->names_callees()) p.tree = tree;
  const auto ks = m->start_kinds();
  for (TSSymbol s : ks)
    if (s < symbol_count) p.kinds.push_back(s);
  // Kinds all beyond the table: it matches nothing; symbol 0 (end of input) never labels a node.
  if (p.kinds.empty() && !ks.empty()) p.kinds.push_back(0);
  std::sort(p.kinds.begin(), p.kinds.end());
  p.kinds.erase(std::unique(p.kinds.begin(), p.kinds.end()), p.kinds.end());
  return p;
}

const Prepared* address_of(const Prepared& p) { return &p; }
const Prepared* address_of(const std::optional<Prepared>& p) { return p ? &*p : nullptr; }

// A node's CalleeKey, found on first use and shared by every analysis the node is offered to.
class LazyKey {
 public:
  LazyKey(const MatchInput& in, TSNode n, const CalleeKinds& kinds) : in_(in), n_(n), kinds_(kinds) {}
  const CalleeKey& get() const {
    if (!key_) key_ = callee_key(in_, n_, kinds_);
    return *key_;
  }

 private:
  const MatchInput& in_;
  TSNode n_;
  const CalleeKinds& kinds_;
  mutable std::optional<CalleeKey> key_;
};

// Items of one sort (the sinks, or the sources...) by the node symbol they can start at: for each
// symbol, the indices of the items that accept it, in index order, so that a node is offered only
// to the matchers that can match it (most nodes to none). One bucket per symbol, and a last one for
// symbols beyond the language's table (ERROR).
// Built on every analysis (the words filter depends on the text): a counting sort over the kinds
// the items name, not a test of every item at every symbol.
// Within a call's bucket, the items that name their callee (CalleeNames) are indexed by those
// names: a call is offered the items that name its key, those that do not tell, and those that
// accept any bare name when its callee has no `.`, in index order (see `offer`).
class ByKind {
 public:
  // The items of `s`'s bucket that may match `n` (with key `key`), in index order, into `out`;
  // returns [begin, end).
  std::pair<const uint32_t*, const uint32_t*> offer(TSSymbol s, const CalleeKey& key, std::vector<uint32_t>& out) const {
    const uint32_t b = bucket(s);
    if (key.field == 0 || b >= named_.size() || !named_[b]) return {begin(s), end(s)};
    const Named& nm = *named_[b];
    auto find = [&](const std::unordered_map<std::string_view, std::vector<uint32_t>>& map) -> const std::vector<uint32_t>* {
      auto it = map.find(key.name);
      return it == map.end() ? nullptr : &it->second;
    };
    const std::vector<uint32_t>* lists[3] = {find(nm.by_name), key.dotted ? nullptr : &nm.bare, nullptr};
    if (!key.leaf) lists[2] = key.member == nm.member ? find(nm.by_member) : &nm.member_all;
    if (std::all_of(std::begin(lists), std::end(lists), [](const auto* l) { return !l || l->empty(); }))
      return {nm.open.data(), nm.open.data() + nm.open.size()};
    out.assign(nm.open.begin(), nm.open.end());
    for (const auto* l : lists)
      if (l) out.insert(out.end(), l->begin(), l->end());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return {out.data(), out.data() + out.size()};
  }
  // Builds the name index of the call buckets, after build(). `calls`: the callee field of each
  // symbol.
  void index_names(const std::vector<const Prepared*>& items, const CalleeKinds& calls) {
    named_.clear();
    named_.resize(count_ + 1);
    for (uint32_t b = 0; b < count_; ++b) {
      const TSFieldId field = calls.field(static_cast<TSSymbol>(b));
      if (!field || start_[b] == start_[b + 1]) continue;
      const auto call = static_cast<TSSymbol>(b);
      bool any = false;
      for (uint32_t k = start_[b]; k < start_[b + 1]; ++k)
        if (items[index_[k]]->callee(call)) any = true;
      if (!any) continue;
      auto nm = std::make_unique<Named>();
      for (uint32_t k = start_[b]; k < start_[b + 1]; ++k) {
        const uint32_t i = index_[k];
        const CalleeNames* c = items[i]->callee(call);
        if (!c || (c->field != 0 && c->field != field)) {
          nm->open.push_back(i);  // says nothing of this callee
          continue;
        }
        if (c->field == 0) continue;  // matches no call
        if (c->member) {
          if (!nm->member) nm->member = c->member;
          if (c->member != nm->member) {
            nm->open.push_back(i);  // a second member field: not indexed
            continue;
          }
          for (const auto& name : c->names) nm->by_member[name].push_back(i);
          nm->member_all.push_back(i);
          continue;
        }
        for (const auto& name : c->names) nm->by_name[name].push_back(i);
        if (c->undotted) nm->bare.push_back(i);
      }
      named_[b] = std::move(nm);
    }
  }
  // `items[i]` null: never offered.
  void build(const std::vector<const Prepared*>& items, uint32_t symbol_count) {
    count_ = symbol_count;
    const uint32_t buckets = symbol_count + 1;  // the last: symbols beyond the table
    uint32_t any = 0;                           // items that accept every symbol
    start_.assign(buckets + 1, 0);
    for (const Prepared* p : items) {
      if (!p) continue;
      if (p->kinds.empty()) ++any;
      else
        for (TSSymbol s : p->kinds) ++start_[s + 1];
    }
    for (uint32_t b = 0; b < buckets; ++b) start_[b + 1] += start_[b] + any;
    index_.assign(start_[buckets], 0);
    std::vector<uint32_t> next(start_.begin(), start_.end() - 1);
    for (size_t i = 0; i < items.size(); ++i) {
      const Prepared* p = items[i];
      if (!p) continue;
      if (p->kinds.empty())
        for (uint32_t b = 0; b < buckets; ++b) index_[next[b]++] = static_cast<uint32_t>(i);
      else
        for (TSSymbol s : p->kinds) index_[next[s]++] = static_cast<uint32_t>(i);
    }
  }
  // Whether `s`'s bucket is indexed by callee names (its nodes need a CalleeKey).
  bool named(TSSymbol s) const { return bucket(s) < named_.size() && named_[bucket(s)]; }
  const uint32_t* begin(TSSymbol s) const { return index_.data() + start_[bucket(s)]; }
  const uint32_t* end(TSSymbol s) const { return index_.data() + start_[bucket(s) + 1]; }
  bool empty(TSSymbol s) const { return start_[bucket(s)] == start_[bucket(s) + 1]; }

 private:
  uint32_t bucket(TSSymbol s) const { return s < count_ ? s : count_; }
  uint32_t count_ = 0;
  std::vector<uint32_t> start_, index_;
  // A call bucket's items by the names they accept.
  // (CalleeNames::may_match, item by item: the same offers.)
  struct Named {
    std::vector<uint32_t> open;  // the items that do not tell
    std::vector<uint32_t> bare;  // the items that accept any callee without a `.`
    std::unordered_map<std::string_view, std::vector<uint32_t>> by_name;  // names point into the rules
    // The items that name the callee's member (CalleeNames::member, one field): by name, when the
    // key's name is that member; all of them when the callee's last name is not it.
    TSFieldId member = 0;
    std::unordered_map<std::string_view, std::vector<uint32_t>> by_member;
    std::vector<uint32_t> member_all;
  };
  std::vector<std::unique_ptr<Named>> named_;  // by bucket; null: no item names its callee
};

// What an analysis derives from a spec's matchers for one language and one live set (the
// matchers whose words the text has): their start kinds and callee names, and the indexes that
// offer each node to the matchers that can match it. Building it cost ~40,000 instructions a spec
// (mostly the name maps), three times a keystroke (twice to compare the top levels, once to
// analyze), for a result that changes only when a word appears or vanishes from the file.
struct SpecIndex {
  // The key: the language and the matchers themselves (a copy of a spec shares its cache, and
  // may have been changed since).
  const TSLanguage* language = nullptr;
  std::vector<const NodeMatcher*> matchers;  // sources (null: parameters), sinks, sanitizers, propagators
  std::vector<bool> live;                    // same order
  std::vector<std::optional<Prepared>> sources;
  std::vector<Prepared> sinks, sanitizers, propagators;
  ByKind sink_kinds, sanitizer_kinds, source_kinds, propagator_kinds;
};

}  // namespace

// The last two indexes built for a spec (an editor alternates between two live sets at most
// while a word is typed in and out); any thread may ask.
struct TaintIndexCache {
  std::mutex mutex;
  std::shared_ptr<const SpecIndex> recent[2];
};

std::shared_ptr<TaintIndexCache> make_taint_index_cache() { return std::make_shared<TaintIndexCache>(); }

namespace {

std::shared_ptr<const SpecIndex> spec_index(const TaintSpec& spec, const MatchInput& in, const TaintOptions& options) {
  const TSLanguage* language = in.language->ts_language();
  std::vector<const NodeMatcher*> matchers;
  std::vector<bool> live;
  // An item whose words the text lacks cannot match in it: never offered a node.
  auto add = [&](const NodeMatcher* m) {
    bool can = m != nullptr;
    if (can && options.words)
      if (const auto* tree = dynamic_cast<const RuleMatcher*>(m); tree && !tree->may_match(*options.words)) can = false;
    matchers.push_back(m);
    live.push_back(can);
  };
  for (const auto& s : spec.sources) add(s.matcher.get());
  for (const auto& s : spec.sinks) add(s.matcher.get());
  for (const auto& s : spec.sanitizers) add(s.matcher.get());
  for (const auto& p : spec.propagators) add(p.matcher.get());
  TaintIndexCache* cache = spec.index_cache.get();
  if (cache) {
    std::lock_guard lock(cache->mutex);
    for (const auto& e : cache->recent)
      if (e && e->language == language && e->live == live && e->matchers == matchers) return e;
  }
  auto index = std::make_shared<SpecIndex>();
  index->language = language;
  const uint32_t count = ts_language_symbol_count(language);
  for (const auto& s : spec.sources)
    index->sources.push_back(s.matcher ? std::optional(prepare(s.matcher.get(), count)) : std::nullopt);
  for (const auto& s : spec.sinks) index->sinks.push_back(prepare(s.matcher.get(), count));
  for (const auto& s : spec.sanitizers) index->sanitizers.push_back(prepare(s.matcher.get(), count));
  for (const auto& p : spec.propagators) index->propagators.push_back(prepare(p.matcher.get(), count));
  size_t at = 0;  // into `live`
  auto pointers = [&](const auto& items) {
    std::vector<const Prepared*> out;
    for (const auto& p : items) out.push_back(live[at++] ? address_of(p) : nullptr);
    return out;
  };
  const CalleeKinds& calls = CalleeKinds::of(*in.language);
  auto build = [&](ByKind& by, const std::vector<const Prepared*>& items) {
    by.build(items, count);
    by.index_names(items, calls);
  };
  // In the order `live` was written.
  auto sources = pointers(index->sources);
  auto sinks = pointers(index->sinks);
  auto sanitizers = pointers(index->sanitizers);
  auto propagators = pointers(index->propagators);
  build(index->source_kinds, sources);
  build(index->sink_kinds, sinks);
  build(index->sanitizer_kinds, sanitizers);
  build(index->propagator_kinds, propagators);
  index->matchers = std::move(matchers);
  index->live = std::move(live);
  if (cache) {
    std::lock_guard lock(cache->mutex);
    cache->recent[1] = std::move(cache->recent[0]);
    cache->recent[0] = index;
  }
  return index;
}

class Analyzer {
 public:
  Analyzer(const TaintSpec& spec, const MatchInput& in, const Grammar& g, const TaintOptions& options)
      : spec_(spec), in_(in), g_(g), f_(g.f), index_(spec_index(spec, in, options)) {
    policy_parameters_ = options.parameters;
    for (const auto& s : spec.sources) {
      if (s.no_parameters) policy_parameters_ = false;
      if (s.direct_parameters) direct_parameters_ = true;
      if (s.parameters) taint_parameters_ = true;
    }
  }

  // Records what the sink matchers say about `n`, which lies in scope number `scope` (see
  // find_taint). Sinks are matched first: a scope without one is never analyzed, so the other
  // matchers (sources are often costly: parameters of decorated handlers...) skip it.
  // `sym` is ts_node_symbol(n).
  void match_sinks(TSNode n, TSSymbol sym, size_t scope, const LazyKey& lazy) {
    if (sink_kinds_.empty(sym)) return;  // no sink starts at this kind
    Hits* h = nullptr;
    const CalleeKey key = sink_kinds_.named(sym) ? lazy.get() : CalleeKey{};
    const auto [first, last] = sink_kinds_.offer(sym, key, offered_);
    for (const uint32_t* it = first, *end = last; it != end; ++it) {
      const size_t i = *it;
      Bindings env;
      if (sinks_[i].matcher->match(in_, n, env)) {
        if (scope >= scopes_.size()) scopes_.resize(scope + 1);
        if (!h) h = &hits_[node_key(n)];
        h->sinks.push_back({i, std::move(env)}), scopes_[scope].has_sink = true;
      }
    }
  }

  bool scope_has_sink(size_t scope) const { return scope < scopes_.size() && scopes_[scope].has_sink; }
  // Whether any matcher matched (or a sanitizer cleaned) a node so far.
  bool has_hits() const { return !hits_.empty(); }

  // Records what the sanitizers, sources and propagators say about `n` (in a scope with a sink).
  // `sym` is ts_node_symbol(n).
  void match_node(TSNode n, TSSymbol sym, size_t scope, const LazyKey& lazy) {
    if (scope >= scopes_.size()) scopes_.resize(scope + 1);
    Hits* h = nullptr;
    auto hits = [&]() -> Hits& {
      if (!h) h = &hits_[node_key(n)];
      return *h;
    };
    const CalleeKey key = sanitizer_kinds_.named(sym) || source_kinds_.named(sym) || propagator_kinds_.named(sym)
                              ? lazy.get()
                              : CalleeKey{};
    const auto [sanitizers_first, sanitizers_last] = sanitizer_kinds_.offer(sym, key, offered_);
    for (const uint32_t* it = sanitizers_first, *end = sanitizers_last; it != end; ++it) {
      const size_t i = *it;
      Bindings env;
      if (!sanitizers_[i].matcher->match(in_, n, env)) continue;
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
    const auto [sources_first, sources_last] = source_kinds_.offer(sym, key, offered_);
    for (const uint32_t* it = sources_first, *end = sources_last; it != end; ++it) {
      const size_t i = *it;
      Bindings env;
      if (sources_[i]->matcher->match(in_, n, env))
        hits().sources.push_back({i, std::move(env)}), scopes_[scope].has_source = true;
    }
    const auto [propagators_first, propagators_last] = propagator_kinds_.offer(sym, key, offered_);
    for (const uint32_t* it = propagators_first, *end = propagators_last; it != end; ++it) {
      const size_t i = *it;
      Bindings env;
      if (propagators_[i].matcher->match(in_, n, env)) hits().propagators.push_back({i, std::move(env)});
    }
  }

  // Analyzes scope number `id` (a function, or the file's top level when `is_root`), once every
  // node has been through match_node.
  void analyze_scope(TSNode scope, bool is_root, size_t id) {
    const ScopeFlags flags = id < scopes_.size() ? scopes_[id] : ScopeFlags{};
    // Without a sink the scope cannot have a finding: nothing else to decide (whether the policy
    // applies looks at the function's parents).
    if (!flags.has_sink) return;
    const bool rule_parameters = !is_root && taint_parameters_;
    const bool policy_parameters = !is_root && !taint_parameters_ && policy_parameters_ && policy_applies(scope);
    // A callback passed to a call (`new Promise((resolve) => exec("du " + dir))`) reads the
    // parameters of the helper around it, which are input there as much as in the helper's body.
    TSNode outer = is_root ? TSNode{} : capturing_function(scope);
    const bool captured = !ts_node_is_null(outer) && (taint_parameters_ || policy_parameters_);
    // Without a sink, or without anything tainted to begin with, the scope cannot have a finding.
    if (!flags.has_sink || (!flags.has_source && !rule_parameters && !policy_parameters && !captured)) return;
    TSNode body = is_root ? scope : field(scope, f_.body);
    if (ts_node_is_null(body)) return;  // a declaration without a body
    root_scope_ = is_root;
    memo_.clear();
    state_.clear();
    consts_.clear();
    containers_.clear();
    evals_ = 0;
    if (captured) {
      taint_parameters(outer, !taint_parameters_);
      // The callbacks' own parameters (this one's and those between) shadow the helper's.
      for (TSNode f = scope; !ts_node_is_null(f) && !ts_node_eq(f, outer); f = enclosing_function(f))
        for (const auto& key : parameter_keys(f)) state_.erase(key);
    }
    if (rule_parameters || policy_parameters) taint_parameters(scope, policy_parameters);
    if (!is_root) taint_declared_parameters(scope);
    eval(body);  // a block, or the expression of an arrow function or lambda
  }

  std::vector<TaintFinding>& findings() { return findings_; }

 private:
  std::string_view text(TSNode n) const { return ts_node_is_null(n) ? std::string_view{} : in_.node_text(n); }

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
    match::ScopedCursor scoped_cursor(n);
    TSTreeCursor& cursor = scoped_cursor.get();
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      do {
        TSNode c = ts_tree_cursor_current_node(&cursor);
        if (ts_node_is_named(c) && !ts_node_is_extra(c)) children.push_back({c, ts_tree_cursor_current_field_id(&cursor)});
      } while (ts_tree_cursor_goto_next_sibling(&cursor));
    }
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
    consts_.erase(*key);
    if (element) {
      // `m["k"] = v`, `l[0] = v` on a modelled container: that element only.
      TSNode object = subscript_object(target);
      Container* c = container(object);
      TSNode index{};
      for (TSNode ch : named_children(target))
        if (!ts_node_eq(ch, object)) index = ch;
      auto k = c ? fold(index) : std::nullopt;
      if (c && k && c->is_map && k->type == Constant::Type::string) c->entries[k->s] = v;
      else if (c && k && !c->is_map && k->type == Constant::Type::integer && k->i >= 0 &&
               static_cast<size_t>(k->i) < c->items.size())
        c->items[static_cast<size_t>(k->i)] = v;
      else containers_.erase(*key);
    } else {
      containers_.erase(*key);
    }
    if (v) {
      state_[*key] = step(v, target, std::string(verb) + " " + *key);
    } else if (!element) {
      kill(*key);
    }
  }

  // Taints without killing: mutations, propagators, sources by side effect.
  void taint(TSNode target, const Taint& v, const std::string& label) {
    if (!v) return;
    if (auto key = key_of(target)) {
      state_[*key] = step(v, target, label);
      consts_.erase(*key);
    }
  }

  // ---- evaluation: the taint of an expression's value, with the side effects of its evaluation
  // (assignments, mutations) applied to the state.

  Taint eval(TSNode n, bool as_object = false) {
    if (ts_node_is_null(n) || ts_node_is_extra(n)) return nullptr;
    ++evals_;
    Taint t = eval_kind(n, as_object);
    if (t && t->implicit && !t->built && builds_value(n)) t = built_from(t);
    const auto hit = hits_.find(node_key(n));
    if (hit != hits_.end()) {
      Hits& h = hit->second;
      for (const auto& s : h.sources) {
        const auto& src = spec_.sources[s.index];
        // A use of a parameter whose declaration is the source follows the variable instead (see
        // taint_declared_parameters).
        if (src.focus.empty() && !declared_sources_.empty() && g_.kind(n) == Kind::identifier)
          if (auto key = key_of(n); key && declared_sources_.contains(*key)) continue;
        auto root = source_root(n, std::string(text(n)), "source: " + shorten(text(n)));
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
          for (TSNode to : bound(p.bindings, prop.to)) taint(to, built_from(from), "propagated to " + shorten(text(to)));
      }
      for (const auto& s : h.sinks) check_sink(n, s);
    } else {
      memo_[node_key(n)] = t;
    }
    return t;
  }

  // Does `n` compute a new value from its operands (concatenation, formatting, a call), rather than
  // name one (a variable, a field, an element, parentheses)?
  bool builds_value(TSNode n) const {
    switch (g_.kind(n)) {
      case Kind::call:
        return !is_view_accessor(n);
      case Kind::aug_assign:
      case Kind::shift:
        return true;
      case Kind::other: break;
      default: return false;
    }
    const std::string_view type = ts_node_type(n);
    if (type == "binary_expression" || type == "binary_operator" || type == "template_string" ||
        type == "concatenated_string" || type == "format_expression")
      return true;
    if (type == "string")  // Python f-strings
      for (TSNode c : named_children(n))
        if (std::string_view(ts_node_type(c)) == "interpolation") return true;
    return false;
  }

  // C++ accessors that hand out the same text (`name.c_str()`, `p.string()`, `s.data()`): a
  // parameter passed through one still reaches the sink unchanged.
  bool is_view_accessor(TSNode call) const {
    if (g_.family != Family::cpp && g_.family != Family::c) return false;
    TSNode args = field(call, f_.arguments);
    if (ts_node_is_null(args) || ts_node_named_child_count(args) != 0) return false;
    static const std::unordered_set<std::string_view> kAccessors = {"c_str", "data", "string", "native",
                                                                   "generic_string", "u8string"};
    return kAccessors.count(call_name(call)) > 0;
  }

  // A policy-parameter value reaching a sink unchanged (`open(path)`, `cur.execute(sql)` in a
  // helper that takes them): the helper is a wrapper. A sink without focus is the call itself: it
  // builds a value when it combines several arguments (`new File(dir, name)`) or a built one.
  bool passed_through(TSNode target, const Taint& t) {
    if (!t || !t->implicit || t->built || direct_parameters_) return false;
    if (g_.kind(target) != Kind::call) return true;
    TSNode args = field(target, f_.arguments);
    if (ts_node_is_null(args)) return true;
    auto list = named_children(args);
    std::erase_if(list, [](TSNode a) { return ts_node_is_extra(a); });
    bool tainted = false;
    for (TSNode a : list) {
      Taint v = value_of(a);
      if (v && (!v->implicit || v->built)) return false;
      tainted = tainted || v;
    }
    return !(tainted && list.size() >= 2);
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
      if (!t || passed_through(target, t)) continue;
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
      f.from_parameter = chain.front()->implicit;
      f.top_level = root_scope_;
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
        // `s.length`, `a.length`: a number.
        if (g_.family == Family::js || g_.family == Family::java)
          if (TSNode name = member_name(n); !ts_node_is_null(name) && text(name) == "length") return nullptr;
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
        TSNode index{};
        for (TSNode c : named_children(n)) {
          if (!ts_node_eq(c, object)) eval(c), index = c;
        }
        if (!as_object && !ts_node_is_null(index))
          if (auto known = container_read(object, index, false)) return *known;
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
          if (auto target = mutation_target(left)) taint(*target, built_from(r), "written into " + *key_of(*target));
        }
        return either(l, r);
      }
      case Kind::conditional: {
        TSNode condition = field(n, f_.condition);
        if (ts_node_is_null(condition) && ts_node_named_child_count(n) == 3)
          condition = ts_node_named_child(n, 1);  // Python: a if c else b
        Taint t;
        const auto known = fold(condition);
        const auto test = literal_test(condition);
        const auto children = named_children(n);
        for (size_t i = 0; i < children.size(); ++i) {
          TSNode c = children[i];
          Taint v = eval(c);
          if (ts_node_eq(c, condition)) continue;
          // A constant condition picks one side: `a if True else b` (Python: a, cond, b), `c ? a : b`.
          const bool first_value = g_.family == Family::python ? i == 0 : ts_node_eq(c, field(n, f_.consequence));
          if (known && known->type == Constant::Type::boolean && first_value != (known->i != 0)) continue;
          // `["/a", "/b"].includes(x) ? x : "/a"`: x is one of the literals where it is chosen.
          if (test && test->second == first_value && key_of(c) == test->first) continue;
          t = either(t, v);
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
    const std::string_view name = call_name(n);
    TSNode receiver = call_receiver(n);
    // A container passed to a call may be changed there: its model is dropped.
    for (TSNode a : arg_nodes)
      if (container(a)) containers_.erase(std::string(text(a)));
    if (!ts_node_is_null(receiver) && container(receiver))
      if (auto known = container_call(receiver, name, arg_nodes, arg_taints)) return *known;
    Taint any_arg;
    for (const auto& t : arg_taints) any_arg = either(any_arg, t);
    if (!any_arg) return result;
    // Java and JavaScript: `Collections.addAll(l, t)`, `Object.assign(o, t)` are static calls on a
    // class, not mutations of a receiver variable.
    const bool static_call = (g_.family == Family::java || g_.family == Family::js) && !ts_node_is_null(receiver) &&
                             g_.kind(receiver) == Kind::identifier && std::isupper(static_cast<unsigned char>(text(receiver)[0]));
    if (!ts_node_is_null(receiver) && !static_call && kMutators.count(name)) {
      if (auto target = mutation_target(receiver))
        taint(*target, built_from(any_arg), "flows into " + *key_of(*target) + " via " + std::string(name) + "()");
    }
    const bool out_param = ((g_.family == Family::c || g_.family == Family::cpp) && kCOutParam.count(name)) ||
                           (g_.family == Family::go && kGoOutParam.count(name));
    if (out_param && arg_nodes.size() >= 2) {
      Taint rest;
      for (size_t i = 1; i < arg_taints.size(); ++i) rest = either(rest, arg_taints[i]);
      if (auto target = mutation_target(arg_nodes[0]))
        taint(*target, built_from(rest), "written into " + *key_of(*target) + " by " + std::string(name) + "()");
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
    if (lhs.size() == 1) remember_value(lhs[0], rhs);
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
    // `sql += name` combines the old value with the new one: the variable now holds a built value.
    if (v && v->implicit && !v->built) v = built_from(v);
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

  // Facts that hold at one program point besides taint: constant variables and container models.
  struct Facts {
    State state;
    Constants consts;
    Containers containers;
  };
  Facts save() const { return {state_, consts_, containers_}; }
  void restore(const Facts& f) { state_ = f.state, consts_ = f.consts, containers_ = f.containers; }
  // Joins the current facts into `into` (taint: union; constants and models: those that agree).
  void join_into(std::optional<Facts>& into) const {
    if (!into) {
      into = save();
      return;
    }
    merge_into(into->state, state_);
    intersect_into(into->consts, consts_);
    intersect_into(into->containers, containers_);
  }

  // Does running `n` always leave the enclosing block (return, raise/throw, break, continue, goto,
  // exit)? Then the state at its end never reaches the code after it.
  // `break` counts only with `breaks` (a switch case): after a loop the state at a break matters,
  // and the loop's merge does not see it.
  bool always_exits(TSNode n, bool breaks = false) const {
    if (ts_node_is_null(n)) return false;
    const std::string_view type = ts_node_type(n);
    if (type == "return_statement" || type == "raise_statement" || type == "throw_statement" ||
        type == "continue_statement" || type == "goto_statement" || (breaks && type == "break_statement"))
      return true;
    if (type == "expression_statement") {  // sys.exit(), os.Exit(), process.exit(), panic()
      TSNode e = ts_node_named_child(n, 0);
      if (!ts_node_is_null(e) && g_.kind(e) == Kind::call) {
        // Java's method_invocation has no callee node: `System.exit` is its object and name.
        std::string_view name;
        if (g_.family != Family::java) name = text(call_callee(e));
        else if (TSNode method = field(e, f_.name); !ts_node_is_null(method))
          name = in_.text.substr(ts_node_start_byte(e), ts_node_end_byte(method) - ts_node_start_byte(e));
        return name == "sys.exit" || name == "exit" || name == "os.Exit" || name == "process.exit" ||
               name == "panic" || name == "abort" || name == "System.exit" || name == "log.Fatal" ||
               name == "log.Fatalf";
      }
      return false;
    }
    // A block: its last statement (Python's `block`, JS statement_block, Java/Go block, C
    // compound_statement, an else clause wrapping one).
    if (type == "block" || type == "statement_block" || type == "compound_statement" || type == "else_clause" ||
        type == "statement_list") {
      auto children = named_children(n);
      while (!children.empty() && ts_node_is_extra(children.back())) children.pop_back();
      return !children.empty() && always_exits(children.back(), breaks);
    }
    return false;
  }

  // ---- constant folding

  std::optional<Constant> literal_string(TSNode n) const {
    const std::string_view type = ts_node_type(n);
    std::string_view t = text(n);
    if (type == "string" && g_.family == Family::python) {
      for (TSNode c : named_children(n))
        if (std::string_view(ts_node_type(c)) == "interpolation") return std::nullopt;
      size_t prefix = 0;
      while (prefix < t.size() && std::isalpha(static_cast<unsigned char>(t[prefix]))) ++prefix;
      for (size_t i = 0; i < prefix; ++i)
        if (t[i] == 'f' || t[i] == 'F') return std::nullopt;
      t.remove_prefix(prefix);
    } else if (type == "template_string") {
      if (ts_node_named_child_count(n) > 0) return std::nullopt;  // substitutions
    } else if (type != "string" && type != "string_literal" && type != "interpreted_string_literal" &&
               type != "raw_string_literal" && type != "character_literal" && type != "char_literal" &&
               type != "rune_literal") {
      return std::nullopt;
    }
    size_t q = 1;
    if (t.size() >= 6 && (t.substr(0, 3) == "\"\"\"" || t.substr(0, 3) == "'''")) q = 3;
    if (t.size() < 2 * q) return std::nullopt;
    std::string_view body = t.substr(q, t.size() - 2 * q);
    if (body.find('\\') != std::string_view::npos) return std::nullopt;  // escapes: not worth decoding
    return Constant::string(std::string(body));
  }

  // The value of `n` when it is built from literals and constant variables only.
  std::optional<Constant> fold(TSNode n, int depth = 0) const {
    if (ts_node_is_null(n) || depth > 32) return std::nullopt;
    const std::string_view type = ts_node_type(n);
    if (type == "true" || type == "True") return Constant::boolean(true);
    if (type == "false" || type == "False") return Constant::boolean(false);
    if (type == "integer" || type == "number" || type == "int_literal" || type == "decimal_integer_literal" ||
        type == "number_literal" || type == "hex_integer_literal") {
      std::string digits;
      for (char c : text(n))
        if (c != '_' && c != '\'') digits += c;
      while (!digits.empty() && (digits.back() == 'L' || digits.back() == 'l' || digits.back() == 'u' || digits.back() == 'U'))
        digits.pop_back();
      if (digits.empty()) return std::nullopt;
      char* end = nullptr;
      errno = 0;
      const long long v = std::strtoll(digits.c_str(), &end, 0);
      if (errno || !end || *end) return std::nullopt;  // floats, overflow
      return Constant::integer(v);
    }
    if (auto str = literal_string(n)) return str;
    switch (g_.kind(n)) {
      case Kind::identifier: {
        auto it = consts_.find(text(n));
        if (it != consts_.end()) return it->second;
        return std::nullopt;
      }
      case Kind::wrapper:
        if (type == "parenthesized_expression") return fold(wrapped(n), depth + 1);
        return std::nullopt;
      case Kind::call: {
        // "ABC".charAt(2), s.charAt(k) on a constant string; "a".equals(b) on constants.
        const std::string_view name = call_name(n);
        TSNode receiver = call_receiver(n);
        TSNode args = field(n, f_.arguments);
        if (ts_node_is_null(receiver) || ts_node_is_null(args)) return std::nullopt;
        auto r = fold(receiver, depth + 1);
        auto a = named_children(args);
        if (!r || a.size() != 1) return std::nullopt;
        auto v = fold(a[0], depth + 1);
        if (!v) return std::nullopt;
        if (name == "charAt" && r->type == Constant::Type::string && v->type == Constant::Type::integer) {
          if (v->i < 0 || static_cast<size_t>(v->i) >= r->s.size()) return std::nullopt;
          return Constant::string(std::string(1, r->s[static_cast<size_t>(v->i)]));
        }
        if (name == "equals") return Constant::boolean(*r == *v);
        return std::nullopt;
      }
      default: break;
    }
    if (type == "condition_clause") {  // C++ `if (x)`
      TSNode v = field(n, f_.value);
      return fold(ts_node_is_null(v) ? ts_node_named_child(n, ts_node_named_child_count(n) - 1) : v, depth + 1);
    }
    if (type == "not_operator" || type == "unary_expression" || type == "unary_operator") {
      TSNode arg = field(n, f_.argument);
      if (ts_node_is_null(arg)) arg = field(n, f_.operand);
      auto v = fold(arg, depth + 1);
      if (!v) return std::nullopt;
      std::string_view op = type == "not_operator" ? "!" : text(field(n, f_.op));
      if ((op == "!" || op == "not") && v->type == Constant::Type::boolean) return Constant::boolean(v->i == 0);
      if (op == "-" && v->type == Constant::Type::integer) return Constant::integer(-v->i);
      return std::nullopt;
    }
    if (type == "binary_expression" || type == "binary_operator" || type == "boolean_operator" ||
        type == "comparison_operator") {
      auto children = named_children(n);
      if (children.size() != 2) return std::nullopt;
      std::string op = operator_of(n);
      auto a = fold(children[0], depth + 1);
      if (!a) return std::nullopt;
      // Short circuit: `false && x`, `true || x`.
      if (a->type == Constant::Type::boolean && (op == "&&" || op == "and") && !a->i) return a;
      if (a->type == Constant::Type::boolean && (op == "||" || op == "or") && a->i) return a;
      auto b = fold(children[1], depth + 1);
      if (!b) return std::nullopt;
      return apply(op, *a, *b);
    }
    return std::nullopt;
  }

  // A binary node's operator: its `operator` field, or its anonymous children (`not in`, `is not`).
  std::string operator_of(TSNode n) const {
    if (TSNode o = field(n, f_.op); !ts_node_is_null(o)) return std::string(text(o));
    std::string op;
    const uint32_t count = ts_node_child_count(n);
    for (uint32_t i = 0; i < count; ++i)
      if (TSNode c = ts_node_child(n, i); !ts_node_is_named(c)) op += (op.empty() ? "" : " ") + std::string(text(c));
    return op;
  }

  static std::optional<Constant> apply(std::string_view op, const Constant& a, const Constant& b) {
    using T = Constant::Type;
    if (op == "==" || op == "===" || op == "is") return Constant::boolean(a == b);
    if (op == "!=" || op == "!==" || op == "is not") return Constant::boolean(!(a == b));
    if (a.type == T::boolean && b.type == T::boolean) {
      if (op == "&&" || op == "and") return Constant::boolean(a.i && b.i);
      if (op == "||" || op == "or") return Constant::boolean(a.i || b.i);
      return std::nullopt;
    }
    if (a.type == T::string && b.type == T::string && op == "+") return Constant::string(a.s + b.s);
    if (a.type != T::integer || b.type != T::integer) return std::nullopt;
    const int64_t x = a.i, y = b.i;
    if (op == "+") return Constant::integer(x + y);
    if (op == "-") return Constant::integer(x - y);
    if (op == "*") return Constant::integer(x * y);
    if ((op == "/" || op == "//") && y != 0) return Constant::integer(x / y);
    if (op == "%" && y != 0) return Constant::integer(x % y);
    if (op == "<") return Constant::boolean(x < y);
    if (op == ">") return Constant::boolean(x > y);
    if (op == "<=") return Constant::boolean(x <= y);
    if (op == ">=") return Constant::boolean(x >= y);
    return std::nullopt;
  }

  // After `lhs = rhs`: a single variable assigned a constant is that constant until written again
  // (write() forgets it); one assigned a new empty or literal list or map gets a container model.
  void remember_value(TSNode lhs, TSNode rhs) {
    if (!ts_node_is_null(rhs) && std::string_view(ts_node_type(rhs)) == "expression_list" &&
        ts_node_named_child_count(rhs) == 1)
      rhs = ts_node_named_child(rhs, 0);  // Go `x := 5`
    if (ts_node_is_null(lhs) || ts_node_is_null(rhs) || g_.kind(lhs) != Kind::identifier) return;
    const std::string key(text(lhs));
    if (auto c = fold(rhs)) consts_[key] = *c;
    if (auto m = container_literal(rhs)) containers_[key] = std::move(*m);
  }

  // ---- small containers, element by element

  std::optional<Container> container_literal(TSNode n) {
    if (ts_node_is_null(n)) return std::nullopt;
    while (g_.kind(n) == Kind::wrapper && !ts_node_is_null(wrapped(n))) n = wrapped(n);
    const std::string_view type = ts_node_type(n);
    Container c;
    if (type == "list" || type == "array" || (type == "tuple" && g_.family == Family::python)) {
      for (TSNode e : named_children(n)) {
        const std::string_view et = ts_node_type(e);
        if (et == "list_splat" || et == "spread_element" || ts_node_is_extra(e)) return std::nullopt;
        c.items.push_back(value_of(e));
      }
      return c.items.size() <= kMaxContainerSize ? std::optional(c) : std::nullopt;
    }
    if (type == "dictionary" || type == "object") {
      c.is_map = true;
      for (TSNode e : named_children(n)) {
        if (ts_node_is_extra(e)) continue;
        if (std::string_view(ts_node_type(e)) != "pair") return std::nullopt;
        TSNode k = field(e, f_.key);
        std::optional<std::string> key;
        if (auto kc = fold(k); kc && kc->type == Constant::Type::string) key = kc->s;
        else if (!ts_node_is_null(k) && std::string_view(ts_node_type(k)) == "property_identifier") key = std::string(text(k));
        if (!key) return std::nullopt;
        c.entries[*key] = value_of(field(e, f_.value));
      }
      return c;
    }
    if (type == "object_creation_expression") {  // new ArrayList<>(), new HashMap<String, Object>()
      TSNode args = field(n, f_.arguments);
      if (!ts_node_is_null(args) && ts_node_named_child_count(args) > 0) return std::nullopt;
      const std::string_view t = text(field(n, f_.type));
      const std::string_view name = t.substr(0, t.find('<'));
      auto ends = [&](std::string_view suffix) {
        return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
      };
      if (ends("ArrayList") || ends("LinkedList") || ends("Vector") || ends("ArrayDeque")) return c;
      if (ends("HashMap") || ends("TreeMap") || ends("Hashtable") || ends("LinkedHashMap")) {
        c.is_map = true;
        return c;
      }
    }
    if (type == "new_expression" && text(field(n, f_.constructor)) == "Map") {
      TSNode args = field(n, f_.arguments);
      if (ts_node_is_null(args) || ts_node_named_child_count(args) == 0) {
        c.is_map = true;
        return c;
      }
    }
    return std::nullopt;
  }

  Container* container(TSNode n) {
    if (ts_node_is_null(n) || g_.kind(n) != Kind::identifier) return nullptr;
    auto it = containers_.find(text(n));
    return it == containers_.end() ? nullptr : &it->second;
  }

  // The element `object[index]` (or `object.get(index)`) holds, when the model knows it. Python
  // negative indexes count from the end.
  std::optional<Taint> container_read(TSNode object, TSNode index, bool method) {
    Container* c = container(object);
    if (!c) return std::nullopt;
    auto k = fold(index);
    if (!k) return std::nullopt;
    if (c->is_map) {
      if (k->type != Constant::Type::string) return std::nullopt;
      auto it = c->entries.find(k->s);
      return it == c->entries.end() ? Taint{} : it->second;
    }
    if (k->type != Constant::Type::integer) return std::nullopt;
    int64_t i = k->i;
    if (i < 0 && !method && g_.family == Family::python) i += static_cast<int64_t>(c->items.size());
    if (i < 0 || static_cast<size_t>(i) >= c->items.size()) return std::nullopt;
    return c->items[static_cast<size_t>(i)];
  }

  // A method call on a modelled container: updates the model and, for reads, gives the element.
  // Anything not understood drops the model (the container keeps its coarse taint).
  std::optional<Taint> container_call(TSNode receiver, std::string_view name, const std::vector<TSNode>& args,
                                      const std::vector<Taint>& taints) {
    Container* c = container(receiver);
    if (!c) return std::nullopt;
    const std::string key(text(receiver));
    auto drop = [&]() -> std::optional<Taint> {
      containers_.erase(key);
      return std::nullopt;
    };
    if (!c->is_map) {
      if ((name == "add" || name == "append" || name == "push" || name == "addLast" || name == "offer") && args.size() == 1) {
        if (c->items.size() >= kMaxContainerSize) return drop();
        c->items.push_back(taints[0]);
        return std::nullopt;  // the container's own taint is updated as for any mutation
      }
      if ((name == "remove" || name == "pop" || name == "shift" || name == "removeFirst" || name == "poll" ||
           name == "pollFirst") && args.size() <= 1) {
        size_t i = 0;
        if (args.size() == 1) {
          auto k = fold(args[0]);
          if (!k || k->type != Constant::Type::integer || k->i < 0) return drop();
          i = static_cast<size_t>(k->i);
        } else if (name == "pop") {
          if (c->items.empty()) return drop();
          i = c->items.size() - 1;
        }
        if (i >= c->items.size()) return drop();
        Taint removed = c->items[i];
        c->items.erase(c->items.begin() + static_cast<std::ptrdiff_t>(i));
        return removed;
      }
      if (name == "get" && args.size() == 1) return container_read(receiver, args[0], true);
      if (name == "size" || name == "length" || name == "isEmpty" || name == "contains" || name == "indexOf" ||
          name == "includes" || name == "count" || name == "index")
        return std::nullopt;
      return drop();
    }
    if ((name == "put" || name == "set" || name == "setdefault") && args.size() == 2) {
      auto k = fold(args[0]);
      if (!k || k->type != Constant::Type::string) return drop();
      c->entries[k->s] = taints[1];
      return std::nullopt;
    }
    if ((name == "get" || name == "getOrDefault") && !args.empty() && args.size() <= 2) {
      auto k = fold(args[0]);
      if (!k || k->type != Constant::Type::string) return std::nullopt;
      auto it = c->entries.find(k->s);
      Taint v = it == c->entries.end() ? Taint{} : it->second;
      return args.size() == 2 ? either(v, taints[1]) : v;
    }
    if (name == "size" || name == "containsKey" || name == "has" || name == "isEmpty" || name == "keys" ||
        name == "keySet")
      return std::nullopt;
    return drop();
  }

  // ---- guards: a literal-only test

  // The variable a literal-only test pins down, and whether the test holds when the variable is
  // one of the literals: `x in ("a", "b")`, `x == "a"`, `"a".equals(x)`, `List.of("a").contains(x)`,
  // `["a","b"].includes(x)` (negations flip). `x != "a" and x != "b"` pins x when false.
  std::optional<std::pair<std::string, bool>> literal_test(TSNode n, int depth = 0) const {
    if (ts_node_is_null(n) || depth > 16) return std::nullopt;
    const std::string_view type = ts_node_type(n);
    if (type == "parenthesized_expression" || type == "condition_clause") {
      TSNode inner = type == "condition_clause" ? field(n, f_.value) : wrapped(n);
      if (ts_node_is_null(inner)) inner = ts_node_named_child(n, ts_node_named_child_count(n) - 1);
      return literal_test(inner, depth + 1);
    }
    auto flip = [](std::optional<std::pair<std::string, bool>> r) {
      if (r) r->second = !r->second;
      return r;
    };
    if (type == "not_operator") return flip(literal_test(field(n, f_.argument), depth + 1));
    if (type == "unary_expression") {
      if (text(field(n, f_.op)) != "!") return std::nullopt;
      TSNode arg = field(n, f_.argument);
      if (ts_node_is_null(arg)) arg = field(n, f_.operand);
      return flip(literal_test(arg, depth + 1));
    }
    if (type == "index_expression" && g_.family == Family::go) {  // allowed[x], allowed a constant map
      auto key = key_of(field(n, f_.index));
      if (key && is_literal_set(field(n, f_.operand), true)) return std::make_pair(*key, true);
      return std::nullopt;
    }
    auto children = named_children(n);
    if (type == "comparison_operator" || type == "binary_expression" || type == "boolean_operator") {
      if (children.size() != 2) return std::nullopt;
      const std::string op = operator_of(n);
      if (op == "and" || op == "&&" || op == "or" || op == "||") {
        // `x != "a" and x != "b"` is false only when x is one of them; `x == "a" or x == "b"`
        // is true only then.
        auto a = literal_test(children[0], depth + 1), b = literal_test(children[1], depth + 1);
        if (!a || !b || a->first != b->first || a->second != b->second) return std::nullopt;
        const bool conj = op == "and" || op == "&&";
        if (conj != a->second) return a;
        return std::nullopt;
      }
      const bool membership = op == "in" || op == "not in";
      const bool eq = op == "==" || op == "===" || op == "in";
      const bool ne = op == "!=" || op == "!==" || op == "not in";
      if (!eq && !ne) return std::nullopt;
      TSNode var = children[0], lit = children[1];
      if (!membership && !key_of(var) && key_of(lit)) std::swap(var, lit);
      auto key = key_of(var);
      if (!key || !is_literal_set(lit, membership)) return std::nullopt;
      return std::make_pair(*key, eq);
    }
    if (g_.kind(n) == Kind::call) {
      const std::string_view name = call_name(n);
      TSNode receiver = call_receiver(n);
      TSNode args = field(n, f_.arguments);
      if (ts_node_is_null(receiver) || ts_node_is_null(args) || ts_node_named_child_count(args) != 1) return std::nullopt;
      TSNode arg = ts_node_named_child(args, 0);
      if (name == "equals" || name == "equalsIgnoreCase") {
        if (is_literal_set(receiver, false) && key_of(arg)) return std::make_pair(*key_of(arg), true);
        if (is_literal_set(arg, false) && key_of(receiver)) return std::make_pair(*key_of(receiver), true);
        return std::nullopt;
      }
      if ((name == "contains" || name == "includes" || name == "has") && key_of(arg) && is_literal_set(receiver, true))
        return std::make_pair(*key_of(arg), true);
    }
    return std::nullopt;
  }

  // A literal (or, with `collection`, a literal list/tuple/set/array or `List.of`/`Set.of`/
  // `Arrays.asList`/`new Set([...])` of literals).
  // With `resolve`, also a name bound to such a collection and never changed (constant_collection).
  bool is_literal_set(TSNode n, bool collection, bool resolve = true) const {
    if (ts_node_is_null(n)) return false;
    if (!collection) return !key_of(n) && fold(n).has_value();
    while (g_.kind(n) == Kind::wrapper && !ts_node_is_null(wrapped(n))) n = wrapped(n);
    if (g_.kind(n) == Kind::identifier) return resolve && constant_collection(n);
    const std::string_view type = ts_node_type(n);
    std::vector<TSNode> elements;
    if (type == "list" || type == "tuple" || type == "set" || type == "array") {
      elements = named_children(n);
    } else if (type == "dictionary") {  // Python: membership tests the keys
      for (TSNode pair : named_children(n)) {
        if (std::string_view(ts_node_type(pair)) != "pair") return false;
        elements.push_back(field(pair, f_.key));
      }
    } else if (type == "composite_literal") {  // Go: map[string]bool{"a": true}, []string{"a"}
      TSNode body = field(n, f_.body);
      if (ts_node_is_null(body)) return false;
      for (TSNode e : named_children(body)) {
        if (ts_node_is_extra(e)) continue;
        if (std::string_view(ts_node_type(e)) == "keyed_element") e = ts_node_named_child(e, 0);
        if (std::string_view(ts_node_type(e)) == "literal_element") e = ts_node_named_child(e, 0);
        elements.push_back(e);
      }
    } else if (g_.kind(n) == Kind::call) {
      std::string_view callee = text(n).substr(0, text(n).find('('));
      while (!callee.empty() && callee.back() == ' ') callee.remove_suffix(1);
      for (std::string_view prefix : {"java.util.", "Collections.unmodifiable"})
        if (callee.starts_with(prefix)) callee.remove_prefix(prefix.size());
      if (callee != "List.of" && callee != "Set.of" && callee != "Arrays.asList" && callee != "new Set" &&
          callee != "frozenset" && callee != "set")
        return false;
      TSNode args = field(n, f_.arguments);
      if (ts_node_is_null(args)) return false;
      elements = named_children(args);
      if (elements.size() == 1 && (callee == "new Set" || callee == "frozenset" || callee == "set"))
        return is_literal_set(elements[0], true);
    } else {
      return false;
    }
    if (elements.empty()) return false;
    for (TSNode e : elements)
      if (ts_node_is_null(e) || ts_node_is_extra(e) || !fold(e)) return false;
    return true;
  }

  // ---- constant collections: allowlists kept in a variable

  // How a name is bound in a region: how many times, whether once to a literal collection, and
  // whether something may add to it (`allowed.add(x)`, `allowed[k] = v`, `allowed |= ...`).
  struct NameBinding {
    unsigned count = 0;
    bool literal = false;
    bool changed = false;
  };
  using NameBindings = std::unordered_map<std::string, NameBinding>;

  // Whether identifier `id` names a collection of literals that nothing changes, so that
  // `x in ALLOWED`, `ALLOWED.contains(x)`, `allowed[x]` test x against constants. The nearest
  // function (then the ones around it) that binds the name decides; a parameter never qualifies.
  // Otherwise the file's top level does (Java: the class, fields and methods), where a name bound
  // once to a literal collection qualifies.
  // Limit: a module-level collection that a function changes (`ALLOWED.add(x)` inside some function)
  // is not seen; the other top-level statements are (the engine re-runs taint on the whole file
  // when one of them changes: taint_reads_top_level).
  bool constant_collection(TSNode id) const {
    const std::string name(text(id));
    for (TSNode fn = enclosing_function(id); !ts_node_is_null(fn); fn = enclosing_function(fn)) {
      for (const auto& key : parameter_keys(fn))
        if (key == name) return false;
      auto [it, fresh] = function_bindings_.try_emplace(fn.id);
      if (fresh) scan_bindings(field(fn, f_.body), it->second, false);
      if (auto b = it->second.find(name); b != it->second.end())
        return b->second.count == 1 && b->second.literal && !b->second.changed;
    }
    if (!file_bindings_) {
      file_bindings_.emplace();
      const TSNode root = ts_tree_root_node(id.tree);
      if (g_.family == Family::java) {
        scan_bindings(root, *file_bindings_, true);
      } else {
        for (TSNode statement : named_children(root))
          if (top_level_binding(statement)) scan_bindings(statement, *file_bindings_, false);
      }
    }
    auto b = file_bindings_->find(name);
    return b != file_bindings_->end() && b->second.count == 1 && b->second.literal && !b->second.changed;
  }

  // A top-level statement that may bind a name read elsewhere: not a function, class or import.
  bool top_level_binding(TSNode statement) const { return binds_for_other_statements(g_.family, ts_node_type(statement)); }

  // Records the bindings under `n` (iteratively: no recursion on deep code), into nested functions
  // only with `into_functions`.
  void scan_bindings(TSNode n, NameBindings& out, bool into_functions) const {
    if (ts_node_is_null(n)) return;
    static const std::unordered_set<std::string_view> kAdders = {
        "add", "append", "extend", "insert", "update", "put", "putAll", "putIfAbsent", "push", "unshift", "splice",
        "set", "setdefault", "addAll", "merge", "compute", "computeIfAbsent", "__setitem__", "__ior__"};
    match::ScopedCursor scoped_cursor(n);
    TSTreeCursor& cursor = scoped_cursor.get();
    unsigned depth = 0;
    for (;;) {
      const TSNode node = ts_tree_cursor_current_node(&cursor);
      const Kind k = g_.kind(node);
      bool descend = into_functions || k != Kind::function || depth == 0;
      if (k == Kind::assign || k == Kind::aug_assign || k == Kind::declarator || k == Kind::foreach ||
          k == Kind::range_clause || k == Kind::as_pattern) {
        record_binding(node, k, out);
      } else if (k == Kind::call) {
        TSNode receiver = call_receiver(node);
        if (!ts_node_is_null(receiver) && g_.kind(receiver) == Kind::identifier && kAdders.contains(call_name(node)))
          out[std::string(text(receiver))].changed = true;
      }
      if (descend && ts_tree_cursor_goto_first_child(&cursor)) {
        ++depth;
        continue;
      }
      while (depth > 0 && !ts_tree_cursor_goto_next_sibling(&cursor)) {
        ts_tree_cursor_goto_parent(&cursor);
        --depth;
      }
      if (depth == 0) break;
    }
  }

  void record_binding(TSNode node, Kind k, NameBindings& out) const {
    TSNode target, value;
    for (TSFieldId id : {f_.left, f_.name, f_.pattern, f_.alias, f_.declarator}) {
      if (id && !ts_node_is_null(target = field(node, id))) break;
    }
    for (TSFieldId id : {f_.right, f_.value}) {
      if (id && !ts_node_is_null(value = field(node, id))) break;
    }
    if (ts_node_is_null(target)) return;
    // Go writes `a := v` as lists on both sides.
    if (std::string_view(ts_node_type(target)) == "expression_list" && ts_node_named_child_count(target) == 1)
      target = ts_node_named_child(target, 0);
    if (!ts_node_is_null(value) && std::string_view(ts_node_type(value)) == "expression_list" &&
        ts_node_named_child_count(value) == 1)
      value = ts_node_named_child(value, 0);
    std::vector<TSNode> targets;
    collect_targets(target, targets);
    if (targets.empty() && g_.kind(target) == Kind::subscript) targets.push_back(target);
    const bool single_literal = (k == Kind::assign || k == Kind::declarator) && targets.size() == 1 &&
                                !ts_node_is_null(value) && is_literal_set(value, true, false);
    for (TSNode t : targets) {
      auto key = key_of(t);
      if (!key) continue;
      const std::string root = key->substr(0, key->find('.'));
      auto& b = out[root];
      if (g_.kind(t) != Kind::identifier) {
        b.changed = true;  // allowed[k] = v, allowed.x = v
        continue;
      }
      ++b.count;
      b.literal = single_literal;
    }
  }

  // Go: `if _, ok := allowed[x]; !ok { return }`: the initializer's `ok` tests membership.
  std::optional<std::pair<std::string, bool>> comma_ok_test(TSNode if_node, TSNode condition) const {
    TSNode init = field(if_node, f_.initializer);
    if (ts_node_is_null(init) || std::string_view(ts_node_type(init)) != "short_var_declaration") return std::nullopt;
    TSNode left = field(init, f_.left), right = field(init, f_.right);
    if (ts_node_is_null(left) || ts_node_is_null(right) || ts_node_named_child_count(left) != 2 ||
        ts_node_named_child_count(right) != 1)
      return std::nullopt;
    TSNode index = ts_node_named_child(right, 0);
    if (std::string_view(ts_node_type(index)) != "index_expression" || !is_literal_set(field(index, f_.operand), true))
      return std::nullopt;
    auto key = key_of(field(index, f_.index));
    if (!key) return std::nullopt;
    const std::string ok(text(ts_node_named_child(left, 1)));
    bool holds = true;
    while (std::string_view(ts_node_type(condition)) == "parenthesized_expression") condition = wrapped(condition);
    if (std::string_view(ts_node_type(condition)) == "unary_expression" && text(field(condition, f_.op)) == "!") {
      holds = false;
      condition = field(condition, f_.operand);
    }
    if (ts_node_is_null(condition) || text(condition) != ok) return std::nullopt;
    return std::make_pair(*key, holds);
  }

  // ---- branches

  void eval_if(TSNode n) {
    TSNode consequence = field(n, f_.consequence);
    const auto alternatives = fields(n, f_.alternative);
    TSNode condition = field(n, f_.condition);
    // Conditions and initializers run first, in order.
    for (TSNode c : named_children(n)) {
      if (ts_node_eq(c, consequence)) break;
      eval(c);
    }
    const auto known = fold(condition);
    const bool always = known && known->type == Constant::Type::boolean && known->i;
    const bool never = known && known->type == Constant::Type::boolean && !known->i;
    auto test = literal_test(condition);
    if (!test && g_.family == Family::go) test = comma_ok_test(n, condition);
    const Facts before = save();
    std::optional<Facts> merged;
    if (!never) {  // a constant false condition makes the consequence dead code
      if (test && test->second) kill(test->first);  // x is one of the literals in here
      if (!ts_node_is_null(consequence)) eval(consequence);
      if (!always_exits(consequence)) join_into(merged);
    }
    bool has_else = false, taken = always;
    for (TSNode alt : alternatives) {
      if (taken) break;  // after a constant true condition the alternatives are dead code
      restore(before);
      if (test && !test->second) kill(test->first);
      const Kind k = g_.kind(alt);
      // Python's elif is one more branch; every other alternative (else, else-if chains, Go and
      // Java's direct block) is taken whenever the others are not.
      if (g_.family != Family::python || k == Kind::else_clause) has_else = true;
      if (k != Kind::else_clause && g_.family == Family::python) {  // elif_clause
        TSNode c = field(alt, f_.condition);
        eval(c);
        auto v = fold(c);
        if (v && v->type == Constant::Type::boolean && !v->i) continue;
        TSNode body = field(alt, f_.consequence);
        eval(body);
        if (!always_exits(body)) join_into(merged);
        taken = v && v->type == Constant::Type::boolean && v->i;
        continue;
      }
      eval(alt);
      if (!always_exits(alt)) join_into(merged);
    }
    if (!has_else && !taken) {
      // The condition was false: past `if x not in ("a", "b"): return`, x is one of the literals.
      restore(before);
      if (test && !test->second) kill(test->first);
      join_into(merged);
    }
    if (merged) restore(*merged);
    else restore(before), state_.clear();  // every branch left: what follows is unreachable from here
  }

  void eval_loop(TSNode n) {
    // Constants and container models are not tracked through loops (a later round may change them).
    consts_.clear();
    containers_.clear();
    State entry = state_;
    for (int i = 0; i < kMaxLoopIterations; ++i) {
      state_ = entry;
      consts_.clear();
      containers_.clear();
      if (g_.kind(n) == Kind::foreach) eval_foreach_once(n);
      else eval_children(n);
      State next = entry;
      merge_into(next, state_);
      const bool stable = same_keys(next, entry);
      entry = std::move(next);
      if (stable || evals_ > kLoopBudget) break;
    }
    state_ = std::move(entry);
    consts_.clear();
    containers_.clear();
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

  // The values a case label compares with, and whether it is the default.
  std::vector<TSNode> case_values(TSNode c, bool& is_default) const {
    is_default = false;
    std::vector<TSNode> out;
    const std::string_view type = ts_node_type(c);
    if (type == "switch_default" || type == "default_case") {
      is_default = true;
      return out;
    }
    if (type == "switch_block_statement_group" || type == "switch_rule") {  // Java: switch_label children
      for (TSNode l : named_children(c)) {
        if (std::string_view(ts_node_type(l)) != "switch_label") continue;
        auto values = named_children(l);
        if (values.empty()) is_default = true;
        for (TSNode v : values) out.push_back(v);
      }
      return out;
    }
    if (type == "case_clause" && g_.family == Family::python) {
      // `case "a" | "b":` and `case _:` (case_pattern children).
      for (TSNode p : named_children(c)) {
        if (std::string_view(ts_node_type(p)) != "case_pattern") continue;
        if (text(p) == "_") is_default = true;
        TSNode lit = ts_node_named_child(p, 0);
        if (!ts_node_is_null(lit)) out.push_back(lit);
      }
      return out;
    }
    TSNode v = field(c, f_.value);
    if (ts_node_is_null(v)) {
      is_default = type == "case_statement";  // C `default:`
      return out;
    }
    if (std::string_view(ts_node_type(v)) == "expression_list") return named_children(v);
    out.push_back(v);
    return out;
  }

  // Does control fall from this case into the next one (C, C++, Java groups, JavaScript)?
  bool falls_through(TSNode c) const {
    if (g_.family == Family::python || g_.family == Family::go) return false;
    if (std::string_view(ts_node_type(c)) == "switch_rule") return false;
    auto children = named_children(c);
    while (!children.empty() && ts_node_is_extra(children.back())) children.pop_back();
    return children.empty() || !always_exits(children.back(), true);
  }

  TSNode first_field(TSNode n, std::initializer_list<TSFieldId> ids) const {
    for (TSFieldId id : ids) {
      TSNode c = field(n, id);
      if (!ts_node_is_null(c)) return c;
    }
    return TSNode{};
  }

  // Each case starts from the state before the switch; the result is their union (and the state
  // before, for when no case matches). On a constant subject only the matching case runs (and
  // those it falls through to).
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
    TSNode subject = first_field(n, {f_.condition, f_.value, f_.subject});
    if (auto known = fold(subject)) {
      std::optional<size_t> chosen, fallback;
      bool all_known = true;
      for (size_t i = 0; i < cases.size() && !chosen; ++i) {
        bool is_default = false;
        for (TSNode v : case_values(cases[i], is_default)) {
          auto cv = fold(v);
          if (!cv) all_known = false;
          else if (*cv == *known) chosen = i;
        }
        if (is_default && !fallback) fallback = i;
      }
      if (!chosen && all_known) chosen = fallback;
      if (chosen || all_known) {
        for (size_t i = chosen.value_or(cases.size()); i < cases.size(); ++i) {
          eval(cases[i]);
          if (!falls_through(cases[i])) break;
        }
        return;
      }
    }
    const Facts before = save();
    std::optional<Facts> merged = before;
    for (TSNode c : cases) {
      restore(before);
      eval(c);
      join_into(merged);
    }
    restore(*merged);
  }

  // Handlers start from the state after the body (a may-analysis: the body's taint may have
  // happened); finally blocks run after everything.
  void eval_try(TSNode n) {
    std::optional<State> after_body;
    State merged;
    bool handlers = false;
    for (TSNode c : named_children(n)) {
      if (g_.kind(c) == Kind::handler) {
        if (!after_body) after_body = state_, merged = state_;
        state_ = *after_body;
        // A handler may start anywhere in the body: no constant or model survives into it.
        consts_.clear();
        containers_.clear();
        handlers = true;
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
    if (handlers) consts_.clear(), containers_.clear();
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

  bool is_callback(TSNode fn) const {
    TSNode parent = ts_node_parent(fn);
    if (ts_node_is_null(parent)) return false;
    const std::string_view pt = ts_node_type(parent);
    return pt == "arguments" || pt == "argument_list" || pt == "argument";
  }

  // For a callback passed to a call (through any number of enclosing callbacks), the function whose
  // parameters it captures: the nearest enclosing one that is not itself a callback, when the
  // parameters of that one are sources (a named helper, not a test). Null otherwise.
  TSNode capturing_function(TSNode scope) const {
    if (!is_callback(scope)) return TSNode{};
    TSNode f = enclosing_function(scope);
    while (!ts_node_is_null(f) && is_callback(f)) f = enclosing_function(f);
    if (ts_node_is_null(f) || (!taint_parameters_ && !policy_applies(f))) return TSNode{};
    return f;
  }

  // Each name a function's parameters bind (destructuring included), with the parameter it is in.
  struct ParameterTarget {
    TSNode node;
    TSNode param;
  };
  std::vector<ParameterTarget> parameter_targets(TSNode fn) const {
    std::vector<ParameterTarget> out;
    TSNode params = parameters_of(fn);
    if (ts_node_is_null(params)) return out;
    if (g_.kind(params) == Kind::identifier) {
      out.push_back({params, params});
      return out;
    }
    std::vector<TSNode> found;
    for (TSNode p : named_children(params)) {
      found.clear();
      collect_targets(p, found);
      for (TSNode t : found) out.push_back({t, p});
    }
    return out;
  }

  std::vector<std::string> parameter_keys(TSNode fn) const {
    std::vector<std::string> keys;
    for (const auto& t : parameter_targets(fn))
      if (auto key = key_of(t.node)) keys.push_back(*key);
    return keys;
  }

  // Does the analysis policy make this function's parameters sources? Named functions and methods
  // (and functions stored in a variable or exported): an assistant's helper is called from anywhere.
  // Not callbacks passed to a call (`xs.map(x => ...)`, whose parameters come from the callee), nor
  // tests (called by the test runner with their own fixtures).
  bool policy_applies(TSNode fn) const {
    if (is_callback(fn)) return false;
    TSNode name = field(fn, f_.name);
    if (ts_node_is_null(name)) {
      // C/C++: the declarator's identifier.
      for (TSNode d = field(fn, f_.declarator); !ts_node_is_null(d); d = field(d, f_.declarator))
        if (g_.kind(d) == Kind::identifier || std::string_view(ts_node_type(d)) == "field_identifier") name = d;
    }
    if (!ts_node_is_null(name)) {
      const std::string_view n = text(name);
      if (n.starts_with("test_") || n.starts_with("Test") || n.starts_with("Benchmark") || n.starts_with("Fuzz") ||
          n == "main" || n == "setUp" || n == "tearDown")
        return false;
    }
    return true;
  }

  static void trim(std::string& x) {
    while (!x.empty() && std::isspace(static_cast<unsigned char>(x.back()))) x.pop_back();
    size_t i = 0;
    while (i < x.size() && std::isspace(static_cast<unsigned char>(x[i]))) ++i;
    x.erase(0, i);
  }

  // A written type without pointers, references, annotations' colons and qualifiers.
  static std::string normalized_type(std::string_view type) {
    std::string t;
    for (char c : type)
      if (c != '*' && c != '&' && c != '?' && c != ':' && c != '\n') t += c;
    trim(t);
    for (const char* q : {"const ", "volatile ", "final ", "struct ", "enum ", "readonly "})
      while (t.starts_with(q)) t.erase(0, std::strlen(q)), trim(t);
    return t;
  }

  // Is this written type a number, a boolean, a duration or a date, which cannot carry text into a
  // sink? `char *`, `char[]`, `[]byte`, `byte[]` are strings; `int *` and `[]int` are still numbers.
  static bool scalar_type(std::string_view type) {
    static const RE2 skip_type(
        "(?i)^(u?int\\d*(_t)?|long( long)?( int)?|unsigned( \\w+)*|signed( \\w+)*|short|byte|s?size_t|off_t|"
        "pid_t|uid_t|gid_t|mode_t|time_t|dev_t|ino_t|socklen_t|in_port_t|"
        "ssize_t|u?intptr(_t)?|float\\d*|double|long double|bool|boolean|number|bigint|integer|biginteger|"
        "bigdecimal|complex\\d*|rune|uint|char|wchar_t|time\\.duration|duration|timedelta|datetime|date|time\\.time|"
        "optional\\[(int|float|bool)\\]|(int|float|bool) \\| none|none)$");
    const std::string t = normalized_type(type);
    if (t.empty()) return false;
    const bool pointer_or_array = type.find('*') != std::string_view::npos || type.find('[') != std::string_view::npos;
    const bool text_like = t == "char" || t == "wchar_t" || t == "byte" || t == "uint8" || t.find("[]byte") != std::string::npos;
    return !(pointer_or_array && text_like) && RE2::FullMatch(t, skip_type);
  }

  // Can this parameter carry attacker data, judging by its name, type and default value? Numbers,
  // booleans, enums and durations, handles (db, connection, cursor, session, client), contexts,
  // loggers, configuration objects, writers and callbacks cannot (in any way a sink cares about).
  bool parameter_carries_data(std::string_view name, std::string_view type, std::string_view default_value) const {
    static const RE2 skip_name(
        "(?i)^_*(self|cls|this|ctx|context|conn|connection|db|database|cursor|cur|session|sess|engine|client|pool|"
        "tx|txn|transaction|logger|log|config|cfg|conf|settings|options|opts|app|request|req|res|resp|response|"
        "w|writer|next|done|callback|cb|fn|func|handler|t|b|tb|mu|lock|wg|verbose|debug|force|dry_?run|"
        "enabled?|limit|offset|count|port|timeout|size|page|page_?size|per_?page|retries|n|i|j|k|idx|index)$");
    // Booleans and counts by their name's shape: is_admin, hasAccess, max_len, numRetries, item_count.
    static const RE2 skip_name_shape(
        "^(is|has|use|should|allow|enable|can)(_[a-z0-9_]+|[A-Z]\\w*)$|^(max|min|num)(_\\w+|[A-Z]\\w*)$|"
        "^\\w+(_count|Count|_size|Size|_len|Len|_limit|Limit|_timeout|Timeout)$|"
        // A base the helper works under (`readFile(base, name)`: the name is the input).
        "^(base|root)(_?[A-Za-z]\\w*)?$|^\\w+(_dir|Dir|_root|Root|_base|Base)$");
    // The last identifier of a type (`*sql.DB` -> DB, `java.sql.Connection` -> Connection,
    // `std::shared_ptr<Logger>` -> Logger).
    static const RE2 skip_type_name(
        "(?i)^(db|tx|conn|connection|cursor|session|engine|datasource|jdbctemplate|entitymanager|context|ctx|"
        "request|httpservletrequest|servletrequest|"
        "logger|log|config|configuration|settings|options|properties|responsewriter|httpservletresponse|"
        "response|writer|printwriter|outputstream|ostream|client|pool|lock|mutex|rwmutex|waitgroup|t|b|f|"
        "testing|callable|runnable|consumer|supplier|function|bifunction|predicate|model|modelmap|principal|"
        "authentication|locale|clock|random|securerandom|\\w*(enum|kind|mode|level|status|flag|flags|"
        "callback|listener|handler|func|fn|service|repository|repo|dao|manager|factory))$");
    const re2::StringPiece name_piece(name.data(), name.size());
    if (RE2::FullMatch(name_piece, skip_name) || RE2::FullMatch(name_piece, skip_name_shape)) return false;
    std::string t = normalized_type(type);
    if (!t.empty()) {
      if (scalar_type(type)) return false;
      if (t.starts_with("func(") || t.starts_with("func (") || t.find("=>") != std::string::npos) return false;
      std::string last = t.substr(0, t.find('<'));
      if (auto dot = last.find_last_of(".:"); dot != std::string::npos) last = last.substr(dot + 1);
      // The type argument of a smart pointer or Optional names the thing itself.
      if (auto lt = t.find('<'); lt != std::string::npos && (last == "shared_ptr" || last == "unique_ptr" || last == "Optional")) {
        last = t.substr(lt + 1);
        last = last.substr(0, last.find_first_of(">,"));
        if (auto dot = last.find_last_of(".:"); dot != std::string::npos) last = last.substr(dot + 1);
      }
      trim(last);
      if (RE2::FullMatch(last, skip_type_name)) return false;
    }
    // A default value that is a number, a boolean or None says what the parameter holds.
    std::string d(default_value);
    trim(d);
    static const RE2 scalar_default("(?i)^(-?[0-9][0-9_.xa-f]*|true|false|none|null|nil|undefined)$");
    if (!d.empty() && RE2::FullMatch(d, scalar_default)) return false;
    return true;
  }

  // The type and default value written on one parameter node (empty when absent).
  std::pair<std::string_view, std::string_view> parameter_type_and_default(TSNode p) const {
    std::string_view type, value;
    if (TSNode t = field(p, f_.type); !ts_node_is_null(t)) type = text(t);
    for (TSFieldId id : {f_.value, f_.right, f_.default_value})
      if (TSNode v = field(p, id); !ts_node_is_null(v)) {
        value = text(v);
        break;
      }
    // TypeScript writes `x: number = 5` as required_parameter/optional_parameter with a type
    // annotation; Java's formal_parameter and C's parameter_declaration have `type` already.
    return {type, value};
  }

  // The first step of a path: where tainted data enters.
  static std::shared_ptr<TraceNode> source_root(TSNode n, std::string source_text, std::string label) {
    auto root = std::make_shared<TraceNode>();
    root->start_byte = ts_node_start_byte(n);
    root->end_byte = ts_node_end_byte(n);
    root->start = ts_node_start_point(n);
    root->end = ts_node_end_point(n);
    root->source_text = std::move(source_text);
    root->source = n;
    root->label = std::move(label);
    return root;
  }

  // A source that matches a parameter's own declaration (a framework-bound parameter,
  // `@RequestParam String tool`, or a route's `<name>`) taints the variable on entry. Its uses then
  // follow the variable, reassigned or checked against an allowlist, instead of each being a source
  // again: a guard clears it as it clears any tainted variable.
  void taint_declared_parameters(TSNode fn) {
    declared_sources_.clear();
    for (const auto& target : parameter_targets(fn)) {
      const TSNode t = target.node;
      const auto hit = hits_.find(node_key(t));
      if (hit == hits_.end()) continue;
      const bool source = std::any_of(hit->second.sources.begin(), hit->second.sources.end(),
                                      [&](const auto& s) { return spec_.sources[s.index].focus.empty(); });
      auto key = key_of(t);
      if (!source || !key) continue;
      auto root = source_root(t, *key, "source: " + shorten(text(t)));
      state_[*key] = root;
      declared_sources_.insert(*key);
    }
  }

  // `implicit`: the analysis policy (not the rule) makes the parameters sources; only those whose
  // name, type and default value allow attacker data are, and the paths say so.
  void taint_parameters(TSNode fn, bool implicit) {
    for (const auto& [t, param] : parameter_targets(fn)) {
      auto key = key_of(t);
      if (!key) continue;
      if (g_.family == Family::python && (*key == "self" || *key == "cls")) continue;
      {
        auto [type, value] = parameter_type_and_default(param);
        // C/C++ declarators: the type is what precedes the name (`const char *dir`).
        std::string c_type;
        if ((g_.family == Family::c || g_.family == Family::cpp) && !ts_node_is_null(param)) {
          const auto whole = text(param);
          const uint32_t offset = ts_node_start_byte(t) - ts_node_start_byte(param);
          if (offset <= whole.size()) c_type = std::string(whole.substr(0, offset));
          const auto rest = whole.substr(std::min<size_t>(whole.size(), offset + text(t).size()));
          if (rest.find('[') != std::string_view::npos) c_type += "[]";
          type = c_type;
        }
        // Go: `a, b string` shares one type; a variadic `args ...string` is data. A rule that
        // makes every parameter a source still leaves out one typed as a single number or boolean
        // (`kill(pid: number)`); a variadic or rest parameter is a list, and stays.
        const std::string_view pt = ts_node_is_null(param) ? std::string_view{} : ts_node_type(param);
        const bool list = pt.find("variadic") != std::string_view::npos || pt.find("spread") != std::string_view::npos ||
                          pt.find("rest") != std::string_view::npos;
        if (implicit ? !parameter_carries_data(*key, type, value) : (!list && scalar_type(type))) continue;
      }
      auto root = source_root(t, *key, "source: parameter " + *key);
      root->implicit = implicit;
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
  bool root_scope_ = false;         // the current scope is the file's top level
  std::shared_ptr<const SpecIndex> index_;  // initialised before the references into it below
  const std::vector<std::optional<Prepared>>& sources_ = index_->sources;
  const std::vector<Prepared>& sinks_ = index_->sinks;
  const std::vector<Prepared>& sanitizers_ = index_->sanitizers;
  const std::vector<Prepared>& propagators_ = index_->propagators;
  const ByKind& sink_kinds_ = index_->sink_kinds;
  const ByKind& sanitizer_kinds_ = index_->sanitizer_kinds;
  const ByKind& source_kinds_ = index_->source_kinds;
  const ByKind& propagator_kinds_ = index_->propagator_kinds;
  std::vector<uint32_t> offered_;  // ByKind::offer's scratch

  std::unordered_map<const void*, Hits> hits_;
  std::unordered_map<const void*, Taint> memo_;
  State state_;
  Constants consts_;        // variables holding a known constant
  Containers containers_;   // lists and maps modelled element by element
  bool policy_parameters_ = false;  // TaintOptions::parameters, unless the rule says `parameters: false`
  bool direct_parameters_ = false;  // `parameters: direct`: unchanged policy parameters count
  std::set<std::string> declared_sources_;  // parameters tainted by a source at their declaration
  std::set<std::pair<uint32_t, uint32_t>> reported_;
  std::vector<TaintFinding> findings_;
  // constant_collection's scans, made on first use.
  mutable std::unordered_map<const void*, NameBindings> function_bindings_;
  mutable std::optional<NameBindings> file_bindings_;
};

}  // namespace

std::vector<std::vector<TaintFinding>> find_taint(const std::vector<const TaintSpec*>& specs, const MatchInput& in,
                                                  TSNode root, std::optional<std::pair<uint32_t, uint32_t>> range,
                                                  const TaintOptions& options) {
  std::vector<std::vector<TaintFinding>> out(specs.size());
  if (!in.language || ts_node_is_null(root)) return out;
  const WideChildrenCache wide_children;  // the caller's tree lives throughout
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
    analyzers[i] = std::make_unique<Analyzer>(*specs[i], walk_in, *g, options);
    active.push_back(analyzers[i].get());
  }
  if (active.empty()) return out;
  const CalleeKinds& calls = CalleeKinds::of(*in.language);
  auto intersects = [&](uint32_t s, uint32_t e) {
    return !range || (s < range->second && e > range->first) || (s == e && s >= range->first && s <= range->second);
  };
  // Without the top level (TaintOptions::top_level), only the functions in the range are analyzed:
  // top-level statements outside it hold none, and code outside functions is not matched.
  const bool top_level = !range || options.top_level;

  // Walks of the tree number the scopes (in the same order each time) and give the matchers the
  // path from the root (parents without ts_node_parent's descent from the root). A function outside
  // the range is not entered. Scope 0 is the file's top level.
  // `last[s]`: the last scope number within scope s (its nested functions follow it in pre-order).
  std::vector<TSNode> scopes;
  // Without the top level, the root's children outside the range are neither entered nor matched:
  // the walk starts at the first one ending at or after the range's start (stepped to by the
  // children's sizes) and ends at the first one starting after its end. Stepping through the 4,000
  // top-level statements of an 8k-line JavaScript file cost ~2 M instructions a keystroke.
  const bool bounded = range && !top_level;
  std::vector<size_t> last;
  // `enter_scope(s)` false: the function that is scope s is not entered; its scopes (s to last[s]
  // of an earlier walk, `earlier`) keep their numbers.
  struct Numbering {
    std::vector<TSNode> scopes;
    std::vector<size_t> last;
  };
  auto walk = [&](const auto& visit, const auto& enter_scope, const Numbering* earlier) {
    scopes.assign(1, root);
    last.assign(1, 0);
    std::vector<std::pair<uint32_t, size_t>> open = {{0, 0}};  // (depth, scope) of the enclosing scopes
    path.assign(1, root);
    match::ScopedCursor scoped_cursor(root);
    TSTreeCursor& cursor = scoped_cursor.get();
    for (;;) {
      const uint32_t depth = static_cast<uint32_t>(path.size() - 1);
      TSNode n = path.back();
      if (bounded && depth == 1 && ts_node_start_byte(n) > range->second) break;  // so do the later ones
      bool enter = true;
      if (depth > 0 && g->kind(n) == Kind::function) {
        if (!intersects(ts_node_start_byte(n), ts_node_end_byte(n))) {
          enter = false;
        } else if (const size_t s = scopes.size(); !enter_scope(s)) {
          enter = false;
          scopes.insert(scopes.end(), earlier->scopes.begin() + static_cast<std::ptrdiff_t>(s),
                        earlier->scopes.begin() + static_cast<std::ptrdiff_t>(earlier->last[s]) + 1);
          last.insert(last.end(), earlier->last.begin() + static_cast<std::ptrdiff_t>(s),
                      earlier->last.begin() + static_cast<std::ptrdiff_t>(earlier->last[s]) + 1);
        } else {
          open.emplace_back(depth, s);
          scopes.push_back(n);
          last.push_back(s);
        }
      } else if (!top_level && open.back().second == 0) {
        // Code of the top level: not matched; a top-level statement outside the range not entered.
        if (depth == 1 && !intersects(ts_node_start_byte(n), ts_node_end_byte(n))) enter = false;
      } else if (ts_node_is_named(n)) {
        visit(n, ts_node_symbol(n), open.back().second);
      }
      if (enter && (bounded && depth == 0 && range->first > 0 ? ts_tree_cursor_goto_first_child_for_byte(&cursor, range->first - 1) >= 0
                                                              : ts_tree_cursor_goto_first_child(&cursor))) {
        path.push_back(ts_tree_cursor_current_node(&cursor));
        continue;
      }
      bool moved = false;
      while (!moved) {
        // Leaving a function node (moving to its sibling or up) closes its scope.
        while (open.size() > 1 && open.back().first >= path.size() - 1) {
          last[open.back().second] = scopes.size() - 1;
          open.pop_back();
        }
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
    for (const auto& [depth, scope] : open) last[scope] = scopes.size() - 1;
  };
  // Sinks first, on every node; the other items only in scopes with a sink, the only ones analyzed:
  // the second walk enters only the functions holding such a scope, and none when there is none.
  const auto every_scope = [](size_t) { return true; };
  walk([&](TSNode n, TSSymbol sym, size_t scope) {
    budget::checkpoint();
    const LazyKey key(walk_in, n, calls);
    for (Analyzer* a : active) a->match_sinks(n, sym, scope, key);
  }, every_scope, nullptr);
  // with_sink[s]: scopes numbered below s with a sink for some rule.
  std::vector<size_t> with_sink(scopes.size() + 1, 0);
  for (size_t s = 0; s < scopes.size(); ++s)
    with_sink[s + 1] = with_sink[s] + (std::any_of(active.begin(), active.end(), [&](const Analyzer* a) { return a->scope_has_sink(s); }) ? 1 : 0);
  if (with_sink.back() > 0) {
    const Numbering first{scopes, last};
    walk([&](TSNode n, TSSymbol sym, size_t scope) {
      budget::checkpoint();
      const LazyKey key(walk_in, n, calls);
      for (Analyzer* a : active)
        if (a->scope_has_sink(scope)) a->match_node(n, sym, scope, key);
    }, [&](size_t s) { return with_sink[first.last[s] + 1] > with_sink[s]; }, &first);
  }

  for (size_t i = 0; i < specs.size(); ++i) {
    Analyzer* a = analyzers[i].get();
    if (!a) continue;
    for (size_t s = top_level ? 0 : 1; s < scopes.size(); ++s) {
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
                                     std::optional<std::pair<uint32_t, uint32_t>> range, const TaintOptions& options) {
  return std::move(find_taint(std::vector<const TaintSpec*>{&spec}, in, root, range, options).front());
}

TSNode enclosing_taint_scope(const grammars::Language& lang, TSNode node) {
  const Grammar* g = grammar_for(lang);
  if (!g) return TSNode{};
  for (TSNode p = node; !ts_node_is_null(p); p = ts_node_parent(p))
    if (g->kind(p) == Kind::function) return p;
  return TSNode{};
}

namespace {

// What the analysis of the file's top level sees of `statement`: its nodes outside functions in
// pre-order, each as its symbol (and a leaf's text), a function as one opaque token, comments
// left out. `outside` collects those nodes.
void top_level_view(const Grammar& g, const MatchInput& in, TSNode statement, std::string& out,
                    std::vector<std::pair<TSNode, TSNode>>& outside) {
  match::ScopedCursor scoped_cursor(statement);
  TSTreeCursor& cursor = scoped_cursor.get();
  for (;;) {
    const TSNode n = ts_tree_cursor_current_node(&cursor);
    bool enter = false;
    if (ts_node_is_extra(n) && !ts_node_is_error(n)) {
      // a comment
    } else if (g.kind(n) == Kind::function) {
      out += "\x01f";
    } else {
      const TSSymbol sym = ts_node_symbol(n);
      out += '\x02';
      out.append(reinterpret_cast<const char*>(&sym), sizeof sym);
      if (ts_node_child_count(n) == 0) out += in.node_text(n), out += '\x03';
      outside.emplace_back(statement, n);
      enter = true;
    }
    if (enter && ts_tree_cursor_goto_first_child(&cursor)) continue;
    if (enter) out += '\x04';  // a leaf closes
    bool moved = false;
    while (!(moved = ts_tree_cursor_goto_next_sibling(&cursor))) {
      if (!ts_tree_cursor_goto_parent(&cursor)) break;
      out += '\x04';  // the parent closes
    }
    if (!moved) break;
  }
}

// Whether a matcher of `specs` matches one of `nodes` (each with its top-level statement, or a
// null node for the root itself; under `root`, whose tree `in` reads).
bool any_taint_hit(const std::vector<const TaintSpec*>& specs, const MatchInput& in, const Grammar& g, TSNode root,
                   const std::vector<std::pair<TSNode, TSNode>>& nodes, const TaintOptions& options) {
  std::vector<TSNode> path;
  MatchInput walk_in = in;
  walk_in.path = &path;
  std::vector<std::unique_ptr<Analyzer>> analyzers;
  for (const TaintSpec* spec : specs) analyzers.push_back(std::make_unique<Analyzer>(*spec, walk_in, g, options));
  const CalleeKinds& calls = CalleeKinds::of(*in.language);
  for (const auto& [statement, n] : nodes) {
    // The matchers see the path from the root (found from the statement down: the root may have
    // thousands of children).
    path.assign(1, root);
    if (!ts_node_is_null(statement) && !ts_node_eq(statement, root)) path.push_back(statement);
    while (!ts_node_eq(path.back(), n)) {
      TSNode next = ts_node_child_with_descendant(path.back(), n);
      if (ts_node_is_null(next)) break;
      path.push_back(next);
    }
    if (!ts_node_eq(path.back(), n)) return true;  // not found: assume the worst
    for (auto& a : analyzers) {
      budget::checkpoint();
      const LazyKey key(walk_in, n, calls);
      a->match_sinks(n, ts_node_symbol(n), 0, key);
      a->match_node(n, ts_node_symbol(n), 0, key);
      if (a->has_hits()) return true;
    }
  }
  return false;
}

}  // namespace

bool same_top_level(const std::vector<const TaintSpec*>& specs, const MatchInput& before_in, TSNode before_root,
                    const std::vector<TSNode>& before_statements, const MatchInput& after_in, TSNode after_root,
                    const std::vector<TSNode>& after_statements, const TaintOptions& options) {
  if (!before_in.language || before_in.language != after_in.language) return false;
  const Grammar* g = grammar_for(*after_in.language);
  if (!g) return false;
  const WideChildrenCache wide_children;  // the callers' trees live throughout
  std::string before_view, after_view;
  std::vector<std::pair<TSNode, TSNode>> before_nodes, after_nodes;  // (statement, node)
  for (TSNode s : before_statements) top_level_view(*g, before_in, s, before_view, before_nodes);
  for (TSNode s : after_statements) top_level_view(*g, after_in, s, after_view, after_nodes);
  if (before_view != after_view) return false;
  // The roots too: a match there may read any statement.
  before_nodes.emplace_back(TSNode{}, before_root);
  after_nodes.emplace_back(TSNode{}, after_root);
  return !any_taint_hit(specs, before_in, *g, before_root, before_nodes, options) &&
         !any_taint_hit(specs, after_in, *g, after_root, after_nodes, options);
}

bool taint_reads_top_level(const grammars::Language& lang, TSSymbol symbol) {
  const auto family = family_of(lang.id);
  return family && binds_for_other_statements(*family, ts_language_symbol_name(lang.ts_language(), symbol));
}

}  // namespace vigil::match
