// ast-grep's rule language compiled for one grammar: atomic rules (pattern, kind, regex,
// nthChild), relational rules (inside, has, follows, precedes with stopBy and field) and composite
// rules (all, any, not, matches + utils), with constraints on metavariables. Semantics follow
// ast-grep 0.51 (bindings flow through `all` in order, `any` keeps only the matching branch's
// bindings). Pure computation: the YAML is already parsed, nothing is read from disk.
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/match/matcher.hpp"
#include "analyzers/match/pattern.hpp"

namespace vigil::match {

// A rule that does not compile; `mark` is where in the YAML (0-based line/column).
struct RuleError : std::runtime_error {
  YAML::Mark mark;
  RuleError(const YAML::Mark& m, const std::string& what) : std::runtime_error(what), mark(m) {}
};

// Node kinds a rule can match: `any` or a set (possibly empty: matches nothing).
struct KindSet {
  bool any = true;
  std::set<TSSymbol> kinds;
  static KindSet all() { return {}; }
  static KindSet of(TSSymbol k) { return {false, {k}}; }
};

// Calls indexed by the last name of their callee: `cp.exec(cmd)`, `exec(cmd)`, `new File(p)` and
// Java's `rt.exec(cmd)` have the key `exec` (`File`), so that a node is offered only to the rules
// that can match a call of that name (RuleMatcher::callee_names).
// The callee of a call: the child in field `function` (call_expression, Python's call),
// `constructor` (new_expression), `type` (Java's object_creation_expression), each the call's first
// named child, or `name` (Java's method_invocation), just before the arguments that end it.
// Its key is its text when it is a name, or the text of its last child, a name ending it that
// follows a character no name holds (`.`, `->`, `::`, blanks): `exec` for `cp.exec`, `cp?.exec`,
// `a->exec`. Nothing otherwise (`f()()`, `a[0]()`, `(0, f)()`): every rule is tried there.
struct CalleeKey {
  TSFieldId field = 0;  // 0: no key (not a call, or no name to index by)
  std::string_view name;
  bool dotted = false;  // the callee's text holds a `.`
  bool leaf = false;    // the callee is a name (no children)
  // The field of the name that ends a callee with children (`property` in `cp.exec`), when it is
  // the callee's child in that field; 0 otherwise.
  TSFieldId member = 0;
};

// Which node kinds of a grammar are calls, and their callee field (see CalleeKey).
class CalleeKinds {
 public:
  static const CalleeKinds& of(const grammars::Language& lang);  // built once per language
  TSFieldId field(TSSymbol s) const { return s < fields_.size() ? fields_[s] : 0; }
  TSFieldId name_field() const { return name_field_; }  // Java's method_invocation: the name
  TSFieldId arguments_field() const { return arguments_field_; }
  const TSLanguage* language() const { return language_; }
  const std::vector<TSSymbol>& calls() const { return calls_; }  // the symbols with a callee field, ascending

 private:
  const TSLanguage* language_ = nullptr;
  std::vector<TSFieldId> fields_;  // by symbol; 0: not a call
  std::vector<TSSymbol> calls_;
  TSFieldId name_field_ = 0, arguments_field_ = 0;
};

CalleeKey callee_key(const MatchInput& in, TSNode node, const CalleeKinds& kinds);

// What a rule says of the keys of the calls it matches: each has one of `names`, or (`undotted`)
// a callee without a `.` (a bare name, which an import may bind to anything: `resolves`).
// `field` 0: the rule matches no call at all (an assignment's pattern, another kind).
// `member` set: the callee has a child in that field, a name among `names` (`has: {field:
// function, has: {field: property, regex: ...}}`); a callee that is a name has none.
struct CalleeNames {
  TSFieldId field = 0;
  TSFieldId member = 0;
  std::vector<std::string> names;  // sorted, unique
  bool undotted = false;
  // Whether a node with this key may match (always, for a node without a key).
  bool may_match(const CalleeKey& k) const {
    if (k.field == 0) return true;
    if (field == 0) return false;
    if (field != k.field) return true;  // says nothing of this kind's callee
    if (member) {
      if (k.leaf) return false;
      if (k.member != member) return true;  // its last name is not that child
    }
    if (undotted && !k.dotted) return true;
    return std::binary_search(names.begin(), names.end(), k.name);
  }
};

// The names a regex (RE2 syntax, searched in a text) allows as the text's last name, when every
// match ends the text (`$`) with one of some literal names that starts the text (`^`) or follows a
// `.`: `^((child_process|cp)\.)?(exec|execSync)$` gives exec, execSync. Nothing when this reader
// cannot tell (`exec$`: `myexec` ends with it).
std::optional<std::vector<std::string>> regex_last_names(std::string_view re);

// One node of a compiled rule tree.
struct VarCollector;

class RuleNode {
 public:
  virtual ~RuleNode() = default;
  // ast-grep's match_node_with_env: may leave partial bindings in `env` on failure, exactly as
  // ast-grep does (callers that need a clean env on failure copy it first).
  virtual bool match(const MatchInput& in, TSNode node, Bindings& env) const = 0;
  virtual KindSet kinds() const { return KindSet::all(); }
  // Adds the metavariable names this rule may read or bind, through utils too (see VarCollector).
  virtual void collect_vars(VarCollector&) const {}
  // No metavariable is read or bound anywhere below: the result depends on the node alone, and
  // the rule commutes with its siblings in an `all` (see AllRule::finish).
  bool pure() const;
  // A rough cost rank, to evaluate the cheap conditions of an `all` first.
  virtual int cost() const { return 10; }
  // What a match on a call of kind `call` (a symbol with a callee field) says of its callee's key
  // (CalleeNames); nothing when it cannot tell. `field` 0 when it matches no node of that kind:
  // the alternatives of an `any` are each asked about the kind at hand, so that `new File(...)` or
  // `Paths.get(...)` (two kinds, two callee fields) names `File` for one kind and `get` for the other.
  virtual std::optional<CalleeNames> callee_names(const CalleeKinds&, TSSymbol /*call*/) const { return std::nullopt; }
  // What a match on a callee itself says of its key (`field` unset): `has: {field: function,
  // regex: ...}` asks this of its inner rule.
  virtual std::optional<CalleeNames> own_names() const { return std::nullopt; }
};

// Metavariables a rule may read or bind: what its result can depend on besides the node.
struct VarCollector {
  std::set<std::string> vars;
  std::set<const void*> utils;  // visited, for recursive utils
  bool incomplete = false;      // a util still compiling: unknown
};

// Tests compare results with and without the memo of relational results, the cheap-first order of
// `all` and the early test of pure constraints: turns them off on this thread (the order and the
// early constraints for rules compiled meanwhile).
void set_memo_for_testing(bool on);

struct UtilSlot;
class GlobalUtils;
// Compiled utils alive in the process: a leak test's measure (a util that outlives every rule
// using it is a reference cycle).
size_t live_util_slots();

// A compiled rule core (`rule` + `constraints`, with the utils it uses): what a rule file's
// matcher, or one taint source/sink/sanitizer, is.
class RuleMatcher : public NodeMatcher {
 public:
  bool match(const MatchInput& in, TSNode node, Bindings& env) const override;
  std::vector<TSSymbol> start_kinds() const override;
  // True when a match depends only on the node's own subtree (no inside/follows/precedes/nthChild
  // anywhere): such rules can be re-matched on a region of a document.
  bool subtree_local() const { return subtree_local_; }
  // True when a match depends at most on the node's subtree and its ancestors below the root, that
  // is on the top-level statement holding it (no follows/precedes/nthChild, and no `inside` that can
  // test the root): an edit elsewhere in the file cannot change it.
  bool statement_local() const { return statement_local_; }
  // With statement_local(): kinds of top-level statements a match may also depend on (an `inside`
  // that reaches the root to look at its imports): an edit that touches such a statement, before or
  // after, can change matches anywhere.
  const std::set<TSSymbol>& root_kinds() const { return root_kinds_; }
  // Words (identifiers, keywords) every match contains; a text without one of them cannot match.
  const std::vector<std::string>& required_words() const { return required_words_; }
  // And one word of each of these (an `any` whose every branch needs a word, a regex's literals,
  // the names a `resolves` accepts).
  const std::vector<std::vector<std::string>>& required_clauses() const { return required_clauses_; }
  // The keys of the calls of kind `call` it can match (CalleeNames), when the rule tells: a call
  // whose key is not among them is not tried. Nothing for a kind that is not a call.
  const std::optional<CalleeNames>& callee_names(TSSymbol call) const;
  // Whether it tells for some call kind.
  bool names_callees() const;
  // The same of a callee it matches (a util used as `has: {field: function, matches: ...}`).
  const std::optional<CalleeNames>& own_names() const { return own_names_; }
  // Whether a text can hold a match: it contains the required words and a word of each clause.
  // `has(word)` says whether the text contains `word` (a caller's cache of text searches).
  template <class Has>
  bool may_match(const Has& has) const {
    for (const auto& w : required_words_)
      if (!has(w)) return false;
    for (const auto& c : required_clauses_)
      if (std::none_of(c.begin(), c.end(), [&](const std::string& w) { return has(w); })) return false;
    return true;
  }

  // Every match under `root` (pre-order, every node, nested matches included).
  struct Match {
    TSNode node;
    Bindings env;
  };
  std::vector<Match> find_all(const MatchInput& in, TSNode root) const;
  // Metavariables a match may read (constraints) or bind.
  void collect_vars(VarCollector& c) const;

 private:
  friend class RuleCompiler;
  friend class GlobalUtils;
  std::unique_ptr<RuleNode> rule_;
  std::vector<std::pair<std::string, std::unique_ptr<RuleNode>>> constraints_;
  // When rule_ is an `all` and a constraint is pure (it reads and binds no metavariable) and its
  // metavariable is left alone by the last steps: the steps, matched one by one, and after step k
  // the indices of the constraints tested there, before the costlier steps after it (`pattern:
  // $FN($A, $B)` with a constraint on FN, then `not: inside: {stopBy: end, has: ...}`).
  std::vector<const RuleNode*> all_steps_;
  std::vector<std::vector<size_t>> early_constraints_;
  KindSet kinds_;
  bool subtree_local_ = true;
  bool statement_local_ = true;
  bool root_test_ = false;
  std::set<TSSymbol> root_kinds_;
  std::vector<std::string> required_words_;
  std::vector<std::vector<std::string>> required_clauses_;
  std::vector<std::pair<TSSymbol, std::optional<CalleeNames>>> callee_names_;  // by call kind (CalleeKinds::calls)
  std::optional<CalleeNames> own_names_;
  std::shared_ptr<void> keep_alive_;  // local utils and global utils the tree points into
};

// Utility rules shared by several rule files (ast-grep's utilDirs: `utils/*.yml`, each with `id`,
// `language` and `rule`, optionally `utils` and `constraints`). Compiled per language on first use.
class GlobalUtils {
 public:
  struct Source {
    std::string id;
    std::string path;
    std::vector<std::string> languages;  // canonical ids; empty = any
    YAML::Node doc;
  };
  void add(Source s);
  bool has(const std::string& id) const;
  const Source* source(const std::string& id) const;
  // The compiled util for a language; throws RuleError. Thread-safe.
  std::shared_ptr<UtilSlot> resolve(const std::string& id, const grammars::Language& lang,
                                    const std::shared_ptr<const GlobalUtils>& self) const;
  // Cycles through matches/all/any/not among global utils, as "a -> b -> a"; empty when none.
  std::string find_cycle() const;
  // A util (its id) whose recursion through relational rules can come back to the node it left,
  // and why; empty when none.
  std::pair<std::string, std::string> find_loop() const;

 private:
  std::map<std::string, Source> sources_;
  mutable std::recursive_mutex mutex_;
  mutable std::map<std::pair<std::string, const grammars::Language*>, std::shared_ptr<UtilSlot>> compiled_;
};

// Compiles rule objects for one language, with the `utils:` of their rule file and the global
// utils. This is the entry point for the loader and for taint mode (sources, sinks, sanitizers).
class RuleCompiler {
 public:
  // `local_utils`: the rule file's `utils:` mapping (or an undefined node). Throws RuleError for a
  // cycle among utils; a util that does not compile throws from the first compile() (every util
  // of the file compiles then, used or not, after set_lazy_regexes has applied).
  RuleCompiler(const grammars::Language& lang, const YAML::Node& local_utils,
               std::shared_ptr<const GlobalUtils> globals = nullptr);

  // Compiles a rule object with optional `constraints` (a mapping NAME -> rule object). Keys of
  // `rule_object` listed in `extra_keys` are left to the caller (taint's `focus`, `from`, `to`).
  // Throws RuleError with the position of the offending key or value.
  std::unique_ptr<RuleMatcher> compile(const YAML::Node& rule_object, const YAML::Node& constraints = YAML::Node(),
                                       const std::set<std::string>& extra_keys = {}) const;

  // A fix's `expandStart` / `expandEnd`: a rule object with `stopBy`, searched among the match's
  // earlier (expandStart) or later (expandEnd) siblings.
  std::shared_ptr<const class Expansion> compile_expansion(const YAML::Node& relation, bool forward) const;

  const grammars::Language& language() const { return *lang_; }
  // Regexes compile on first use instead of now (their errors then go unreported): for rules
  // validated beforehand, such as the built-in packs, which CI loads with validation.
  void set_lazy_regexes(bool lazy);
  // Things worth telling the rule's author that do not stop it from loading (a pattern that does
  // not parse cleanly), from every compile so far.
  const std::vector<RuleError>& warnings() const;

  struct State;

 private:
  const grammars::Language* lang_;
  std::shared_ptr<State> state_;
};

class Expansion {
 public:
  virtual ~Expansion() = default;
  // The sibling that widens the fix range, if any.
  virtual std::optional<TSNode> find(const MatchInput& in, TSNode node, const Bindings& env) const = 0;
};

// The literals one of which every match of the regex `re` (RE2 syntax, case-sensitive) contains,
// each at least 3 bytes long; nothing when this reader cannot tell. It reads alternatives, groups,
// optional parts, classes and escaped punctuation, and gives up on anything else (flags, Unicode
// classes, back-references, non-ASCII text): the prefilter of a `regex:` rule.
std::optional<std::vector<std::string>> regex_literals(std::string_view re);

// Keys a rule object may have (ast-grep's SerializableRule).
const std::set<std::string>& rule_object_keys();

}  // namespace vigil::match
