// The engine's front door: a set of compiled rules and the analysis of one snapshot against it.
// Pure computation (no IO, no protocol): callers bring snapshots and take findings.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/document/document.hpp"
#include "analyzers/match/query_prefilter.hpp"
#include "analyzers/match/words.hpp"
#include "analyzers/rules/rule.hpp"

namespace vigil {

// A rule's `fix` applied to one finding: replace [start_byte, end_byte) with `replacement`.
struct FixEdit {
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
  std::string replacement;
  bool safe = false;  // the rule declares the fix safe to apply without review (fixApplicability: safe)
};

// One step of a taint path (or of a repetition: where the code was first written), source first
// and sink last (LSP relatedInformation): the taint engine's own step, kept as it is.
using TraceStep = match::TaintStep;

struct Finding {
  rules::RulePtr rule;
  rules::Severity severity;
  std::string message;  // placeholders filled in
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
  TSPoint start{};  // row, byte column
  TSPoint end{};
  std::string fingerprint;  // stable across line moves: rule id + normalized matched code (SHA-256)
  // Bytes spanned by every node the match captured (e.g. an assignment in one statement and the
  // call in the next): an edit there can change the finding even outside its own range.
  uint32_t extent_start = 0;
  uint32_t extent_end = 0;
  // A sibling pattern's match (match::QueryMatch::sibling_spans): the spans of the children it
  // joined. An edit that touches none of them leaves the match as it was, even inside its extent.
  std::vector<std::pair<uint32_t, uint32_t>> sibling_spans;
  std::optional<FixEdit> fix;     // when the rule has a `fix`
  std::vector<TraceStep> trace;   // taint findings: how the data got from source to sink
  // A taint finding whose path starts at a function parameter that only the analysis policy made a
  // source (AnalysisOptions::taint_parameters): callers keep it where that policy applies
  // (keep_parameter_finding).
  bool from_parameter = false;
  // A taint finding of the file's top level (its sink outside every function): incremental analysis
  // keeps it when the edit leaves the top level's code as it was (match::same_top_level).
  bool top_level_taint = false;

  const std::string& rule_id() const { return rule->id; }
};

class RuleSet {
 public:
  RuleSet() = default;
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  // Adds a rule; a later rule with the same id replaces the earlier one (workspace rules override
  // built-in ones). Returns false when it replaced one.
  bool add(rules::RulePtr rule);
  const std::vector<rules::RulePtr>& all() const { return ordered_; }
  std::vector<rules::RulePtr> for_language(const grammars::Language& lang) const;
  size_t size() const { return ordered_.size(); }

  // Every rule's patterns for one language merged into one query, so that one walk of the tree
  // serves all rules. Built on first use, then shared (thread-safe).
  struct LanguagePlan {
    const grammars::Language* language = nullptr;
    std::vector<rules::RulePtr> rules;  // `query:` rules
    // Per rule of `rules`: the words its matches need (read from its source, not compiled).
    std::vector<std::shared_ptr<const match::QueryPrefilter>> query_filters;
    // Every query rule's patterns merged into one query, so that one walk of the tree serves them
    // all; compiled on first use (merged()), since compiling costs tens of milliseconds per rule and
    // a file usually contains the words of a few rules only, whose own queries then run instead.
    // One query: split in parts compiled on two threads, the open waited half as long on a free
    // second core, but every keystroke walked the region once per part.
    struct Merged {
      std::shared_ptr<const match::Query> query;  // null if merging failed: rules run one by one
      std::vector<uint32_t> pattern_rule;         // pattern index in `query` -> index in `rules`
      int match_capture = -1;
    };
    std::shared_ptr<const Merged> merged() const;
    // The merged query if some analysis compiled it already, else null. Never waits for a compile
    // in progress.
    std::shared_ptr<const Merged> merged_if_built() const;
    // True once, to the caller that is to build the merged query off the publish path (the
    // editor's warm-up: its local passes never compile it), when there are query rules and it is
    // not built yet. Once claimed, analyses wait for the build (merged()) rather than compile the
    // rules' own queries beside it, when most rules may match (waiting_for_merged_pays).
    bool claim_merged_build() const;
    bool merged_build_claimed() const;
    // Whether some query rule may match `text` (its words are there): then the editor starts the
    // merged query at once, on its warm-up thread, beside the parse and the other rules, since it
    // builds it after the first publish anyway.
    bool any_query_rule_may_match(std::string_view text) const;
    // Whether an analysis whose `active` rules (indices in `rules`) may match should wait for the
    // merged query being built rather than compile their own queries: when they hold most of the
    // query source, compiling them costs about as long as the build.
    bool waiting_for_merged_pays(const std::vector<uint32_t>& active) const;
    // `rule:` (ast-grep) rules, grouped by the node kinds they can start at, so that one walk of
    // the tree serves them all.
    struct TreeRule {
      rules::RulePtr rule;
      const rules::CompiledMatcher* matcher;
    };
    std::vector<TreeRule> tree_rules;
    std::vector<std::vector<uint32_t>> by_kind;  // symbol -> indices in tree_rules
    std::vector<uint32_t> any_kind;              // rules that can start anywhere
    // Symbols of calls some of whose rules name the callee (RuleMatcher::callee_names): a call
    // there is offered only to the rules its callee's key allows.
    std::vector<char> named_calls;  // by symbol
    std::vector<TreeRule> taint_rules;           // `mode: taint` rules
    std::vector<TreeRule> repetition_rules;      // `mode: repetition`, over the whole tree
    // The words the prefilters of the tree rules and of the taint rules' items need, found in a
    // file's text in one pass (match::TextWords).
    std::shared_ptr<const match::WordIndex> words;

   private:
    mutable std::mutex compile_mutex_;  // one compile of the merged query at a time
    mutable std::mutex merged_mutex_;   // guards merged_ and build_claimed_
    mutable std::shared_ptr<const Merged> merged_;
    mutable bool build_claimed_ = false;
  };
  std::shared_ptr<const LanguagePlan> plan_for(const grammars::Language& lang) const;

  // What an analysis of a snapshot learnt for the next incremental one: where `rule:` rules that
  // look beyond a node reached the top level. Kept for the last few snapshots analysed; a local
  // pass hands its own to the caller instead (LocalResult::memo).
  struct Memo;
  void remember(std::shared_ptr<const Memo> memo) const;
  std::shared_ptr<const Memo> recall(const document::Snapshot& snapshot) const;

 private:
  std::vector<rules::RulePtr> ordered_;
  mutable std::mutex memo_mutex_;
  mutable std::vector<std::shared_ptr<const Memo>> memos_;
  mutable std::mutex plans_mutex_;
  mutable std::map<const grammars::Language*, std::shared_ptr<const LanguagePlan>> plans_;
};

// Per-analysis policy, chosen by the caller from the settings (workspace::TaintParameters).
struct AnalysisOptions {
  // Function parameters are taint sources in every taint rule that allows it (numbers, booleans,
  // handles, contexts... excepted; see match::TaintOptions). Findings that need it carry
  // Finding::from_parameter.
  bool taint_parameters = false;
  bool operator==(const AnalysisOptions&) const = default;
};

// Every finding of `rules` in `snapshot`, ordered by position then rule id, without duplicates.
std::vector<Finding> analyze(const RuleSet& rules, const document::Snapshot& snapshot, const AnalysisOptions& options = {});

// For a snapshot whose text and parse equal an analysed one's (same offsets) outside `changed`
// (byte ranges; text edits and the ranges ts_tree_get_changed_ranges gives): analyze(), except
// that tree rules whose match depends on nothing beyond its top-level statement and the root's
// kind (statement_local, no root kinds, no fix expansion) are matched only at the root and in the
// top-level statements touching `changed`. Their matches elsewhere, in a statement whose text and
// syntax tree are the same, are the analysed snapshot's (same rule, same range): the findings
// returned include every finding of analyze() that the earlier analysis lacks. Every other rule
// runs on the whole tree, unless `analysed` (the earlier snapshot, same text length) still has the
// memo of its analyze() with the same rules: then the other tree rules (context-dependent ones)
// run in those statements, at the top-level statements and where the earlier analysis saw them
// look at the top level, as analyze_incremental() does.
std::vector<Finding> analyze_changed(const RuleSet& rules, const document::Snapshot& snapshot,
                                     const std::vector<std::pair<uint32_t, uint32_t>>& changed,
                                     const AnalysisOptions& options = {}, const document::Snapshot* analysed = nullptr);

// The same result as analyze(rules, now), computed from the findings of an earlier version: only
// the top-level statements around the text that changed are matched again; findings elsewhere are
// kept and moved. `before_findings` must come from analyze*(rules, before, options) with the same
// options.
// What `before_findings` passed to analyze_incremental() may lack when they come from local passes
// (analyze_local, a chain of them since an exact result) rather than from analyze*().
struct EarlierResult {
  // The findings are a local pass's: what a local pass carries over (repetitions, context-dependent
  // `rule:` rules at the top level) is found again on the whole file, even for the same text.
  bool local = false;
  // Some local pass of the chain carried taint findings over (LocalResult::carried_taint): taint
  // rules run on the whole file.
  bool carried_taint = false;
  // The memo the local pass of `before` left (LocalResult::memo). With it, the context-dependent
  // `rule:` rules run only around the change, at the top level and at the memo's spots, as after a
  // complete result; without it (and without one remembered for `before`), on the whole tree.
  std::shared_ptr<const RuleSet::Memo> memo{};
};
std::vector<Finding> analyze_incremental(const RuleSet& rules, const document::Snapshot& now,
                                         const document::Snapshot& before, const std::vector<Finding>& before_findings,
                                         const AnalysisOptions& options = {}, const EarlierResult& earlier = {});

// The editor's first answer after an edit: the result of analyze_incremental() without the work
// that needs the whole file (repetitions, taint rules that look beyond a top-level statement,
// ast-grep rules that look at siblings or the root, re-run at the top level). The rules are
// re-matched in the changed region as analyze_incremental() does; what the whole-file work found
// before is carried over, moved with the edit. `complete` when nothing was carried over (the result
// then equals analyze()); otherwise the caller follows with analyze_incremental().
struct LocalResult {
  std::vector<Finding> findings;
  bool complete = false;
  bool carried_taint = false;  // some taint rule's findings were carried over, not matched again
  // Where the context-dependent `rule:` rules look at the top level in `now`, as an analysis of it
  // would note them: the earlier memo's places outside the changed region (whether a match there
  // reaches the top level depends on its own top-level statement only, which did not change),
  // moved with the edit, and those the pass found in the region. A carried finding can differ
  // from analyze()'s only at such a place or at the root, so the complete pass that follows
  // (EarlierResult::memo) matches those again instead of the whole tree. Null when the earlier
  // result had no memo (none remembered for `before`, nor given in `earlier`).
  std::shared_ptr<const RuleSet::Memo> memo{};
};
// `earlier`: only its memo is used (the one the local pass of `before` left, if it was one).
LocalResult analyze_local(const RuleSet& rules, const document::Snapshot& now, const document::Snapshot& before,
                          const std::vector<Finding>& before_findings, const AnalysisOptions& options = {},
                          const EarlierResult& earlier = {});

// A finding's fingerprint: stable across line moves and reformatting (SHA-256 of the rule id and
// the whitespace-normalized code, 32 hex digits).
std::string fingerprint_of(std::string_view rule_id, std::string_view code);

// Fills `$NAME` placeholders from the capture texts (first line, shortened).
std::string interpolate(std::string_view templ, const std::map<std::string, std::string>& captures);

}  // namespace vigil
