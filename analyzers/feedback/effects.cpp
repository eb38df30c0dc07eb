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

std::string render_lessons(const std::vector<Verdict>& verdicts, const RuleSet* rules, size_t max_rules) {
  struct Lesson {
    size_t count = 0;
    std::vector<std::pair<std::string, std::string>> examples;  // snippet, what fixed it
    std::set<std::string> fingerprints;
  };
  std::map<std::string, Lesson> by_rule;
  std::map<std::string, std::string> fix_of;  // fingerprint -> what fixed it
  for (const auto& v : verdicts)
    if (v.kind == Kind::fixed && !v.diff.empty() && !fix_of.contains(v.fingerprint)) fix_of[v.fingerprint] = added_lines(v.diff);
  for (const auto& v : verdicts) {
    Lesson& l = by_rule[v.rule_id];
    if (!l.fingerprints.insert(v.fingerprint).second) continue;  // one finding counts once
    ++l.count;
    if (l.examples.size() < 2 && !v.context.empty()) l.examples.emplace_back(snippet(v.context, 160), fix_of[v.fingerprint]);
  }
  if (by_rule.empty()) return {};
  std::vector<std::pair<std::string, const Lesson*>> order;
  for (const auto& [id, l] : by_rule) order.emplace_back(id, &l);
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second->count > b.second->count; });
  std::string out = "## Lessons from this repository\n\n"
                    "AI-written code in this repository broke these rules before (confirmed by reviewers or fixed since). "
                    "Do not repeat them:\n";
  size_t shown = 0;
  for (const auto& [id, l] : order) {
    if (shown++ == max_rules) break;
    rules::RulePtr rule;
    if (rules)
      for (const auto& r : rules->all())
        if (r->id == id) rule = r;
    out += "\n- `" + id + "` (" + std::to_string(l->count) + (l->count == 1 ? " time" : " times") + ")";
    if (rule && !rule->constraint.empty()) out += ": " + snippet(rule->constraint, 300);
    out += "\n";
    for (const auto& [code, fix] : l->examples) {
      out += "  - wrote: `" + code + "`";
      if (!fix.empty()) out += "; fixed with: `" + fix + "`";
      out += "\n";
    }
  }
  return out;
}

}  // namespace vigil::feedback
