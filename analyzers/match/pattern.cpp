#include "analyzers/match/pattern.hpp"
#include "vigil/grammars/symbols.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_map>

namespace vigil::match {
namespace {

constexpr TSSymbol kErrorSymbol = 65535;  // tree-sitter's builtin ERROR symbol

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};
struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};

bool kinds_match(TSSymbol goal, TSSymbol candidate) { return goal == candidate || goal == kErrorSymbol; }

bool valid_first(char c) { return (c >= 'A' && c <= 'Z') || c == '_'; }
bool valid_var_char(char c) { return valid_first(c) || (c >= '0' && c <= '9'); }

// ast-grep's extract_meta_var, with `sigil` being the language's expando character (UTF-8).
std::optional<PatternNode> extract_meta_var(std::string_view src, std::string_view sigil) {
  PatternNode n;
  n.type = PatternNode::Type::metavar;
  const std::string ellipsis = std::string(sigil) + std::string(sigil) + std::string(sigil);
  if (src == ellipsis) {
    n.meta = PatternNode::Meta::multiple;
    return n;
  }
  if (src.starts_with(ellipsis)) {
    auto rest = src.substr(ellipsis.size());
    if (!std::all_of(rest.begin(), rest.end(), valid_var_char)) return std::nullopt;
    if (rest.starts_with('_')) {  // $$$_ is anonymous too
      n.meta = PatternNode::Meta::multiple;
    } else {
      n.meta = PatternNode::Meta::multi_capture;
      n.name = std::string(rest);
    }
    return n;
  }
  if (!src.starts_with(sigil)) return std::nullopt;
  auto rest = src.substr(sigil.size());
  n.named = true;
  if (rest.starts_with(sigil)) {
    rest = rest.substr(sigil.size());
    n.named = false;
  }
  if (rest.empty() || !valid_first(rest.front()) || !std::all_of(rest.begin(), rest.end(), valid_var_char))
    return std::nullopt;
  if (rest.front() == '_') {
    n.meta = PatternNode::Meta::dropped;
  } else {
    n.meta = PatternNode::Meta::capture;
    n.name = std::string(rest);
  }
  return n;
}

std::string_view text_of(std::string_view src, TSNode n) {
  return src.substr(ts_node_start_byte(n), ts_node_end_byte(n) - ts_node_start_byte(n));
}

PatternNode convert(TSNode node, std::string_view src, std::string_view sigil) {
  if (auto mv = extract_meta_var(text_of(src, node), sigil)) return *mv;
  PatternNode p;
  const uint32_t count = ts_node_child_count(node);
  if (count == 0) {
    p.type = PatternNode::Type::terminal;
    p.text = std::string(text_of(src, node));
    p.is_named = ts_node_is_named(node);
    p.kind = ts_node_symbol(node);
    return p;
  }
  p.type = PatternNode::Type::internal;
  p.kind = ts_node_symbol(node);
  std::vector<TSNode> kids;
  children_of(node, kids);
  for (TSNode c : kids)
    if (!ts_node_is_missing(c)) p.children.push_back(convert(c, src, sigil));
  return p;
}

bool is_single_node(TSNode n) {
  switch (ts_node_child_count(n)) {
    case 1: return true;
    case 2: {
      TSNode c = ts_node_child(n, 1);
      // Some grammars add a missing `;` or an empty node at the end (Go's `$A = 0`).
      return ts_node_is_missing(c) || std::string_view(ts_node_type(c)).empty();
    }
    default: return false;
  }
}

// Whether the subtree holds an ERROR node (a missing `;` at the end of an expression pattern is
// normal, and not reported).
bool contains_error(TSNode n) {
  if (!ts_node_has_error(n)) return false;
  if (ts_node_is_error(n)) return true;
  std::vector<TSNode> kids;
  children_of(n, kids);
  for (TSNode k : kids)
    if (contains_error(k)) return true;
  return false;
}

struct Parsed {
  std::string source;
  std::unique_ptr<TSTree, TreeDeleter> tree;
};

Parsed parse(std::string_view text, const grammars::Language& lang) {
  Parsed out;
  out.source = preprocess_pattern(text, lang);
  std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
  ts_parser_set_language(parser.get(), lang.ts_language());
  out.tree.reset(ts_parser_parse_string(parser.get(), nullptr, out.source.data(), static_cast<uint32_t>(out.source.size())));
  if (!out.tree) throw PatternError("tree-sitter failed to parse the pattern");
  return out;
}

// ---- matching (a port of ast-grep's match_tree) ----

enum class One { matched_both, skip_both, skip_goal, skip_candidate, no_match };

bool skip_comment_or_unnamed(TSNode n) {
  return !ts_node_is_named(n) || is_comment(n);
}

struct Ctx {
  const MatchInput& in;
  Strictness strictness;
};

One match_terminal(const Ctx& cx, const PatternNode& goal, TSNode cand) {
  const bool kind_matched = kinds_match(goal.kind, ts_node_symbol(cand));
  // tree-sitter-typescript gives some anonymous nodes a wrong span: compare only kinds for those.
  if (kind_matched && (!goal.is_named || goal.text == cx.in.node_text(cand))) return One::matched_both;
  bool skip_goal = false, skip_cand = false;
  switch (cx.strictness) {
    case Strictness::cst: break;
    case Strictness::smart: skip_cand = !ts_node_is_named(cand); break;
    case Strictness::ast: skip_goal = !goal.is_named, skip_cand = !ts_node_is_named(cand); break;
    case Strictness::relaxed: skip_goal = !goal.is_named, skip_cand = skip_comment_or_unnamed(cand); break;
    case Strictness::signature:
      if (kind_matched) return One::matched_both;
      skip_goal = !goal.is_named, skip_cand = skip_comment_or_unnamed(cand);
      break;
    case Strictness::template_:
      if (goal.text == cx.in.node_text(cand)) return One::matched_both;
      skip_cand = !ts_node_is_named(cand);
      break;
  }
  if (skip_goal && skip_cand) return One::skip_both;
  if (skip_goal) return One::skip_goal;
  if (skip_cand) return One::skip_candidate;
  return One::no_match;
}

bool should_skip_trailing(Strictness s, TSNode cand) {
  switch (s) {
    case Strictness::cst: return false;
    case Strictness::smart: return true;
    case Strictness::ast: return !ts_node_is_named(cand);  // ast-grep 0.51: `f($A, $B)` matches `f(a, b,)`
    case Strictness::relaxed:
    case Strictness::signature: return skip_comment_or_unnamed(cand);
    case Strictness::template_: return true;
  }
  return false;
}

// Skips the remaining goals that may match nothing; true when all of them can.
bool should_skip_goal(Strictness s, const std::vector<PatternNode>& goals, size_t& g) {
  while (g < goals.size()) {
    const auto& p = goals[g];
    bool skipped = false;
    switch (s) {
      case Strictness::cst: skipped = false; break;
      case Strictness::smart:
      case Strictness::template_: skipped = p.is_ellipsis(); break;
      case Strictness::ast:
      case Strictness::relaxed:
      case Strictness::signature:
        if (p.type == PatternNode::Type::metavar)
          skipped = p.is_ellipsis() || !p.named;
        else if (p.type == PatternNode::Type::terminal)
          skipped = !p.is_named;
        break;
    }
    if (!skipped) return false;
    ++g;
  }
  return true;
}

// What a match records: the bindings.
struct EnvAgg {
  Bindings env;
  bool terminal(const Ctx&, TSNode) { return true; }
  bool meta_var(const Ctx& cx, const PatternNode& mv, TSNode cand) {
    using M = PatternNode::Meta;
    switch (mv.meta) {
      case M::capture: {
        if (mv.named && !ts_node_is_named(cand)) return false;
        auto it = env.single.find(mv.name);
        if (it != env.single.end()) {
          if (!same_code(cx.in, it->second, cand)) return false;
          it->second = cand;  // as ast-grep: the latest occurrence is the binding
          return true;
        }
        env.single.emplace(mv.name, cand);
        return true;
      }
      case M::dropped: return !(mv.named && !ts_node_is_named(cand));
      case M::multiple: return true;
      case M::multi_capture: return insert_multi(cx, mv.name, {cand});
    }
    return false;
  }
  bool ellipsis(const Ctx& cx, const std::string* name, std::vector<TSNode> nodes, size_t skipped_anonymous) {
    if (!name) return true;
    nodes.resize(nodes.size() - std::min(nodes.size(), skipped_anonymous));
    return insert_multi(cx, *name, std::move(nodes));
  }
  bool insert_multi(const Ctx& cx, const std::string& name, std::vector<TSNode> nodes) {
    auto it = env.multi.find(name);
    if (it != env.multi.end()) {
      // Named nodes pairwise the same code.
      std::vector<TSNode> a, b;
      for (TSNode n : it->second)
        if (ts_node_is_named(n)) a.push_back(n);
      for (TSNode n : nodes)
        if (ts_node_is_named(n)) b.push_back(n);
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i)
        if (!same_code(cx.in, a[i], b[i])) return false;
      it->second = std::move(nodes);
      return true;
    }
    env.multi.emplace(name, std::move(nodes));
    return true;
  }
};

template <class Agg>
One match_node(const Ctx& cx, const PatternNode& goal, TSNode cand, Agg& agg);

enum class Flow { cont, fallthrough, ret };

template <class Agg>
bool match_nodes(const Ctx& cx, const std::vector<PatternNode>& goals, const std::vector<TSNode>& cands, Agg& agg);

template <class Agg>
One match_node(const Ctx& cx, const PatternNode& goal, TSNode cand, Agg& agg) {
  switch (goal.type) {
    case PatternNode::Type::terminal: {
      One r = match_terminal(cx, goal, cand);
      if (r == One::matched_both) return agg.terminal(cx, cand) ? One::matched_both : One::no_match;
      return r;
    }
    case PatternNode::Type::metavar: return agg.meta_var(cx, goal, cand) ? One::matched_both : One::no_match;
    case PatternNode::Type::internal: {
      const bool kind_ok = cx.strictness == Strictness::template_ || kinds_match(goal.kind, ts_node_symbol(cand));
      if (!kind_ok) return One::no_match;
      std::vector<TSNode> kids;
      children_of(cand, kids);
      return match_nodes(cx, goal.children, kids, agg) ? One::matched_both : One::no_match;
    }
  }
  return One::no_match;
}

// Returns false for "no match"; sets `flow`.
template <class Agg>
bool may_match_ellipsis(const Ctx& cx, const std::vector<PatternNode>& goals, size_t& g,
                        const std::vector<TSNode>& cands, size_t& c, Agg& agg, Flow& flow) {
  if (g >= goals.size()) {
    flow = Flow::ret;  // an internal node with no children (ast-grep#1688)
    return true;
  }
  const PatternNode& cur = goals[g];
  if (!cur.is_ellipsis()) {
    flow = Flow::fallthrough;
    return true;
  }
  const std::string* name = cur.meta == PatternNode::Meta::multi_capture ? &cur.name : nullptr;
  std::vector<TSNode> matched;
  ++g;
  auto rest = [&]() {
    std::vector<TSNode> out = matched;
    for (size_t i = c; i < cands.size(); ++i) out.push_back(cands[i]);
    c = cands.size();
    return out;
  };
  if (g >= goals.size()) {  // the ellipsis is last: it takes everything left
    if (!agg.ellipsis(cx, name, rest(), 0)) return false;
    flow = Flow::ret;
    return true;
  }
  // Anonymous goals after an ellipsis (a `,`) are skipped, and left out of its nodes.
  size_t skipped_anonymous = 0;
  while (goals[g].is_trivial()) {
    ++g;
    ++skipped_anonymous;
    if (g >= goals.size()) {
      if (!agg.ellipsis(cx, name, rest(), skipped_anonymous)) return false;
      flow = Flow::ret;
      return true;
    }
  }
  // Two ellipses in a row: the first takes exactly one node.
  if (goals[g].is_ellipsis()) {
    matched.push_back(cands[c++]);
    if (c >= cands.size()) return false;
    if (!agg.ellipsis(cx, name, matched, skipped_anonymous)) return false;
    flow = Flow::cont;
    return true;
  }
  // Lazy: stop at the first candidate the next goal matches. The probe runs on a copy so that a
  // failed attempt leaves no bindings behind.
  for (;;) {
    Agg probe = agg;
    if (match_node(cx, goals[g], cands[c], probe) == One::matched_both) {
      if (!agg.ellipsis(cx, name, matched, skipped_anonymous)) return false;
      flow = Flow::fallthrough;
      return true;
    }
    matched.push_back(cands[c++]);
    if (c >= cands.size()) return false;
  }
}

template <class Agg>
bool match_single_skipping_trivial(const Ctx& cx, const std::vector<PatternNode>& goals, size_t& g,
                                   const std::vector<TSNode>& cands, size_t& c, Agg& agg) {
  for (;;) {
    if (c >= cands.size()) return should_skip_goal(cx.strictness, goals, g);
    // ast-grep 0.51 steps over extras (comments, Python's line continuations) in the code where
    // the pattern has a leaf or a single metavariable; a subtree in the pattern does not skip them,
    // and neither do the `cst` and `ast` strictness levels (checked against its binary).
    const PatternNode& goal = goals[g];
    const bool skips_extras = cx.strictness == Strictness::smart || cx.strictness == Strictness::relaxed ||
                              cx.strictness == Strictness::signature || cx.strictness == Strictness::template_;
    if (skips_extras && ts_node_is_extra(cands[c]) && goal.type != PatternNode::Type::internal) {
      if (goal.type == PatternNode::Type::metavar) {
        ++c;
        continue;
      }
      Agg probe = agg;
      if (match_node(cx, goal, cands[c], probe) != One::matched_both) {
        ++c;
        continue;
      }
    }
    switch (match_node(cx, goals[g], cands[c], agg)) {
      case One::matched_both: return true;
      case One::skip_goal:
        ++g;
        if (g >= goals.size()) return true;
        break;
      case One::skip_both:
        ++c;
        ++g;
        if (g >= goals.size()) return true;
        break;
      case One::skip_candidate: ++c; break;
      case One::no_match: return false;
    }
  }
}

template <class Agg>
bool match_nodes(const Ctx& cx, const std::vector<PatternNode>& goals, const std::vector<TSNode>& cands, Agg& agg) {
  size_t g = 0, c = 0;
  if (cands.empty()) return false;
  for (;;) {
    Flow flow;
    if (!may_match_ellipsis(cx, goals, g, cands, c, agg, flow)) return false;
    if (flow == Flow::ret) return true;
    if (flow == Flow::cont) continue;
    if (!match_single_skipping_trivial(cx, goals, g, cands, c, agg)) return false;
    if (g < goals.size()) {
      ++g;
      ++c;  // the goal was consumed: so is the candidate it matched
    }
    if (g >= goals.size()) {
      for (; c < cands.size(); ++c)
        if (!should_skip_trailing(cx.strictness, cands[c])) return false;
      return true;
    }
    if (c >= cands.size()) return false;
  }
}

void collect_vars(const PatternNode& p, std::vector<std::string>& out) {
  if (p.type == PatternNode::Type::metavar) {
    if (!p.name.empty()) out.push_back(p.name);
    return;
  }
  for (const auto& c : p.children) collect_vars(c, out);
}

void collect_words(const PatternNode& p, std::vector<std::string>& out) {
  if (p.type == PatternNode::Type::terminal) {
    if (p.is_named && p.text.size() >= 3 &&
        std::all_of(p.text.begin(), p.text.end(), [](unsigned char ch) { return std::isalnum(ch) || ch == '_'; }))
      out.push_back(p.text);
    return;
  }
  for (const auto& c : p.children) collect_words(c, out);
}

}  // namespace

std::optional<Strictness> parse_strictness(std::string_view name) {
  if (name == "cst") return Strictness::cst;
  if (name == "smart") return Strictness::smart;
  if (name == "ast") return Strictness::ast;
  if (name == "relaxed") return Strictness::relaxed;
  if (name == "signature") return Strictness::signature;
  if (name == "template") return Strictness::template_;
  return std::nullopt;
}

std::string_view expando_char(const grammars::Language& lang) {
  if (lang.id == "python" || lang.id == "go") return "\xC2\xB5";  // µ
  if (lang.id == "c" || lang.id == "cpp") return "_";
  return "$";
}

std::string preprocess_pattern(std::string_view query, const grammars::Language& lang) {
  const std::string_view expando = expando_char(lang);
  if (expando == "$") return std::string(query);
  std::string out;
  out.reserve(query.size() + 8);
  size_t dollars = 0;
  auto flush = [&](bool replace) {
    for (size_t i = 0; i < dollars; ++i) out += replace ? expando : std::string_view("$");
    dollars = 0;
  };
  for (char c : query) {
    if (c == '$') {
      ++dollars;
      continue;
    }
    const bool replace = (c >= 'A' && c <= 'Z') || c == '_' || dollars == 3;
    flush(replace);
    out += c;
  }
  flush(dollars == 3);
  return out;
}

void children_of(TSNode node, std::vector<TSNode>& out) {
  out.clear();
  const uint32_t count = ts_node_child_count(node);
  if (count == 0) return;
  out.reserve(count);
  // One cursor per thread, reset for each node: creating one allocates.
  struct Cursor {
    TSTreeCursor c;
    explicit Cursor(TSNode n) : c(ts_tree_cursor_new(n)) {}
    ~Cursor() { ts_tree_cursor_delete(&c); }
  };
  thread_local Cursor cursor(node);
  ts_tree_cursor_reset(&cursor.c, node);
  if (ts_tree_cursor_goto_first_child(&cursor.c)) {
    do out.push_back(ts_tree_cursor_current_node(&cursor.c));
    while (ts_tree_cursor_goto_next_sibling(&cursor.c));
  }
}

namespace {
// Below this many children a fresh list is as cheap as a lookup.
constexpr uint32_t kWideChildren = 32;
struct WideChildren {
  std::vector<TSNode> all;
  std::unordered_map<TSSymbol, std::vector<uint32_t>> by_kind;  // indices into `all`, ascending
};
struct WideEntry {
  TSNode node;
  std::shared_ptr<const WideChildren> kids;
};
struct NarrowEntry {
  TSNode node;
  std::shared_ptr<const std::vector<TSNode>> kids;
};
struct WideCacheState {
  int depth = 0;
  std::vector<WideEntry> recent;  // most recently used first
  // Narrow nodes' lists (shared_children_of): a ring of the last few, without the index by kind.
  std::array<NarrowEntry, 8> narrow{};
  size_t narrow_next = 0;
  std::shared_ptr<void> state;  // see scope_state
};
thread_local WideCacheState wide_cache;

// The cached children of a wide node, or null outside a cache scope or for a narrow node.
std::shared_ptr<const WideChildren> wide_children(TSNode node) {
  constexpr size_t kEntries = 4;
  if (wide_cache.depth == 0 || ts_node_child_count(node) < kWideChildren) return nullptr;
  // Keyed by the whole node (subtree, tree and position): within a cache scope the trees live, so
  // an equal node has equal children.
  auto& recent = wide_cache.recent;
  auto same = [&](const TSNode& a) {
    return a.id == node.id && a.tree == node.tree &&
           std::equal(std::begin(a.context), std::end(a.context), std::begin(node.context));
  };
  for (size_t i = 0; i < recent.size(); ++i)
    if (same(recent[i].node)) {
      std::rotate(recent.begin(), recent.begin() + static_cast<std::ptrdiff_t>(i),
                  recent.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      return recent.front().kids;
    }
  auto kids = std::make_shared<WideChildren>();
  children_of(node, kids->all);
  for (uint32_t i = 0; i < kids->all.size(); ++i) kids->by_kind[ts_node_symbol(kids->all[i])].push_back(i);
  if (recent.size() == kEntries) recent.pop_back();
  recent.insert(recent.begin(), WideEntry{node, kids});
  return kids;
}
}  // namespace

WideChildrenCache::WideChildrenCache() { ++wide_cache.depth; }
WideChildrenCache::~WideChildrenCache() {
  if (--wide_cache.depth == 0) {
    wide_cache.recent.clear();
    for (auto& e : wide_cache.narrow) e = NarrowEntry{};
    wide_cache.state.reset();
  }
}

std::shared_ptr<void>* scope_state() { return wide_cache.depth == 0 ? nullptr : &wide_cache.state; }

std::shared_ptr<const std::vector<TSNode>> shared_children_of(TSNode node) {
  if (auto wide = wide_children(node)) return std::shared_ptr<const std::vector<TSNode>>(wide, &wide->all);
  // A narrow node: `nthChild` and `follows`/`precedes` list the parent's children for every child
  // they are asked about (a `has` over a call's arguments, each statement of a block in the walk):
  // the last few lists are kept while a cache scope lives, keyed as wide_children keys them.
  if (wide_cache.depth > 0) {
    for (const auto& e : wide_cache.narrow)
      if (e.kids && e.node.id == node.id && e.node.tree == node.tree &&
          std::equal(std::begin(e.node.context), std::end(e.node.context), std::begin(node.context)))
        return e.kids;
  }
  auto kids = std::make_shared<std::vector<TSNode>>();
  children_of(node, *kids);
  if (wide_cache.depth > 0) {
    wide_cache.narrow[wide_cache.narrow_next] = NarrowEntry{node, kids};
    wide_cache.narrow_next = (wide_cache.narrow_next + 1) % wide_cache.narrow.size();
  }
  return kids;
}

void children_of_kinds(TSNode node, const std::set<TSSymbol>& kinds, std::vector<TSNode>& out) {
  out.clear();
  if (auto wide = wide_children(node)) {
    std::vector<uint32_t> picked;
    for (TSSymbol k : kinds)
      if (auto it = wide->by_kind.find(k); it != wide->by_kind.end())
        picked.insert(picked.end(), it->second.begin(), it->second.end());
    if (kinds.size() > 1) std::sort(picked.begin(), picked.end());
    for (uint32_t i : picked) out.push_back(wide->all[i]);
    return;
  }
  children_of(node, out);
  std::erase_if(out, [&](TSNode n) { return !kinds.contains(ts_node_symbol(n)); });
}

bool same_code(const MatchInput& in, TSNode a, TSNode b) {
  if (ts_node_eq(a, b)) return true;
  if (ts_node_named_child_count(a) == 0 || ts_node_named_child_count(b) == 0)
    return in.node_text(a) == in.node_text(b);
  if (ts_node_symbol(a) != ts_node_symbol(b)) return false;
  const uint32_t n = ts_node_child_count(a);
  if (n != ts_node_child_count(b)) return false;
  std::vector<TSNode> ka, kb;
  children_of(a, ka);
  children_of(b, kb);
  for (uint32_t i = 0; i < n; ++i)
    if (!same_code(in, ka[i], kb[i])) return false;
  return true;
}

Pattern Pattern::compile(std::string_view text, const grammars::Language& lang, Strictness strictness) {
  Parsed parsed = parse(text, lang);
  TSNode root = ts_tree_root_node(parsed.tree.get());
  if (ts_node_child_count(root) == 0)
    throw PatternError("no AST root is detected in pattern `" + std::string(text) + "`");
  if (!is_single_node(root))
    throw PatternError("multiple AST nodes are detected in pattern `" + std::string(text) +
                       "`: a pattern must be one node (use `all`/`has`, or the pattern object with `context` and `selector`)");
  TSNode node = root;
  while (is_single_node(node)) node = ts_node_child(node, 0);
  Pattern p;
  p.root_ = convert(node, parsed.source, expando_char(lang));
  p.strictness_ = strictness;
  p.has_error_ = contains_error(node);  // errors around the selected node (C's top level) do not matter
  return p;
}

Pattern Pattern::compile_contextual(std::string_view context, std::string_view selector, const grammars::Language& lang,
                                    Strictness strictness) {
  const TSSymbol kind = grammars::named_symbol(lang, selector);
  if (kind == 0) throw PatternError("kind `" + std::string(selector) + "` is invalid for " + std::string(lang.id));
  Parsed parsed = parse(context, lang);
  // The first node of that kind, in pre-order.
  std::optional<TSNode> found;
  std::vector<TSNode> stack{ts_tree_root_node(parsed.tree.get())};
  std::vector<TSNode> kids;
  while (!stack.empty() && !found) {
    TSNode n = stack.back();
    stack.pop_back();
    if (ts_node_symbol(n) == kind) {
      found = n;
      break;
    }
    children_of(n, kids);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
  }
  if (!found)
    throw PatternError("selector `" + std::string(selector) + "` matches no node in the context `" + std::string(context) + "`");
  Pattern p;
  p.root_ = convert(*found, parsed.source, expando_char(lang));
  p.contextual_kind_ = kind;
  p.strictness_ = strictness;
  p.has_error_ = contains_error(*found);
  return p;
}

bool Pattern::match(const MatchInput& in, TSNode node, Bindings& env) const {
  if (contextual_kind_ && ts_node_symbol(node) != *contextual_kind_) return false;
  // Cheap rejection before copying the bindings.
  if (root_.type != PatternNode::Type::metavar && !kinds_match(root_.kind, ts_node_symbol(node)) &&
      strictness_ != Strictness::template_)
    return false;
  Ctx cx{in, strictness_};
  EnvAgg agg{env};
  if (match_node(cx, root_, node, agg) != One::matched_both) return false;
  env = std::move(agg.env);
  return true;
}

std::optional<TSSymbol> Pattern::root_kind() const {
  // `template` ignores kinds: such a pattern can start anywhere; so does an unparsable pattern
  // whose root is an ERROR node (ast-grep then refuses a rule that has nothing else to start at).
  if (strictness_ == Strictness::template_) return std::nullopt;
  if (root_.type != PatternNode::Type::metavar && root_.kind == kErrorSymbol) return std::nullopt;
  if (root_.type == PatternNode::Type::metavar) return contextual_kind_;
  return root_.kind;
}

void Pattern::defined_vars(std::vector<std::string>& out) const { collect_vars(root_, out); }

void Pattern::required_words(std::vector<std::string>& out) const {
  // `signature` and `template` do not compare (all) leaf texts.
  if (strictness_ == Strictness::signature || strictness_ == Strictness::template_) return;
  collect_words(root_, out);
}

}  // namespace vigil::match
