#include "analyzers/rules/fixture_tests.hpp"

#include <algorithm>
#include <set>

#include "analyzers/engine.hpp"

namespace vigil::rules {
namespace {

// A fixture shows code as an assistant writes it: analysed as AI-written code under the default
// `taint.parameters: ai` policy, where function parameters are sources.
AnalysisOptions fixture_options() {
  AnalysisOptions options;
  options.taint_parameters = true;
  return options;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// If `line` is an annotation comment, its kind ("ruleid", ...) and id list.
bool annotation(std::string_view line, std::string_view comment, std::string& kind, std::vector<std::string>& ids) {
  line = trim(line);
  if (line.starts_with(comment)) line.remove_prefix(comment.size());
  else if (line.starts_with("/*")) line.remove_prefix(2);
  else return false;
  line = trim(line);
  if (line.ends_with("*/")) line = trim(line.substr(0, line.size() - 2));
  for (std::string_view k : {"todoruleid", "todook", "ruleid", "ok"}) {
    if (line.starts_with(k) && line.size() > k.size() && line[k.size()] == ':') {
      kind = std::string(k);
      std::string_view rest = line.substr(k.size() + 1);
      ids.clear();
      size_t pos = 0;
      while (pos <= rest.size()) {
        size_t comma = rest.find(',', pos);
        auto id = trim(rest.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
        // An id ends at the first space: "ok: rule-x -- because ..." carries a note.
        id = id.substr(0, id.find(' '));
        if (!id.empty()) ids.emplace_back(id);
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
      }
      return true;
    }
  }
  return false;
}

std::string stem_of(const std::string& path) {
  auto dot = path.find_last_of('.');
  return dot == std::string::npos ? path : path.substr(0, dot);
}

// ast-grep style `tests:`: every `invalid` snippet must produce a finding, no `valid` one may. A
// snippet is parsed in each of the rule's languages (the first that parses it cleanly).
void run_snippet_tests(const RulePtr& rule, FixtureReport& r) {
  RuleSet only;
  only.add(rule);
  auto check = [&](const std::string& code, bool want) {
    const grammars::Language* lang = nullptr;
    std::shared_ptr<const document::Snapshot> snapshot;
    for (const auto* l : rule->languages) {
      auto s = document::Snapshot::parse("<snippet>", *l, code);
      if (!lang || !ts_node_has_error(s->root())) lang = l, snapshot = s;
      if (!ts_node_has_error(s->root())) break;
    }
    if (!snapshot) return;
    const bool found = !analyze(only, *snapshot, fixture_options()).empty();
    if (want) ++r.positives;
    else ++r.negatives;
    if (found != want) {
      std::string first = code.substr(0, code.find('\n'));
      r.failures.push_back(r.rule_path + ": tests." + (want ? "invalid" : "valid") + " snippet `" + first +
                           (first.size() < code.size() ? "…" : "") + (want ? "` has no finding" : "` has a finding"));
    }
  };
  for (const auto& code : rule->tests.invalid) check(code, true);
  for (const auto& code : rule->tests.valid) check(code, false);
}

}  // namespace

Annotations parse_annotations(std::string_view fixture, std::string_view comment, std::string_view rule_id) {
  Annotations out;
  auto lines = split_lines(fixture);
  std::vector<std::pair<std::string, uint32_t>> pending;  // kinds waiting for their code line
  for (uint32_t i = 0; i < lines.size(); ++i) {
    std::string kind;
    std::vector<std::string> ids;
    if (annotation(lines[i], comment, kind, ids)) {
      if (std::find(ids.begin(), ids.end(), rule_id) != ids.end()) pending.emplace_back(kind, i);
      continue;
    }
    if (trim(lines[i]).empty()) continue;
    for (const auto& [k, _] : pending) {
      if (k == "ruleid") out.ruleid.push_back(i);
      else if (k == "ok") out.ok.push_back(i);
      else if (k == "todoruleid") out.todoruleid.push_back(i);
      else out.todook.push_back(i);
    }
    pending.clear();
  }
  return out;
}

std::vector<FixtureReport> run_fixtures(const std::vector<PackFile>& pack, const FixtureOptions& options) {
  std::vector<FixtureReport> reports;
  std::vector<Problem> util_problems;
  auto utils = pack_utils(pack, util_problems);
  for (const auto& p : util_problems) {
    if (p.level != Problem::Level::error) continue;
    FixtureReport r;
    r.rule_path = p.path;
    r.failures.push_back(p.to_string());
    reports.push_back(std::move(r));
  }
  for (const auto& file : pack) {
    if (!is_rule_file(file.path)) continue;
    auto loaded = load_rules_from_yaml(file.path, file.content, {.global_utils = utils});
    if (loaded.rules.empty() || loaded.has_errors()) {
      FixtureReport r;
      r.rule_path = file.path;
      for (const auto& p : loaded.problems)
        if (p.level == Problem::Level::error) r.failures.push_back(p.to_string());
      if (!loaded.problems.empty() && loaded.problems.front().rule_id.size()) r.rule_id = loaded.problems.front().rule_id;
      reports.push_back(std::move(r));
      continue;
    }
    for (const auto& rule : loaded.rules) {
      FixtureReport r;
      r.rule_id = rule->id;
      r.rule_path = file.path;
      // The fixture: same stem, an extension of one of the rule's languages.
      const PackFile* fixture = nullptr;
      const std::string stem = stem_of(file.path);
      for (const auto& candidate : pack) {
        if (is_rule_file(candidate.path) || stem_of(candidate.path) != stem) continue;
        const auto* lang = grammars::by_path(candidate.path);
        if (lang && rule->matcher_for(*lang)) fixture = &candidate;
      }
      run_snippet_tests(rule, r);
      if (!fixture) {
        // Name the file looked for: the rule's stem with its (first) language's extension.
        const auto slash = file.path.find_last_of('/');
        const std::string dir = slash == std::string::npos ? "" : file.path.substr(0, slash + 1);
        std::string expected = dir + stem + ".<ext>";
        if (!rule->languages.empty() && !rule->languages.front()->extensions.empty())
          expected = dir + stem + std::string(rule->languages.front()->extensions.front());
        r.fixture_path = expected;
        if (rule->tests.valid.empty() && rule->tests.invalid.empty()) {
          if (options.strict) r.failures.push_back(file.path + ": no fixture beside the rule (looked for " + expected + ")");
          else r.skipped = true;
        }
        r.passed = r.failures.empty() && (!options.strict || !r.skipped);
        reports.push_back(std::move(r));
        continue;
      }
      r.fixture_path = fixture->path;
      const auto& lang = *grammars::by_path(fixture->path);
      auto ann = parse_annotations(fixture->content, lang.line_comment, rule->id);
      r.positives += static_cast<int>(ann.ruleid.size());
      r.negatives += static_cast<int>(ann.ok.size());

      RuleSet only;
      only.add(rule);
      auto snapshot = document::Snapshot::parse(fixture->path, lang, fixture->content);
      auto findings = analyze(only, *snapshot, fixture_options());
      std::set<uint32_t> found;
      for (const auto& f : findings) found.insert(f.start.row);

      std::set<uint32_t> allowed(ann.ruleid.begin(), ann.ruleid.end());
      allowed.insert(ann.todook.begin(), ann.todook.end());
      allowed.insert(ann.todoruleid.begin(), ann.todoruleid.end());
      for (auto line : ann.ruleid)
        if (!found.contains(line))
          r.failures.push_back(fixture->path + ":" + std::to_string(line + 1) + ": expected a finding, got none");
      for (auto line : found)
        if (!allowed.contains(line))
          r.failures.push_back(fixture->path + ":" + std::to_string(line + 1) + ": unexpected finding" +
                               (std::find(ann.ok.begin(), ann.ok.end(), line) != ann.ok.end() ? " on an `ok:` line" : ""));
      if (ts_node_has_error(snapshot->root()))
        r.failures.push_back(fixture->path + ": the fixture does not parse cleanly as " + std::string(lang.id));
      if (options.strict && (r.positives < options.min_cases || r.negatives < options.min_cases))
        r.failures.push_back(fixture->path + ": needs at least " + std::to_string(options.min_cases) +
                             " `ruleid:` and " + std::to_string(options.min_cases) + " `ok:` cases (has " +
                             std::to_string(r.positives) + " and " + std::to_string(r.negatives) + ")");
      r.passed = r.failures.empty();
      reports.push_back(std::move(r));
    }
  }
  return reports;
}

}  // namespace vigil::rules
