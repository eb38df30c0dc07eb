#include "analyzers/rules/loader.hpp"
#include "analyzers/match/yaml_lookup.hpp"
#include "vigil/grammars/symbols.hpp"
#include "analyzers/rules/yaml_guard.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace vigil::rules {

using match::yaml_get;
namespace {

struct Location {
  uint32_t line;
  uint32_t column;
};

Location at(const YAML::Mark& mark) {
  return {static_cast<uint32_t>(std::max(mark.line, 0) + 1), static_cast<uint32_t>(std::max(mark.column, 0) + 1)};
}

// Maps a byte offset inside a scalar's value to the file position it came from. Exact for plain,
// single-line quoted and literal block (`|`) scalars, which is how queries are written.
Location locate_in_scalar(std::string_view file, const YAML::Mark& mark, uint32_t offset) {
  if (mark.pos < 0 || static_cast<size_t>(mark.pos) >= file.size()) return at(mark);
  const size_t pos = static_cast<size_t>(mark.pos);
  const char first = file[pos];
  if (first == '|' || first == '>') {
    size_t line_start = file.find('\n', pos);
    if (line_start == std::string_view::npos) return at(mark);
    ++line_start;
    // Indentation of the block: that of its first non-blank line.
    size_t probe = line_start;
    uint32_t indent = 0;
    while (probe < file.size()) {
      size_t spaces = 0;
      while (probe + spaces < file.size() && file[probe + spaces] == ' ') ++spaces;
      if (probe + spaces < file.size() && file[probe + spaces] != '\n') {
        indent = static_cast<uint32_t>(spaces);
        break;
      }
      size_t nl = file.find('\n', probe);
      if (nl == std::string_view::npos) break;
      probe = nl + 1;
    }
    // The value's k-th line is the block's k-th line; count lines and columns in the value.
    uint32_t value_line = 0, value_col = 0;
    // We only know the offset, not the value text here: walk the file's block lines instead.
    size_t cursor = line_start;
    uint32_t consumed = 0;
    while (cursor < file.size()) {
      size_t nl = file.find('\n', cursor);
      size_t end = nl == std::string_view::npos ? file.size() : nl;
      size_t content = std::min(end, cursor + indent);
      uint32_t len = static_cast<uint32_t>(end - content);
      if (consumed + len >= offset) {
        value_col = offset - consumed;
        break;
      }
      consumed += len + 1;  // the newline
      ++value_line;
      if (nl == std::string_view::npos) break;
      cursor = nl + 1;
    }
    return {static_cast<uint32_t>(mark.line) + 2 + value_line, indent + value_col + 1};
  }
  const uint32_t quote = (first == '"' || first == '\'') ? 1 : 0;
  return {static_cast<uint32_t>(mark.line) + 1, static_cast<uint32_t>(mark.column) + 1 + quote + offset};
}

// Keys that change what a rule matches but that this version does not implement: loading such a
// rule silently would match more (or less) than its author meant.
const std::map<std::string, std::string, std::less<>> kUnsupportedKeys = {
    {"transform", "ast-grep's `transform` is not supported by Vigil"},
    {"rewriters", "ast-grep's `rewriters` are not supported by Vigil"},
    {"files", "`files` globs are not supported yet: restrict the rule with `language` or split it"},
    {"ignores", "`ignores` globs are not supported yet: exclude paths in .vigil/config.yaml"},
    {"patterns", "Semgrep's `patterns` is not supported: write an ast-grep `rule:` (all/any/not, inside, has)"},
    {"pattern", "a top-level `pattern` is Semgrep syntax: put it under `rule:` (rule: {pattern: ...})"}};
// Keys that only describe a rule: accepted (note, url and tests are used; the others ignored).
const std::set<std::string, std::less<>> kDescriptiveKeys = {"note", "url", "description", "labels", "tests"};

class DocumentLoader {
 public:
  DocumentLoader(std::string_view path, std::string_view file, const LoadOptions& options, LoadResult& out)
      : path_(path), file_(file), options_(options), out_(out) {}

  void load(const YAML::Node& doc) {
    if (!doc.IsMap()) {
      error(doc.Mark(), "a rule file holds a mapping with `id`, `language`, `message` and a matcher");
      return;
    }
    auto rule = std::make_shared<Rule>();
    rule->source_path = std::string(path_);
    errors_ = 0;

    for (const auto& kv : doc) {
      std::string key = kv.first.as<std::string>("");
      if (auto it = kUnsupportedKeys.find(key); it != kUnsupportedKeys.end()) {
        error(kv.first.Mark(), "unsupported key `" + key + "`: " + it->second);
      } else if (!known(key) && !kDescriptiveKeys.contains(key)) {
        warning(kv.first.Mark(), "unknown key `" + key + "` ignored");
      }
    }

    rule->id = required_string(doc, "id");
    rule_id_ = rule->id;
    if (!rule->id.empty() && !std::all_of(rule->id.begin(), rule->id.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/';
        }))
      error(yaml_get(doc, "id").Mark(), "rule id `" + rule->id + "` may hold only letters, digits, '-', '_', '.' and '/'");

    if (auto lang = yaml_get(doc, "language"); !lang) {
      error(doc.Mark(), "missing `language`");
    } else {
      for (const auto& [name, mark] : string_list(lang, "language")) {
        if (auto* l = grammars::by_name(name)) {
          if (std::find(rule->languages.begin(), rule->languages.end(), l) == rule->languages.end())
            rule->languages.push_back(l);
        } else {
          error(mark, "unknown language `" + name + "`" + known_languages());
        }
      }
    }

    bool disabled = false;
    // ast-grep's default severity is `hint`; rules written as `rule:` keep its semantics.
    if (!yaml_get(doc, "severity") && yaml_get(doc, "rule")) rule->severity = Severity::hint;
    if (auto sev = yaml_get(doc, "severity")) {
      std::string s = scalar(sev, "severity");
      if (s == "off") disabled = true;  // ast-grep's way to turn a rule off
      else if (!s.empty() && !parse_severity(s, rule->severity))
        error(sev.Mark(), "severity must be one of error, warning, info, hint (got `" + s + "`)");
    }
    if (yaml_get(doc, "message")) {
      rule->message = required_string(doc, "message");
    } else {
      warning(doc.Mark(), "missing `message`: the rule id is shown instead");
      rule->message = rule->id;
    }
    if (auto c = yaml_get(doc, "constraint")) rule->constraint = scalar(c, "constraint");
    else warning(doc.Mark(), "missing `constraint`: the one-sentence security rule agents and reviewers read");
    if (auto n = yaml_get(doc, "note")) rule->note = scalar(n, "note");
    auto fix = yaml_get(doc, "fix");
    if (fix && fix.IsMap()) {
      for (const auto& kv : fix) {
        const std::string key = kv.first.as<std::string>("");
        if (key != "template" && key != "expandStart" && key != "expandEnd")
          error(kv.first.Mark(), "unknown fix key `" + key + "` (expected template, expandStart, expandEnd)");
      }
      if (auto t = fix["template"]) rule->fix = scalar(t, "fix.template");
      else error(fix.Mark(), "the fix object needs `template`");
      if ((fix["expandStart"] || fix["expandEnd"]) && !yaml_get(doc, "rule"))
        error(fix.Mark(), "`expandStart`/`expandEnd` need an ast-grep `rule:`");
    } else if (fix) {
      rule->fix = scalar(fix, "fix");
    }
    if (auto a = yaml_get(doc, "fixApplicability")) {
      std::string v = scalar(a, "fixApplicability");
      if (v == "safe") rule->fix_safe = true;
      else if (v != "unsafe") error(a.Mark(), "fixApplicability must be `safe` or `unsafe` (got `" + v + "`)");
    }
    if (auto s = yaml_get(doc, "scope")) {
      std::string v = scalar(s, "scope");
      if (v == "ai") rule->scope = Scope::ai;
      else if (v == "all") rule->scope = Scope::all;
      else error(s.Mark(), "scope must be `ai` or `all` (got `" + v + "`)");
    }
    if (auto m = yaml_get(doc, "metadata")) load_metadata(m, rule->metadata);
    if (auto u = yaml_get(doc, "url")) {
      std::string url = scalar(u, "url");
      if (!url.empty() && std::find(rule->metadata.references.begin(), rule->metadata.references.end(), url) ==
                              rule->metadata.references.end())
        rule->metadata.references.push_back(url);
    }
    if (auto t = yaml_get(doc, "tests")) load_tests(t, rule->tests);

    auto query = yaml_get(doc, "query");
    auto rule_object = yaml_get(doc, "rule");
    auto mode = yaml_get(doc, "mode");
    const int matchers = (query ? 1 : 0) + (rule_object ? 1 : 0) + (mode ? 1 : 0);
    if (!mode)
      for (const char* key : {"sources", "sinks", "sanitizers", "propagators"})
        if (auto n = yaml_get(doc, key)) error(n.Mark(), std::string("`") + key + "` belongs to `mode: taint`");
    if (matchers == 0) {
      error(doc.Mark(), "missing a matcher: add `rule:` (ast-grep rule) or `query:` (a tree-sitter query)");
    } else if (matchers > 1) {
      error(doc.Mark(), "a rule has exactly one matcher: `rule:`, `query:` or `mode: taint`");
    } else if (mode) {
      std::string m = scalar(mode, "mode");
      if (m == "taint") {
        if (auto c = yaml_get(doc, "constraints"))
          error(c.Mark(), "`constraints` of a taint rule go inside the source, sink, sanitizer or propagator they constrain");
        for (const auto* lang : rule->languages) {
          if (!wanted(lang)) continue;
          compile_taint(*rule, *lang, doc);
          if (errors_) break;  // the same mistake again for every language would only add noise
        }
      } else if (m == "repetition") {
        load_repetition(*rule, yaml_get(doc, "repetition"));
      } else {
        error(mode.Mark(), "unknown mode `" + m + "` (expected `taint` or `repetition`)");
      }
    } else if (query) {
      for (const char* key : {"utils", "constraints"})
        if (yaml_get(doc, key)) error(yaml_get(doc, key).Mark(), std::string("`") + key + "` applies to `rule:` matchers, not to `query:`");
      std::string source = scalar(query, "query");
      for (const auto* lang : rule->languages)
        if (wanted(lang)) compile(*rule, *lang, source, query.Mark());
    } else {
      for (const auto* lang : rule->languages)
        if (wanted(lang)) compile_rule_tree(*rule, *lang, doc);
    }

    if (errors_ == 0 && !disabled) out_.rules.push_back(std::move(rule));
  }

 private:
  bool wanted(const grammars::Language* lang) const { return !options_.compile_only || options_.compile_only->contains(lang); }

  static bool known(std::string_view key) {
    static const std::set<std::string, std::less<>> keys = {
        "id",    "language", "severity",    "message", "constraint", "metadata", "query", "fix",
        "fixApplicability", "scope", "rule", "utils", "constraints", "mode", "repetition", "sources", "sinks",
        "sanitizers", "propagators"};
    return keys.contains(key);
  }

  // `mode: taint`: every source, sink, sanitizer and propagator is an ast-grep rule object, with
  // Vigil's extra keys (`focus`, `from`, `to`, `parameters`) and its own optional `constraints`.
  void compile_taint(Rule& rule, const grammars::Language& lang, const YAML::Node& doc) {
    const int errors_before = errors_;
    auto spec = std::make_shared<match::TaintSpec>();
    try {
      match::RuleCompiler compiler(lang, yaml_get(doc, "utils"), options_.global_utils);
      compiler.set_lazy_regexes(!options_.validate_queries);
      auto items = [&](const char* key, bool required) {
        std::vector<YAML::Node> out;
        auto list = yaml_get(doc, key);
        if (!list) {
          if (required) error(doc.Mark(), std::string("a taint rule needs `") + key + "`");
          return out;
        }
        if (!list.IsSequence() || list.size() == 0) {
          error(list.Mark(), std::string("`") + key + "` must be a non-empty list of rule objects");
          return out;
        }
        for (const auto& item : list) {
          if (!item.IsMap()) error(item.Mark(), std::string("each of `") + key + "` must be a rule object (a mapping)");
          else out.push_back(item);
        }
        return out;
      };
      auto compile = [&](const YAML::Node& item, const std::set<std::string>& extra) {
        std::set<std::string> keys = extra;
        keys.insert("constraints");
        return std::shared_ptr<const match::NodeMatcher>(compiler.compile(item, yaml_get(item, "constraints"), keys));
      };
      auto metavariable = [&](const YAML::Node& item, const char* key, bool required) -> std::string {
        auto n = yaml_get(item, key);
        if (!n) {
          if (required) error(item.Mark(), std::string("a propagator needs `") + key + "` (a metavariable name)");
          return {};
        }
        std::string name = scalar(n, key);
        if (!name.empty() && name[0] == '$') name.erase(0, 1);
        if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
              return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
            })) {
          error(n.Mark(), std::string("`") + key + "` must name a metavariable such as Q or $Q");
          return {};
        }
        if (!mentions(item, "$" + name))
          error(n.Mark(), std::string("`") + key + "` names $" + name + ", which this rule object does not bind");
        return name;
      };
      for (const auto& item : items("sources", true)) {
        if (auto p = yaml_get(item, "parameters")) {
          bool on = false;
          if (p.IsScalar() && p.Scalar() == "direct") {
            if (item.size() != 1) {
              error(item.Mark(), "a `parameters` source takes no other keys");
              continue;
            }
            match::TaintSource source{nullptr, false, {}};
            source.direct_parameters = true;
            spec->sources.push_back(std::move(source));
            continue;
          }
          if (!p.IsScalar() || !YAML::convert<bool>::decode(p, on)) {
            error(p.Mark(), "`parameters` must be `true` (every parameter of the enclosing function is a source), "
                            "`false` (parameters are never sources, even where the analysis makes them so) or `direct` "
                            "(where the analysis makes them sources, they count even when passed to the sink unchanged)");
            continue;
          }
          if (item.size() != 1) {
            error(item.Mark(), "a `parameters` source takes no other keys");
            continue;
          }
          match::TaintSource source{nullptr, on, {}};
          source.no_parameters = !on;
          spec->sources.push_back(std::move(source));
          continue;
        }
        std::string focus = metavariable(item, "focus", false);
        spec->sources.push_back({compile(item, {"focus"}), false, focus});
      }
      for (const auto& item : items("sinks", true)) {
        std::string focus = metavariable(item, "focus", false);
        spec->sinks.push_back({compile(item, {"focus"}), focus});
      }
      for (const auto& item : items("sanitizers", false)) {
        std::string focus = metavariable(item, "focus", false);
        bool by_side_effect = false;
        if (auto b = yaml_get(item, "by-side-effect")) {
          if (!b.IsScalar() || !YAML::convert<bool>::decode(b, by_side_effect))
            error(b.Mark(), "`by-side-effect` must be true or false");
          else if (by_side_effect && focus.empty())
            error(b.Mark(), "`by-side-effect: true` needs `focus`: the metavariable whose variable the check cleans");
        }
        spec->sanitizers.push_back({compile(item, {"focus", "by-side-effect"}), focus, by_side_effect});
      }
      for (const auto& item : items("propagators", false)) {
        std::string from = metavariable(item, "from", true), to = metavariable(item, "to", true);
        spec->propagators.push_back({compile(item, {"from", "to"}), from, to});
      }
    } catch (const match::RuleError& e) {
      const bool several = rule.languages.size() > 1;
      add(Problem::Level::error, at(e.mark), std::string(e.what()) + (several ? " (language " + std::string(lang.id) + ")" : ""));
      return;
    }
    if (errors_ == errors_before) rule.matchers.push_back(std::make_unique<CompiledMatcher>(lang, std::move(spec)));
  }

  // Whether any string under `n` contains `needle` (a metavariable named by focus/from/to).
  static bool mentions(const YAML::Node& n, const std::string& needle) {
    if (n.IsScalar()) {
      const std::string& s = n.Scalar();
      for (size_t at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) {
        const size_t end = at + needle.size();
        if (end == s.size() || !(std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '_')) return true;
      }
      return false;
    }
    if (n.IsSequence())
      for (const auto& c : n)
        if (mentions(c, needle)) return true;
    if (n.IsMap())
      for (const auto& kv : n) {
        const std::string key = kv.first.as<std::string>("");
        if (key != "focus" && key != "from" && key != "to" && mentions(kv.second, needle)) return true;
      }
    return false;
  }

  void compile_rule_tree(Rule& rule, const grammars::Language& lang, const YAML::Node& doc) {
    try {
      match::RuleCompiler compiler(lang, yaml_get(doc, "utils"), options_.global_utils);
      compiler.set_lazy_regexes(!options_.validate_queries);
      std::shared_ptr<const match::RuleMatcher> matcher = compiler.compile(yaml_get(doc, "rule"), yaml_get(doc, "constraints"));
      // ast-grep refuses a rule that could start at any node (e.g. only `regex` or `$X`).
      if (matcher->start_kinds().empty())
        throw match::RuleError(yaml_get(doc, "rule").Mark(), "Rule must specify a set of AST kinds to match. Try adding `kind` rule.");
      std::shared_ptr<const match::Expansion> start, end;
      if (auto fix = yaml_get(doc, "fix"); fix && fix.IsMap()) {
        if (auto e = fix["expandStart"]) start = compiler.compile_expansion(e, false);
        if (auto e = fix["expandEnd"]) end = compiler.compile_expansion(e, true);
      }
      rule.matchers.push_back(std::make_unique<CompiledMatcher>(lang, std::move(matcher), std::move(start), std::move(end)));
      for (const auto& w : compiler.warnings()) add(Problem::Level::warning, at(w.mark), w.what());
    } catch (const match::RuleError& e) {
      const bool several = rule.languages.size() > 1;
      add(Problem::Level::error, at(e.mark), std::string(e.what()) + (several ? " (language " + std::string(lang.id) + ")" : ""));
    }
  }

  // `mode: repetition` with optional thresholds under `repetition:`.
  void load_repetition(Rule& rule, const YAML::Node& options) {
    match::RepetitionOptions opt;
    if (options && !options.IsMap()) {
      error(options.Mark(), "`repetition` must be a mapping of thresholds (min-lines, min-copies, ...)");
      return;
    }
    if (options) {
      const std::map<std::string, uint32_t*, std::less<>> fields = {
          {"min-lines", &opt.min_lines},           {"min-copies", &opt.min_copies},
          {"short-min-copies", &opt.short_min_copies}, {"short-min-chars", &opt.short_min_chars},
          {"max-unit", &opt.max_unit}, {"paste-min-lines", &opt.paste_min_lines}};
      for (const auto& kv : options) {
        const std::string key = kv.first.as<std::string>("");
        if (key == "within") {
          for (auto& [kind, mark] : string_list(kv.second, "repetition.within")) {
            bool exists = false;
            for (const auto* lang : rule.languages)
              exists = exists || grammars::named_symbol(*lang, kind) != 0;
            if (!exists) error(mark, "unknown node kind `" + kind + "` in `repetition.within`");
            opt.within.push_back(kind);
          }
          continue;
        }
        auto f = fields.find(key);
        if (f == fields.end()) {
          error(kv.first.Mark(), "unknown repetition key `" + key +
                                     "` (expected within, min-lines, min-copies, short-min-copies, short-min-chars, max-unit, paste-min-lines)");
          continue;
        }
        int64_t v = -1;
        if (kv.second.IsScalar()) v = kv.second.as<int64_t>(-1);
        if (v < 1 || v > 100000) {
          error(kv.second.Mark(), "`" + key + "` must be a positive whole number");
          continue;
        }
        *f->second = static_cast<uint32_t>(v);
      }
    }
    if (opt.min_copies < 2) error(options.Mark(), "`min-copies` must be at least 2");
    for (const auto* lang : rule.languages) rule.matchers.push_back(std::make_unique<CompiledMatcher>(*lang, opt));
  }

  void load_tests(const YAML::Node& t, SnippetTests& tests) {
    if (!t.IsMap()) {
      error(t.Mark(), "`tests` must be a mapping with `valid` and/or `invalid` snippet lists");
      return;
    }
    for (const auto& kv : t) {
      const std::string key = kv.first.as<std::string>("");
      if (key == "valid") for (auto& [s, _] : string_list(kv.second, "tests.valid")) tests.valid.push_back(s);
      else if (key == "invalid") for (auto& [s, _] : string_list(kv.second, "tests.invalid")) tests.invalid.push_back(s);
      else warning(kv.first.Mark(), "unknown tests key `" + key + "` ignored (expected valid, invalid)");
    }
  }

  static std::string known_languages() {
    std::string s = " (known:";
    for (const auto& l : grammars::all()) s += " " + std::string(l.id);
    return s + ")";
  }

  void compile(Rule& rule, const grammars::Language& lang, const std::string& source, const YAML::Mark& mark) {
    if (!options_.validate_queries) {
      rule.matchers.push_back(std::make_unique<CompiledMatcher>(lang, source));
      return;
    }
    try {
      auto q = std::make_shared<match::Query>(lang.ts_language(), source);
      if (q->capture_count() == 0) {
        error(mark, "the query captures nothing: capture the flagged node as `@match`");
        return;
      }
      check_placeholders(rule.message, *q, mark);
      rule.matchers.push_back(std::make_unique<CompiledMatcher>(lang, source, std::move(q)));
    } catch (const match::QueryError& e) {
      auto loc = locate_in_scalar(file_, mark, e.offset);
      add(Problem::Level::error, loc, std::string(e.what()) + " (language " + std::string(lang.id) + ")");
    }
  }

  void check_placeholders(const std::string& message, const match::Query& q, const YAML::Mark& mark) {
    for (size_t i = 0; i < message.size(); ++i) {
      if (message[i] != '$') continue;
      size_t j = i + 1;
      while (j < message.size() && (std::isalnum(static_cast<unsigned char>(message[j])) || message[j] == '_')) ++j;
      if (j == i + 1) continue;
      std::string name = message.substr(i + 1, j - i - 1);
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (q.capture_id(name) < 0 && q.capture_id(lower) < 0)
        warning(mark, "message refers to `$" + name + "` but the query has no capture `@" + lower + "`");
      i = j - 1;
    }
  }

  void load_metadata(const YAML::Node& m, Metadata& md) {
    if (!m.IsMap()) {
      error(m.Mark(), "`metadata` must be a mapping");
      return;
    }
    if (auto cwe = yaml_get(m, "cwe")) {
      for (auto& [s, mark] : string_list(cwe, "metadata.cwe")) {
        // Accept "CWE-78", "CWE-78: OS Command Injection" and 78.
        std::string id = s.substr(0, s.find(':'));
        while (!id.empty() && id.back() == ' ') id.pop_back();
        if (!id.empty() && std::all_of(id.begin(), id.end(), ::isdigit)) id = "CWE-" + id;
        if (cwe_url(id).empty()) error(mark, "`" + s + "` is not a CWE id like CWE-78");
        else md.cwe.push_back(id);
      }
    }
    if (auto o = yaml_get(m, "owasp")) {
      auto list = string_list(o, "metadata.owasp");
      for (size_t i = 0; i < list.size(); ++i) md.owasp += (i ? "; " : "") + list[i].first;
    }
    if (auto c = yaml_get(m, "category")) md.category = scalar(c, "metadata.category");
    if (auto c = yaml_get(m, "confidence")) {
      md.confidence = scalar(c, "metadata.confidence");
      std::string lc = md.confidence;
      std::transform(lc.begin(), lc.end(), lc.begin(), [](unsigned char ch) { return std::tolower(ch); });
      if (lc != "low" && lc != "medium" && lc != "high")
        error(c.Mark(), "confidence must be low, medium or high (got `" + md.confidence + "`)");
      md.confidence = lc;
    }
    if (auto r = yaml_get(m, "references"))
      for (auto& [s, mark] : string_list(r, "metadata.references")) md.references.push_back(s);
    if (auto a = yaml_get(m, "addedCodeOnly")) {
      bool value = false;
      if (a.IsScalar() && YAML::convert<bool>::decode(a, value)) md.added_code_only = value;
      else error(a.Mark(), "`metadata.addedCodeOnly` must be true or false");
    }
  }

  std::string scalar(const YAML::Node& n, std::string_view what) {
    if (!n.IsScalar()) {
      error(n.Mark(), "`" + std::string(what) + "` must be a string");
      return {};
    }
    return n.Scalar();
  }

  std::string required_string(const YAML::Node& doc, std::string_view key) {
    auto n = doc[std::string(key)];
    if (!n) {
      error(doc.Mark(), "missing `" + std::string(key) + "`");
      return {};
    }
    std::string s = scalar(n, key);
    if (s.empty() && n.IsScalar()) error(n.Mark(), "`" + std::string(key) + "` is empty");
    return s;
  }

  std::vector<std::pair<std::string, YAML::Mark>> string_list(const YAML::Node& n, std::string_view what) {
    std::vector<std::pair<std::string, YAML::Mark>> out;
    if (n.IsScalar()) {
      out.emplace_back(n.Scalar(), n.Mark());
    } else if (n.IsSequence()) {
      for (const auto& item : n) {
        if (item.IsScalar()) out.emplace_back(item.Scalar(), item.Mark());
        else error(item.Mark(), "`" + std::string(what) + "` items must be strings");
      }
    } else {
      error(n.Mark(), "`" + std::string(what) + "` must be a string or a list of strings");
    }
    return out;
  }

  void add(Problem::Level level, Location loc, std::string message) {
    if (level == Problem::Level::error) ++errors_;
    out_.problems.push_back({level, std::string(path_), loc.line, loc.column, std::move(message), rule_id_});
  }
  void error(const YAML::Mark& mark, std::string message) { add(Problem::Level::error, at(mark), std::move(message)); }
  void warning(const YAML::Mark& mark, std::string message) { add(Problem::Level::warning, at(mark), std::move(message)); }

  std::string_view path_;
  std::string_view file_;
  const LoadOptions& options_;
  LoadResult& out_;
  std::string rule_id_;
  int errors_ = 0;
};

}  // namespace

bool is_util_file(std::string_view path) {
  if (!(path.ends_with(".yaml") || path.ends_with(".yml"))) return false;
  auto slash = path.find_last_of('/');
  if (slash == std::string_view::npos) return false;
  auto dir = path.substr(0, slash);
  auto prev = dir.find_last_of("/:");
  return dir.substr(prev == std::string_view::npos ? 0 : prev + 1) == "utils";
}

std::shared_ptr<const match::GlobalUtils> load_util_files(const std::vector<UtilFile>& files, std::vector<Problem>& problems) {
  auto utils = std::make_shared<match::GlobalUtils>();
  auto problem = [&](const std::string& path, const YAML::Mark& mark, std::string message, Problem::Level level = Problem::Level::error) {
    auto loc = at(mark);
    problems.push_back({level, path, loc.line, loc.column, std::move(message), {}});
  };
  for (const auto& f : files) {
    std::vector<YAML::Node> docs;
    if (auto why = yaml_text_problem(f.text)) {
      problems.push_back({Problem::Level::error, f.path, 1, 1, *why, {}});
      continue;
    }
    try {
      docs = YAML::LoadAll(f.text);
    } catch (const YAML::Exception& e) {
      problem(f.path, e.mark, "invalid YAML: " + e.msg);
      continue;
    }
    if (std::any_of(docs.begin(), docs.end(), [&](const YAML::Node& d) {
          auto why = yaml_expansion_problem(d);
          if (why) problems.push_back({Problem::Level::error, f.path, 1, 1, *why, {}});
          return why.has_value();
        }))
      continue;
    for (const auto& doc : docs) {
      if (doc.IsNull()) continue;
      if (!doc.IsMap() || !yaml_get(doc, "id") || !yaml_get(doc, "id").IsScalar() || !yaml_get(doc, "rule")) {
        problem(f.path, doc.Mark(), "a util rule file holds a mapping with `id`, `language` and `rule`");
        continue;
      }
      match::GlobalUtils::Source src;
      src.id = yaml_get(doc, "id").Scalar();
      src.path = f.path;
      src.doc = doc;
      bool ok = true;
      for (const auto& kv : doc) {
        const std::string key = kv.first.as<std::string>("");
        if (key == "transform" || key == "rewriters" || key == "fix") {
          problem(f.path, kv.first.Mark(), "unsupported key `" + key + "` in a util rule");
          ok = false;
        } else if (key != "id" && key != "language" && key != "rule" && key != "utils" && key != "constraints") {
          problem(f.path, kv.first.Mark(), "unknown key `" + key + "` ignored", Problem::Level::warning);
        }
      }
      if (auto lang = yaml_get(doc, "language")) {
        std::vector<YAML::Node> names;
        if (lang.IsSequence()) for (const auto& l : lang) names.push_back(l);
        else names.push_back(lang);
        for (const auto& l : names) {
          const auto* found = l.IsScalar() ? grammars::by_name(l.Scalar()) : nullptr;
          if (!found) {
            problem(f.path, l.Mark(), "unknown language in util rule `" + src.id + "`");
            ok = false;
          } else {
            src.languages.emplace_back(found->id);
          }
        }
      }
      if (utils->has(src.id)) {
        problem(f.path, yaml_get(doc, "id").Mark(), "util rule `" + src.id + "` is already defined in " + utils->source(src.id)->path);
        ok = false;
      }
      if (ok) utils->add(std::move(src));
    }
  }
  if (auto cycle = utils->find_cycle(); !cycle.empty()) {
    const auto* first = utils->source(cycle.substr(0, cycle.find(' ')));
    problem(first ? first->path : "utils", first ? first->doc.Mark() : YAML::Mark(), "cyclic util rules: " + cycle);
    return std::make_shared<match::GlobalUtils>();
  }
  if (auto [id, why] = utils->find_loop(); !id.empty()) {
    const auto* looping = utils->source(id);
    problem(looping ? looping->path : "utils", looping ? looping->doc.Mark() : YAML::Mark(), why);
    return std::make_shared<match::GlobalUtils>();
  }
  return utils;
}

std::string Problem::to_string() const {
  return path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
         (level == Level::error ? "error" : "warning") + ": " + message;
}

bool LoadResult::has_errors() const {
  return std::any_of(problems.begin(), problems.end(), [](const Problem& p) { return p.level == Problem::Level::error; });
}

LoadResult load_rules_from_yaml(std::string_view path, std::string_view text, const LoadOptions& options) {
  LoadResult out;
  std::vector<YAML::Node> docs;
  if (auto why = yaml_text_problem(text)) {
    out.problems.push_back({Problem::Level::error, std::string(path), 1, 1, *why, {}});
    return out;
  }
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    out.problems.push_back({Problem::Level::error, std::string(path), static_cast<uint32_t>(std::max(e.mark.line, 0) + 1),
                            static_cast<uint32_t>(std::max(e.mark.column, 0) + 1), "invalid YAML: " + e.msg, {}});
    return out;
  }
  for (const auto& doc : docs)
    if (auto why = yaml_expansion_problem(doc)) {
      out.problems.push_back({Problem::Level::error, std::string(path), 1, 1, *why, {}});
      return out;
    }
  if (docs.empty()) {
    out.problems.push_back({Problem::Level::error, std::string(path), 1, 1, "empty rule file", {}});
    return out;
  }
  for (const auto& doc : docs) {
    if (doc.IsNull()) continue;
    try {
      DocumentLoader(path, text, options, out).load(doc);
    } catch (const YAML::Exception& e) {
      out.problems.push_back({Problem::Level::error, std::string(path), static_cast<uint32_t>(std::max(e.mark.line, 0) + 1),
                              static_cast<uint32_t>(std::max(e.mark.column, 0) + 1), e.msg, {}});
    }
  }
  return out;
}

}  // namespace vigil::rules
