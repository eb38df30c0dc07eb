// The feedback bank in the session: verdicts of people (the editor's code actions) and agents (MCP)
// recorded with their context, fixes noticed as findings disappear, and the bank's effect on what
// every open document shows: marked false positives hidden by fingerprint, a rule with a poor
// measured precision lowered one level (analyzers/feedback/effects.hpp).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "analyzers/feedback/effects.hpp"
#include "analyzers/report/unified_diff.hpp"
#include "analyzers/session/session.hpp"

namespace vigil::session {

namespace {

std::string origin_over(const std::vector<provenance::Span>& spans) {
  for (const auto& s : spans)
    if (s.label.origin == provenance::Origin::ai) return "ai";
  for (const auto& s : spans)
    if (s.label.origin == provenance::Origin::reviewed) return "reviewed";
  return "human";
}

std::vector<provenance::Span> spans_over(const ProvenanceScope* scope, const Finding& f) {
  std::vector<provenance::Span> out;
  if (scope)
    for (const auto& s : scope->spans)
      if (s.start < std::max(f.end_byte, f.start_byte + 1) && s.end > f.start_byte) out.push_back(s);
  return out;
}

}  // namespace

bool Session::refresh_feedback(bool force, bool throttled) {
  if (!bank_) return false;
  const auto now = std::chrono::steady_clock::now();
  if (!force) {
    if (bank_->changed_since_last_look()) feedback_stale_ = true;  // reported once per change
    if (!feedback_stale_) return false;
    if (throttled && now - feedback_read_at_ < kFeedbackRefreshInterval) return false;
  }
  feedback_stale_ = false;
  feedback_read_at_ = now;
  feedback_view_ = bank_->view();
  ++feedback_generation_;
  for (auto& [id, analysis] : analyses_) {
    present_feedback(id);
    if (events_.analysed) events_.analysed(id);
  }
  return true;
}

void Session::present_feedback(const std::string& id) {
  auto a = analyses_.find(id);
  if (a == analyses_.end()) return;
  // Without findings aside, the analysis's own are those before the bank.
  if (auto raw = unfiltered_.find(id); raw != unfiltered_.end()) a->second.findings = std::move(raw->second);
  apply_feedback(id, a->second);
  a->second.generation = rules_generation_ + scope_generation_ + feedback_generation_;
}

const feedback::View& Session::feedback_view() {
  refresh_feedback(false, true);
  return feedback_view_;
}

feedback::RuleStats Session::rule_stats(const std::string& rule_id) const {
  auto it = feedback_view_.rules.find(rule_id);
  return it == feedback_view_.rules.end() ? feedback::RuleStats{} : it->second;
}

bool Session::record_verdict(const std::string& id, const std::string& fingerprint, std::optional<uint32_t> near_line,
                             feedback::Kind kind, const std::string& reason, const std::string& tool, std::string& error) {
  auto ref = finding(id, fingerprint, near_line);
  if (!ref) {
    error = "the finding is no longer in " + id + " (edited away?)";
    return false;
  }
  const Finding& f = *ref->finding;
  feedback::Verdict v;
  v.fingerprint = f.fingerprint;
  v.rule_id = f.rule_id();
  v.kind = kind;
  v.source = "user";
  v.tool = tool;
  v.reason = reason;
  v.path = relative_path(ref->snapshot->path);
  v.line = f.start.row + 1;
  v.context = feedback::context_of(ref->snapshot->text, f.start_byte, f.end_byte);
  v.provenance = origin_over(ref->provenance);
  return record_verdict(std::move(v), error);
}

bool Session::record_verdict(feedback::Verdict verdict, std::string& error) {
  if (!bank_) {
    error = root_.empty() ? "no workspace folder: verdicts are kept in <workspace>/.vigil/feedback.db"
                          : "the feedback bank is not available (see the log)";
    return false;
  }
  if (verdict.author.empty()) verdict.author = feedback::current_author();
  if (!bank_->record(std::move(verdict), &error)) {
    error = "could not store the verdict: " + error;
    return false;
  }
  refresh_feedback(true);
  return true;
}

void Session::record_fixes(const std::string& id, const Analysis& before, const std::vector<Finding>& now) {
  // A finding confirmed by someone that an edit made disappear was fixed: remember how.
  // This runs on every publish: the findings now present are indexed only when some finding of
  // the last result is confirmed and not yet fixed (most never are; a large file has thousands).
  std::vector<const Finding*> candidates;
  if (!feedback_view_.confirmed.empty())
    for (const auto& f : before.findings)
      if (feedback_view_.confirmed.contains(f.fingerprint) && !feedback_view_.fixed.contains(f.fingerprint))
        candidates.push_back(&f);
  if (candidates.empty()) return;
  std::unordered_set<std::string_view> still;
  still.reserve(now.size());
  for (const auto& f : now) still.insert(f.fingerprint);
  bool any = false;
  for (const Finding* candidate : candidates) {
    const Finding& f = *candidate;
    if (still.contains(f.fingerprint)) continue;
    const auto* doc = document(id);
    if (!doc) return;
    feedback::Verdict v;
    v.fingerprint = f.fingerprint;
    v.rule_id = f.rule_id();
    v.kind = feedback::Kind::fixed;
    v.source = "fix";
    v.tool = "editor";
    v.author = feedback::current_author();
    v.path = relative_path(before.snapshot->path);
    v.line = f.start.row + 1;
    v.context = feedback::context_of(before.snapshot->text, f.start_byte, f.end_byte);
    v.provenance = origin_over(spans_over(before.scope.get(), f));
    v.diff = report::unified_diff(before.snapshot->text, doc->text(), "a/" + v.path, "b/" + v.path);
    if (v.diff.size() > 4000) v.diff = v.diff.substr(0, 4000) + "\n…\n";
    std::string error;
    if (!bank_->record(std::move(v), &error)) spdlog::warn("could not record a fix: {}", error);
    any = true;
  }
  if (any) {
    feedback_view_ = bank_->view();
    ++feedback_generation_;
  }
}

std::string Session::lessons(size_t max_rules) {
  if (!bank_) return {};
  return feedback::render_lessons(bank_->lessons(max_rules), rules_.get(), max_rules);
}

}  // namespace vigil::session
