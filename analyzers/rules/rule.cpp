#include "analyzers/rules/rule.hpp"

#include <cctype>

namespace vigil::rules {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "info";
    case Severity::hint: return "hint";
  }
  return "warning";
}

bool parse_severity(std::string_view name, Severity& out) {
  if (name == "error") out = Severity::error;
  else if (name == "warning") out = Severity::warning;
  else if (name == "info") out = Severity::info;
  else if (name == "hint") out = Severity::hint;
  else return false;
  return true;
}

CompiledMatcher::CompiledMatcher(const grammars::Language& lang, std::string source,
                                 std::shared_ptr<const match::Query> compiled)
    : language(&lang), source_(std::move(source)), query_(std::move(compiled)) {
  if (query_) std::call_once(once_, [] {});
}

CompiledMatcher::CompiledMatcher(const grammars::Language& lang, std::shared_ptr<const match::RuleMatcher> rule,
                                 std::shared_ptr<const match::Expansion> expand_start,
                                 std::shared_ptr<const match::Expansion> expand_end)
    : language(&lang), rule_(std::move(rule)), expand_start_(std::move(expand_start)), expand_end_(std::move(expand_end)) {
  std::call_once(once_, [] {});
}

CompiledMatcher::CompiledMatcher(const grammars::Language& lang, match::RepetitionOptions repetition)
    : language(&lang), repetition_(repetition) {
  std::call_once(once_, [] {});
}

CompiledMatcher::CompiledMatcher(const grammars::Language& lang, std::shared_ptr<const match::TaintSpec> taint)
    : language(&lang), taint_(std::move(taint)) {
  std::call_once(once_, [] {});
}

const match::Query& CompiledMatcher::query() const {
  std::call_once(once_, [this] {
    try {
      query_ = std::make_shared<match::Query>(language->ts_language(), source_);
    } catch (const match::QueryError& e) {
      error_ = e.what();
      error_offset_ = e.offset;
    }
  });
  if (!query_) throw match::QueryError(error_offset_, error_);
  return *query_;
}

int CompiledMatcher::match_capture() const { return query().capture_id("match"); }

std::string cwe_url(std::string_view cwe) {
  if (cwe.size() < 5 || (cwe.substr(0, 4) != "CWE-" && cwe.substr(0, 4) != "cwe-")) return {};
  auto digits = cwe.substr(4);
  for (char c : digits)
    if (!std::isdigit(static_cast<unsigned char>(c))) return {};
  return "https://cwe.mitre.org/data/definitions/" + std::string(digits) + ".html";
}

}  // namespace vigil::rules
