// The rule model: what a loaded security rule is, independent of where it came from.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/match/query.hpp"
#include "analyzers/match/repetition.hpp"
#include "analyzers/match/rule_tree.hpp"
#include "analyzers/match/taint.hpp"
#include "vigil/grammars/registry.hpp"

namespace vigil::rules {

enum class Severity { error, warning, info, hint };
std::string_view to_string(Severity s);
bool parse_severity(std::string_view name, Severity& out);

enum class Scope { ai, all };

struct Metadata {
  std::vector<std::string> cwe;  // "CWE-78"
  std::string owasp;
  std::string category;
  std::string confidence;  // low | medium | high
  std::vector<std::string> references;
  // The rule is about code being added (a `# nosec` an assistant slips in): in `vigil check`, a
  // finding on code not known to be AI-written (provenance) is a hint. `metadata.addedCodeOnly`.
  bool added_code_only = false;
};

// The rule's matcher for one language: a tree-sitter query (`query:`), or an ast-grep rule tree
// (`rule:`). The query compiles on first use (thread-safe): compiling costs tens of milliseconds
// per rule and language, and most runs see only a few languages. Rule trees compile at load (a
// pattern parses in microseconds).
class CompiledMatcher {
 public:
  CompiledMatcher(const grammars::Language& language, std::string source,
                  std::shared_ptr<const match::Query> compiled = nullptr);
  // An ast-grep rule (`rule:` + `constraints:`), with the fix's optional range expansions.
  CompiledMatcher(const grammars::Language& language, std::shared_ptr<const match::RuleMatcher> rule,
                  std::shared_ptr<const match::Expansion> expand_start = nullptr,
                  std::shared_ptr<const match::Expansion> expand_end = nullptr);

  // `mode: repetition`: repeated blocks, found over the whole tree.
  CompiledMatcher(const grammars::Language& language, match::RepetitionOptions repetition);

  // Non-null for `mode: repetition` matchers.
  const match::RepetitionOptions* repetition() const { return repetition_ ? &*repetition_ : nullptr; }
  // `mode: taint`: sources, sinks, sanitizers and propagators compiled for this language.
  CompiledMatcher(const grammars::Language& language, std::shared_ptr<const match::TaintSpec> taint);

  // Non-null for `rule:` matchers; their source() is empty and query() must not be called.
  const match::RuleMatcher* rule_tree() const { return rule_.get(); }
  // Non-null for `mode: taint` rules; their source() is empty and query() must not be called.
  const match::TaintSpec* taint() const { return taint_.get(); }
  const match::Expansion* expand_start() const { return expand_start_.get(); }
  const match::Expansion* expand_end() const { return expand_end_.get(); }

  const grammars::Language* language;
  const std::string& source() const { return source_; }  // merged with other rules' by RuleSet
  // Throws match::QueryError if the source does not compile (a rule loaded without validation).
  const match::Query& query() const;
  int match_capture() const;  // the capture named `match`, the finding's range; -1: span of all captures

 private:
  std::string source_;
  mutable std::once_flag once_;
  mutable std::shared_ptr<const match::Query> query_;
  mutable std::string error_;
  mutable uint32_t error_offset_ = 0;
  std::shared_ptr<const match::RuleMatcher> rule_;
  std::shared_ptr<const match::Expansion> expand_start_, expand_end_;
  std::shared_ptr<const match::TaintSpec> taint_;
  std::optional<match::RepetitionOptions> repetition_;
};

// An ast-grep style test block (`tests: {valid: [...], invalid: [...]}`): snippets that must not /
// must produce a finding.
struct SnippetTests {
  std::vector<std::string> valid;
  std::vector<std::string> invalid;
};

struct Rule {
  std::string id;
  std::vector<const grammars::Language*> languages;
  Severity severity = Severity::warning;
  std::string message;     // may hold $CAPTURE placeholders
  std::string constraint;  // the security rule in one sentence, for humans and agents
  std::string note;        // markdown for hover: why it matters and the safe alternative
  Metadata metadata;
  Scope scope = Scope::ai;
  std::optional<std::string> fix;  // template with $CAPTURE placeholders
  bool fix_safe = false;           // `fixApplicability: safe`: applied by fix-all and `vigil check --fix`
  std::string source_path;         // the YAML file it came from ("builtin:python/x.yaml" when embedded)
  std::vector<std::unique_ptr<CompiledMatcher>> matchers;
  SnippetTests tests;

  const CompiledMatcher* matcher_for(const grammars::Language& lang) const {
    for (const auto& m : matchers)
      if (m->language == &lang) return m.get();
    return nullptr;
  }
};

using RulePtr = std::shared_ptr<const Rule>;

// "https://cwe.mitre.org/data/definitions/78.html" for "CWE-78"; empty if not a CWE id.
std::string cwe_url(std::string_view cwe);

}  // namespace vigil::rules
