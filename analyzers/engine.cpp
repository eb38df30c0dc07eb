#include "analyzers/engine.hpp"
#include "analyzers/match/cursor.hpp"
#include "analyzers/prefilter.hpp"
#include "analyzers/text/digest.hpp"


#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "analyzers/budget.hpp"
#include "analyzers/match/fix_template.hpp"
#include "analyzers/match/imports.hpp"
#include "analyzers/match/pattern.hpp"
#include "analyzers/match/taint_top_level.hpp"
#include "analyzers/match/words.hpp"

#include <spdlog/spdlog.h>

namespace vigil {
namespace {


// Whitespace-insensitive form of code, so reformatting keeps a fingerprint.
std::string normalized(std::string_view code) {
  std::string out;
  bool space = false;
  for (char c : code) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string shorten(std::string_view text) {
  auto nl = text.find('\n');
  bool cut = nl != std::string_view::npos;
  std::string s(text.substr(0, nl));
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  if (s.size() > 80) {
    s.resize(77);
    // Do not cut a UTF-8 sequence in half.
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
    cut = true;
  }
  return cut ? s + "…" : s;
}

}  // namespace

bool RuleSet::add(rules::RulePtr rule) {
  {
    std::lock_guard lock(plans_mutex_);
    plans_.clear();
  }
  {
    std::lock_guard lock(memo_mutex_);
    memos_.clear();
  }
  for (auto& existing : ordered_) {
    if (existing->id == rule->id) {
      existing = std::move(rule);
      return false;
    }
  }
  ordered_.push_back(std::move(rule));
  return true;
}

std::vector<rules::RulePtr> RuleSet::for_language(const grammars::Language& lang) const {
  std::vector<rules::RulePtr> out;
  for (const auto& r : ordered_)
    if (r->matcher_for(lang)) out.push_back(r);
  return out;
}

std::shared_ptr<const RuleSet::LanguagePlan> RuleSet::plan_for(const grammars::Language& lang) const {
  std::lock_guard lock(plans_mutex_);
  if (auto it = plans_.find(&lang); it != plans_.end()) return it->second;
  auto plan = std::make_shared<LanguagePlan>();
  for (const auto& r : for_language(lang)) {
    const auto* m = r->matcher_for(lang);
    if (m->repetition()) {
      plan->repetition_rules.push_back({r, m});
    } else if (const auto* tree = m->rule_tree()) {
      const auto index = static_cast<uint32_t>(plan->tree_rules.size());
      plan->tree_rules.push_back({r, m});
      auto kinds = tree->start_kinds();
      if (kinds.empty()) plan->any_kind.push_back(index);
      const auto& calls = match::CalleeKinds::of(lang);
      for (TSSymbol k : kinds) {
        if (k >= plan->by_kind.size()) plan->by_kind.resize(k + 1);
        plan->by_kind[k].push_back(index);
        if (calls.field(k) && tree->callee_names(k)) {
          if (k >= plan->named_calls.size()) plan->named_calls.resize(k + 1, 0);
          plan->named_calls[k] = 1;
        }
      }
    } else if (m->taint()) {
      plan->taint_rules.push_back({r, m});
    } else {
      plan->rules.push_back(r);
    }
  }
  for (const auto& r : plan->rules)
    plan->query_filters.push_back(std::make_shared<match::QueryPrefilter>(r->matcher_for(lang)->source()));
  std::vector<std::string> words;
  auto add_words = [&](const match::NodeMatcher* m) {
    const auto* tree = dynamic_cast<const match::RuleMatcher*>(m);
    if (!tree) return;
    words.insert(words.end(), tree->required_words().begin(), tree->required_words().end());
    for (const auto& clause : tree->required_clauses()) words.insert(words.end(), clause.begin(), clause.end());
  };
  for (const auto& tr : plan->tree_rules) add_words(tr.matcher->rule_tree());
  for (const auto& tr : plan->taint_rules) {
    const auto& spec = *tr.matcher->taint();
    for (const auto& s : spec.sources) add_words(s.matcher.get());
    for (const auto& s : spec.sinks) add_words(s.matcher.get());
    for (const auto& s : spec.sanitizers) add_words(s.matcher.get());
    for (const auto& p : spec.propagators) add_words(p.matcher.get());
  }
  plan->words = std::make_shared<const match::WordIndex>(std::move(words));
  plan->language = &lang;
  plans_[&lang] = plan;
  return plan;
}

std::shared_ptr<const RuleSet::LanguagePlan::Merged> RuleSet::LanguagePlan::merged_if_built() const {
  std::lock_guard lock(merged_mutex_);
  return merged_;
}

bool RuleSet::LanguagePlan::claim_merged_build() const {
  std::lock_guard lock(merged_mutex_);
  if (merged_ || build_claimed_ || rules.empty()) return false;
  build_claimed_ = true;
  return true;
}

bool RuleSet::LanguagePlan::merged_build_claimed() const {
  std::lock_guard lock(merged_mutex_);
  return build_claimed_;
}

bool RuleSet::LanguagePlan::any_query_rule_may_match(std::string_view text) const {
  if (rules.empty()) return false;
  const match::TextWords words(text, this->words.get());
  return std::any_of(query_filters.begin(), query_filters.end(), [&](const auto& f) { return f->may_match(words); });
}

bool RuleSet::LanguagePlan::waiting_for_merged_pays(const std::vector<uint32_t>& active) const {
  // The source's size stands for the compile's cost: tree-sitter analyses each pattern's steps.
  auto source_size = [&](uint32_t i) { return rules[i]->matcher_for(*language)->source().size(); };
  size_t total = 0, of_active = 0;
  for (uint32_t i = 0; i < rules.size(); ++i) total += source_size(i);
  for (uint32_t i : active) of_active += source_size(i);
  return 2 * of_active >= total;
}

std::shared_ptr<const RuleSet::LanguagePlan::Merged> RuleSet::LanguagePlan::merged() const {
  // Compiled without holding merged_mutex_, so that merged_if_built() never waits for it.
  std::lock_guard compiling(compile_mutex_);
  if (auto built = merged_if_built()) return built;
  auto out = std::make_shared<Merged>();
  std::string text;
  std::vector<uint32_t> rule_start;  // where each rule's source starts in `text`
  for (const auto& rule : rules) {
    rule_start.push_back(static_cast<uint32_t>(text.size()));
    text += rule->matcher_for(*language)->source();
    text += '\n';
  }
  if (!rules.empty()) {
    try {
      auto q = std::make_shared<match::Query>(language->ts_language(), text);
      for (uint32_t i = 0; i < q->pattern_count(); ++i) {
        auto it = std::upper_bound(rule_start.begin(), rule_start.end(), q->pattern_start(i));
        out->pattern_rule.push_back(static_cast<uint32_t>(it - rule_start.begin()) - 1);
      }
      out->match_capture = q->capture_id("match");
      out->query = std::move(q);
    } catch (const match::QueryError&) {
      // One broken rule (loaded without validation) must not stop the others: run them one by one.
    } catch (const std::exception& e) {
      spdlog::error("building the merged query of {}: {}", language->id, e.what());
    }
  }
  std::lock_guard lock(merged_mutex_);
  merged_ = out;
  return merged_;
}

// A place where a context-dependent `rule:` rule (index in the plan's tree_rules) looked at the
// top level, by the matched node's byte range.
struct ContextSpot {
  uint32_t rule;
  uint32_t start, end;
  bool operator<(const ContextSpot& o) const { return std::tie(rule, start, end) < std::tie(o.rule, o.start, o.end); }
  bool operator==(const ContextSpot& o) const { return rule == o.rule && start == o.start && end == o.end; }
};

// Identifies a text for the memo (beside its snapshot's address), not security: eight bytes a step
// (byte by byte, FNV-1a cost ~1 M instructions for an 8k-line JavaScript file, on every pass that
// recalls or remembers a memo).
uint64_t text_hash(std::string_view text) {
  uint64_t h = 1469598103934665603ull ^ text.size();
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, text.data() + i, 8);
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
  }
  for (; i < text.size(); ++i) h = (h ^ static_cast<unsigned char>(text[i])) * 1099511628211ull;
  return h;
}

struct RuleSet::Memo {
  const document::Snapshot* snapshot = nullptr;
  uint64_t hash = 0;  // of the snapshot's text (remembered memos; a local pass's is handed over: 0)
  std::shared_ptr<const LanguagePlan> plan;
  std::vector<ContextSpot> spots;  // sorted, without duplicates (sort_spots)
  std::shared_ptr<const match::ImportTable> imports;  // the snapshot's import table, when it was built
  // Per tree rule, whether its spots are all noted: the rule ran wherever it could match (the
  // prefilter's verdict of the analysis that started the memo).
  std::vector<char> active;
};

void sort_spots(std::vector<ContextSpot>& spots) {
  std::sort(spots.begin(), spots.end());
  spots.erase(std::unique(spots.begin(), spots.end()), spots.end());
}

void RuleSet::remember(std::shared_ptr<const Memo> memo) const {
  std::lock_guard lock(memo_mutex_);
  memos_.push_back(std::move(memo));
  if (memos_.size() > 16) memos_.erase(memos_.begin());
}

std::shared_ptr<const RuleSet::Memo> RuleSet::recall(const document::Snapshot& snapshot) const {
  const uint64_t hash = text_hash(snapshot.text);
  std::lock_guard lock(memo_mutex_);
  for (auto it = memos_.rbegin(); it != memos_.rend(); ++it)
    if ((*it)->snapshot == &snapshot && (*it)->hash == hash) return *it;
  return nullptr;
}

std::string interpolate(std::string_view templ, const std::map<std::string, std::string>& captures) {
  std::string out;
  for (size_t i = 0; i < templ.size(); ++i) {
    if (templ[i] != '$') {
      out += templ[i];
      continue;
    }
    size_t j = i + 1;
    while (j < templ.size() && (std::isalnum(static_cast<unsigned char>(templ[j])) || templ[j] == '_')) ++j;
    std::string name(templ.substr(i + 1, j - i - 1));
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    auto it = captures.find(name);
    if (it == captures.end()) it = captures.find(lower);
    if (name.empty() || it == captures.end()) {
      out += templ[i];
      continue;
    }
    out += it->second;
    i = j - 1;
  }
  return out;
}

namespace {

using ByteRange = std::pair<uint32_t, uint32_t>;

// Whether the node [s, e) touches `r`: overlaps it, or is empty and at a byte within it.
bool touches(const ByteRange& r, uint32_t s, uint32_t e) {
  return (e > r.first && s < r.second) || (s == e && s >= r.first && s < r.second);
}
// Whether it touches one of `regions` (sorted, disjoint): only the first region ending after s can.
bool touches_any(const std::vector<ByteRange>& regions, uint32_t s, uint32_t e) {
  auto r = std::upper_bound(regions.begin(), regions.end(), s, [](uint32_t b, const ByteRange& x) { return b < x.second; });
  return r != regions.end() && touches(*r, s, e);
}

// Turns one query match into a finding of `rule`; false when the @match capture is absent.
bool make_finding(const rules::RulePtr& rule, const match::Query& query, int match_capture,
                  const match::QueryMatch& m, const document::Snapshot& snapshot, Finding& f) {
  uint32_t start = UINT32_MAX, end = 0;
  TSPoint start_pt{}, end_pt{};
  std::map<std::string, std::string> texts;
  std::map<std::string, std::string> full_texts;  // unshortened, for the fix
  f.extent_start = UINT32_MAX;
  f.extent_end = 0;
  for (const auto& c : m.captures) {
    f.extent_start = std::min(f.extent_start, ts_node_start_byte(c.node));
    f.extent_end = std::max(f.extent_end, ts_node_end_byte(c.node));
    texts.emplace(std::string(query.capture_name(c.capture_id)), shorten(snapshot.node_text(c.node)));
    full_texts.emplace(std::string(query.capture_name(c.capture_id)), std::string(snapshot.node_text(c.node)));
    if (match_capture >= 0 && static_cast<int>(c.capture_id) != match_capture) continue;
    if (ts_node_start_byte(c.node) < start) start = ts_node_start_byte(c.node), start_pt = ts_node_start_point(c.node);
    if (ts_node_end_byte(c.node) >= end) end = ts_node_end_byte(c.node), end_pt = ts_node_end_point(c.node);
  }
  if (start == UINT32_MAX) return false;  // the @match capture was optional and absent
  f.rule = rule;
  f.severity = rule->severity;
  f.message = interpolate(rule->message, texts);
  f.start_byte = start;
  f.end_byte = end;
  f.start = start_pt;
  f.end = end_pt;
  if (rule->fix) f.fix = FixEdit{start, end, interpolate(*rule->fix, full_texts), rule->fix_safe};
  f.sibling_spans = m.sibling_spans;
  return true;
}

// A finding for an ast-grep rule's match at `node`.
Finding tree_finding(const RuleSet::LanguagePlan::TreeRule& tr, const match::MatchInput& in, TSNode node,
                     const match::Bindings& env, const document::Snapshot& snapshot) {
  Finding f;
  f.rule = tr.rule;
  f.severity = tr.rule->severity;
  f.start_byte = ts_node_start_byte(node);
  f.end_byte = ts_node_end_byte(node);
  f.start = ts_node_start_point(node);
  f.end = ts_node_end_point(node);
  // ast-grep fills `message` as it fills a fix template.
  f.message = match::expand_template(tr.rule->message, env, in, f.start_byte);
  f.extent_start = f.start_byte;
  f.extent_end = f.end_byte;
  if (tr.rule->fix) {
    // ast-grep replaces the matched node (widened by expandStart / expandEnd).
    uint32_t fix_start = f.start_byte, fix_end = f.end_byte;
    {
      if (const auto* e = tr.matcher->expand_start())
        if (auto n = e->find(in, node, env)) fix_start = ts_node_start_byte(*n);
      if (const auto* e = tr.matcher->expand_end())
        if (auto n = e->find(in, node, env)) fix_end = ts_node_end_byte(*n);
    }
    f.fix = FixEdit{fix_start, fix_end, match::expand_template(*tr.rule->fix, env, in, f.start_byte), tr.rule->fix_safe};
    f.extent_start = std::min(f.extent_start, fix_start);
    f.extent_end = std::max(f.extent_end, fix_end);
  }
  (void)snapshot;
  return f;
}

// Runs a plan's ast-grep rules on chosen nodes of one snapshot, collecting findings and the places
// where a context-dependent rule looked at the top level.
class TreeRun {
 public:
  // `words` null: every rule runs (the local pass walks a small region, where searching the whole
  // text for each rule's words would cost more than the matching it saves).
  TreeRun(const RuleSet::LanguagePlan& plan, const document::Snapshot& snapshot, std::vector<Finding>& out,
          std::vector<ContextSpot>& spots, const match::TextWords* words)
      : plan_(plan), snapshot_(snapshot), out_(out), spots_(spots), in_{snapshot.text, snapshot.language, &path_, &escaped_, &imports_} {
    // Prefilter: a rule whose matches all contain some word cannot match a text without it.
    active_.assign(plan.tree_rules.size(), 1);
    for (size_t i = 0; words && i < plan.tree_rules.size(); ++i)
      active_[i] = plan.tree_rules[i].matcher->rule_tree()->may_match(*words);
  }
  // The snapshot's import tables, built on first use: the taint rules of the same analysis read them too.
  match::ImportCache& imports() { return imports_; }

  // A rule whose match at a node can depend on more than the node's subtree: it looks at
  // ancestors or siblings, or its fix widens to siblings.
  static bool context_dependent(const RuleSet::LanguagePlan::TreeRule& tr) {
    return !tr.matcher->rule_tree()->subtree_local() || tr.matcher->expand_start() || tr.matcher->expand_end();
  }
  bool context_dependent(uint32_t i) const { return context_dependent(plan_.tree_rules[i]); }

  // A rule whose match depends on nothing but its top-level statement (and the root's kind): no
  // sibling or root test, no other top-level statement's kinds, no fix expansion over siblings.
  static bool statement_only(const RuleSet::LanguagePlan::TreeRule& tr) {
    const auto* tree = tr.matcher->rule_tree();
    return tree->statement_local() && tree->root_kinds().empty() && !tr.matcher->expand_start() && !tr.matcher->expand_end();
  }

  // beyond_statement: the rules but those above.
  enum class Which { all, subtree_local, context_dependent, beyond_statement };
  // Which rules passed the prefilter on this text.
  const std::vector<char>& active() const { return active_; }

  // One pre-order walk of every node (named or not, as ast-grep scans) intersecting `range`.
  void walk(std::optional<ByteRange> range, Which which) {
    walk_where(
        [&](uint32_t s, uint32_t e) -> std::optional<Which> {
          if (range && !touches(*range, s, e)) return std::nullopt;
          return which;
        },
        range);
  }

  // One pre-order walk: every rule at the nodes intersecting `regions` (sorted, disjoint), and with
  // `others_outside` the rules but the statement-only ones at every other node (none when no such
  // rule is active: the walk then stays in the regions).
  void walk_regions(const std::vector<ByteRange>& regions, bool others_outside) {
    bool others = false;
    for (size_t i = 0; others_outside && i < plan_.tree_rules.size(); ++i)
      others = others || (active_[i] && !statement_only(plan_.tree_rules[i]));
    walk_where([&](uint32_t s, uint32_t e) -> std::optional<Which> {
      if (touches_any(regions, s, e)) return Which::all;
      if (others) return Which::beyond_statement;
      return std::nullopt;
    });
  }

  // Every node spanning exactly [start, end): context-dependent rules (or only `rule`) again.
  void at_range(uint32_t start, uint32_t end, std::optional<uint32_t> rule) {
    const TSNode root = snapshot_.root();
    // The path from the root, for parent lookups. Searching from the top-level statement that holds
    // the range: from the root, each call scans the root's children, quadratic over a file's
    // top-level statements, and every one of them is visited on each edit.
    path_.assign(1, root);
    TSNode top = root;
    if (TSNode child = root_child_holding(start, end); !ts_node_is_null(child)) {
      top = child;
      path_.push_back(child);
    }
    TSNode n = ts_node_descendant_for_byte_range(top, start, end);
    if (ts_node_is_null(n) || ts_node_start_byte(n) != start || ts_node_end_byte(n) != end) return;
    // The smallest node with that range, then its ancestors with the same range.
    while (!ts_node_eq(path_.back(), n)) {
      TSNode next = ts_node_child_with_descendant(path_.back(), n);
      if (ts_node_is_null(next)) return;
      path_.push_back(next);
    }
    for (size_t i = path_.size(); i-- > 0;) {
      if (ts_node_start_byte(path_[i]) != start || ts_node_end_byte(path_[i]) != end) break;
      std::vector<TSNode> saved(path_.begin(), path_.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      std::swap(saved, path_);
      visit(path_.back(), Which::context_dependent, rule);
      std::swap(saved, path_);
    }
  }

 private:
  // The root's child whose non-empty range holds [start, end) without being the root's own range;
  // null when none does (the range is the root's, or spans several children).
  TSNode root_child_holding(uint32_t start, uint32_t end) {
    const TSNode root = snapshot_.root();
    if (start == ts_node_start_byte(root) && end == ts_node_end_byte(root)) return TSNode{};
    if (!root_children_built_) {
      root_children_built_ = true;
      match::ScopedCursor scoped_cursor(root);
      TSTreeCursor& cursor = scoped_cursor.get();
      for (bool more = ts_tree_cursor_goto_first_child(&cursor); more; more = ts_tree_cursor_goto_next_sibling(&cursor))
        root_children_.push_back(ts_tree_cursor_current_node(&cursor));
    }
    auto it = std::upper_bound(root_children_.begin(), root_children_.end(), start,
                               [](uint32_t s, TSNode c) { return s < ts_node_start_byte(c); });
    if (it == root_children_.begin()) return TSNode{};
    const TSNode c = *std::prev(it);
    const uint32_t cs = ts_node_start_byte(c), ce = ts_node_end_byte(c);
    if (ce > cs && cs <= start && ce >= end && ce > start) return c;
    return TSNode{};
  }

  void visit(TSNode node, Which which, std::optional<uint32_t> only) {
    const TSSymbol sym = ts_node_symbol(node);
    auto run = [&](uint32_t i) {
      if (!active_[i] || (only && *only != i)) return;
      budget::checkpoint(plan_.tree_rules[i].rule->id);
      const bool context = context_dependent(i);
      if ((which == Which::subtree_local && context) || (which == Which::context_dependent && !context)) return;
      if (which == Which::beyond_statement && statement_only(plan_.tree_rules[i])) return;
      escaped_ = false;
      match::Bindings env;
      if (plan_.tree_rules[i].matcher->rule_tree()->match(in_, node, env))
        out_.push_back(tree_finding(plan_.tree_rules[i], in_, node, env, snapshot_));
      if (context && escaped_) spots_.push_back({i, ts_node_start_byte(node), ts_node_end_byte(node)});
    };
    if (sym < plan_.by_kind.size()) {
      if (sym < plan_.named_calls.size() && plan_.named_calls[sym]) {
        // A call: only the rules its callee's key allows.
        if (!calls_) calls_ = &match::CalleeKinds::of(*in_.language);
        const match::CalleeKey key = match::callee_key(in_, node, *calls_);
        for (uint32_t i : plan_.by_kind[sym]) {
          const auto& names = plan_.tree_rules[i].matcher->rule_tree()->callee_names(sym);
          if (!names || names->may_match(key)) run(i);
        }
      } else {
        for (uint32_t i : plan_.by_kind[sym]) run(i);
      }
    }
    for (uint32_t i : plan_.any_kind) run(i);
  }

  const RuleSet::LanguagePlan& plan_;
  const document::Snapshot& snapshot_;
  std::vector<Finding>& out_;
  std::vector<ContextSpot>& spots_;
  std::vector<char> active_;
  // The path from the root to the node being matched: `inside`, `follows` and `nthChild` find
  // parents there instead of with ts_node_parent (a descent from the root each time).
  std::vector<TSNode> path_;
  // The pre-order walk of both walks above: `which(start, end)` says which rules to run at a node,
  // nothing to skip it and its subtree. With `bounds`, `which` must say nothing for a node that
  // ends before bounds->first or starts at or after bounds->second (walk's range): the children
  // before it are stepped over by their sizes (ts_tree_cursor_goto_first_child_for_byte), and the
  // siblings after a node starting past it are not visited. Visiting each of the 4,000 top-level
  // statements of an 8k-line JavaScript file cost ~2.4 M instructions a keystroke.
  template <class WhichAt>
  void walk_where(const WhichAt& which_at, std::optional<ByteRange> bounds = std::nullopt) {
    if (plan_.tree_rules.empty()) return;
    match::ScopedCursor scoped_cursor(snapshot_.root());
    TSTreeCursor& cursor = scoped_cursor.get();
    path_.assign(1, snapshot_.root());
    for (;;) {
      TSNode node = path_.back();
      const uint32_t start = ts_node_start_byte(node);
      const std::optional<Which> which = which_at(start, ts_node_end_byte(node));
      if (which) visit(node, *which, std::nullopt);
      // The first child ending at or after bounds->first (siblings' ends do not decrease).
      if (which && (bounds && bounds->first > 0 ? ts_tree_cursor_goto_first_child_for_byte(&cursor, bounds->first - 1) >= 0
                                                : ts_tree_cursor_goto_first_child(&cursor))) {
        path_.push_back(ts_tree_cursor_current_node(&cursor));
        continue;
      }
      // Its later siblings start where it does or after.
      bool past = bounds && path_.size() > 1 && start >= bounds->second;
      bool moved = false;
      while (past || !(moved = ts_tree_cursor_goto_next_sibling(&cursor))) {
        past = false;
        if (!ts_tree_cursor_goto_parent(&cursor)) break;
        path_.pop_back();
      }
      if (!moved) break;
      path_.back() = ts_tree_cursor_current_node(&cursor);
    }
  }

  std::vector<TSNode> root_children_;  // built on the first at_range
  bool root_children_built_ = false;
  bool escaped_ = false;
  const match::CalleeKinds* calls_ = nullptr;  // on the first call of a named bucket
  match::ImportCache imports_;
  const match::MatchInput in_;
};

// Whether a taint rule can find anything in `text`: some sink, and some source, must be able to
// match (an ast-grep rule needs the words its every match contains).
bool taint_may_match(const match::TaintSpec& spec, const match::TextWords& words, const AnalysisOptions& options) {
  auto may = [&](const std::shared_ptr<const match::NodeMatcher>& m) {
    const auto* tree = dynamic_cast<const match::RuleMatcher*>(m.get());
    return !tree || tree->may_match(words);
  };
  const bool sink = std::any_of(spec.sinks.begin(), spec.sinks.end(), [&](const auto& s) { return may(s.matcher); });
  bool source = std::any_of(spec.sources.begin(), spec.sources.end(),
                            [&](const auto& s) { return s.parameters || (s.matcher && may(s.matcher)); });
  if (!source && options.taint_parameters)
    source = std::none_of(spec.sources.begin(), spec.sources.end(), [](const auto& s) { return s.no_parameters; });
  return sink && source;
}

// A taint rule whose matchers look beyond the top-level statement of a node (follows, precedes,
// nthChild, an `inside` that can test the root) can change anywhere when any part of the file
// changes: it is matched again on the whole file. Ancestors below the root are safe: outside the
// region they lie in unchanged top-level statements.
bool taint_context_dependent(const match::TaintSpec& spec) {
  auto dependent = [](const std::shared_ptr<const match::NodeMatcher>& m) {
    const auto* tree = dynamic_cast<const match::RuleMatcher*>(m.get());
    return tree && !tree->statement_local();
  };
  for (const auto& s : spec.sources)
    if (s.matcher && dependent(s.matcher)) return true;
  for (const auto& s : spec.sinks)
    if (dependent(s.matcher)) return true;
  for (const auto& s : spec.sanitizers)
    if (dependent(s.matcher)) return true;
  for (const auto& p : spec.propagators)
    if (dependent(p.matcher)) return true;
  return false;
}

// Whether a taint rule must run on the whole file after an edit that touched top-level statements
// of the kinds `touched` (before or after the edit): a context-dependent rule always, a rule that
// looks at some top-level statements (its imports: RuleMatcher::root_kinds) when one was touched,
// and every rule when a touched statement may bind what functions read (an allowlist variable).
bool taint_whole_file(const match::TaintSpec& spec, const std::set<TSSymbol>& touched,
                      const grammars::Language& lang) {
  if (taint_context_dependent(spec)) return true;
  for (TSSymbol k : touched)
    if (match::taint_reads_top_level(lang, k)) return true;
  auto looks = [&](const std::shared_ptr<const match::NodeMatcher>& m) {
    const auto* tree = dynamic_cast<const match::RuleMatcher*>(m.get());
    if (!tree) return false;
    for (TSSymbol k : tree->root_kinds())
      if (touched.contains(k)) return true;
    return false;
  };
  for (const auto& s : spec.sources)
    if (s.matcher && looks(s.matcher)) return true;
  for (const auto& s : spec.sinks)
    if (looks(s.matcher)) return true;
  for (const auto& s : spec.sanitizers)
    if (looks(s.matcher)) return true;
  for (const auto& p : spec.propagators)
    if (looks(p.matcher)) return true;
  return false;
}


// The plan's taint rules split for one analysis. In a range, `local` rules return only findings
// whose path touches it (functions are analyzed whole: the region is widened to top-level
// statements); context-dependent rules and rules that look at the kinds of top-level statements
// the edit touched (`touched`) are `whole`: they run on the whole file.
// `local_only` (the editor's first pass): the whole-file rules are skipped (`skipped` says whether
// one was), and the others run without the text prefilter (a rule that cannot match finds nothing
// in the region either).
struct TaintGroups {
  std::vector<const RuleSet::LanguagePlan::TreeRule*> local, whole;
  bool skipped = false;
  // With a range: the local rules leave the file's top level alone (TaintOptions::top_level).
  bool skip_top_level = false;
};

// `words`: the text's words (null with `local_only`).
TaintGroups taint_groups(const RuleSet::LanguagePlan& plan, const document::Snapshot& snapshot, bool ranged,
                         const AnalysisOptions& options, const match::TextWords* words,
                         const std::set<TSSymbol>& touched = {}, bool local_only = false) {
  TaintGroups groups;
  for (const auto& tr : plan.taint_rules) {
    const auto& spec = *tr.matcher->taint();
    const bool whole_file = !ranged || taint_whole_file(spec, touched, *snapshot.language);
    if (local_only && whole_file) {
      groups.skipped = true;
      continue;
    }
    if (words && !taint_may_match(spec, *words, options)) continue;
    (whole_file ? groups.whole : groups.local).push_back(&tr);
  }
  return groups;
}

// Runs the taint rules of `groups`, each group in one walk of the tree.
// `words`: the text's words, with which sinks, sources, sanitizers and propagators that cannot match
// the text are left out (null: none is).
void match_taint_rules(const TaintGroups& groups, const document::Snapshot& snapshot, std::optional<ByteRange> range,
                       const AnalysisOptions& options, const match::TextWords* words, match::ImportCache& imports,
                       std::vector<Finding>& out) {
  const match::MatchInput in{snapshot.text, snapshot.language, nullptr, nullptr, &imports};
  auto run = [&](const std::vector<const RuleSet::LanguagePlan::TreeRule*>& rules, std::optional<ByteRange> r) {
    if (rules.empty()) return;
    std::vector<const match::TaintSpec*> specs;
    std::string running = rules.size() == 1 ? "" : "one of the taint rules ";
    for (const auto* tr : rules) {
      specs.push_back(tr->matcher->taint());
      running += (tr == rules.front() ? "" : ", ") + tr->rule->id;
    }
    budget::running(running);  // they run together, in one walk
    match::TaintOptions taint_options;
    taint_options.parameters = options.taint_parameters;
    taint_options.top_level = !(r && groups.skip_top_level);
    taint_options.words = words;
    auto results = match::find_taint(specs, in, snapshot.root(), r, taint_options);
    budget::running({});
    for (size_t i = 0; i < rules.size(); ++i) {
      const auto& rule = rules[i]->rule;
      for (auto& tf : results[i]) {
        Finding f;
        f.rule = rule;
        f.severity = rule->severity;
        f.start_byte = ts_node_start_byte(tf.node);
        f.end_byte = ts_node_end_byte(tf.node);
        f.start = ts_node_start_point(tf.node);
        f.end = ts_node_end_point(tf.node);
        match::Bindings env = std::move(tf.bindings);
        if (!ts_node_is_null(tf.source)) env.single.emplace("SOURCE", tf.source);
        f.message = match::expand_template(rule->message, env, in, f.start_byte);
        f.extent_start = std::min(tf.extent_start, f.start_byte);
        f.extent_end = std::max(tf.extent_end, f.end_byte);
        if (rule->fix) {
          // As in ast-grep and Semgrep, the fix replaces what the sink rule matched.
          const uint32_t fix_start = ts_node_start_byte(tf.sink), fix_end = ts_node_end_byte(tf.sink);
          f.fix = FixEdit{fix_start, fix_end, match::expand_template(*rule->fix, env, in, fix_start), rule->fix_safe};
          f.extent_start = std::min(f.extent_start, fix_start);
          f.extent_end = std::max(f.extent_end, fix_end);
        }
        f.trace = tf.trace;
        f.from_parameter = tf.from_parameter;
        f.top_level_taint = tf.top_level;
        out.push_back(std::move(f));
      }
    }
  };
  run(groups.local, range);
  run(groups.whole, std::nullopt);
}

// Repetition spans siblings anywhere in the file, so it is always found over the whole tree.
void match_repetitions(const RuleSet::LanguagePlan& plan, const document::Snapshot& snapshot, std::vector<Finding>& out) {
  for (const auto& [rule, matcher] : plan.repetition_rules) {
    budget::running(rule->id);
    for (const auto& r : match::find_repetitions(snapshot.text, snapshot.root(), *matcher->repetition())) {
      Finding f;
      f.rule = rule;
      f.severity = rule->severity;
      f.start_byte = r.start_byte;
      f.end_byte = r.end_byte;
      f.start = document::point_at(snapshot.lines, r.start_byte);
      f.end = document::point_at(snapshot.lines, r.end_byte);
      f.extent_start = r.original_start_byte;
      f.extent_end = r.end_byte;
      const auto first_line = document::point_at(snapshot.lines, r.original_start_byte).row + 1;
      f.message = interpolate(rule->message, {{"COPIES", std::to_string(r.copies)},
                                              {"LINES", std::to_string(r.unit_lines)},
                                              {"STATEMENTS", std::to_string(r.unit_statements)},
                                              {"FIRST_LINE", std::to_string(first_line)}});
      f.trace.push_back({r.original_start_byte, r.original_end_byte, document::point_at(snapshot.lines, r.original_start_byte),
                         document::point_at(snapshot.lines, r.original_end_byte), "first written here"});
      out.push_back(std::move(f));
    }
  }
}

// Query rules on the snapshot, within `range` when given: the merged query when it is built;
// otherwise only the rules whose words the text contains, each with its own query, unless all of
// them do and `compile_merged` (not the editor's passes, which must not pay for compiling it).
// `outside_joins`: as match::Query::for_each_match has it.
// `words`: the text's words, shared with the other prefilters (null: searched here).
void match_query_rules(const RuleSet::LanguagePlan& plan, const document::Snapshot& snapshot,
                       std::optional<ByteRange> range, const match::TextWords* words, std::vector<Finding>& out,
                       bool compile_merged = true, bool outside_joins = true);

// Every rule of the snapshot's language on the whole snapshot; remembers where context-dependent
// rules looked at the top level, for the next incremental analysis.
void match_rules(const RuleSet& rule_set, const document::Snapshot& snapshot, const AnalysisOptions& options,
                 std::vector<Finding>& out) {
  auto plan = rule_set.plan_for(*snapshot.language);
  auto memo = std::make_shared<RuleSet::Memo>();
  memo->snapshot = &snapshot;
  memo->hash = text_hash(snapshot.text);
  memo->plan = plan;
  const match::TextWords words(snapshot.text, plan->words.get());
  TreeRun run(*plan, snapshot, out, memo->spots, &words);
  run.walk(std::nullopt, TreeRun::Which::all);
  memo->active = run.active();
  sort_spots(memo->spots);
  match_repetitions(*plan, snapshot, out);
  match_taint_rules(taint_groups(*plan, snapshot, false, options, &words), snapshot, std::nullopt, options, &words,
                    run.imports(), out);
  match_query_rules(*plan, snapshot, std::nullopt, &words, out);
  memo->imports = run.imports().table;
  if (!plan->tree_rules.empty()) rule_set.remember(std::move(memo));
}

void match_query_rules(const RuleSet::LanguagePlan& plan, const document::Snapshot& snapshot,
                       std::optional<ByteRange> range, const match::TextWords* words, std::vector<Finding>& out,
                       bool compile_merged, bool outside_joins) {
  if (plan.rules.empty()) return;
  const TSNode root = snapshot.root();
  // Past tree-sitter's match limit a cursor drops in-progress matches: say so rather than lose
  // findings silently.
  auto limit_exceeded = [&](std::string_view which) {
    spdlog::warn("{}: the query of {} exceeded tree-sitter's match limit; some of its findings may be missing",
                 snapshot.path, which);
  };
  // A rule whose words the text lacks has no match in it: it need not run (nor compile). Once the
  // merged query is built, one walk serves every rule: the text need not be searched.
  std::vector<uint32_t> active;
  auto merged = plan.merged_if_built();
  if (!merged || !merged->query) {
    std::optional<match::TextWords> own;
    if (!words) words = &own.emplace(snapshot.text, plan.words.get());
    for (uint32_t i = 0; i < plan.rules.size(); ++i)
      if (plan.query_filters[i]->may_match(*words)) active.push_back(i);
    if (active.empty()) return;
    // The editor's passes do not compile the merged query (a hundred milliseconds or more for
    // JavaScript, on a keystroke): the editor's warm-up builds it (claim_merged_build), from the
    // file's opening on. Meanwhile the rules whose words the text holds run with their own
    // queries, unless they hold most of the query source: then waiting for the build costs less
    // than compiling theirs beside it.
    if (!merged && ((compile_merged && active.size() == plan.rules.size()) ||
                    (plan.merged_build_claimed() && plan.waiting_for_merged_pays(active))))
      merged = plan.merged();
  }
  if (merged && merged->query) {
    const auto& q = *merged->query;
    const bool complete = q.for_each_match(
        root, snapshot.text,
        [&](const match::QueryMatch& m) {
          const auto& rule = plan.rules[merged->pattern_rule[m.pattern_index]];
          budget::checkpoint(rule->id);
          Finding f;
          if (make_finding(rule, q, merged->match_capture, m, snapshot, f)) out.push_back(std::move(f));
        },
        range, outside_joins);
    if (!complete) limit_exceeded("the query rules");
    return;
  }
  for (uint32_t i : active) {
    const auto& rule = plan.rules[i];
    const auto* matcher = rule->matcher_for(*snapshot.language);
    const match::Query* query = nullptr;
    try {
      query = &matcher->query();
    } catch (const match::QueryError&) {
      continue;  // this rule's query does not compile; the others still run
    }
    const int match_capture = matcher->match_capture();
    const bool complete = query->for_each_match(
        root, snapshot.text,
        [&](const match::QueryMatch& m) {
          budget::checkpoint(rule->id);
          Finding f;
          if (make_finding(rule, *query, match_capture, m, snapshot, f)) out.push_back(std::move(f));
        },
        range, outside_joins);
    if (!complete) limit_exceeded(rule->id);
  }
}

// Orders the findings and drops duplicates. The first `sorted` ones are usually in order already
// (an incremental analysis's kept findings): then only the rest is sorted and merged in, rather than
// moving every finding of the file around on every edit.
void sort_and_dedupe(std::vector<Finding>& findings, size_t sorted = 0) {
  auto less = [](const Finding& a, const Finding& b) {
    if (a.start_byte != b.start_byte) return a.start_byte < b.start_byte;
    if (a.rule->id != b.rule->id) return a.rule->id < b.rule->id;
    return a.end_byte < b.end_byte;
  };
  const auto middle = findings.begin() + static_cast<std::ptrdiff_t>(std::min(sorted, findings.size()));
  if (sorted > 0 && std::is_sorted(findings.begin(), middle, less)) {
    std::sort(middle, findings.end(), less);
    std::inplace_merge(findings.begin(), middle, findings.end(), less);
  } else {
    std::sort(findings.begin(), findings.end(), less);
  }
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [](const Finding& a, const Finding& b) {
                               return a.rule->id == b.rule->id && a.start_byte == b.start_byte && a.end_byte == b.end_byte;
                             }),
                 findings.end());
}

void fingerprint(Finding& f, std::string_view text) {
  f.fingerprint = fingerprint_of(f.rule->id, text.substr(f.start_byte, f.end_byte - f.start_byte));
}

}  // namespace

std::string fingerprint_of(std::string_view rule_id, std::string_view code) {
  return text::sha256_hex(std::string(rule_id) + '\0' + normalized(code)).substr(0, 32);
}

bool may_match(const RuleSet& rules, const grammars::Language& language, std::string_view text, const AnalysisOptions& options) {
  const auto plan = rules.plan_for(language);
  if (!plan->repetition_rules.empty()) return true;  // no words known
  const match::TextWords words(text, plan->words.get());
  for (const auto& filter : plan->query_filters)
    if (filter->may_match(words)) return true;
  for (const auto& tr : plan->tree_rules)
    if (tr.matcher->rule_tree()->may_match(words)) return true;
  return std::any_of(plan->taint_rules.begin(), plan->taint_rules.end(),
                     [&](const auto& tr) { return taint_may_match(*tr.matcher->taint(), words, options); });
}

std::vector<Finding> analyze(const RuleSet& rule_set, const document::Snapshot& snapshot, const AnalysisOptions& options) {
  std::vector<Finding> findings;
  if (!snapshot.language || !snapshot.tree) return findings;
  budget::check_nesting(snapshot.root());
  const match::WideChildrenCache wide_children;  // the snapshot's tree lives throughout
  match_rules(rule_set, snapshot, options, findings);
  sort_and_dedupe(findings);
  for (auto& f : findings) fingerprint(f, snapshot.text);
  return findings;
}

std::vector<Finding> analyze_changed(const RuleSet& rule_set, const document::Snapshot& snapshot,
                                     const std::vector<std::pair<uint32_t, uint32_t>>& changed, const AnalysisOptions& options,
                                     const document::Snapshot* analysed) {
  std::vector<Finding> findings;
  if (!snapshot.language || !snapshot.tree) return findings;
  budget::check_nesting(snapshot.root());
  const match::WideChildrenCache wide_children;
  auto plan = rule_set.plan_for(*snapshot.language);
  const match::TextWords words(snapshot.text, plan->words.get());
  std::vector<ContextSpot> spots;  // no memo: this snapshot is not edited further
  TreeRun run(*plan, snapshot, findings, spots, &words);
  // The top-level statements touching a changed range, merged: statement-only rules are matched
  // there (and at the root, which intersects them); the others everywhere.
  std::vector<TSNode> top;
  match::children_of(snapshot.root(), top);
  std::vector<ByteRange> regions;
  for (auto [from, to] : changed) {
    auto it = std::lower_bound(top.begin(), top.end(), from, [](TSNode c, uint32_t b) { return ts_node_end_byte(c) + 1 < b; });
    for (; it != top.end() && ts_node_start_byte(*it) <= to + 1; ++it) {
      from = std::min(from, ts_node_start_byte(*it));
      to = std::max(to, ts_node_end_byte(*it));
    }
    regions.emplace_back(from, to);
  }
  std::sort(regions.begin(), regions.end());
  std::vector<ByteRange> merged;
  for (const auto& r : regions)
    if (!merged.empty() && r.first <= merged.back().second) merged.back().second = std::max(merged.back().second, r.second);
    else merged.push_back(r);
  // Outside the regions a statement's text and tree are the earlier snapshot's, and so are its
  // ancestors (the root) but its siblings when it is a top-level statement: a rule that is not
  // statement-only (context-dependent: it looks at siblings, a parent's children, the top level) is
  // evaluated there exactly as in the earlier analysis until the evaluation first looks at the top
  // level, which the earlier analysis noted (its memo's spots, same offsets: recovery keeps the
  // text's length). So with that memo such rules run only at the top-level statements outside the
  // regions and at the earlier spots outside them, as the editor's incremental analysis does;
  // without it (evicted, or another plan), at every node.
  std::shared_ptr<const RuleSet::Memo> memo = analysed ? rule_set.recall(*analysed) : nullptr;
  bool partial = memo && memo->plan == plan && memo->active.size() == run.active().size();
  for (size_t i = 0; partial && i < run.active().size(); ++i) partial = !run.active()[i] || memo->active[i];
  if (merged.empty()) {
    run.walk(std::nullopt, TreeRun::Which::all);  // nothing said: everywhere
  } else if (!partial) {
    run.walk_regions(merged, true);
  } else {
    run.walk_regions(merged, false);
    auto outside = [&](uint32_t s, uint32_t e) { return !touches_any(merged, s, e); };
    std::set<ByteRange> top_level;
    for (TSNode child : top) {
      const uint32_t s = ts_node_start_byte(child), e = ts_node_end_byte(child);
      if (outside(s, e)) top_level.insert({s, e});
    }
    for (const auto& [s, e] : top_level) run.at_range(s, e, std::nullopt);
    for (const auto& sp : memo->spots)
      if (outside(sp.start, sp.end) && !top_level.contains({sp.start, sp.end})) run.at_range(sp.start, sp.end, sp.rule);
  }
  match_repetitions(*plan, snapshot, findings);
  match_taint_rules(taint_groups(*plan, snapshot, false, options, &words), snapshot, std::nullopt, options, &words,
                    run.imports(), findings);
  match_query_rules(*plan, snapshot, std::nullopt, &words, findings);
  sort_and_dedupe(findings);
  for (auto& f : findings) fingerprint(f, snapshot.text);
  return findings;
}

namespace {

// The children of `parent` (as children_of lists them) with end >= lo and start <= hi, in order.
// The first is found with ts_tree_cursor_goto_first_child_for_byte, which steps over the children
// before it by their sizes: listing every child cost ~250 instructions a child, i.e. ~1 M for the
// 4,000 top-level statements of an 8k-line JavaScript file, twice per tree on every edit.
void children_between(TSNode parent, uint32_t lo, uint32_t hi, std::vector<TSNode>& out) {
  out.clear();
  match::ScopedCursor scoped_cursor(parent);
  TSTreeCursor& cursor = scoped_cursor.get();
  // The first child ending at or after lo (a child ending before it cannot qualify; siblings'
  // ends do not decrease).
  bool more = lo > 0 ? ts_tree_cursor_goto_first_child_for_byte(&cursor, lo - 1) >= 0 : ts_tree_cursor_goto_first_child(&cursor);
  for (; more; more = ts_tree_cursor_goto_next_sibling(&cursor)) {
    const TSNode child = ts_tree_cursor_current_node(&cursor);
    if (ts_node_start_byte(child) > hi) break;
    if (ts_node_end_byte(child) >= lo) out.push_back(child);
  }
}

// The length of the common prefix of a and b (memcmp by blocks: this runs over the whole text on
// every edit).
size_t common_prefix(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  constexpr size_t block = 256;
  size_t i = 0;
  while (i + block <= n && std::memcmp(a.data() + i, b.data() + i, block) == 0) i += block;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// The length of the common suffix of a and b, at most `limit`.
size_t common_suffix(std::string_view a, std::string_view b, size_t limit) {
  constexpr size_t block = 256;
  size_t i = 0;
  while (i + block <= limit && std::memcmp(a.data() + a.size() - i - block, b.data() + b.size() - i - block, block) == 0)
    i += block;
  while (i < limit && a[a.size() - 1 - i] == b[b.size() - 1 - i]) ++i;
  return i;
}

LocalResult incremental(const RuleSet& rule_set, const document::Snapshot& now, const document::Snapshot& before,
                        const std::vector<Finding>& before_findings, const AnalysisOptions& options, bool local_only,
                        const EarlierResult& earlier = {}) {
  if (!now.language || now.language != before.language || !now.tree) return {analyze(rule_set, now, options), true};
  const match::WideChildrenCache wide_children;  // both snapshots' trees live throughout
  const std::string_view a = before.text, b = now.text;
  // The changed window: everything between the common prefix and the common suffix.
  const size_t shorter = std::min(a.size(), b.size());
  const size_t prefix = common_prefix(a, b);
  // The same text: the same findings, unless they are a local pass's (whose carried-over part is
  // then found again below, around an empty change).
  auto plan = rule_set.plan_for(*now.language);
  // The memo of `before`: the one its local pass left, else one an analysis of it remembered.
  auto recall_before = [&]() -> std::shared_ptr<const RuleSet::Memo> {
    if (plan->tree_rules.empty()) return nullptr;
    auto m = earlier.memo && earlier.memo->snapshot == &before ? earlier.memo : rule_set.recall(before);
    return m && m->plan == plan ? m : nullptr;
  };
  if (prefix == a.size() && prefix == b.size() && !earlier.local) {
    LocalResult same{before_findings, !local_only};
    if (auto m = local_only ? recall_before() : nullptr) {
      auto copy = std::make_shared<RuleSet::Memo>(*m);  // the same text: the same places
      copy->snapshot = &now;
      copy->hash = 0;
      same.memo = std::move(copy);
    }
    return same;
  }
  const size_t suffix = common_suffix(a, b, shorter - prefix);
  const int64_t delta = static_cast<int64_t>(b.size()) - static_cast<int64_t>(a.size());

  // Text outside the window is the same, but its parse may not be (an unclosed bracket changes
  // everything after it): take the union with the ranges whose syntax changed between the trees.
  uint32_t changed_start = static_cast<uint32_t>(prefix);
  uint32_t changed_end = static_cast<uint32_t>(b.size() - suffix);
  {
    TSInputEdit edit{};
    edit.start_byte = static_cast<uint32_t>(prefix);
    edit.old_end_byte = static_cast<uint32_t>(a.size() - suffix);
    edit.new_end_byte = changed_end;
    edit.start_point = document::point_at(before.lines, edit.start_byte);
    edit.old_end_point = document::point_at(before.lines, edit.old_end_byte);
    edit.new_end_point = document::point_at(now.lines, edit.new_end_byte);
    // The complete pass of a local one's snapshot compares a tree with itself: nothing changed
    // (ts_tree_get_changed_ranges still walks both: ~5.5 M instructions at 8k lines of JavaScript).
    if (before.tree.get() != now.tree.get()) {
      document::TreePtr old_tree(ts_tree_copy(before.tree.get()));
      ts_tree_edit(old_tree.get(), &edit);
      uint32_t count = 0;
      TSRange* ranges = ts_tree_get_changed_ranges(old_tree.get(), now.tree.get(), &count);
      for (uint32_t i = 0; i < count; ++i) {
        changed_start = std::min(changed_start, ranges[i].start_byte);
        changed_end = std::max(changed_end, ranges[i].end_byte);
      }
      free(ranges);
    }
  }

  // Widen to the top-level statements touching the change: patterns are matched within them whole.
  uint32_t region_start = changed_start, region_end = changed_end;
  const TSNode root = now.root();
  // The root's children touching the change (or next to it).
  std::vector<TSNode> top_children;
  children_between(root, changed_start > 0 ? changed_start - 1 : 0, changed_end + 1, top_children);
  for (TSNode child : top_children) {
    const uint32_t s = ts_node_start_byte(child), e = ts_node_end_byte(child);
    if (e + 1 < changed_start) continue;
    if (s > changed_end + 1) break;
    region_start = std::min(region_start, s);
    region_end = std::max(region_end, e);
    budget::check_nesting(child, budget::kMaxNesting - 1);  // the rest was checked when it was analysed
  }
  // Beyond a third of the file, matching everything again is as cheap and simpler.
  if (region_end - region_start > b.size() / 3) return {analyze(rule_set, now, options), true};
  bool complete = true;  // nothing whole-file was carried over (local_only)

  const auto old_region_start = region_start;
  const auto old_region_end = static_cast<uint32_t>(static_cast<int64_t>(region_end) - delta);
  auto shift = [delta](uint32_t b) { return static_cast<uint32_t>(static_cast<int64_t>(b) + delta); };

  // ast-grep rules that look beyond a node (context-dependent) are re-matched where their result
  // can change: in the region, at the root and every top-level statement, and wherever their last
  // match looked at the top level (the memo of `before`). Elsewhere a match saw only its own
  // top-level statement, whose text and tree did not change. Without a memo: everywhere.
  // A local pass's findings (earlier.local) may differ from analyze()'s only at those places too
  // (LocalResult::memo), so the same holds after local passes when the last one left its memo.
  std::vector<Finding> fresh;
  auto memo = std::make_shared<RuleSet::Memo>();
  memo->snapshot = &now;
  memo->hash = local_only ? 0 : text_hash(now.text);
  memo->plan = plan;
  std::optional<match::TextWords> words;
  if (!local_only) words.emplace(now.text, plan->words.get());
  TreeRun run(*plan, now, fresh, memo->spots, words ? &*words : nullptr);
  memo->active = run.active();
  const auto before_memo = recall_before();
  // The memo noted every place of each rule that runs now: a rule the prefilter left out then did
  // not run, so where it looks at the top level is unknown. A local pass runs every rule in its
  // region and keeps the rest of the memo: its memo notes what the earlier one did.
  bool partial = before_memo && before_memo->active.size() == run.active().size();
  for (size_t i = 0; partial && !local_only && i < run.active().size(); ++i)
    partial = !run.active()[i] || before_memo->active[i];
  if (local_only && partial) memo->active = before_memo->active;
  std::map<const rules::Rule*, uint32_t> tree_index;
  for (uint32_t i = 0; i < plan->tree_rules.size(); ++i) tree_index[plan->tree_rules[i].rule.get()] = i;
  std::vector<ByteRange> top_level;     // top-level statements outside the region (new offsets), sorted
  std::vector<ContextSpot> spot_sites;  // earlier top-level lookups outside the region (new offsets), sorted
  auto outside = [&](uint32_t s, uint32_t e) {
    return !touches({region_start, region_end}, s, e);
  };
  if (partial) {
    if (!local_only) {
      if (outside(ts_node_start_byte(root), ts_node_end_byte(root))) top_level.push_back({ts_node_start_byte(root), ts_node_end_byte(root)});
      match::children_of(root, top_children);  // all of them, listed once with a cursor (ts_node_child(root, i) costs O(i))
      for (TSNode child : top_children) {
        const uint32_t s = ts_node_start_byte(child), e = ts_node_end_byte(child);
        if (outside(s, e)) top_level.push_back({s, e});
      }
      std::sort(top_level.begin(), top_level.end());
      top_level.erase(std::unique(top_level.begin(), top_level.end()), top_level.end());
    }
    // In the memo's order: those before the region keep their offsets, those after it all move by
    // the same amount and stay after them.
    spot_sites.reserve(before_memo->spots.size());
    for (const auto& sp : before_memo->spots) {
      if (touches({old_region_start, old_region_end}, sp.start, sp.end)) continue;  // the walk of the region covers it
      if (sp.start < old_region_start) spot_sites.push_back(sp);
      else spot_sites.push_back({sp.rule, shift(sp.start), shift(sp.end)});
    }
  }
  auto at_top_level = [&](uint32_t s, uint32_t e) { return std::binary_search(top_level.begin(), top_level.end(), ByteRange{s, e}); };

  std::vector<Finding> findings;
  bool outside_joins = false;  // see the sibling matches below
  // A finding is kept only when nothing its match captured lies in the region. This assumes what a
  // pattern depends on lies between its first and last capture (true of the built-in rules).
  // Repetitions, and taint rules whose matchers look beyond a node, are found again on the whole tree.
  // The kinds of the top-level statements the edit touched, before and after it.
  std::set<TSSymbol> touched;
  std::vector<TSNode> touched_now, touched_before;  // the top-level statements themselves
  children_between(root, region_start, region_end, touched_now);
  for (TSNode child : touched_now) touched.insert(ts_node_symbol(child));
  if (before.tree) {
    children_between(before.root(), old_region_start, old_region_end, touched_before);
    for (TSNode child : touched_before) touched.insert(ts_node_symbol(child));
  }
  // The file's import table (names resolved through imports) is the last analysis' when the edit
  // touched no top-level statement that can bind an import, before or after it: the others are
  // the same text with the same parse. Building it walks the whole top level (4.8 M instructions a
  // keystroke at 32,000 lines of Python).
  const auto* carried_imports = before_memo && before_memo->imports && before.tree ? &before_memo->imports : nullptr;
  auto binds = [&](TSNode n) { return match::may_bind_imports(n, *now.language); };
  if (carried_imports && std::none_of(touched_now.begin(), touched_now.end(), binds) &&
      std::none_of(touched_before.begin(), touched_before.end(), binds))
    run.imports().table = *carried_imports;
  auto whole_file = [&](const Finding& f) {
    const auto* m = f.rule->matcher_for(*now.language);
    return m && (m->repetition() ||
                 (m->taint() && (earlier.carried_taint || taint_whole_file(*m->taint(), touched, *now.language))));
  };
  // The local pass carries whole-file findings over, moved with the text edit (offsets inside the
  // replaced text go to its start), until the complete pass finds them again.
  const size_t edit_old_end = a.size() - suffix, edit_new_end = b.size() - suffix;
  auto through_edit = [&](uint32_t x) {
    if (x <= prefix) return x;
    if (x >= edit_old_end) return static_cast<uint32_t>(static_cast<int64_t>(x) + delta);
    return static_cast<uint32_t>(std::min<size_t>(x, edit_new_end));
  };
  auto carry = [&](const Finding& f) {
    Finding moved = f;
    moved.start_byte = through_edit(f.start_byte);
    moved.end_byte = std::max(moved.start_byte, through_edit(f.end_byte));
    moved.extent_start = through_edit(f.extent_start);
    moved.extent_end = std::max(moved.extent_start, through_edit(f.extent_end));
    if (moved.fix) moved.fix->start_byte = through_edit(f.fix->start_byte), moved.fix->end_byte = through_edit(f.fix->end_byte);
    for (auto& step : moved.trace) {
      step.start_byte = through_edit(step.start_byte);
      step.end_byte = std::max(step.start_byte, through_edit(step.end_byte));
      step.start = document::point_at(now.lines, step.start_byte);
      step.end = document::point_at(now.lines, step.end_byte);
    }
    moved.start = document::point_at(now.lines, moved.start_byte);
    moved.end = document::point_at(now.lines, moved.end_byte);
    findings.push_back(std::move(moved));
  };
  // The taint rules matched again in the region. When the edit leaves the code of the file's top
  // level as it was (match::same_top_level: typically an edit inside a function), their top-level
  // findings in the region are kept, moved with the edit, and only the region's functions are
  // analyzed; otherwise every edit walks the whole top level again.
  TaintGroups taint = taint_groups(*plan, now, !earlier.carried_taint, options, words ? &*words : nullptr, touched, local_only);
  std::set<const rules::Rule*> local_taint;
  for (const auto* tr : taint.local) local_taint.insert(tr->rule.get());
  auto in_region = [&](const Finding& f) { return f.extent_end > old_region_start && f.extent_start < old_region_end; };
  auto kept_top_level = [&](const Finding& f) { return f.top_level_taint && local_taint.contains(f.rule.get()); };
  if (!taint.local.empty() && before.tree) {
    // A position that is not clearly before or after the replaced text cannot be moved for sure.
    auto movable = [&](uint32_t s, uint32_t e) { return (e <= prefix && s < prefix) || (s >= edit_old_end && s > prefix); };
    bool all_movable = true;
    for (const auto& f : before_findings) {
      if (!kept_top_level(f) || !in_region(f)) continue;
      all_movable = all_movable && movable(f.start_byte, f.end_byte) && (!f.fix || movable(f.fix->start_byte, f.fix->end_byte));
      for (const auto& step : f.trace) all_movable = all_movable && movable(step.start_byte, step.end_byte);
    }
    if (all_movable) {
      std::vector<const match::TaintSpec*> specs;
      for (const auto* tr : taint.local) specs.push_back(tr->matcher->taint());
      match::ImportCache before_imports;
      if (carried_imports) before_imports.table = *carried_imports;  // `before`'s own
      const match::MatchInput before_in{before.text, before.language, nullptr, nullptr, &before_imports};
      const match::MatchInput now_in{now.text, now.language, nullptr, nullptr, &run.imports()};
      match::TaintOptions taint_options;
      taint_options.parameters = options.taint_parameters;
      taint.skip_top_level = match::same_top_level(specs, before_in, before.root(), touched_before, now_in, root,
                                                   touched_now, taint_options);
    }
  }
  for (const auto& f : before_findings) {
    if (whole_file(f)) {
      if (local_only) carry(f);
      continue;
    }
    if (taint.skip_top_level && kept_top_level(f) && in_region(f)) {
      carry(f);
      fingerprint(findings.back(), now.text);  // its code may hold the edited function
      continue;
    }
    Finding moved = f;
    // A sibling match (match::Query) whose joined children all lie outside the region, around it,
    // is the same match: the same nodes in the same order. It is kept, what lies after the region
    // shifted, and query matching leaves out such joins (outside_joins false).
    const bool around = !f.sibling_spans.empty() &&
                        std::none_of(f.sibling_spans.begin(), f.sibling_spans.end(), [&](const auto& sp) {
                          return sp.second > old_region_start && sp.first < old_region_end;
                        });
    // One not kept, with some child outside the region: the same finding may come from another
    // join of children all outside it (the findings were deduplicated), which only a walk of all
    // the children of the parents around the region finds again.
    if (!around && !f.sibling_spans.empty() && f.extent_end > old_region_start && f.extent_start < old_region_end &&
        std::any_of(f.sibling_spans.begin(), f.sibling_spans.end(),
                    [&](const auto& sp) { return sp.first < old_region_start || sp.second > old_region_end; }))
      outside_joins = true;
    if (f.extent_end <= old_region_start) {
      // before the region: unchanged
    } else if (f.extent_start >= old_region_end || around) {
      // after the region: same code, shifted
      auto move = [&](uint32_t x) { return around && x <= old_region_start ? x : shift(x); };
      moved.start_byte = move(f.start_byte);
      moved.end_byte = move(f.end_byte);
      moved.extent_start = move(f.extent_start);
      moved.extent_end = move(f.extent_end);
      if (moved.fix) moved.fix->start_byte = move(f.fix->start_byte), moved.fix->end_byte = move(f.fix->end_byte);
      for (auto& sp : moved.sibling_spans) sp = {move(sp.first), move(sp.second)};
      for (auto& step : moved.trace) {
        step.start_byte = move(step.start_byte);
        step.end_byte = move(step.end_byte);
        step.start = document::point_at(now.lines, step.start_byte);
        step.end = document::point_at(now.lines, step.end_byte);
      }
      moved.start = document::point_at(now.lines, moved.start_byte);
      moved.end = document::point_at(now.lines, moved.end_byte);
    } else {
      continue;  // in the region: matched again
    }
    if (auto it = tree_index.find(f.rule.get());
        !local_only && it != tree_index.end() && TreeRun::context_dependent(plan->tree_rules[it->second])) {
      if (!partial) continue;
      if (at_top_level(moved.start_byte, moved.end_byte)) continue;
      if (std::binary_search(spot_sites.begin(), spot_sites.end(), ContextSpot{it->second, moved.start_byte, moved.end_byte})) continue;
    }
    findings.push_back(std::move(moved));
  }

  LocalResult result;
  bool hand_memo = false;  // a local pass's memo, for the next pass (LocalResult::memo)
  if (local_only) {
    run.walk(ByteRange{region_start, region_end}, TreeRun::Which::all);
    for (uint32_t i = 0; i < plan->tree_rules.size(); ++i)
      if (TreeRun::context_dependent(plan->tree_rules[i])) complete = false;
    if (partial) {  // the region's places, merged with the earlier ones outside it
      sort_spots(memo->spots);
      std::vector<ContextSpot> all;
      all.reserve(memo->spots.size() + spot_sites.size());
      std::merge(spot_sites.begin(), spot_sites.end(), memo->spots.begin(), memo->spots.end(), std::back_inserter(all));
      all.erase(std::unique(all.begin(), all.end()), all.end());
      memo->spots = std::move(all);
      hand_memo = true;
    }
  } else if (partial) {
    run.walk(ByteRange{region_start, region_end}, TreeRun::Which::all);
    for (const auto& [s, e] : top_level) run.at_range(s, e, std::nullopt);
    for (const auto& sp : spot_sites)
      if (!at_top_level(sp.start, sp.end)) run.at_range(sp.start, sp.end, sp.rule);
  } else {
    run.walk(ByteRange{region_start, region_end}, TreeRun::Which::subtree_local);
    run.walk(std::nullopt, TreeRun::Which::context_dependent);
  }
  if (!local_only) match_repetitions(*plan, now, fresh);
  else if (!plan->repetition_rules.empty()) complete = false;
  match_taint_rules(taint, now, ByteRange{region_start, region_end}, options, words ? &*words : nullptr, run.imports(),
                    fresh);
  if (taint.skipped) complete = false;
  result.carried_taint = taint.skipped;
  // Neither pass compiles the merged query: the editor builds it off the publish path.
  match_query_rules(*plan, now, ByteRange{region_start, region_end}, words ? &*words : nullptr, fresh, false,
                    outside_joins);
  // Handed on once complete: the import table the matching above built (or carried) goes with it.
  memo->imports = run.imports().table;
  if (hand_memo) {
    result.memo = std::move(memo);
  } else if (!local_only && !plan->tree_rules.empty()) {
    sort_spots(memo->spots);
    rule_set.remember(std::move(memo));
  }
  for (auto& f : fresh) fingerprint(f, now.text);
  const size_t kept = findings.size();
  findings.insert(findings.end(), std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()));
  sort_and_dedupe(findings, kept);
  result.findings = std::move(findings);
  result.complete = complete;
  return result;
}

}  // namespace

std::vector<Finding> analyze_incremental(const RuleSet& rule_set, const document::Snapshot& now,
                                         const document::Snapshot& before, const std::vector<Finding>& before_findings,
                                         const AnalysisOptions& options, const EarlierResult& earlier) {
  return incremental(rule_set, now, before, before_findings, options, false, earlier).findings;
}

LocalResult analyze_local(const RuleSet& rule_set, const document::Snapshot& now, const document::Snapshot& before,
                          const std::vector<Finding>& before_findings, const AnalysisOptions& options,
                          const EarlierResult& earlier) {
  // Only the memo of `earlier` concerns a local pass: it carries whole-file findings over anyway.
  EarlierResult memo_only;
  memo_only.memo = earlier.memo;
  return incremental(rule_set, now, before, before_findings, options, true, memo_only);
}

}  // namespace vigil
