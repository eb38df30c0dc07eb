#include "analyzers/feedback/effects.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace vigil::feedback {

namespace {

std::string percent(double p) { return std::to_string(static_cast<int>(std::lround(p * 100))) + "%"; }

// The lines a diff added, whitespace folded: "what fixed it".
std::string added_lines(const std::string& diff) {
  std::string out;
  size_t i = 0;
  while (i < diff.size()) {
    size_t end = diff.find('\n', i);
    if (end == std::string::npos) end = diff.size();
    std::string_view line(diff.data() + i, end - i);
    if (line.starts_with("+") && !line.starts_with("+++")) out += (out.empty() ? "" : " ") + std::string(line.substr(1));
    i = end + 1;
  }
  return snippet(out, 200);
}

}  // namespace

bool lowered(const RuleStats& stats, const workspace::FeedbackSettings& settings) {
  const auto p = stats.precision();
  return p && stats.votes() >= settings.min_votes && *p < settings.precision_threshold;
}

std::string precision_text(const RuleStats& stats) {
  const auto p = stats.precision();
  if (!p) return "no votes yet";
  return "precision " + percent(*p) + " (" + std::to_string(stats.confirmed) + " confirmed, " + std::to_string(stats.false_positives) +
         (stats.false_positives == 1 ? " false positive)" : " false positives)");
}

size_t apply(std::vector<Finding>& findings, const View& view, const workspace::FeedbackSettings& settings) {
  const size_t before = findings.size();
  std::erase_if(findings, [&](const Finding& f) {
    return view.hidden.contains(f.fingerprint) || (settings.hide_refuted && view.refuted.contains(f.fingerprint));
  });
  for (auto& f : findings) {
    auto it = view.rules.find(f.rule_id());
    if (it == view.rules.end() || !lowered(it->second, settings) || f.severity == rules::Severity::hint) continue;
    f.severity = static_cast<rules::Severity>(static_cast<int>(f.severity) + 1);
    f.message += " [severity lowered: this rule's " + precision_text(it->second) + " in this repository is under " +
                 percent(settings.precision_threshold) + "]";
  }
  return before - findings.size();
}

bool affects(const std::vector<Finding>& findings, const View& view, const workspace::FeedbackSettings& settings) {
  const bool hides = !view.hidden.empty() || (settings.hide_refuted && !view.refuted.empty());
  const bool lowers = std::any_of(view.rules.begin(), view.rules.end(),
                                  [&](const auto& r) { return lowered(r.second, settings); });
  if (!hides && !lowers) return false;  // the usual case: no finding need be looked at
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
    if (view.hidden.contains(f.fingerprint) || (settings.hide_refuted && view.refuted.contains(f.fingerprint)))
      return true;
    if (!lowers || f.severity == rules::Severity::hint) return false;
    auto it = view.rules.find(f.rule_id());
    return it != view.rules.end() && lowered(it->second, settings);
  });
}

namespace {

struct Lesson {
  std::string rule_id;
  size_t count = 0;
  std::string constraint;
  std::vector<std::pair<std::string, std::string>> examples;  // what the AI wrote, what fixed it
};

// The lessons by rule, most frequent first, at most `max_rules`.
std::vector<Lesson> gather_lessons(const std::vector<Verdict>& verdicts, const RuleSet* rules, size_t max_rules) {
  std::map<std::string, Lesson> by_rule;
  std::map<std::string, std::set<std::string>> seen;
  std::map<std::string, std::string> fix_of;  // fingerprint -> what fixed it
  for (const auto& v : verdicts)
    if (v.kind == Kind::fixed && !v.diff.empty() && !fix_of.contains(v.fingerprint)) fix_of[v.fingerprint] = added_lines(v.diff);
  for (const auto& v : verdicts) {
    if (!seen[v.rule_id].insert(v.fingerprint).second) continue;  // one finding counts once
    Lesson& l = by_rule[v.rule_id];
    l.rule_id = v.rule_id;
    ++l.count;
    if (l.examples.size() < 2 && !v.context.empty()) l.examples.emplace_back(snippet(v.context, 160), fix_of[v.fingerprint]);
  }
  std::vector<Lesson> out;
  for (auto& [id, l] : by_rule) {
    if (rules)
      for (const auto& r : rules->all())
        if (r->id == id) l.constraint = snippet(r->constraint, 300);
    out.push_back(std::move(l));
  }
  std::stable_sort(out.begin(), out.end(), [](const Lesson& a, const Lesson& b) { return a.count > b.count; });
  if (out.size() > max_rules) out.resize(max_rules);
  return out;
}

std::string times(size_t n) { return std::to_string(n) + (n == 1 ? " time" : " times"); }

}  // namespace

std::string render_lessons(const std::vector<Verdict>& verdicts, const RuleSet* rules, size_t max_rules) {
  const auto lessons = gather_lessons(verdicts, rules, max_rules);
  if (lessons.empty()) return {};
  std::string out = "## Lessons from this repository\n\n"
                    "AI-written code in this repository broke these rules before (confirmed by reviewers or fixed since). "
                    "Do not repeat them:\n";
  for (const auto& l : lessons) {
    out += "\n- `" + l.rule_id + "` (" + times(l.count) + ")";
    if (!l.constraint.empty()) out += ": " + l.constraint;
    out += "\n";
    for (const auto& [code, fix] : l.examples) {
      out += "  - wrote: `" + code + "`";
      if (!fix.empty()) out += "; fixed with: `" + fix + "`";
      out += "\n";
    }
  }
  return out;
}

std::vector<std::string> lesson_lines(const std::vector<Verdict>& verdicts, const RuleSet* rules, size_t max_rules) {
  std::vector<std::string> out;
  for (const auto& l : gather_lessons(verdicts, rules, max_rules)) {
    std::string line = "`" + l.rule_id + "` (" + times(l.count) + " in AI-written code here)";
    if (!l.constraint.empty()) line += ": " + l.constraint;
    if (!l.examples.empty()) {
      line += " Wrote: `" + l.examples.front().first + "`";
      if (!l.examples.front().second.empty()) line += "; fixed with: `" + l.examples.front().second + "`";
      line += ".";
    }
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace vigil::feedback
