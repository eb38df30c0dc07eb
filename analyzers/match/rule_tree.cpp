#include "analyzers/match/rule_tree.hpp"
#include "vigil/grammars/symbols.hpp"
#include "analyzers/match/cursor.hpp"
#include "analyzers/match/imports.hpp"
#include "analyzers/match/regex_cache.hpp"
#include "analyzers/match/yaml_lookup.hpp"
#include "analyzers/budget.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>

namespace vigil::match {

namespace {
std::atomic<size_t> util_slots{0};

// Util rules recursing through relational rules (`matches` inside `inside`, `precedes`, ...) nest
// at most this deep: twice the deepest tree analysed, which a stack of vigil's threads holds.
// Deeper recursion (along a chain of siblings) is cut short, and the file reported as one whose
// budget ran out.
constexpr unsigned kMaxUtilRecursion = 2 * budget::kMaxNesting;
}  // namespace

size_t live_util_slots() { return util_slots.load(); }

struct UtilSlot {
  UtilSlot() { ++util_slots; }
  ~UtilSlot() { --util_slots; }
  UtilSlot(const UtilSlot&) = delete;
  UtilSlot& operator=(const UtilSlot&) = delete;
  std::string id;
  std::unique_ptr<RuleNode> local;         // a local util: a bare rule
  std::unique_ptr<RuleMatcher> global;     // a global util: a rule core (with its constraints)
  bool subtree_local = true;
  bool statement_local = true;
  bool root_test = false;
  std::set<TSSymbol> root_kinds;
  std::vector<std::string> words;
  std::vector<std::vector<std::string>> clauses;
  bool compiled = false;
};

namespace {

// ---- tree navigation, as ast-grep's Node does it ----

std::optional<TSNode> parent_of(const MatchInput& in, TSNode n) {
  if (in.path && !in.path->empty()) {
    const auto& path = *in.path;
    for (size_t i = path.size(); i-- > 1;)
      if (ts_node_eq(path[i], n)) {
        if (i == 1 && in.escaped) *in.escaped = true;
        return path[i - 1];
      }
  }
  TSNode p = ts_node_parent(n);
  if (ts_node_is_null(p)) return std::nullopt;
  if (in.escaped && in.path && !in.path->empty() && ts_node_eq(p, in.path->front())) *in.escaped = true;
  return p;
}

// The next or previous sibling (named or not), as ts_node_next_sibling, noting an escape to the
// top level.
std::optional<TSNode> neighbor_of(const MatchInput& in, TSNode n, bool next) {
  if (in.escaped) parent_of(in, n);
  TSNode s = next ? ts_node_next_sibling(n) : ts_node_prev_sibling(n);
  if (ts_node_is_null(s)) return std::nullopt;
  return s;
}

// Siblings of `node` before it (nearest first) or after it (nearest first).
void siblings(const MatchInput& in, TSNode node, bool after, std::vector<TSNode>& out) {
  out.clear();
  auto parent = parent_of(in, node);
  if (!parent) return;
  const auto shared = shared_children_of(*parent);
  const std::vector<TSNode>& kids = *shared;
  size_t i = 0;
  while (i < kids.size() && !ts_node_eq(kids[i], node)) ++i;
  if (i == kids.size()) return;
  if (after) {
    for (size_t j = i + 1; j < kids.size(); ++j) out.push_back(kids[j]);
  } else {
    for (size_t j = i; j-- > 0;) out.push_back(kids[j]);
  }
}

// Pre-order descendants of `node`, itself first when `include_self`; stops when `visit` says so.
bool dfs(TSNode node, bool include_self, const std::function<bool(TSNode)>& visit) {
  match::ScopedCursor scoped_cursor(node);
  TSTreeCursor& cursor = scoped_cursor.get();
  bool found = false;
  if (include_self && visit(node)) found = true;
  if (!found && ts_tree_cursor_goto_first_child(&cursor)) {
    for (;;) {
      if (visit(ts_tree_cursor_current_node(&cursor))) {
        found = true;
        break;
      }
      if (ts_tree_cursor_goto_first_child(&cursor)) continue;
      bool next = false;
      while (!(next = ts_tree_cursor_goto_next_sibling(&cursor))) {
        if (!ts_tree_cursor_goto_parent(&cursor)) break;
        if (ts_node_eq(ts_tree_cursor_current_node(&cursor), node)) break;
      }
      if (!next) break;
    }
  }
  return found;
}

KindSet intersect_all(const std::vector<KindSet>& sets) {
  KindSet out = KindSet::all();
  for (const auto& s : sets) {
    if (s.any) continue;
    if (out.any) {
      out = s;
    } else {
      std::set<TSSymbol> both;
      std::set_intersection(out.kinds.begin(), out.kinds.end(), s.kinds.begin(), s.kinds.end(),
                            std::inserter(both, both.begin()));
      out.kinds = std::move(both);
    }
  }
  return out;
}

bool contains(const KindSet& k, TSSymbol s) { return k.any || k.kinds.contains(s); }

// Rewrites \s and \S (outside a class) as classes of `space`, and with `word`, \w and \W (outside a
// class) as classes of `word`, \d and \D as \p{Nd} and \P{Nd}. Everything else is kept as written.
std::string rewrite_classes(std::string_view re, const char* word, const char* space) {
  std::string out;
  bool in_class = false;
  for (size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\' && i + 1 < re.size()) {
      const char e = re[i + 1];
      ++i;
      const char* members = e == 's' || e == 'S' ? space : (e == 'w' || e == 'W') ? word : nullptr;
      if (word && e == 'd') {
        out += "\\p{Nd}";
        continue;
      }
      if (word && e == 'D') {
        out += "\\P{Nd}";
        continue;
      }
      if (members && (e == 's' || e == 'w')) {
        out += in_class ? std::string(members) : "[" + std::string(members) + "]";
        continue;
      }
      if (members && !in_class) {  // \S, \W: a negated class (inside a class they stay as written)
        out += "[^" + std::string(members) + "]";
        continue;
      }
      out += '\\';
      out += e;
      continue;
    }
    if (c == '[' && !in_class) in_class = true;
    else if (c == ']' && in_class && !(out.size() && (out.back() == '[' || out.ends_with("[^")))) in_class = false;
    out += c;
  }
  return out;
}

// Rust's regex (ast-grep) makes \d, \w and \s Unicode-aware; RE2's are ASCII. Rewrites them (and
// their negations) as Unicode classes. \b stays ASCII: RE2 has no Unicode word boundary.
std::string unicode_classes(std::string_view re) {
  return rewrite_classes(re, "\\p{L}\\p{M}\\p{Nd}\\p{Pc}", "\\t\\n\\v\\f\\r \\x{85}\\p{Z}");
}

// The same regex for texts of ASCII bytes only (Regex's ASCII form), or nothing when the regex is
// not itself ASCII. There, the Unicode classes above match what RE2's ASCII \d, \w, \W and \D do;
// only \s differs (RE2's lacks \v), and its negation.
std::string ascii_classes(std::string_view re) {
  if (std::any_of(re.begin(), re.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) return {};
  return rewrite_classes(re, nullptr, "\\t\\n\\v\\f\\r ");
}

// ---- rule nodes ----

// Pattern::compile() (`selector` empty) or compile_contextual(), shared with every live rule that
// wrote the same pattern for the same language: rule files repeat patterns (taint sources such as
// `recv($FD, $BUF, $N, $FLAGS)` in a dozen C rules), and each parse costs a tree-sitter error
// recovery (about 400 K instructions for a C++ call without its `;`). Thread-safe; an entry lives
// as long as some rule holds it.
std::shared_ptr<const Pattern> shared_pattern(std::string_view text, std::string_view selector, const grammars::Language& lang,
                                              Strictness strictness = Strictness::smart) {
  using Key = std::tuple<const grammars::Language*, std::string, std::string, Strictness>;
  static std::mutex mutex;
  static std::map<Key, std::weak_ptr<const Pattern>> cache;
  Key key{&lang, std::string(text), std::string(selector), strictness};
  {
    std::lock_guard lock(mutex);
    if (auto it = cache.find(key); it != cache.end()) {
      if (auto live = it->second.lock()) return live;
      cache.erase(it);
    }
  }
  // Compiled outside the lock (a PatternError propagates and nothing is cached).
  auto made = std::make_shared<const Pattern>(selector.empty() ? Pattern::compile(text, lang, strictness)
                                                               : Pattern::compile_contextual(text, selector, lang, strictness));
  std::lock_guard lock(mutex);
  auto& slot = cache[std::move(key)];
  if (auto live = slot.lock()) return live;  // another thread compiled it meanwhile
  slot = made;
  // Expired entries go when the map has doubled since the last sweep: the map stays within twice
  // the live patterns.
  static size_t swept_at = 64;
  if (cache.size() > 2 * swept_at) {
    std::erase_if(cache, [](const auto& kv) { return kv.second.expired(); });
    swept_at = std::max<size_t>(64, cache.size());
  }
  return made;
}

// ---- callee keys (CalleeKey, CalleeNames) ----

bool name_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}
bool name_only(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), name_char); }

constexpr TSSymbol kErrorKind = 65535;  // tree-sitter's builtin ERROR symbol

// The key a callee matched by `goal` (a pattern's callee) has: its text when it is a name, or the
// name that ends a member chain (`cp.exec`, `a->b`, `std::system`: the last child of these kinds
// is the member's name, which the pattern's last child matches).
std::optional<std::string> goal_name(const PatternNode& goal, const TSLanguage* lang) {
  if (goal.kind == kErrorKind) return std::nullopt;
  if (goal.type == PatternNode::Type::terminal) {
    if (goal.is_named && name_only(goal.text)) return goal.text;
    return std::nullopt;
  }
  if (goal.type != PatternNode::Type::internal || goal.children.empty()) return std::nullopt;
  static const std::set<std::string_view> members = {"member_expression", "attribute",           "selector_expression",
                                                     "field_expression",  "scoped_identifier",   "qualified_identifier",
                                                     "field_access",      "nested_identifier",   "scoped_type_identifier"};
  if (!members.contains(ts_language_symbol_name(lang, goal.kind))) return std::nullopt;
  for (const auto& c : goal.children)
    if (c.is_ellipsis()) return std::nullopt;
  const PatternNode& last = goal.children.back();
  if (last.type == PatternNode::Type::terminal && last.is_named && last.kind != kErrorKind && name_only(last.text))
    return last.text;
  return std::nullopt;
}

// The most selective of several conditions that all hold.
std::optional<CalleeNames> narrowest(std::vector<std::optional<CalleeNames>> all) {
  std::optional<CalleeNames> best;
  for (auto& c : all) {
    if (!c) continue;
    auto rank = [](const CalleeNames& n) { return std::tuple(n.field != 0, n.undotted, n.member == 0, n.names.size()); };
    if (!best || rank(*c) < rank(*best)) best = std::move(c);
  }
  return best;
}

// Either condition holds: the union, when both are about the same callee field.
std::optional<CalleeNames> either(std::vector<std::optional<CalleeNames>> all, bool own) {
  CalleeNames out;
  bool first = true;
  for (auto& c : all) {
    if (!c) return std::nullopt;
    if (!own) {
      if (c->field == 0) continue;  // matches no call
      if (out.field && out.field != c->field) return std::nullopt;
      out.field = c->field;
    }
    if (!first && out.member != c->member) return std::nullopt;
    out.member = c->member, first = false;
    out.names.insert(out.names.end(), c->names.begin(), c->names.end());
    out.undotted = out.undotted || c->undotted;
  }
  std::sort(out.names.begin(), out.names.end());
  out.names.erase(std::unique(out.names.begin(), out.names.end()), out.names.end());
  return out;
}

class PatternRule : public RuleNode {
 public:
  explicit PatternRule(std::shared_ptr<const Pattern> p) : pattern(std::move(p)) {}
  bool match(const MatchInput& in, TSNode node, Bindings& env) const override { return pattern->match(in, node, env); }
  KindSet kinds() const override {
    if (auto k = pattern->root_kind()) return KindSet::of(*k);
    return KindSet::all();
  }
  void collect_vars(VarCollector& c) const override {
    std::vector<std::string> vars;
    pattern->defined_vars(vars);
    c.vars.insert(vars.begin(), vars.end());
  }
  int cost() const override { return 2; }
  // A call pattern with a named callee (`exec($X)`, `cp.exec($X)`, `new File($$$)`, Java's
  // `$R.exec($X)`): its callee goal can only match the call's callee (see CalleeKey), whose key is
  // then the goal's name. A pattern of another kind matches no node of kind `call` (Pattern::match
  // compares the root's kind first).
  std::optional<CalleeNames> callee_names(const CalleeKinds& kinds, TSSymbol call) const override {
    const auto k = pattern->root_kind();
    if (!k) return std::nullopt;
    if (*k != call) return CalleeNames{};
    const TSFieldId field = kinds.field(*k);
    if (!field) return CalleeNames{};
    if (pattern->strictness() == Strictness::signature || pattern->strictness() == Strictness::template_) return std::nullopt;
    const PatternNode& root = pattern->root();
    if (root.type != PatternNode::Type::internal) return std::nullopt;
    const auto& goals = root.children;
    const PatternNode* callee = nullptr;
    if (field == kinds.name_field()) {
      // Java's method_invocation: the name just before the arguments that end the pattern (the
      // arguments can only match the call's last child, and the name the named child before it).
      if (goals.size() < 2) return std::nullopt;
      for (const auto& g : goals)
        if (g.is_ellipsis()) return std::nullopt;
      const PatternNode& args = goals.back();
      if (args.type != PatternNode::Type::internal || args.kind == kErrorKind) return std::nullopt;
      callee = &goals[goals.size() - 2];
    } else {
      // The first named goal meets the call's first named child, its callee, or the match fails.
      for (const auto& g : goals) {
        if (g.type == PatternNode::Type::terminal && !g.is_named) continue;
        if (g.type == PatternNode::Type::metavar) return std::nullopt;
        callee = &g;
        break;
      }
    }
    if (!callee) return std::nullopt;
    auto name = goal_name(*callee, kinds.language());
    if (!name) return std::nullopt;
    return CalleeNames{field, 0, {std::move(*name)}, false};
  }
  std::shared_ptr<const Pattern> pattern;  // shared with the other rules that wrote the same one
};

class KindRule : public RuleNode {
 public:
  explicit KindRule(TSSymbol k) : kind(k) {}
  bool match(const MatchInput&, TSNode node, Bindings&) const override { return ts_node_symbol(node) == kind; }
  std::optional<CalleeNames> callee_names(const CalleeKinds&, TSSymbol call) const override {
    if (kind == call) return std::nullopt;
    return CalleeNames{};  // another kind
  }
  KindSet kinds() const override { return KindSet::of(kind); }
  int cost() const override { return 0; }
  TSSymbol kind;
};

class RegexRule : public RuleNode {
 public:
  RegexRule(std::shared_ptr<const Regex> r, std::optional<std::vector<std::string>> names) : re(std::move(r)) {
    if (names) last_names = CalleeNames{0, 0, std::move(*names), false};
  }
  bool match(const MatchInput& in, TSNode node, Bindings&) const override {
    return re->search(in.node_text(node));
  }
  int cost() const override { return 1; }
  std::optional<CalleeNames> own_names() const override { return last_names; }
  std::shared_ptr<const Regex> re;
  std::optional<CalleeNames> last_names;  // regex_last_names
};

// `resolves`: the node (a name or a dotted member chain) denotes one of the qualified names, as
// the file's imports resolve it (match/imports.hpp). A target ending in `.*` stands for any member.
class ResolvesRule : public RuleNode {
 public:
  ResolvesRule(std::vector<std::string> names, const grammars::Language& lang) : lang(&lang), java(lang.id == "java"),
        function_imports_(lang.id == "python" || lang.id == "javascript" || lang.id == "typescript" || lang.id == "tsx") {
    for (auto& n : names) {
      const auto dot = n.rfind('.');
      if (n.ends_with(".*")) prefixes.push_back(n.substr(0, n.size() - 1));
      else tails.insert(dot == std::string::npos ? n : n.substr(dot + 1)), exact.insert(std::move(n));
    }
  }
  // A dotted chain resolves only when its last member is a target's (match() below), a bare name
  // may be any import's alias.
  std::optional<CalleeNames> own_names() const override {
    if (!prefixes.empty() || !std::all_of(tails.begin(), tails.end(), [](const std::string& t) { return name_only(t); }))
      return std::nullopt;
    return CalleeNames{0, 0, {tails.begin(), tails.end()}, true};
  }
  bool match(const MatchInput& in, TSNode node, Bindings&) const override {
    const std::string_view code = in.node_text(node);
    if (code.empty() || code.size() > 512) return false;
    // Only a chain's head is resolved: a chain whose last member no target ends with cannot match,
    // whatever the imports. A bare name may be imported under any alias.
    const auto dot = code.find_last_of('.');
    if (dot != std::string_view::npos && prefixes.empty()) {
      std::string_view tail = code.substr(dot + 1);
      while (!tail.empty() && (tail.front() == ' ' || tail.front() == '\n' || tail.front() == '\t')) tail.remove_prefix(1);
      if (!tails.contains(tail)) return false;
    }
    // The result depends on the imports: such a place is matched again after an edit elsewhere,
    // as a rule that looked at the top level is.
    if (in.escaped) *in.escaped = true;
    std::optional<ImportCache> local;
    ImportCache& cache = in.imports ? *in.imports : local.emplace();
    if (!cache.table) cache.table = std::make_shared<const ImportTable>(import_table(ts_tree_root_node(node.tree), in.text, *lang));
    // Functions around the node, innermost first, may import too.
    std::vector<const ImportTable*> scopes;
    auto scope = [&](TSNode f) {
      if (!function_imports_ || !is_import_scope(f, *lang)) return;
      const std::pair<uint32_t, uint32_t> key{ts_node_start_byte(f), ts_node_end_byte(f)};
      auto it = cache.functions.find(key);
      if (it == cache.functions.end()) it = cache.functions.emplace(key, function_imports(f, in.text, *lang)).first;
      scopes.push_back(&it->second);
    };
    // The walk's path holds the ancestors of the node a rule is tested on; `node` is that node or
    // lies inside it (a `has` looked down).
    const bool on_path = in.path && !in.path->empty() && ts_node_start_byte(in.path->back()) <= ts_node_start_byte(node) &&
                         ts_node_end_byte(node) <= ts_node_end_byte(in.path->back());
    if (on_path) {
      for (size_t i = in.path->size(); i-- > 0;) scope((*in.path)[i]);
    } else {
      for (TSNode p = ts_node_parent(node); !ts_node_is_null(p); p = ts_node_parent(p)) scope(p);
    }
    scopes.push_back(cache.table.get());
    // A plain name that no import in force binds, without wildcard imports (nor Java's implicit
    // java.lang), denotes itself (match/imports.cpp's resolve, without building its strings).
    if (!java && dot == std::string_view::npos &&
        std::all_of(code.begin(), code.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; })) {
      bool plain = true;
      for (const ImportTable* t : scopes)
        if (!t->wildcards.empty() || t->names.find(code) != t->names.end()) {
          plain = false;
          break;
        }
      if (plain) return exact.contains(code);
    }
    for (const auto& q : resolve(code, *lang, scopes)) {
      if (exact.contains(q)) return true;
      for (const auto& p : prefixes)
        if (q.size() > p.size() && q.starts_with(p)) return true;
    }
    return false;
  }
  int cost() const override { return 3; }
  const grammars::Language* lang;
  bool java;
  bool function_imports_;  // functions may import (is_import_scope)
  std::set<std::string, std::less<>> exact, tails;
  std::vector<std::string> prefixes;  // with the trailing dot
};

class NthChildRule : public RuleNode {
 public:
  int step = 0, offset = 0;
  bool reverse = false;
  std::unique_ptr<RuleNode> of_rule;
  bool match(const MatchInput& in, TSNode node, Bindings& env) const override {
    auto parent = parent_of(in, node);
    if (!parent) return false;
    std::vector<TSNode> counted;
    const auto kids = shared_children_of(*parent);
    for (TSNode c : *kids) {
      if (!ts_node_is_named(c)) continue;
      if (of_rule && !of_rule->match(in, c, env)) continue;
      counted.push_back(c);
    }
    if (reverse) std::reverse(counted.begin(), counted.end());
    size_t i = 0;
    while (i < counted.size() && !ts_node_eq(counted[i], node)) ++i;
    if (i == counted.size()) return false;
    const int index = static_cast<int>(i) + 1;
    if (step == 0) return index == offset;
    const int n = index - offset;
    return n / step >= 0 && n % step == 0;
  }
  KindSet kinds() const override { return of_rule ? of_rule->kinds() : KindSet::all(); }
  void collect_vars(VarCollector& c) const override {
    if (of_rule) of_rule->collect_vars(c);
  }
  int cost() const override { return 4 + (of_rule ? of_rule->cost() : 0); }
};

enum class StopKind { neighbor, end, rule };
struct StopBy {
  StopKind kind = StopKind::neighbor;
  std::unique_ptr<RuleNode> rule;
  // ast-grep's StopBy::find over a "once" node and a lazily produced "multi" sequence (inclusive
  // of the stop node). Lazy, so that `inside` stops climbing at the first ancestor that decides.
  bool find(const MatchInput& in, std::optional<TSNode> once, const std::function<std::optional<TSNode>()>& next,
            const std::function<bool(TSNode)>& finder) const {
    switch (kind) {
      case StopKind::neighbor: return once && finder(*once);
      case StopKind::end:
        while (auto n = next())
          if (finder(*n)) return true;
        return false;
      case StopKind::rule:
        while (auto n = next()) {
          // take_while(inclusive_until(stop)) evaluates the stop rule (with fresh bindings) first.
          Bindings scratch;
          const bool stop = rule->match(in, *n, scratch);
          if (finder(*n)) return true;
          if (stop) return false;
        }
        return false;
    }
    return false;
  }
  // A sequence over a precomputed list.
  static std::function<std::optional<TSNode>()> over(const std::vector<TSNode>& nodes) {
    size_t i = 0;
    return [&nodes, i]() mutable -> std::optional<TSNode> {
      if (i >= nodes.size()) return std::nullopt;
      return nodes[i++];
    };
  }
};

// The cost rank of a relational rule: a walk to the end costs more than a look at a neighbour.
int relational_cost(const StopBy& stop, const RuleNode& other) { return (stop.kind == StopKind::neighbor ? 5 : 20) + other.cost(); }

// ---- the memo of relational results ----
//
// Nested relational rules that walk (`stopBy: end` or a stop rule) multiply: `inside` of `has` of
// `inside` ... evaluates the inner rules once per path to a node, exponential in the nesting. While
// a WideChildrenCache lives (one analysis of one tree), a walking relational rule remembers its
// result per node and per value of the metavariables it can read or bind (VarCollector), with the
// bindings it added; each (rule, node, bindings) is then evaluated once. A rule reads and binds no
// other metavariable, and bindings only grow, so the remembered result is the one a fresh
// evaluation would give, bindings and partial bindings on failure included.

thread_local bool memo_enabled = true;

struct MemoKey {
  const void* rule;
  const void* id;
  const void* tree;
  uint32_t start;
  bool tracking;  // with a path: the escape bit is meaningful
  uint64_t env;   // a hash of the bindings the rule can read
  bool operator==(const MemoKey&) const = default;
};
struct MemoHash {
  size_t operator()(const MemoKey& k) const {
    uint64_t h = reinterpret_cast<uintptr_t>(k.rule);
    for (uint64_t v : {static_cast<uint64_t>(reinterpret_cast<uintptr_t>(k.id)),
                       static_cast<uint64_t>(reinterpret_cast<uintptr_t>(k.tree)), static_cast<uint64_t>(k.start),
                       static_cast<uint64_t>(k.tracking), k.env})
      h = (h ^ v) * 0x100000001b3ull + (h >> 29);
    return static_cast<size_t>(h);
  }
};
struct MemoValue {
  uint8_t bits = 0;  // bit 0: matched; bit 1: the evaluation navigated to the root (MatchInput::escaped)
  // With metavariables: the bindings read (to tell a hash collision) and those added.
  std::shared_ptr<const std::pair<Bindings, Bindings>> env;
};
struct Memo {
  std::unordered_map<MemoKey, MemoValue, MemoHash> map;
};

Memo* memo() {
  if (!memo_enabled) return nullptr;
  std::shared_ptr<void>* slot = scope_state();
  if (!slot) return nullptr;
  if (!*slot) *slot = std::make_shared<Memo>();
  auto* m = static_cast<Memo*>(slot->get());
  // A bound on its memory: a huge file's memo starts again rather than growing without end.
  if (m->map.size() > (1u << 20)) m->map.clear();
  return m;
}

// The bindings of `env` a rule reading `vars` (sorted) can see.
Bindings project(const Bindings& env, const std::vector<std::string>& vars) {
  Bindings out;
  for (const auto& v : vars) {
    if (auto it = env.single.find(v); it != env.single.end()) out.single.emplace(v, it->second);
    if (auto it = env.multi.find(v); it != env.multi.end()) out.multi.emplace(v, it->second);
  }
  return out;
}

uint64_t hash_node(uint64_t h, TSNode n) {
  h = (h ^ static_cast<uint64_t>(reinterpret_cast<uintptr_t>(n.id))) * 0x100000001b3ull;
  return (h ^ ts_node_start_byte(n)) * 0x100000001b3ull;
}
uint64_t hash_of(const Bindings& b) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const auto& [name, n] : b.single) h = hash_node(h ^ std::hash<std::string>()(name), n);
  for (const auto& [name, list] : b.multi) {
    h = (h ^ std::hash<std::string>()(name) ^ 0x9e3779b97f4a7c15ull) * 0x100000001b3ull;
    for (TSNode n : list) h = hash_node(h, n);
  }
  return h;
}
bool same_bindings(const Bindings& a, const Bindings& b) {
  auto eq = [](TSNode x, TSNode y) { return ts_node_eq(x, y) && ts_node_start_byte(x) == ts_node_start_byte(y); };
  if (a.single.size() != b.single.size() || a.multi.size() != b.multi.size()) return false;
  for (auto i = a.single.begin(), j = b.single.begin(); i != a.single.end(); ++i, ++j)
    if (i->first != j->first || !eq(i->second, j->second)) return false;
  for (auto i = a.multi.begin(), j = b.multi.begin(); i != a.multi.end(); ++i, ++j) {
    if (i->first != j->first || i->second.size() != j->second.size()) return false;
    for (size_t k = 0; k < i->second.size(); ++k)
      if (!eq(i->second[k], j->second[k])) return false;
  }
  return true;
}
// `after` minus `before` (bindings only grow).
Bindings added_bindings(const Bindings& after, const Bindings& before) {
  Bindings out;
  for (const auto& [k, v] : after.single)
    if (!before.single.contains(k)) out.single.emplace(k, v);
  for (const auto& [k, v] : after.multi)
    if (!before.multi.contains(k)) out.multi.emplace(k, v);
  return out;
}
void add_bindings(Bindings& env, const Bindings& added) {
  for (const auto& [k, v] : added.single) env.single.insert_or_assign(k, v);
  for (const auto& [k, v] : added.multi) env.multi.insert_or_assign(k, v);
}

// A relational rule that walks (stopBy end or a stop rule): evaluated through the memo.
class WalkingRule : public RuleNode {
 public:
  StopBy stop;
  bool match(const MatchInput& in, TSNode node, Bindings& env) const final {
    if (stop.kind == StopKind::neighbor) return evaluate(in, node, env);
    Memo* m = memo();
    if (!m) return evaluate(in, node, env);
    const Info& info = this->info();
    if (!info.known) return evaluate(in, node, env);
    return memoised(in, node, env, *m, info);
  }

 protected:
  // The relation itself, without the memo.
  virtual bool evaluate(const MatchInput& in, TSNode node, Bindings& env) const = 0;
  struct Info {
    bool known = false;  // every util below compiled
    std::vector<std::string> vars;
  };
  // Computed on first use: utils that recurse through this rule compile after it.
  const Info& info() const {
    std::call_once(info_once_, [&] {
      VarCollector c;
      collect_vars(c);
      info_.known = !c.incomplete;
      info_.vars.assign(c.vars.begin(), c.vars.end());
    });
    return info_;
  }
  static bool tracking(const MatchInput& in) { return in.path && !in.path->empty(); }
  MemoKey key(TSNode n, bool track, uint64_t env) const { return {this, n.id, n.tree, ts_node_start_byte(n), track, env}; }

  virtual bool memoised(const MatchInput& in, TSNode node, Bindings& env, Memo& m, const Info& info) const {
    const bool track = tracking(in);
    Bindings before;
    if (!info.vars.empty()) before = project(env, info.vars);
    const MemoKey k = key(node, track, info.vars.empty() ? 0 : hash_of(before));
    if (auto hit = m.map.find(k); hit != m.map.end()) {
      const MemoValue& v = hit->second;
      if (v.env && !same_bindings(v.env->first, before)) return evaluate(in, node, env);  // a hash collision
      if (v.env) add_bindings(env, v.env->second);
      if ((v.bits & 2) && in.escaped) *in.escaped = true;
      return v.bits & 1;
    }
    bool looked = false;
    MatchInput sub = in;
    sub.escaped = track ? &looked : nullptr;
    Bindings work = before;  // the rule sees no other binding
    const bool ok = evaluate(sub, node, work);
    MemoValue v{static_cast<uint8_t>((ok ? 1 : 0) | (looked ? 2 : 0)), nullptr};
    if (!info.vars.empty()) {
      auto added = added_bindings(work, before);
      add_bindings(env, added);
      v.env = std::make_shared<const std::pair<Bindings, Bindings>>(std::move(before), std::move(added));
    }
    m.map.emplace(k, std::move(v));
    if (looked && in.escaped) *in.escaped = true;
    return ok;
  }

 private:
  mutable std::once_flag info_once_;
  mutable Info info_;
};

class InsideRule : public WalkingRule {
 public:
  std::unique_ptr<RuleNode> outer;
  std::optional<TSFieldId> field;
  void collect_vars(VarCollector& c) const override { outer->collect_vars(c); }  // a stop rule binds afresh
  int cost() const override { return relational_cost(stop, *outer); }

 protected:
  // Without metavariables, `inside` with `stopBy: end` shares one climb among the nodes it passes:
  // inside(n) is outer(parent(n)) || inside(parent(n)), so a climb stops at the first ancestor
  // whose answer is known, and every node it passed learns its own. Each ancestor is then tested
  // once per rule and analysis, however many descendants ask.
  bool memoised(const MatchInput& in, TSNode node, Bindings& env, Memo& m, const Info& info) const override {
    if (!info.vars.empty() || stop.kind != StopKind::end || field) return WalkingRule::memoised(in, node, env, m, info);
    const bool track = tracking(in);
    struct Step {
      TSNode node;
      bool looked;  // going up from it (and testing its parent) navigated to the root
    };
    std::vector<Step> passed;
    size_t index = in.path && !in.path->empty() && ts_node_eq(in.path->back(), node) ? in.path->size() - 1 : SIZE_MAX;
    TSNode cur = node;
    uint8_t top = 0;  // the answer where the climb stopped
    for (;;) {
      budget::checkpoint();
      if (auto hit = m.map.find(key(cur, track, 0)); hit != m.map.end()) {
        top = hit->second.bits;
        break;
      }
      bool looked = false;
      MatchInput sub = in;
      sub.escaped = track ? &looked : nullptr;
      std::optional<TSNode> parent;
      if (index == SIZE_MAX) {
        parent = parent_of(sub, cur);
      } else if (index > 0) {
        parent = (*in.path)[--index];
        if (index == 0 && sub.escaped) *sub.escaped = true;
      }
      if (!parent) {
        passed.push_back({cur, looked});
        break;
      }
      Bindings scratch;  // nothing to read or bind
      const bool found = outer->match(sub, *parent, scratch);
      passed.push_back({cur, looked});
      if (found) {
        top = 1;
        break;
      }
      cur = *parent;
    }
    // Every node passed has the same answer; each has looked at the root if a step above it did.
    uint8_t bits = top;
    for (size_t i = passed.size(); i-- > 0;) {
      if (passed[i].looked) bits |= 2;
      m.map.emplace(key(passed[i].node, track, 0), MemoValue{bits, nullptr});
    }
    if ((bits & 2) && in.escaped) *in.escaped = true;
    return bits & 1;
  }

  bool evaluate(const MatchInput& in, TSNode node, Bindings& env) const override {
    std::optional<TSNode> climb = node;
    // When the walk's path ends at `node`, its ancestors are the path read backwards: one step
    // each. (parent_of searches the path for the node: climbing with it alone is quadratic in the
    // depth, cubic over a long expression chain.)
    size_t index = in.path && !in.path->empty() && ts_node_eq(in.path->back(), node) ? in.path->size() - 1 : SIZE_MAX;
    auto ancestors = [&]() -> std::optional<TSNode> {
      if (!climb) return climb;
      if (index == SIZE_MAX) {
        climb = parent_of(in, *climb);
      } else if (index == 0) {
        climb = std::nullopt;
      } else {
        climb = (*in.path)[--index];
        if (index == 0 && in.escaped) *in.escaped = true;
      }
      return climb;
    };
    TSNode last = node;
    auto finder = [&](TSNode nd) {
      if (field) {
        TSNode expect = last;
        last = nd;
        TSNode f = ts_node_child_by_field_id(nd, *field);
        if (ts_node_is_null(f) || !ts_node_eq(f, expect)) return false;
      }
      return outer->match(in, nd, env);
    };
    if (stop.kind == StopKind::neighbor) return stop.find(in, parent_of(in, node), ancestors, finder);
    return stop.find(in, std::nullopt, ancestors, finder);
  }
};

class HasRule : public WalkingRule {
 public:
  std::unique_ptr<RuleNode> inner;
  std::optional<TSFieldId> field;
  void collect_vars(VarCollector& c) const override { inner->collect_vars(c); }
  // A field child is one lookup (ts_node_child_by_field_id), cheaper than a pattern, which lists
  // the children of every node it is tried on.
  int cost() const override {
    if (field && stop.kind == StopKind::neighbor) return 1 + inner->cost();
    return relational_cost(stop, *inner);
  }
  // `has: {field: function, regex: ...}` tests the callee itself.
  std::optional<CalleeNames> callee_names(const CalleeKinds&, TSSymbol) const override {
    if (!field || stop.kind != StopKind::neighbor) return std::nullopt;
    auto names = inner->own_names();
    if (names) names->field = *field;
    return names;
  }
  // On a callee, `has: {field: property, regex: ...}` tests its member name.
  std::optional<CalleeNames> own_names() const override {
    if (!field || stop.kind != StopKind::neighbor) return std::nullopt;
    auto names = inner->own_names();
    if (!names || names->member || names->undotted) return std::nullopt;
    names->member = *field;
    return names;
  }

 protected:
  bool evaluate(const MatchInput& in, TSNode node, Bindings& env) const override {
    std::vector<TSNode> kids;
    if (field) {
      TSNode nd = ts_node_child_by_field_id(node, *field);
      if (ts_node_is_null(nd)) return false;
      switch (stop.kind) {
        case StopKind::neighbor: return inner->match(in, nd, env);
        case StopKind::end: return dfs(nd, true, [&](TSNode n) { return inner->match(in, n, env); });
        case StopKind::rule: {
          if (inner->match(in, nd, env)) return true;
          Bindings scratch;
          if (stop.rule->match(in, nd, scratch)) return false;
          children_of(nd, kids);
          for (TSNode n : kids)
            if (inner->match(in, n, env)) return true;
          return false;
        }
      }
      return false;
    }
    switch (stop.kind) {
      case StopKind::neighbor: {
        // Only children of a kind the inner rule can match can match it.
        if (const KindSet k = inner->kinds(); !k.any) {
          children_of_kinds(node, k.kinds, kids);
          for (TSNode n : kids)
            if (inner->match(in, n, env)) return true;
          return false;
        }
        const auto shared = shared_children_of(node);
        for (TSNode n : *shared)
          if (inner->match(in, n, env)) return true;
        return false;
      }
      case StopKind::end: return dfs(node, false, [&](TSNode n) { return inner->match(in, n, env); });
      case StopKind::rule:
        children_of(node, kids);
        for (TSNode n : kids) {
          if (inner->match(in, n, env)) return true;
          Bindings scratch;
          if (!stop.rule->match(in, n, scratch) && match(in, n, env)) return true;
        }
        return false;
    }
    return false;
  }
};

class SiblingRule : public WalkingRule {  // follows (earlier siblings) or precedes (later siblings)
 public:
  std::unique_ptr<RuleNode> other;
  bool later = false;
  void collect_vars(VarCollector& c) const override { other->collect_vars(c); }
  int cost() const override { return relational_cost(stop, *other); }

 protected:
  bool evaluate(const MatchInput& in, TSNode node, Bindings& env) const override {
    std::optional<TSNode> once;
    std::vector<TSNode> multi;
    if (stop.kind == StopKind::neighbor) once = neighbor_of(in, node, later);
    else siblings(in, node, later, multi);
    return stop.find(in, once, StopBy::over(multi), [&](TSNode n) { return other->match(in, n, env); });
  }
};

class AllRule : public RuleNode {
 public:
  std::vector<std::unique_ptr<RuleNode>> rules;
  KindSet cached;
  bool match(const MatchInput& in, TSNode node, Bindings& env) const override {
    if (!contains(cached, ts_node_symbol(node))) return false;
    // ast-grep 0.51 drops the bindings of an `all` that fails part-way (checked against its
    // binary: `has: {pattern: $V, nthChild: 2}` tries the next child with $V unbound).
    Bindings attempt = env;
    for (const auto& r : rules)
      if (!r->match(in, node, attempt)) return false;
    env = std::move(attempt);
    return true;
  }
  KindSet kinds() const override { return cached; }
  void collect_vars(VarCollector& c) const override {
    for (const auto& r : rules) r->collect_vars(c);
  }
  int cost() const override {
    int c = 0;
    for (const auto& r : rules) c += r->cost();
    return c;
  }
  std::optional<CalleeNames> callee_names(const CalleeKinds& kinds, TSSymbol call) const override {
    if (!contains(cached, call)) return CalleeNames{};  // matches no node of that kind
    std::vector<std::optional<CalleeNames>> all;
    for (const auto& r : rules) all.push_back(r->callee_names(kinds, call));
    return narrowest(std::move(all));
  }
  std::optional<CalleeNames> own_names() const override {
    std::vector<std::optional<CalleeNames>> all;
    for (const auto& r : rules) all.push_back(r->own_names());
    return narrowest(std::move(all));
  }
  void finish() {
    std::vector<KindSet> sets;
    for (const auto& r : rules) sets.push_back(r->kinds());
    cached = intersect_all(sets);
    if (memo_enabled) cheap_first();
  }

 private:
  // Cheap conditions first, whatever the order written: a pure rule (no metavariables) neither
  // reads nor binds them, so it can move anywhere; the others keep their order, since bindings
  // flow through `all` in order. A merge of the two lists by cost rank.
  void cheap_first() {
    std::vector<std::unique_ptr<RuleNode>> free, bound;
    for (auto& r : rules) (r->pure() ? free : bound).push_back(std::move(r));
    std::stable_sort(free.begin(), free.end(), [](const auto& a, const auto& b) { return a->cost() < b->cost(); });
    rules.clear();
    size_t f = 0, b = 0;
    while (f < free.size() || b < bound.size()) {
      if (b == bound.size() || (f < free.size() && free[f]->cost() <= bound[b]->cost())) rules.push_back(std::move(free[f++]));
      else rules.push_back(std::move(bound[b++]));
    }
  }
};

class AnyRule : public RuleNode {
 public:
  std::vector<std::unique_ptr<RuleNode>> rules;
  KindSet cached;
  bool match(const MatchInput& in, TSNode node, Bindings& env) const override {
    if (!contains(cached, ts_node_symbol(node))) return false;
    for (const auto& r : rules) {
      Bindings attempt = env;
      if (r->match(in, node, attempt)) {
        env = std::move(attempt);
        return true;
      }
    }
    return false;
  }
  KindSet kinds() const override { return cached; }
  void collect_vars(VarCollector& c) const override {
    for (const auto& r : rules) r->collect_vars(c);
  }
  int cost() const override {
    int c = 0;
    for (const auto& r : rules) c += r->cost();
    return c;
  }
  // The union of what the alternatives that can match a node of kind `call` say (those whose
  // kinds leave it out cannot match such a node: match() never tries them on it).
  std::optional<CalleeNames> callee_names(const CalleeKinds& kinds, TSSymbol call) const override {
    std::vector<std::optional<CalleeNames>> all;
    for (const auto& r : rules)
      if (contains(r->kinds(), call)) all.push_back(r->callee_names(kinds, call));
    return either(std::move(all), false);
  }
  std::optional<CalleeNames> own_names() const override {
    std::vector<std::optional<CalleeNames>> all;
    for (const auto& r : rules) all.push_back(r->own_names());
    return either(std::move(all), true);
  }
  void finish() {
    cached = KindSet{false, {}};
    for (const auto& r : rules) {
      KindSet k = r->kinds();
      if (k.any) {
        cached = KindSet::all();
        return;
      }
      cached.kinds.insert(k.kinds.begin(), k.kinds.end());
    }
  }
};

class NotRule : public RuleNode {
 public:
  std::unique_ptr<RuleNode> inner;
  bool match(const MatchInput& in, TSNode node, Bindings& env) const override { return !inner->match(in, node, env); }
  void collect_vars(VarCollector& c) const override { inner->collect_vars(c); }
  int cost() const override { return inner->cost(); }
};

class MatchesRule : public RuleNode {
 public:
  // Not owned: a local util's slot lives in the compiler's State (kept by the RuleMatcher), a
  // global one in its GlobalUtils (kept by that State). Owning it here made a recursive util (and
  // every global util, through the State) keep itself alive: a leak on every rule reload.
  const UtilSlot* slot = nullptr;
  bool match(const MatchInput& in, TSNode node, Bindings& env) const override {
    // Recursion through relations that always ends can still outgrow the stack: a util recursing
    // through `precedes` goes one level deeper per sibling, and siblings are not bounded.
    static thread_local unsigned depth = 0;
    struct Level {
      Level() { ++depth; }
      ~Level() { --depth; }
    } level;
    if (depth > kMaxUtilRecursion)
      throw budget::Exceeded("util rule `" + slot->id + "` recursed deeper than " + std::to_string(kMaxUtilRecursion) +
                             " levels");
    if (slot->local) return slot->local->match(in, node, env);
    if (slot->global) {
      // A global util is a rule core: its constraints apply, and it reports its own bindings.
      return slot->global->match(in, node, env);
    }
    return false;  // still compiling (recursion through a relational rule): nothing below matches yet
  }
  std::optional<CalleeNames> callee_names(const CalleeKinds& kinds, TSSymbol call) const override {
    if (slot->local) return slot->local->callee_names(kinds, call);
    if (slot->global) return slot->global->callee_names(call);
    return std::nullopt;
  }
  std::optional<CalleeNames> own_names() const override {
    if (slot->local) return slot->local->own_names();
    if (slot->global) return slot->global->own_names();
    return std::nullopt;
  }
  void collect_vars(VarCollector& c) const override {
    if (!c.utils.insert(slot).second) return;  // recursion: its variables are already counted
    if (slot->local) slot->local->collect_vars(c);
    else if (slot->global) slot->global->collect_vars(c);
    else c.incomplete = true;
  }
  KindSet kinds() const override {
    if (slot->local) return slot->local->kinds();
    if (slot->global) {
      auto ks = slot->global->start_kinds();
      if (ks.empty()) return KindSet::all();
      return KindSet{false, std::set<TSSymbol>(ks.begin(), ks.end())};
    }
    return KindSet::all();
  }
};

// Words collected for prefiltering, following only what every match needs.
struct CompileCtx {
  bool subtree_local = true;
  // False when a match may depend on more than the node's subtree and its ancestors below the root
  // (the top-level statement holding it): siblings, positions, or a test of the root itself.
  bool statement_local = true;
  // Whether it may test the root (or recurse): unlike a test of siblings or positions, this escapes
  // a `has` too.
  bool root_test = false;
  // Kinds of top-level statements a statement-local match may still depend on: an `inside` that
  // reaches the root only to look at its children of these kinds (`inside: {kind: module, has:
  // {kind: import_from_statement, ...}}`). An edit that touches no such statement cannot change it.
  std::set<TSSymbol> root_kinds;
  // Whether the rule reads nothing of the node it is tested on but its kind and, through `has`
  // (no field, no stopBy), its children of the kinds `shallow_kinds` with statement-local rules:
  // what an `inside` that reaches the root may do and stay statement-local (with root_kinds).
  bool shallow = true;
  std::set<TSSymbol> shallow_kinds;
  std::vector<std::string> words;
  // And one of each clause's words (an `any`, a regex's alternatives, the names `resolves` accepts).
  std::vector<std::vector<std::string>> clauses;
  void absorb_words(const CompileCtx& sub) {
    words.insert(words.end(), sub.words.begin(), sub.words.end());
    clauses.insert(clauses.end(), sub.clauses.begin(), sub.clauses.end());
  }
  void absorb_root_kinds(const CompileCtx& sub) { root_kinds.insert(sub.root_kinds.begin(), sub.root_kinds.end()); }
};

}  // namespace

std::optional<std::vector<std::string>> regex_literals(std::string_view re) {
  struct Reader {
    std::string_view s;
    size_t i = 0;
    bool failed = false;
    // Candidate clauses of one concatenation; the best is kept.
    static void keep(std::optional<std::vector<std::string>>& best, std::vector<std::string> c) {
      auto weakest = [](const std::vector<std::string>& v) {
        size_t m = SIZE_MAX;
        for (const auto& w : v) m = std::min(m, w.size());
        return m;
      };
      if (c.empty() || weakest(c) < 3) return;
      if (!best || weakest(c) > weakest(*best) || (weakest(c) == weakest(*best) && c.size() < best->size())) best = std::move(c);
    }
    // An alternation up to `)` or the end: one clause covering every alternative, or none.
    // `whole`: set to every string the alternation matches, when each alternative is literal text.
    std::optional<std::vector<std::string>> alternation(std::optional<std::vector<std::string>>* whole = nullptr) {
      std::vector<std::string> all, exact;
      bool every = true, literal = true;
      for (;;) {
        std::optional<std::vector<std::string>> w;
        auto c = concatenation(&w);
        if (failed) return std::nullopt;
        if (c) all.insert(all.end(), c->begin(), c->end());
        else every = false;
        if (w) exact.insert(exact.end(), w->begin(), w->end());
        else literal = false;
        if (i < s.size() && s[i] == '|') {
          ++i;
          continue;
        }
        break;
      }
      if (whole && literal) {
        std::sort(exact.begin(), exact.end());
        exact.erase(std::unique(exact.begin(), exact.end()), exact.end());
        *whole = std::move(exact);
      }
      if (!every) return std::nullopt;
      std::sort(all.begin(), all.end());
      all.erase(std::unique(all.begin(), all.end()), all.end());
      return all;
    }
    // Skips a quantifier at i; returns whether it makes the item optional (`?`, `*`, `{0,...}`),
    // sets `repeated` for `+` and `{n,...}`.
    bool quantifier(bool& repeated) {
      repeated = false;
      bool optional = false;
      if (i >= s.size()) return false;
      if (s[i] == '?' || s[i] == '*') optional = true, ++i;
      else if (s[i] == '+') repeated = true, ++i;
      else if (s[i] == '{') {
        const size_t close = s.find('}', i);
        if (close == std::string_view::npos) {
          failed = true;
          return false;
        }
        const std::string_view body = s.substr(i + 1, close - i - 1);
        optional = body.empty() || body[0] == '0' || body[0] == ',';
        repeated = !optional;
        i = close + 1;
      } else {
        return false;
      }
      if (i < s.size() && (s[i] == '?' || s[i] == '+')) ++i;  // lazy or possessive
      return optional;
    }
    // The best clause of a concatenation up to `|` or `)`. `whole`: set to every string it
    // matches, when it is literal text (groups of literal alternatives included).
    std::optional<std::vector<std::string>> concatenation(std::optional<std::vector<std::string>>* whole = nullptr) {
      std::optional<std::vector<std::string>> best;
      // The strings the literal text since the last non-literal item matches: `(md5|sha1)\.New`
      // gives md5.New and sha1.New (a match contains one), not only `.New`.
      std::vector<std::string> run{""};
      bool literal = true;
      auto end_run = [&] {
        keep(best, run);
        run.assign(1, "");
      };
      auto times = [&](const std::vector<std::string>& next) {
        if (run.size() * next.size() > 64) {  // too many strings: start again from `next`
          end_run();
          literal = false;
          run = next;
          return;
        }
        std::vector<std::string> out;
        for (const auto& a : run)
          for (const auto& b : next) out.push_back(a + b);
        run = std::move(out);
      };
      while (i < s.size() && s[i] != '|' && s[i] != ')') {
        const char c = s[i];
        if (c == '(') {
          ++i;
          if (i < s.size() && s[i] == '?') {
            if (i + 1 < s.size() && s[i + 1] == ':') i += 2;
            else return failed = true, std::nullopt;  // flags, named groups
          }
          std::optional<std::vector<std::string>> exact;
          auto inner = alternation(&exact);
          if (failed || i >= s.size() || s[i] != ')') return failed = true, std::nullopt;
          ++i;
          bool repeated = false;
          const bool optional = quantifier(repeated);
          if (failed) return std::nullopt;
          if (!optional && exact) {
            times(*exact);  // a repeated group: its first repetition
            if (repeated) end_run(), literal = false;
            continue;
          }
          end_run();
          literal = false;
          if (inner && !optional) keep(best, std::move(*inner));
          continue;
        }
        if (c == '[') {
          ++i;
          if (i < s.size() && s[i] == '^') ++i;
          if (i < s.size() && s[i] == ']') ++i;
          while (i < s.size() && s[i] != ']') {
            if (s[i] == '\\') ++i;
            else if (s[i] == '[' && i + 1 < s.size() && s[i + 1] == ':') return failed = true, std::nullopt;
            ++i;
          }
          if (i >= s.size()) return failed = true, std::nullopt;
          ++i;
          bool repeated = false;
          quantifier(repeated);
          if (failed) return std::nullopt;
          end_run();
          literal = false;
          continue;
        }
        std::optional<char> character;
        if (c == '\\') {
          if (i + 1 >= s.size()) return failed = true, std::nullopt;
          const char e = s[i + 1];
          if (std::isalnum(static_cast<unsigned char>(e))) {
            // \w \d \s \b ... are classes or assertions; \p, \x, \Q, \1... are given up.
            if (std::string_view("wWdDsSbBAzntrfv").find(e) == std::string_view::npos) return failed = true, std::nullopt;
          } else {
            character = e;
          }
          i += 2;
        } else if (c == '^' || c == '$') {
          ++i;
          end_run();
          literal = false;
          continue;
        } else if (c == '.' || c == '?' || c == '*' || c == '+' || c == '{') {
          if (c != '.') return failed = true, std::nullopt;  // a quantifier of nothing
          ++i;
        } else if (static_cast<unsigned char>(c) >= 0x80) {
          return failed = true, std::nullopt;  // a quantifier after it would apply to a whole UTF-8 character
        } else {
          character = c;
          ++i;
        }
        bool repeated = false;
        const bool optional = quantifier(repeated);
        if (failed) return std::nullopt;
        if (!character || optional) {
          end_run();
          literal = false;
          continue;
        }
        for (auto& r : run) r += *character;
        if (repeated) end_run(), literal = false;
      }
      if (whole && literal) *whole = run;
      end_run();
      return best;
    }
  };
  Reader r{re};
  auto out = r.alternation();
  if (r.failed || r.i != re.size() || !out) return std::nullopt;
  return out;
}

const CalleeKinds& CalleeKinds::of(const grammars::Language& lang) {
  static std::mutex mutex;
  static std::map<const TSLanguage*, std::unique_ptr<CalleeKinds>> built;
  std::lock_guard lock(mutex);
  auto& slot = built[lang.ts_language()];
  if (slot) return *slot;
  slot = std::make_unique<CalleeKinds>();
  const TSLanguage* l = lang.ts_language();
  slot->language_ = l;
  auto field_id = [&](std::string_view name) {
    return ts_language_field_id_for_name(l, name.data(), static_cast<uint32_t>(name.size()));
  };
  static const std::map<std::string_view, std::string_view> calls = {{"call_expression", "function"},
                                                                     {"call", "function"},
                                                                     {"new_expression", "constructor"},
                                                                     {"method_invocation", "name"},
                                                                     {"object_creation_expression", "type"}};
  const uint32_t count = ts_language_symbol_count(l);
  slot->fields_.assign(count, 0);
  for (uint32_t s = 0; s < count; ++s) {
    if (ts_language_symbol_type(l, static_cast<TSSymbol>(s)) != TSSymbolTypeRegular) continue;
    auto it = calls.find(ts_language_symbol_name(l, static_cast<TSSymbol>(s)));
    if (it == calls.end()) continue;
    slot->fields_[s] = field_id(it->second);
    if (it->first == "method_invocation" && slot->fields_[s]) {
      slot->name_field_ = slot->fields_[s];
      slot->arguments_field_ = field_id("arguments");
      if (!slot->arguments_field_) slot->fields_[s] = 0;
    }
    if (slot->fields_[s]) slot->calls_.push_back(static_cast<TSSymbol>(s));
  }
  return *slot;
}

CalleeKey callee_key(const MatchInput& in, TSNode node, const CalleeKinds& kinds) {
  const TSFieldId field = kinds.field(ts_node_symbol(node));
  if (!field) return {};
  const TSNode callee = ts_node_child_by_field_id(node, field);
  if (ts_node_is_null(callee) || !ts_node_is_named(callee)) return {};
  // Java's method_invocation ends with the name and the arguments (its grammar: an optional
  // `object .` and type arguments before them); the other callees must be the call's first named
  // child.
  if (field != kinds.name_field() && !ts_node_eq(ts_node_named_child(node, 0), callee)) return {};
  const std::string_view text = in.node_text(callee);
  CalleeKey key;
  key.field = field;
  key.dotted = text.find('.') != std::string_view::npos;
  const uint32_t children = ts_node_child_count(callee);
  if (children == 0) {
    if (!name_only(text)) return {};
    key.name = text;
    key.leaf = true;
    return key;
  }
  const TSNode last = ts_node_child(callee, children - 1);
  const uint32_t start = ts_node_start_byte(last);
  if (ts_node_child_count(last) != 0 || !ts_node_is_named(last) || ts_node_end_byte(last) != ts_node_end_byte(callee) ||
      start <= ts_node_start_byte(callee) || start > in.text.size())
    return {};
  key.name = in.node_text(last);
  if (!name_only(key.name) || name_char(in.text[start - 1])) return {};
  // The member fields of the grammar (`property`, `attribute`, `field`), once per language on
  // this thread: the last name is the callee's child in one of them, or in none.
  static thread_local const TSLanguage* members_of = nullptr;
  static thread_local TSFieldId members[3] = {0, 0, 0};
  if (members_of != kinds.language()) {
    members_of = kinds.language();
    const char* names[3] = {"property", "attribute", "field"};
    for (int m = 0; m < 3; ++m)
      members[m] = ts_language_field_id_for_name(members_of, names[m], static_cast<uint32_t>(std::strlen(names[m])));
  }
  for (const TSFieldId m : members)
    if (m && ts_node_eq(ts_node_child_by_field_id(callee, m), last)) {
      key.member = m;
      break;
    }
  return key;
}

std::optional<std::vector<std::string>> regex_last_names(std::string_view re) {
  // A small reader of RE2 syntax into items; anything it does not know gives up.
  struct Item {
    enum class Type { character, other, begin, end, group } type = Type::other;
    char c = 0;
    bool optional = false, repeated = false;
    std::vector<std::vector<Item>> alternatives;  // a group
  };
  struct Reader {
    std::string_view s;
    size_t i = 0;
    bool failed = false;
    std::vector<std::vector<Item>> alternation() {
      std::vector<std::vector<Item>> out;
      for (;;) {
        out.push_back(concatenation());
        if (failed) return {};
        if (i < s.size() && s[i] == '|') {
          ++i;
          continue;
        }
        return out;
      }
    }
    std::vector<Item> concatenation() {
      std::vector<Item> out;
      while (!failed && i < s.size() && s[i] != '|' && s[i] != ')') {
        Item item;
        const char c = s[i];
        if (c == '(') {
          ++i;
          if (i < s.size() && s[i] == '?') {
            if (i + 1 < s.size() && s[i + 1] == ':') i += 2;
            else return failed = true, out;  // flags, named groups
          }
          item.type = Item::Type::group;
          item.alternatives = alternation();
          if (failed || i >= s.size() || s[i] != ')') return failed = true, out;
          ++i;
        } else if (c == '[') {
          ++i;
          if (i < s.size() && s[i] == '^') ++i;
          if (i < s.size() && s[i] == ']') ++i;
          while (i < s.size() && s[i] != ']') {
            if (s[i] == '\\') ++i;
            else if (s[i] == '[' && i + 1 < s.size() && s[i + 1] == ':') return failed = true, out;
            ++i;
          }
          if (i >= s.size()) return failed = true, out;
          ++i;
        } else if (c == '\\') {
          if (i + 1 >= s.size()) return failed = true, out;
          const char e = s[i + 1];
          if (std::isalnum(static_cast<unsigned char>(e))) {
            if (std::string_view("wWdDsS").find(e) == std::string_view::npos) return failed = true, out;  // assertions, \p, \x...
          } else {
            item.type = Item::Type::character, item.c = e;
          }
          i += 2;
        } else if (c == '^' || c == '$') {
          item.type = c == '^' ? Item::Type::begin : Item::Type::end;
          ++i;
        } else if (c == '.') {
          ++i;
        } else if (c == '?' || c == '*' || c == '+' || c == '{' || static_cast<unsigned char>(c) >= 0x80) {
          return failed = true, out;
        } else {
          item.type = Item::Type::character, item.c = c;
          ++i;
        }
        // A quantifier.
        if (i < s.size()) {
          if (s[i] == '?' || s[i] == '*') item.optional = true, item.repeated = s[i] == '*', ++i;
          else if (s[i] == '+') item.repeated = true, ++i;
          else if (s[i] == '{') {
            const size_t close = s.find('}', i);
            if (close == std::string_view::npos) return failed = true, out;
            const std::string_view body = s.substr(i + 1, close - i - 1);
            item.optional = body.empty() || body[0] == '0' || body[0] == ',';
            item.repeated = true;
            i = close + 1;
          }
          if ((item.optional || item.repeated) && i < s.size() && (s[i] == '?' || s[i] == '+')) ++i;
        }
        out.push_back(std::move(item));
      }
      return out;
    }
  };
  // Every string a sequence of plain items matches, when each is a name character or a group of
  // such alternatives (at most 256 strings).
  std::function<std::optional<std::vector<std::string>>(const std::vector<Item>&, size_t, size_t)> exact =
      [&](const std::vector<Item>& seq, size_t from, size_t to) -> std::optional<std::vector<std::string>> {
    std::vector<std::string> out{""};
    for (size_t k = from; k < to; ++k) {
      const Item& it = seq[k];
      if (it.optional || it.repeated) return std::nullopt;
      std::vector<std::string> next;
      if (it.type == Item::Type::character && name_char(it.c)) {
        next.push_back(std::string(1, it.c));
      } else if (it.type == Item::Type::group) {
        for (const auto& alt : it.alternatives) {
          auto e = exact(alt, 0, alt.size());
          if (!e) return std::nullopt;
          next.insert(next.end(), e->begin(), e->end());
        }
      } else {
        return std::nullopt;
      }
      std::vector<std::string> joined;
      for (const auto& a : out)
        for (const auto& b : next) joined.push_back(a + b);
      if (joined.size() > 256) return std::nullopt;
      out = std::move(joined);
    }
    return out;
  };
  // Whether a match of seq[0, to) ends at the text's start or after a `.` (`outer`: whether what
  // comes before the sequence does).
  std::function<bool(const std::vector<Item>&, size_t, bool)> boundary = [&](const std::vector<Item>& seq, size_t to,
                                                                               bool outer) -> bool {
    if (to == 0) return outer;
    const Item& it = seq[to - 1];
    bool present = false;
    if (it.type == Item::Type::begin) {
      present = true;
    } else if (it.type == Item::Type::character) {
      present = it.c == '.';
    } else if (it.type == Item::Type::group) {
      const bool before = boundary(seq, to - 1, outer);
      present = std::all_of(it.alternatives.begin(), it.alternatives.end(), [&](const std::vector<Item>& alt) {
        return boundary(alt, alt.size(), it.repeated ? false : before);
      });
    }
    if (!present) return false;
    return !it.optional || boundary(seq, to - 1, outer);
  };
  // The names a match of seq[0, to) ends with: the longest run of plain items before `to`, after a
  // boundary; or, when a group ends it, those of each of its alternatives.
  std::function<bool(const std::vector<Item>&, size_t, bool, std::vector<std::string>&)> tail =
      [&](const std::vector<Item>& seq, size_t to, bool outer, std::vector<std::string>& out) -> bool {
    if (to == 0) return false;
    size_t from = to;
    while (from > 0 && exact(seq, from - 1, to)) --from;
    if (from < to) {
      auto strings = exact(seq, from, to);
      if (!strings || !boundary(seq, from, outer)) return false;
      for (auto& str : *strings) {
        if (!name_only(str)) return false;
        out.push_back(std::move(str));
      }
      return true;
    }
    const Item& last = seq[to - 1];
    if (last.type != Item::Type::group || last.optional || last.repeated) return false;
    const bool before = boundary(seq, to - 1, outer);
    return std::all_of(last.alternatives.begin(), last.alternatives.end(),
                       [&](const std::vector<Item>& alt) { return tail(alt, alt.size(), before, out); });
  };
  Reader reader{re};
  auto alternatives = reader.alternation();
  if (reader.failed || reader.i != re.size() || alternatives.empty()) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& seq : alternatives) {
    if (seq.empty() || seq.back().type != Item::Type::end || seq.back().optional || seq.back().repeated) return std::nullopt;
    if (!tail(seq, seq.size() - 1, false, names)) return std::nullopt;
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

namespace {

std::string scalar_or_throw(const YAML::Node& n, const std::string& what) {
  if (!n.IsScalar()) throw RuleError(n.Mark(), "`" + what + "` must be a string");
  return n.Scalar();
}

// Cycle detection through matches/all/any/not, as ast-grep's topological sort does.
void visit_dependencies(const YAML::Node& rule, std::vector<std::string>& out) {
  if (!rule.IsMap()) return;
  if (auto m = yaml_get(rule, "matches"); m && m.IsScalar()) out.push_back(m.Scalar());
  for (const char* key : {"all", "any"})
    if (auto list = yaml_get(rule, key); list && list.IsSequence())
      for (const auto& sub : list) visit_dependencies(sub, out);
  if (auto n = yaml_get(rule, "not")) visit_dependencies(n, out);
}

std::string cycle_in(const std::map<std::string, YAML::Node>& rules) {
  std::map<std::string, bool> seen;  // false: in progress
  std::vector<std::string> path;
  std::function<bool(const std::string&)> visit = [&](const std::string& id) -> bool {
    if (auto it = seen.find(id); it != seen.end()) {
      if (!it->second) {
        path.push_back(id);
        return true;
      }
      return false;
    }
    auto it = rules.find(id);
    if (it == rules.end()) return false;
    seen[id] = false;
    path.push_back(id);
    std::vector<std::string> deps;
    visit_dependencies(it->second, deps);
    for (const auto& d : deps)
      if (visit(d)) return true;
    path.pop_back();
    seen[id] = true;
    return false;
  };
  for (const auto& [id, _] : rules) {
    path.clear();
    if (visit(id)) {
      // Keep only the cycle itself.
      auto start = std::find(path.begin(), path.end(), path.back());
      std::string s;
      for (auto p = start; p != path.end(); ++p) s += (s.empty() ? "" : " -> ") + *p;
      return s;
    }
  }
  return {};
}

// Recursion that can come back to where it started. Each relation moves the util it names to
// other nodes: inside up the tree, has down, follows to earlier siblings, precedes to later ones.
// Up and follows both move backwards in preorder, has and precedes forwards in it; has and follows
// both move backwards in postorder, inside and precedes forwards: recursion moving in one
// direction only, or in two that share an order, runs out of nodes. With up and down, or
// earlier and later, in one loop of utils it can return to the node it left, with the same util
// to match there: it never ends (a stack overflow), so the rule is refused when it loads.
enum Move : unsigned { kUp = 1, kDown = 2, kEarlier = 4, kLater = 8, kAnywhere = 15 };

struct MoveEdge {
  std::string to;
  unsigned moves;
};

// The utils `rule` names, each with the moves made on the way to it. `resolve` maps a name to a
// node of the graph (or nothing: a util that cannot lead back here).
void collect_moves(const YAML::Node& rule, unsigned moves, const std::function<std::optional<std::string>(const std::string&)>& resolve,
                   std::vector<MoveEdge>& out) {
  if (!rule || !rule.IsMap()) return;  // (a missing key of a const node is invalid: test it first)
  for (const auto& kv : rule) {
    const std::string key = kv.first.as<std::string>("");
    const YAML::Node& v = kv.second;
    if (key == "matches") {
      if (v && v.IsScalar())
        if (auto to = resolve(v.Scalar())) out.push_back({*to, moves});
    } else if (key == "all" || key == "any") {
      if (v && v.IsSequence())
        for (const auto& sub : v) collect_moves(sub, moves, resolve, out);
    } else if (key == "not" || key == "stopBy") {  // a stop rule is tried where its relation goes
      collect_moves(v, moves, resolve, out);
    } else if (key == "inside" || key == "has" || key == "follows" || key == "precedes") {
      const unsigned m = key == "inside" ? kUp : key == "has" ? kDown : key == "follows" ? kEarlier : kLater;
      collect_moves(v, moves | m, resolve, out);
    } else if (key == "nthChild") {
      if (v && v.IsMap()) collect_moves(yaml_get(v, "ofRule"), moves | kEarlier | kLater, resolve, out);  // tried on every sibling
    }
  }
}

// The first util (in the graph's order) that can reach itself moving both ways, and why; empty
// when none can.
std::pair<std::string, std::string> looping_util(const std::map<std::string, std::vector<MoveEdge>>& graph) {
  auto reach = [&](const std::string& from) {
    std::set<std::string> seen{from};
    std::vector<std::string> todo{from};
    while (!todo.empty()) {
      auto it = graph.find(todo.back());
      todo.pop_back();
      if (it == graph.end()) continue;
      for (const auto& e : it->second)
        if (seen.insert(e.to).second) todo.push_back(e.to);
    }
    return seen;
  };
  std::map<std::string, std::set<std::string>> reaches;
  for (const auto& [id, _] : graph) reaches[id] = reach(id);
  for (const auto& [id, _] : graph) {
    // The moves of every edge inside id's strongly connected component: loops in it combine.
    unsigned moves = 0;
    for (const auto& [from, edges] : graph) {
      if (!reaches[id].contains(from) || !reaches[from].contains(id)) continue;
      for (const auto& e : edges)
        if (reaches[id].contains(e.to) && reaches.contains(e.to) && reaches[e.to].contains(id)) moves |= e.moves;
    }
    const bool vertical = (moves & kUp) && (moves & kDown), sideways = (moves & kEarlier) && (moves & kLater);
    if (!vertical && !sideways) continue;
    std::string through;
    if (vertical) through = "up and down the tree (inside and has)";
    if (sideways) through += std::string(vertical ? " and " : "") + "to earlier and later siblings (follows and precedes)";
    return {id, "util rule `" + id + "` can reach itself by moving both " + through +
                    ": it can come back to a node it left, so the recursion would never end"};
  }
  return {};
}

}  // namespace

const std::set<std::string>& rule_object_keys() {
  static const std::set<std::string> keys = {"pattern",  "kind",    "regex", "nthChild", "inside", "has",     "precedes",
                                             "follows",  "all",     "any",   "not",      "matches", "resolves"};
  return keys;
}

struct RuleCompiler::State {
  const grammars::Language* lang = nullptr;
  TSSymbol root_symbol = 0;  // the kind of the grammar's root node (module, program, ...)
  std::map<std::string, YAML::Node> local_sources;
  std::map<std::string, std::shared_ptr<UtilSlot>> local_slots;
  std::shared_ptr<const GlobalUtils> globals;
  std::vector<RuleError> warnings;
  bool lazy_regexes = false;
  // The file's utils are compiled on the first compile(), after set_lazy_regexes has applied: in
  // the constructor, each util's regexes were compiled eagerly even for the built-in packs.
  bool locals_pending = false;

  std::unique_ptr<RuleNode> rule(const YAML::Node& n, CompileCtx& cx, const std::set<std::string>& extra = {},
                                 bool relation = false);
  std::unique_ptr<RuleNode> relational(const YAML::Node& n, CompileCtx& cx, const std::string& key);
  StopBy stop_by(const YAML::Node& n, CompileCtx& cx);
  std::shared_ptr<UtilSlot> util(const std::string& id, const YAML::Node& where, CompileCtx& cx);
  void compile_local(const std::string& id);
  // Every util of the file, used or not, as in ast-grep; once.
  void compile_pending_locals() {
    if (!locals_pending) return;
    locals_pending = false;
    for (const auto& [id, _] : local_sources) compile_local(id);
  }
};

void RuleCompiler::State::compile_local(const std::string& id) {
  auto& slot = local_slots[id];
  if (slot && slot->compiled) return;
  if (!slot) {
    slot = std::make_shared<UtilSlot>();
    slot->id = id;
  }
  auto keep = slot;  // a recursive reference (through a relational rule) finds this slot
  CompileCtx cx;
  keep->local = rule(local_sources.at(id), cx);
  keep->subtree_local = cx.subtree_local;
  keep->statement_local = cx.statement_local;
  keep->root_test = cx.root_test;
  keep->root_kinds = cx.root_kinds;
  keep->words = std::move(cx.words);
  keep->clauses = std::move(cx.clauses);
  keep->compiled = true;
}

std::shared_ptr<UtilSlot> RuleCompiler::State::util(const std::string& id, const YAML::Node& where, CompileCtx& cx) {
  std::shared_ptr<UtilSlot> slot;
  if (local_sources.contains(id)) {
    auto it = local_slots.find(id);
    if (it == local_slots.end()) compile_local(id);
    slot = local_slots.at(id);
  } else if (globals && globals->has(id)) {
    slot = globals->resolve(id, *lang, globals);
  } else {
    throw RuleError(where.Mark(), "`matches` refers to undefined util rule `" + id + "`");
  }
  if (slot->compiled) {
    cx.subtree_local = cx.subtree_local && slot->subtree_local;
    cx.statement_local = cx.statement_local && slot->statement_local;
    cx.root_test = cx.root_test || slot->root_test;
    cx.root_kinds.insert(slot->root_kinds.begin(), slot->root_kinds.end());
    cx.shallow = false;
    cx.words.insert(cx.words.end(), slot->words.begin(), slot->words.end());
    cx.clauses.insert(cx.clauses.end(), slot->clauses.begin(), slot->clauses.end());
  } else {
    cx.subtree_local = false;  // recursive: be conservative
    cx.statement_local = false;
    cx.root_test = true;
    cx.shallow = false;
  }
  return slot;
}

StopBy RuleCompiler::State::stop_by(const YAML::Node& n, CompileCtx& cx) {
  StopBy s;
  if (!n) return s;
  if (n.IsScalar()) {
    if (n.Scalar() == "neighbor") s.kind = StopKind::neighbor;
    else if (n.Scalar() == "end") s.kind = StopKind::end;
    else throw RuleError(n.Mark(), "unknown variant `" + n.Scalar() + "`, expected `neighbor`, `end` or a rule object");
    return s;
  }
  if (!n.IsMap()) throw RuleError(n.Mark(), "`stopBy` must be `neighbor`, `end` or a rule object");
  CompileCtx inner;  // the stop rule's words are not required by a match
  s.kind = StopKind::rule;
  s.rule = rule(n, inner);
  cx.shallow = false;
  cx.subtree_local = cx.subtree_local && inner.subtree_local;
  cx.statement_local = cx.statement_local && inner.statement_local;
  cx.absorb_root_kinds(inner);
  cx.root_test = cx.root_test || inner.root_test;
  return s;
}

std::unique_ptr<RuleNode> RuleCompiler::State::relational(const YAML::Node& n, CompileCtx& cx, const std::string& key) {
  if (!n.IsMap()) throw RuleError(n.Mark(), "`" + key + "` must be a rule object");
  std::optional<TSFieldId> field;
  if (auto f = yaml_get(n, "field")) {
    if (key == "follows" || key == "precedes") throw RuleError(f.Mark(), "field is only supported in has/inside.");
    std::string name = scalar_or_throw(f, "field");
    TSFieldId id = ts_language_field_id_for_name(lang->ts_language(), name.data(), static_cast<uint32_t>(name.size()));
    if (id == 0) throw RuleError(f.Mark(), "Relational rule contains invalid field " + name + ".");
    field = id;
  }
  StopBy stop = stop_by(yaml_get(n, "stopBy"), cx);
  const bool statement_local_before_sub = cx.statement_local;
  CompileCtx sub;
  auto inner = rule(n, sub, {"stopBy", "field"}, true);
  cx.subtree_local = cx.subtree_local && sub.subtree_local;
  cx.statement_local = cx.statement_local && sub.statement_local;
  cx.absorb_root_kinds(sub);
  cx.root_test = cx.root_test || sub.root_test;
  cx.absorb_words(sub);
  if (key == "inside") {
    cx.subtree_local = false;
    cx.shallow = false;
    // The climb ends at the root: a rule that can match it there (by kind) looks at the whole file,
    // unless it only looks at the root's children of some kinds (root_kinds).
    auto may_test_root = [&](const RuleNode& r) {
      const KindSet k = r.kinds();
      return k.any || k.kinds.contains(root_symbol);
    };
    if (stop.kind == StopKind::rule && may_test_root(*stop.rule)) {
      cx.statement_local = false, cx.root_test = true;
    } else if (may_test_root(*inner)) {
      if (sub.shallow && !inner->kinds().any) cx.root_kinds.insert(sub.shallow_kinds.begin(), sub.shallow_kinds.end());
      else cx.statement_local = false, cx.root_test = true;
    }
    auto r = std::make_unique<InsideRule>();
    r->outer = std::move(inner), r->stop = std::move(stop), r->field = field;
    return r;
  }
  if (key == "has") {
    // Siblings and positions of descendants lie inside the node: only a root test escapes.
    if (!sub.root_test) cx.statement_local = statement_local_before_sub;
    if (const KindSet k = inner->kinds(); stop.kind == StopKind::neighbor && !field && !k.any && sub.statement_local &&
                                          sub.root_kinds.empty())
      cx.shallow_kinds.insert(k.kinds.begin(), k.kinds.end());
    else
      cx.shallow = false;
    auto r = std::make_unique<HasRule>();
    r->inner = std::move(inner), r->stop = std::move(stop), r->field = field;
    return r;
  }
  cx.subtree_local = false;
  cx.statement_local = false;
  cx.shallow = false;
  auto r = std::make_unique<SiblingRule>();
  r->other = std::move(inner), r->stop = std::move(stop), r->later = key == "precedes";
  return r;
}

namespace {

bool parse_an_b(std::string_view input, int& step, int& offset) {
  enum class S { initial, n, sign, num } state = S::initial;
  bool has_n = false;
  int sign = 1, num = 0;
  step = 0;
  for (char c : input) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    const bool digit = c >= '0' && c <= '9';
    const bool is_n = c == 'n' || c == 'N';
    const bool is_sign = c == '+' || c == '-';
    if (!digit && !is_n && !is_sign) return false;
    switch (state) {
      case S::initial:
        if (is_sign) state = S::sign, has_n = false, sign = c == '+' ? 1 : -1;
        else if (digit) state = S::num, has_n = false, num = c - '0';
        else state = S::n, step = sign;
        break;
      case S::sign:
        if (is_sign) return false;
        if (digit) state = S::num, num = c - '0';
        else {
          if (has_n) return false;
          state = S::n, step = sign;
        }
        break;
      case S::num:
        if (is_sign) return false;
        if (digit) num = num * 10 + (c - '0');
        else {
          if (has_n) return false;
          state = S::n, step = sign * num, num = 0;
        }
        break;
      case S::n:
        if (is_sign) state = S::sign, has_n = true, sign = c == '+' ? 1 : -1, num = 0;
        else return false;
        break;
    }
  }
  if (state == S::sign || state == S::initial) return false;
  offset = num * sign;
  return true;
}

void parse_position(const YAML::Node& n, NthChildRule& r) {
  if (!n.IsScalar()) throw RuleError(n.Mark(), "`nthChild` position must be a number or an An+B string");
  const std::string& s = n.Scalar();
  if (!s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    r.step = 0;
    r.offset = std::stoi(s);
    return;
  }
  if (!parse_an_b(s, r.step, r.offset)) throw RuleError(n.Mark(), "Rule contains invalid nthChild: `" + s + "`");
}

}  // namespace

std::unique_ptr<RuleNode> RuleCompiler::State::rule(const YAML::Node& n, CompileCtx& cx, const std::set<std::string>& extra,
                                                    bool relation) {
  if (!n.IsMap()) throw RuleError(n.Mark(), "a rule must be a mapping (pattern, kind, regex, inside, has, all, any, ...)");
  for (const auto& kv : n) {
    const std::string key = kv.first.as<std::string>("");
    if (!rule_object_keys().contains(key) && !extra.contains(key))
      throw RuleError(kv.first.Mark(), "unknown rule key `" + key + "`" +
                                           (relation ? "" : " (expected pattern, kind, regex, nthChild, inside, has, "
                                                            "precedes, follows, all, any, not or matches)"));
  }
  std::vector<std::unique_ptr<RuleNode>> parts;
  // Atomic rules first, then composite, then relational: ast-grep's order.
  if (auto p = yaml_get(n, "pattern")) {
    try {
      std::shared_ptr<const Pattern> pat;
      if (p.IsScalar()) {
        pat = shared_pattern(p.Scalar(), "", *lang);
      } else if (p.IsMap()) {
        for (const auto& kv : p) {
          const std::string key = kv.first.as<std::string>("");
          if (key != "context" && key != "selector" && key != "strictness")
            throw RuleError(kv.first.Mark(), "unknown pattern key `" + key + "` (expected context, selector, strictness)");
        }
        Strictness strictness = Strictness::smart;
        if (auto s = p["strictness"]) {
          auto parsed = parse_strictness(scalar_or_throw(s, "strictness"));
          if (!parsed) throw RuleError(s.Mark(), "invalid strictness, valid options are: cst, smart, ast, relaxed, signature, template");
          strictness = *parsed;
        }
        auto context = p["context"];
        if (!context) throw RuleError(p.Mark(), "the pattern object needs `context`");
        if (auto sel = p["selector"])
          pat = shared_pattern(scalar_or_throw(context, "context"), scalar_or_throw(sel, "selector"), *lang, strictness);
        else
          pat = shared_pattern(scalar_or_throw(context, "context"), "", *lang, strictness);
      } else {
        throw RuleError(p.Mark(), "`pattern` must be a string or an object with `context` and `selector`");
      }
      if (pat->has_error())
        warnings.emplace_back(p.Mark(), "the pattern does not parse cleanly as " + std::string(lang->id) +
                                            " (tree-sitter reports an error in it): it may match nothing");
      pat->required_words(cx.words);
      cx.shallow = false;
      parts.push_back(std::make_unique<PatternRule>(std::move(pat)));
    } catch (const PatternError& e) {
      throw RuleError(p.Mark(), std::string("invalid pattern: ") + e.what() + " (language " + std::string(lang->id) + ")");
    }
  }
  if (auto k = yaml_get(n, "kind")) {
    std::string name = scalar_or_throw(k, "kind");
    TSSymbol sym = grammars::named_symbol(*lang, name);
    if (name == "ERROR") sym = 65535;
    if (sym == 0) throw RuleError(k.Mark(), "Kind `" + name + "` is invalid for " + std::string(lang->id));
    parts.push_back(std::make_unique<KindRule>(sym));
  }
  if (auto r = yaml_get(n, "regex")) {
    std::string source = scalar_or_throw(r, "regex");
    auto re = shared_regex(unicode_classes(source), ascii_classes(source));
    if (!lazy_regexes)
      if (auto error = re->error(); !error.empty()) throw RuleError(r.Mark(), "invalid regex `" + source + "`: " + error);
    parts.push_back(std::make_unique<RegexRule>(std::move(re), regex_last_names(source)));
    if (auto literals = regex_literals(source)) cx.clauses.push_back(std::move(*literals));
    cx.shallow = false;
  }
  if (auto r = yaml_get(n, "resolves")) {
    std::vector<std::string> names;
    if (r.IsScalar()) names.push_back(r.Scalar());
    else if (r.IsSequence())
      for (const auto& item : r) names.push_back(scalar_or_throw(item, "resolves"));
    else
      throw RuleError(r.Mark(), "`resolves` must be a qualified name or a list of them");
    if (names.empty()) throw RuleError(r.Mark(), "`resolves` needs at least one qualified name");
    for (const auto& q : names)
      if (q.empty() || q.find_first_of(" \t\n") != std::string::npos)
        throw RuleError(r.Mark(), "`resolves`: `" + q + "` is not a qualified name (like os.system or child_process.exec)");
    // A match depends on the file's imports: matched again when an import statement changes.
    const auto kinds = import_statement_kinds(*lang);
    cx.root_kinds.insert(kinds.begin(), kinds.end());
    cx.subtree_local = false;
    cx.shallow = false;
    // The text holds the last member of the name a match resolves to: written in the code
    // (`o.system`, `Runtime` for java.lang.Runtime) or in the import that binds the alias (`from os
    // import system as run`). A target `x.*` accepts any member: no word.
    if (std::none_of(names.begin(), names.end(), [](const std::string& q) { return q.ends_with(".*"); })) {
      std::vector<std::string> tails;
      for (const auto& q : names) tails.push_back(q.substr(q.rfind('.') == std::string::npos ? 0 : q.rfind('.') + 1));
      cx.clauses.push_back(std::move(tails));
    }
    // And the first segment of that name: a name resolves through an import, which names its
    // module (`crypto/md5` for crypto/md5.Sum, `hashlib` for hashlib.new, `child_process` in
    // `require('node:child_process')`), or as written. Not in Java, where `java.lang.*` is imported
    // without being written (`Runtime`). A target `x.*` has one too.
    if (lang->id != "java" || std::none_of(names.begin(), names.end(), [](const std::string& q) {
          return q.starts_with("java.lang.") || q.find('.') == std::string::npos;
        })) {
      std::vector<std::string> heads;
      for (const auto& q : names) heads.push_back(q.substr(0, q.find('.')));
      cx.clauses.push_back(std::move(heads));
    }
    parts.push_back(std::make_unique<ResolvesRule>(std::move(names), *lang));
  }
  if (auto nc = yaml_get(n, "nthChild")) {
    cx.subtree_local = false;
    cx.statement_local = false;
    cx.shallow = false;
    auto r = std::make_unique<NthChildRule>();
    if (nc.IsMap()) {
      for (const auto& kv : nc) {
        const std::string key = kv.first.as<std::string>("");
        if (key != "position" && key != "ofRule" && key != "reverse")
          throw RuleError(kv.first.Mark(), "unknown nthChild key `" + key + "` (expected position, ofRule, reverse)");
      }
      auto pos = nc["position"];
      if (!pos) throw RuleError(nc.Mark(), "`nthChild` needs `position`");
      parse_position(pos, *r);
      if (auto rev = nc["reverse"]) {
        std::string v = scalar_or_throw(rev, "reverse");
        if (v != "true" && v != "false") throw RuleError(rev.Mark(), "`reverse` must be true or false");
        r->reverse = v == "true";
      }
      if (auto of = nc["ofRule"]) {
        CompileCtx sub;
        r->of_rule = rule(of, sub);
      }
    } else {
      parse_position(nc, *r);
    }
    parts.push_back(std::move(r));
  }
  auto list = [&](const YAML::Node& l, const char* key) {
    if (!l.IsSequence()) throw RuleError(l.Mark(), std::string("`") + key + "` must be a list of rules");
  };
  if (auto a = yaml_get(n, "all")) {
    list(a, "all");
    auto r = std::make_unique<AllRule>();
    for (const auto& sub : a) r->rules.push_back(rule(sub, cx));
    r->finish();
    parts.push_back(std::move(r));
  }
  if (auto a = yaml_get(n, "any")) {
    list(a, "any");
    auto r = std::make_unique<AnyRule>();
    // Every branch needs some word: a match contains one of them (the strongest of each branch).
    std::vector<std::string> one_of;
    bool every_branch = true;
    for (const auto& sub : a) {
      CompileCtx branch;
      r->rules.push_back(rule(sub, branch));
      if (!branch.words.empty()) {
        one_of.push_back(*std::max_element(branch.words.begin(), branch.words.end(),
                                           [](const auto& x, const auto& y) { return x.size() < y.size(); }));
      } else if (!branch.clauses.empty()) {
        // The clause whose shortest word is longest (`crypto/md5` rather than `New`): short words
        // are in most texts.
        auto shortest = [](const std::vector<std::string>& c) {
          size_t n = SIZE_MAX;
          for (const auto& w : c) n = std::min(n, w.size());
          return n;
        };
        const auto& c = *std::max_element(branch.clauses.begin(), branch.clauses.end(), [&](const auto& x, const auto& y) {
          return std::pair(shortest(x), y.size()) < std::pair(shortest(y), x.size());
        });
        one_of.insert(one_of.end(), c.begin(), c.end());
      } else {
        every_branch = false;
      }
      cx.shallow = cx.shallow && branch.shallow;
      cx.shallow_kinds.insert(branch.shallow_kinds.begin(), branch.shallow_kinds.end());
      cx.subtree_local = cx.subtree_local && branch.subtree_local;
      cx.statement_local = cx.statement_local && branch.statement_local;
      cx.absorb_root_kinds(branch);
      cx.root_test = cx.root_test || branch.root_test;
    }
    if (every_branch && !one_of.empty()) {
      std::sort(one_of.begin(), one_of.end());
      one_of.erase(std::unique(one_of.begin(), one_of.end()), one_of.end());
      cx.clauses.push_back(std::move(one_of));
    }
    r->finish();
    parts.push_back(std::move(r));
  }
  if (auto a = yaml_get(n, "not")) {
    auto r = std::make_unique<NotRule>();
    CompileCtx sub;
    r->inner = rule(a, sub);
    cx.shallow = cx.shallow && sub.shallow;
    cx.shallow_kinds.insert(sub.shallow_kinds.begin(), sub.shallow_kinds.end());
    cx.subtree_local = cx.subtree_local && sub.subtree_local;
    cx.statement_local = cx.statement_local && sub.statement_local;
    cx.absorb_root_kinds(sub);
    cx.root_test = cx.root_test || sub.root_test;
    parts.push_back(std::move(r));
  }
  if (auto m = yaml_get(n, "matches")) {
    auto r = std::make_unique<MatchesRule>();
    r->slot = util(scalar_or_throw(m, "matches"), m, cx).get();
    parts.push_back(std::move(r));
  }
  for (const char* key : {"inside", "has", "precedes", "follows"})
    if (auto rel = yaml_get(n, key)) parts.push_back(relational(rel, cx, key));

  if (parts.empty()) throw RuleError(n.Mark(), "Rule must have one positive matcher.");
  if (parts.size() == 1) return std::move(parts.front());
  auto all = std::make_unique<AllRule>();
  all->rules = std::move(parts);
  all->finish();
  return all;
}

RuleCompiler::RuleCompiler(const grammars::Language& lang, const YAML::Node& local_utils,
                           std::shared_ptr<const GlobalUtils> globals)
    : lang_(&lang), state_(std::make_shared<State>()) {
  state_->lang = &lang;
  {
    TSParser* parser = ts_parser_new();
    ts_parser_set_language(parser, lang.ts_language());
    TSTree* empty = ts_parser_parse_string(parser, nullptr, "", 0);
    if (empty) state_->root_symbol = ts_node_symbol(ts_tree_root_node(empty));
    ts_tree_delete(empty);
    ts_parser_delete(parser);
  }
  state_->globals = std::move(globals);
  if (local_utils && !local_utils.IsNull()) {
    if (!local_utils.IsMap()) throw RuleError(local_utils.Mark(), "`utils` must be a mapping from util id to rule");
    for (const auto& kv : local_utils) state_->local_sources[kv.first.as<std::string>("")] = kv.second;
    if (auto cycle = cycle_in(state_->local_sources); !cycle.empty())
      throw RuleError(local_utils.Mark(), "cyclic util rules: " + cycle);
    std::map<std::string, std::vector<MoveEdge>> graph;
    for (const auto& [id, src] : state_->local_sources) {
      auto& edges = graph[id];
      collect_moves(src, 0, [&](const std::string& to) -> std::optional<std::string> {
        if (state_->local_sources.contains(to)) return to;
        return std::nullopt;  // a global util cannot name this file's utils
      }, edges);
    }
    if (auto [id, why] = looping_util(graph); !id.empty()) throw RuleError(state_->local_sources[id].Mark(), why);
    // Every util compiles, used or not, as in ast-grep: on the first compile(), when the caller
    // has said whether regexes compile now or on first use.
    state_->locals_pending = true;
  }
}

void RuleCompiler::set_lazy_regexes(bool lazy) { state_->lazy_regexes = lazy; }

std::unique_ptr<RuleMatcher> RuleCompiler::compile(const YAML::Node& rule_object, const YAML::Node& constraints,
                                                   const std::set<std::string>& extra_keys) const {
  state_->compile_pending_locals();
  auto out = std::make_unique<RuleMatcher>();
  CompileCtx cx;
  out->rule_ = state_->rule(rule_object, cx, extra_keys);
  if (constraints && !constraints.IsNull()) {
    if (!constraints.IsMap()) throw RuleError(constraints.Mark(), "`constraints` must be a mapping from metavariable to rule");
    for (const auto& kv : constraints) {
      CompileCtx sub;
      out->constraints_.emplace_back(kv.first.as<std::string>(""), state_->rule(kv.second, sub));
      cx.subtree_local = cx.subtree_local && sub.subtree_local;
      cx.statement_local = cx.statement_local && sub.statement_local;
      cx.absorb_root_kinds(sub);
      cx.root_test = cx.root_test || sub.root_test;
    }
  }
  out->kinds_ = out->rule_->kinds();
  // A pure constraint on a metavariable that no step of a top-level `all` after step k reads or
  // binds is tested right after step k (see RuleMatcher::match).
  if (const auto* all = dynamic_cast<const AllRule*>(out->rule_.get()); all && memo_enabled) {
    std::vector<VarCollector> vars(all->rules.size());
    for (size_t k = 0; k < all->rules.size(); ++k) all->rules[k]->collect_vars(vars[k]);
    std::vector<std::vector<size_t>> after(all->rules.size());
    bool any = false;
    for (size_t i = 0; i < out->constraints_.size() && i < 64; ++i) {  // a bit each in match()
      if (!out->constraints_[i].second->pure()) continue;
      const std::string& name = out->constraints_[i].first;
      size_t last = 0;  // steps [0, last) may mention it
      for (size_t k = 0; k < vars.size(); ++k)
        if (vars[k].incomplete || vars[k].vars.contains(name)) last = k + 1;
      if (last == 0 || last == vars.size()) continue;  // only the caller binds it, or the last step may
      after[last - 1].push_back(i);
      any = true;
    }
    if (any) {
      for (const auto& step : all->rules) out->all_steps_.push_back(step.get());
      out->early_constraints_ = std::move(after);
    }
  }
  out->subtree_local_ = cx.subtree_local;
  out->statement_local_ = cx.statement_local;
  out->root_test_ = cx.root_test;
  if (cx.statement_local) out->root_kinds_ = std::move(cx.root_kinds);
  std::sort(cx.words.begin(), cx.words.end());
  cx.words.erase(std::unique(cx.words.begin(), cx.words.end()), cx.words.end());
  // A clause one of whose words is required anyway adds nothing.
  std::erase_if(cx.clauses, [&](const std::vector<std::string>& c) {
    return c.empty() || std::any_of(c.begin(), c.end(), [&](const std::string& w) {
             return std::binary_search(cx.words.begin(), cx.words.end(), w);
           });
  });
  std::sort(cx.clauses.begin(), cx.clauses.end());
  cx.clauses.erase(std::unique(cx.clauses.begin(), cx.clauses.end()), cx.clauses.end());
  out->required_words_ = std::move(cx.words);
  out->required_clauses_ = std::move(cx.clauses);
  const CalleeKinds& calls = CalleeKinds::of(*state_->lang);
  for (const TSSymbol call : calls.calls()) out->callee_names_.emplace_back(call, out->rule_->callee_names(calls, call));
  out->own_names_ = out->rule_->own_names();
  out->keep_alive_ = state_;
  return out;
}

namespace {
class SiblingExpansion : public Expansion {
 public:
  std::unique_ptr<RuleNode> rule;
  StopBy stop;
  bool forward = true;
  std::shared_ptr<void> keep_alive;  // the utils the rule points into
  std::optional<TSNode> find(const MatchInput& in, TSNode node, const Bindings& env) const override {
    std::optional<TSNode> once;
    std::vector<TSNode> multi;
    if (stop.kind == StopKind::neighbor) once = neighbor_of(in, node, forward);
    else siblings(in, node, forward, multi);
    Bindings scratch = env;
    std::optional<TSNode> found;
    stop.find(in, once, StopBy::over(multi), [&](TSNode n) {
      if (!rule->match(in, n, scratch)) return false;
      found = n;
      return true;
    });
    return found;
  }
};
}  // namespace

std::shared_ptr<const Expansion> RuleCompiler::compile_expansion(const YAML::Node& relation, bool forward) const {
  if (!relation.IsMap()) throw RuleError(relation.Mark(), "an expansion must be a rule object with optional `stopBy`");
  state_->compile_pending_locals();
  auto out = std::make_shared<SiblingExpansion>();
  CompileCtx cx;
  out->stop = state_->stop_by(yaml_get(relation, "stopBy"), cx);
  out->rule = state_->rule(relation, cx, {"stopBy"}, true);
  out->forward = forward;
  out->keep_alive = state_;
  return out;
}

const std::vector<RuleError>& RuleCompiler::warnings() const { return state_->warnings; }

// ---- RuleMatcher ----

bool RuleMatcher::match(const MatchInput& in, TSNode node, Bindings& env) const {
  if (!contains(kinds_, ts_node_symbol(node))) return false;
  Bindings attempt = env;
  uint64_t tested = 0;  // bit i: constraints_[i] tested already (early_constraints_ holds i < 64)
  if (all_steps_.empty()) {
    if (!rule_->match(in, node, attempt)) return false;
  } else {
    // The `all` step by step, as AllRule::match (its kinds are kinds_). No step after k reads or
    // binds the metavariable of a constraint in early_constraints_[k]: its binding after step k is
    // its binding after the rule (a pattern that meets a bound metavariable again re-points it to
    // the new occurrence, hence the "reads"), and a pure constraint's verdict depends on that node
    // alone, so testing it here gives the verdict of the test below, before the costlier steps.
    for (size_t k = 0; k < all_steps_.size(); ++k) {
      if (!all_steps_[k]->match(in, node, attempt)) return false;
      for (size_t i : early_constraints_[k]) {
        auto it = attempt.single.find(constraints_[i].first);
        if (it == attempt.single.end()) continue;
        Bindings scratch = attempt;
        if (!constraints_[i].second->match(in, it->second, scratch)) return false;
        tested |= uint64_t{1} << i;
      }
    }
  }
  // Constraints apply to single metavariables that the rule bound; they may bind more.
  for (size_t i = 0; i < constraints_.size(); ++i) {
    if (i < 64 && (tested >> i & 1)) continue;
    const auto& [name, constraint] = constraints_[i];
    auto it = attempt.single.find(name);
    if (it == attempt.single.end()) continue;
    Bindings with = attempt;
    if (!constraint->match(in, it->second, with)) return false;
    attempt = std::move(with);
  }
  env = std::move(attempt);
  return true;
}

void RuleMatcher::collect_vars(VarCollector& c) const {
  rule_->collect_vars(c);
  for (const auto& [name, constraint] : constraints_) {
    c.vars.insert(name);  // read from the caller's bindings too
    constraint->collect_vars(c);
  }
}

bool RuleNode::pure() const {
  VarCollector c;
  collect_vars(c);
  return !c.incomplete && c.vars.empty();
}

void set_memo_for_testing(bool on) { memo_enabled = on; }

const std::optional<CalleeNames>& RuleMatcher::callee_names(TSSymbol call) const {
  static const std::optional<CalleeNames> none;
  for (const auto& [kind, names] : callee_names_)
    if (kind == call) return names;
  return none;
}

bool RuleMatcher::names_callees() const {
  return std::any_of(callee_names_.begin(), callee_names_.end(), [](const auto& c) { return c.second.has_value(); });
}

std::vector<TSSymbol> RuleMatcher::start_kinds() const {
  if (kinds_.any) return {};
  if (kinds_.kinds.empty()) return {0};  // matches nothing: symbol 0 (end of input) never labels a node
  return {kinds_.kinds.begin(), kinds_.kinds.end()};
}

std::vector<RuleMatcher::Match> RuleMatcher::find_all(const MatchInput& in, TSNode root) const {
  std::vector<Match> out;
  dfs(root, true, [&](TSNode n) {
    Bindings env;
    if (match(in, n, env)) out.push_back({n, std::move(env)});
    return false;
  });
  return out;
}

// ---- GlobalUtils ----

void GlobalUtils::add(Source s) { sources_[s.id] = std::move(s); }
bool GlobalUtils::has(const std::string& id) const { return sources_.contains(id); }
const GlobalUtils::Source* GlobalUtils::source(const std::string& id) const {
  auto it = sources_.find(id);
  return it == sources_.end() ? nullptr : &it->second;
}

std::string GlobalUtils::find_cycle() const {
  std::map<std::string, YAML::Node> rules;
  for (const auto& [id, s] : sources_) rules[id] = yaml_get(s.doc, "rule");
  return cycle_in(rules);
}

std::pair<std::string, std::string> GlobalUtils::find_loop() const {
  // Nodes: each util file's rule core ("id"), and the utils of its own `utils:` ("id/name").
  std::map<std::string, std::vector<MoveEdge>> graph;
  for (const auto& entry : sources_) {
    // Named, not a structured binding: clang 14 cannot capture those in a lambda.
    const std::string& id = entry.first;
    const Source& s = entry.second;
    const YAML::Node locals = yaml_get(s.doc, "utils");
    auto resolve = [&](const std::string& to) -> std::optional<std::string> {
      if (locals && locals.IsMap() && locals[to]) return id + "/" + to;
      if (sources_.contains(to)) return to;
      return std::nullopt;
    };
    auto& edges = graph[id];
    collect_moves(yaml_get(s.doc, "rule"), 0, resolve, edges);
    // A constraint is tried on a node a metavariable bound, which may lie anywhere.
    if (const YAML::Node c = yaml_get(s.doc, "constraints"); c && c.IsMap())
      for (const auto& kv : c) collect_moves(kv.second, kAnywhere, resolve, edges);
    if (locals && locals.IsMap())
      for (const auto& kv : locals) collect_moves(kv.second, 0, resolve, graph[id + "/" + kv.first.as<std::string>("")]);
  }
  auto [node, why] = looping_util(graph);
  return {node.substr(0, node.find('/')), why};
}

std::shared_ptr<UtilSlot> GlobalUtils::resolve(const std::string& id, const grammars::Language& lang,
                                               const std::shared_ptr<const GlobalUtils>& self) const {
  std::lock_guard lock(mutex_);
  auto key = std::make_pair(id, &lang);
  if (auto it = compiled_.find(key); it != compiled_.end()) return it->second;
  const Source& src = sources_.at(id);
  if (!src.languages.empty() && std::find(src.languages.begin(), src.languages.end(), lang.id) == src.languages.end())
    throw RuleError(src.doc.Mark(), "util rule `" + id + "` (" + src.path + ") is not written for " + std::string(lang.id));
  auto slot = std::make_shared<UtilSlot>();
  slot->id = id;
  compiled_[key] = slot;  // registered first: recursion through a relational rule finds it
  try {
    // The util's own compiler points back at this GlobalUtils without owning it: the slot it
    // fills is owned here, so an owning pointer would be a cycle.
    (void)self;
    RuleCompiler compiler(lang, yaml_get(src.doc, "utils"), std::shared_ptr<const GlobalUtils>(std::shared_ptr<const GlobalUtils>(), this));
    auto rule = yaml_get(src.doc, "rule");
    if (!rule) throw RuleError(src.doc.Mark(), "util rule `" + id + "` has no `rule`");
    slot->global = compiler.compile(rule, yaml_get(src.doc, "constraints"));
    slot->subtree_local = slot->global->subtree_local();
    slot->statement_local = slot->global->statement_local();
    slot->root_test = slot->global->root_test_;
    slot->root_kinds = slot->global->root_kinds();
    slot->words = slot->global->required_words();
    slot->clauses = slot->global->required_clauses();
    slot->compiled = true;
  } catch (const RuleError& e) {
    compiled_.erase(key);
    throw RuleError(e.mark, std::string(e.what()) + " (in util rule `" + id + "` from " + src.path + ")");
  }
  return slot;
}

}  // namespace vigil::match
