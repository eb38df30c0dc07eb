// The rule model: what a loaded security rule is, independent of where it came from.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/match/query.hpp"
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
};

// The rule's matcher for one language. The query compiles on first use (thread-safe): compiling
// costs tens of milliseconds per rule and language, and most runs see only a few languages.
class CompiledMatcher {
 public:
  CompiledMatcher(const grammars::Language& language, std::string source,
                  std::shared_ptr<const match::Query> compiled = nullptr);

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
};

struct Rule {
  std::string id;
  std::vector<const grammars::Language*> languages;
  Severity severity = Severity::warning;
  std::string message;     // may hold $CAPTURE placeholders
  std::string constraint;  // the security rule in one sentence, for humans and agents
  std::string note;        // markdown shown on hover: why it matters, then "**Instead:**" the safe way
  Metadata metadata;
  Scope scope = Scope::ai;
  std::optional<std::string> fix;  // template with $CAPTURE placeholders
  bool fix_safe = false;           // `fixApplicability: safe`: applied by fix-all and `vigil check --fix`
  std::string source_path;         // the YAML file it came from ("builtin:python/x.yaml" when embedded)
  std::vector<std::unique_ptr<CompiledMatcher>> matchers;

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
