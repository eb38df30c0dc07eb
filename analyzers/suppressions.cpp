#include "analyzers/suppressions.hpp"

#include <algorithm>
#include <functional>
#include <array>
#include <cctype>
#include <map>

namespace vigil {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_ids(std::string_view s) {
  std::vector<std::string> ids;
  std::string cur;
  for (char c : s) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!cur.empty()) ids.push_back(std::move(cur)), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) ids.push_back(std::move(cur));
  return ids;
}

// Whether the line holds nothing but whitespace before `offset`.
bool alone_on_line(const document::Snapshot& s, uint32_t line, uint32_t offset) {
  for (uint32_t i = s.lines.line_start(line); i < offset; ++i)
    if (!std::isspace(static_cast<unsigned char>(s.text[i]))) return false;
  return true;
}

// The first line after `line` that holds code: lines that are only comments (say, a second
// suppression for another rule) are skipped, blank lines are not.
uint32_t next_code_line(const document::Snapshot& s, uint32_t line) {
  const uint32_t last = static_cast<uint32_t>(s.lines.line_count()) - 1;
  const TSNode root = s.root();
  for (uint32_t l = line + 1; l <= last; ++l) {
    uint32_t i = s.lines.line_start(l);
    const uint32_t end = l < last ? s.lines.line_start(l + 1) : static_cast<uint32_t>(s.text.size());
    while (i < end && (s.text[i] == ' ' || s.text[i] == '\t')) ++i;
    if (i >= end || s.text[i] == '\n' || s.text[i] == '\r') return l;  // blank: nothing more to silence
    if (ts_node_is_null(comment_at(root, i))) return l;
  }
  return line + 1;
}

rules::RulePtr meta_rule(std::string_view id) {
  static const std::map<std::string_view, rules::RulePtr> rules = [] {
    std::map<std::string_view, rules::RulePtr> m;
    auto make = [&](std::string_view rid, rules::Severity sev, std::string constraint) {
      auto r = std::make_shared<rules::Rule>();
      r->id = std::string(rid);
      r->severity = sev;
      r->constraint = std::move(constraint);
      r->metadata.category = "bypass";
      r->scope = rules::Scope::all;
      r->source_path = "builtin:suppressions";
      m.emplace(rid, std::move(r));
    };
    make(kUnusedSuppression, rules::Severity::hint, "Remove suppression comments that no longer silence a finding.");
    make(kSuppressionNoReason, rules::Severity::warning,
         "Every vigil-ignore names the rule it silences and says why: `vigil-ignore: <rule-id> -- <reason>`.");
    make(kSuppressionUnknownRule, rules::Severity::warning, "A vigil-ignore names a rule that exists.");
    return m;
  }();
  return rules.at(id);
}

Finding meta_finding(const document::Snapshot& s, const Suppression& sup, std::string_view id, std::string message) {
  Finding f;
  f.rule = meta_rule(id);
  f.severity = f.rule->severity;
  f.message = std::move(message);
  f.start_byte = f.extent_start = sup.start_byte;
  f.end_byte = f.extent_end = sup.end_byte;
  f.start = document::point_at(s.lines, f.start_byte);
  f.end = document::point_at(s.lines, f.end_byte);
  f.fingerprint = fingerprint_of(f.rule->id, std::string_view(s.text).substr(f.start_byte, f.end_byte - f.start_byte));
  return f;
}

}  // namespace

bool is_placeholder_reason(std::string_view reason) {
  std::string lower;
  for (char c : trim(reason)) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "reason" || lower == "<reason>" || lower == "<why this is safe>";
}

TSNode comment_at(TSNode root, uint32_t offset) {
  TSNode n = ts_node_descendant_for_byte_range(root, offset, offset + 1);
  for (; !ts_node_is_null(n); n = ts_node_parent(n))
    if (match::is_comment(n)) return n;
  return n;
}

std::vector<Suppression> find_suppressions(const document::Snapshot& s) {
  std::vector<Suppression> out;
  if (!s.tree) return out;
  const std::string_view text = s.text;
  const TSNode root = s.root();
  // Searched with Boyer-Moore-Horspool: the editor runs this over the whole text on every
  // keystroke, and find() stops at every `v`, `n` and `a` of it.
  using Searcher = std::boyer_moore_horspool_searcher<std::string_view::const_iterator>;
  struct Marker {
    std::string_view word;
    Suppression::Kind kind;
    Searcher searcher;
  };
  const auto marker_of = [](std::string_view word, Suppression::Kind kind) {
    return Marker{word, kind, Searcher(word.begin(), word.end())};
  };
  static const std::array<Marker, 3> markers{marker_of("vigil-ignore", Suppression::Kind::vigil),
                                             marker_of("nosemgrep", Suppression::Kind::nosemgrep),
                                             marker_of("ast-grep-ignore", Suppression::Kind::ast_grep)};
  for (const auto& marker : markers) {
    auto find = [&](size_t from) {
      const auto it = std::search(text.begin() + static_cast<std::ptrdiff_t>(from), text.end(), marker.searcher);
      return it == text.end() ? std::string_view::npos : static_cast<size_t>(it - text.begin());
    };
    for (size_t at = find(0); at != std::string_view::npos; at = find(at + 1)) {
      const TSNode comment = comment_at(root, static_cast<uint32_t>(at));
      if (ts_node_is_null(comment)) continue;  // in a string or code, not a directive
      Suppression sup;
      sup.kind = marker.kind;
      sup.start_byte = static_cast<uint32_t>(at);
      // The directive runs to the end of its line within the comment; block comments lose their `*/`.
      uint32_t end = std::min<uint32_t>(ts_node_end_byte(comment), static_cast<uint32_t>(text.find('\n', at)));
      std::string_view rest = text.substr(at + marker.word.size(), end - at - marker.word.size());
      if (auto close = rest.rfind("*/"); close != std::string_view::npos) rest = rest.substr(0, close);
      const size_t last = rest.find_last_not_of(" \t\r");
      sup.end_byte = static_cast<uint32_t>(at + marker.word.size() + (last == std::string_view::npos ? 0 : last + 1));
      // Word boundary after the marker: "nosemgrep" but not "nosemgrepper".
      if (!rest.empty() && (std::isalnum(static_cast<unsigned char>(rest.front())) || rest.front() == '-' || rest.front() == '_'))
        continue;
      std::string_view ids = rest;
      if (auto dashes = rest.find("--"); dashes != std::string_view::npos && marker.kind == Suppression::Kind::vigil) {
        ids = rest.substr(0, dashes);
        sup.reason = std::string(trim(rest.substr(dashes + 2)));
        if (is_placeholder_reason(sup.reason)) sup.reason.clear();
      }
      ids = trim(ids);
      if (!ids.empty() && ids.front() == ':') {
        sup.rule_ids = split_ids(ids.substr(1));
      } else if (!ids.empty()) {
        continue;  // prose that mentions the word ("we use nosemgrep here"), not a directive
      }
      if (marker.kind == Suppression::Kind::vigil && sup.rule_ids.empty()) sup.malformed = true;
      sup.line = point_at(s.lines, sup.start_byte).row;
      const uint32_t comment_start = ts_node_start_byte(comment);
      sup.target_line = alone_on_line(s, sup.line, comment_start) ? next_code_line(s, sup.line) : sup.line;
      out.push_back(std::move(sup));
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.start_byte < b.start_byte; });
  return out;
}

std::vector<Finding> apply_suppressions(const document::Snapshot& s, std::vector<Finding> findings, const RuleSet& rules,
                                        std::vector<SuppressedFinding>* suppressed) {
  const auto sups = find_suppressions(s);
  if (sups.empty()) return findings;
  std::vector<bool> used(sups.size(), false);
  std::erase_if(findings, [&](const Finding& f) {
    const Suppression* by = nullptr;
    for (size_t i = 0; i < sups.size(); ++i) {
      const auto& sup = sups[i];
      if (sup.target_line != f.start.row || sup.malformed) continue;
      if (!sup.rule_ids.empty() && std::find(sup.rule_ids.begin(), sup.rule_ids.end(), f.rule->id) == sup.rule_ids.end())
        continue;
      used[i] = true;
      if (!by) by = &sup;
    }
    if (by && suppressed) {
      const char* marker = by->kind == Suppression::Kind::vigil ? "vigil-ignore"
                           : by->kind == Suppression::Kind::nosemgrep ? "nosemgrep"
                                                                      : "ast-grep-ignore";
      suppressed->push_back({f, marker, by->reason});
    }
    return by != nullptr;
  });
  auto known = [&](const std::string& id) {
    return std::any_of(rules.all().begin(), rules.all().end(), [&](const auto& r) { return r->id == id; });
  };
  for (size_t i = 0; i < sups.size(); ++i) {
    const auto& sup = sups[i];
    if (sup.kind == Suppression::Kind::vigil) {
      if (sup.malformed) {
        findings.push_back(meta_finding(s, sup, kSuppressionNoReason,
                                        "vigil-ignore needs a rule id and a reason: `vigil-ignore: <rule-id> -- <reason>`"));
        continue;
      }
      bool all_known = true;
      for (const auto& id : sup.rule_ids) {
        if (known(id)) continue;
        all_known = false;
        findings.push_back(meta_finding(s, sup, kSuppressionUnknownRule, "vigil-ignore names an unknown rule `" + id + "`"));
      }
      if (sup.reason.empty())
        findings.push_back(meta_finding(s, sup, kSuppressionNoReason,
                                        "vigil-ignore without a reason: add `-- <why this is safe>`"));
      if (!used[i] && all_known)
        findings.push_back(meta_finding(s, sup, kUnusedSuppression, "unused suppression: nothing here is flagged by " +
                                                                        sup.rule_ids.front() +
                                                                        (sup.rule_ids.size() > 1 ? " and the others named" : "")));
    } else if (!used[i] && !sup.rule_ids.empty() && std::all_of(sup.rule_ids.begin(), sup.rule_ids.end(), known)) {
      findings.push_back(meta_finding(s, sup, kUnusedSuppression, "unused suppression: nothing here is flagged by " + sup.rule_ids.front()));
    }
  }
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.start_byte != b.start_byte) return a.start_byte < b.start_byte;
    return a.rule->id < b.rule->id;
  });
  return findings;
}

}  // namespace vigil
