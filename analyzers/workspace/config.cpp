#include "analyzers/workspace/config.hpp"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <tuple>

#include "analyzers/provenance/git_parse.hpp"
#include "analyzers/rules/yaml_guard.hpp"

namespace vigil::workspace {

using nlohmann::json;

namespace {

enum class Kind { boolean, string_list, regex_list, scope, taint_parameters, positive_int, count, object, string, auto_mode, validator, fraction };

// Every key, by dotted path. Adding a setting: a row here and a line in merge_config.
const std::vector<std::pair<std::string, Kind>>& schema() {
  static const std::vector<std::pair<std::string, Kind>> keys = {
      {"scope", Kind::scope},
      {"showHumanFindings", Kind::boolean},
      {"exclude", Kind::string_list},
      {"rules", Kind::string_list},
      {"builtin", Kind::boolean},
      {"provenance", Kind::object},
      {"provenance.bulkInsert", Kind::object},
      {"provenance.bulkInsert.minLines", Kind::positive_int},
      {"provenance.bulkInsert.minChars", Kind::positive_int},
      {"provenance.agentPatterns", Kind::regex_list},
      {"provenance.aiGlobs", Kind::string_list},
      {"provenance.git", Kind::object},
      {"provenance.git.enabled", Kind::boolean},
      {"provenance.git.uncommitted", Kind::boolean},
      {"taint", Kind::object},
      {"taint.parameters", Kind::taint_parameters},
      {"validation", Kind::object},
      {"validation.auto", Kind::auto_mode},
      {"validation.validator", Kind::validator},
      {"validation.trustedWorkspaces", Kind::string_list},
      {"validation.endpoint", Kind::object},
      {"validation.endpoint.url", Kind::string},
      {"validation.endpoint.model", Kind::string},
      {"validation.endpoint.apiKeyEnv", Kind::string},
      {"validation.endpoint.timeoutMs", Kind::positive_int},
      {"validation.endpoint.retries", Kind::count},
      {"validation.endpoint.auto", Kind::boolean},
      {"validation.endpoint.caFile", Kind::string},
      {"validation.command", Kind::object},
      {"validation.command.argv", Kind::string_list},
      {"validation.command.timeoutMs", Kind::positive_int},
      {"feedback", Kind::object},
      {"feedback.hideRefuted", Kind::boolean},
      {"feedback.precisionThreshold", Kind::fraction},
      {"feedback.minVotes", Kind::positive_int},
      {"testCode", Kind::object},
      {"testCode.paths", Kind::string_list},
      {"testCode.keepSeverity", Kind::string_list},
      {"testCode.lowerSeverity", Kind::boolean},
      {"fileBudget", Kind::positive_int},
      {"maxFileSize", Kind::positive_int},
  };
  return keys;
}

// Keys that editor clients keep under the `vigil` section for themselves: the client library's
// `trace.server`, the extension's server path and decorations. Vigil's server never reads them,
// and a warning about them on every start would be noise.
bool is_client_side_key(const std::string& key) {
  static const std::vector<std::string> keys = {"trace", "server", "decorations", "statusBar", "enable"};
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

const Kind* kind_of(const std::string& path) {
  for (const auto& [k, kind] : schema())
    if (k == path) return &kind;
  return nullptr;
}

std::string children_of(const std::string& prefix) {
  std::string out;
  for (const auto& [k, kind] : schema()) {
    if (prefix.empty() ? k.find('.') != std::string::npos : !(k.starts_with(prefix + ".") && k.find('.', prefix.size() + 1) == std::string::npos))
      continue;
    out += (out.empty() ? "" : ", ") + (prefix.empty() ? k : k.substr(prefix.size() + 1));
  }
  return out;
}

struct Mark {
  uint32_t line = 0, column = 0;  // 1-based; 0 when the source has no lines (JSON from the client)
};

// Validates one layer. `where(path, key)` locates a key (or its value) for messages.
class Validator {
 public:
  Validator(std::string source, std::vector<rules::Problem>& problems, const std::map<std::string, Mark>* marks,
            bool from_client = false)
      : source_(std::move(source)), problems_(problems), marks_(marks), from_client_(from_client) {}

  json object(const json& value, const std::string& prefix) {
    json clean = json::object();
    for (const auto& [key, v] : value.items()) {
      const std::string path = prefix.empty() ? key : prefix + "." + key;
      const Kind* kind = kind_of(path);
      if (!kind && from_client_ && prefix.empty() && is_client_side_key(key)) continue;
      if (!kind) {
        warn(path + "#key", "unknown key `" + path + "` ignored (known" + (prefix.empty() ? "" : " in `" + prefix + "`") + ": " +
                                children_of(prefix) + ")");
        continue;
      }
      if (auto checked = check(v, path, *kind); !checked.is_discarded()) clean[key] = std::move(checked);
    }
    return clean;
  }

 private:
  json check(const json& v, const std::string& path, Kind kind) {
    switch (kind) {
      case Kind::object:
        if (v.is_object()) return object(v, path);
        if (v.is_null()) return json::object();
        return fail(path, "`" + path + "` must be a mapping of " + children_of(path));
      case Kind::boolean:
        if (v.is_boolean()) return v;
        return fail(path, "`" + path + "` must be true or false (got " + show(v) + ")");
      case Kind::scope:
        if (v.is_string() && (v == "ai" || v == "all")) return v;
        return fail(path, "`" + path + "` must be `ai` or `all` (got " + show(v) + ")");
      case Kind::taint_parameters:
        if (v.is_string() && (v == "ai" || v == "all" || v == "off")) return v;
        if (v.is_boolean() && !v.get<bool>()) return "off";  // YAML 1.1 reads a bare `off` as false
        return fail(path, "`" + path + "` must be `ai`, `all` or `off` (got " + show(v) + ")");
      case Kind::string:
        if (v.is_string()) return v;
        return fail(path, "`" + path + "` must be a string (got " + show(v) + ")");
      case Kind::auto_mode:
        if (v.is_string() && (v == "off" || v == "ai" || v == "all")) return v;
        if (v.is_boolean()) return v.get<bool>() ? json("ai") : json("off");
        return fail(path, "`" + path + "` must be `off`, `ai` or `all` (got " + show(v) + ")");
      case Kind::validator:
        if (v.is_string() && (v == "deep" || v == "endpoint" || v == "command")) return v;
        return fail(path, "`" + path + "` must be `deep`, `endpoint` or `command` (got " + show(v) + ")");
      case Kind::count:
        if (v.is_number_integer() && v.get<int64_t>() >= 0 && v.get<int64_t>() <= 10) return v;
        return fail(path, "`" + path + "` must be a whole number from 0 to 10 (got " + show(v) + ")");
      case Kind::fraction:
        if (v.is_number() && v.get<double>() >= 0 && v.get<double>() <= 1) return v;
        return fail(path, "`" + path + "` must be a number from 0 to 1 (got " + show(v) + ")");
      case Kind::positive_int:
        if (v.is_number_unsigned() && v.get<uint64_t>() >= 1 && v.get<uint64_t>() <= 1000000) return v;
        if (v.is_number_integer() && v.get<int64_t>() >= 1 && v.get<int64_t>() <= 1000000) return v;
        return fail(path, "`" + path + "` must be a whole number from 1 to 1000000 (got " + show(v) + ")");
      case Kind::string_list:
      case Kind::regex_list: {
        json list = json::array();
        if (v.is_string()) list.push_back(v);
        else if (v.is_array()) {
          for (size_t i = 0; i < v.size(); ++i) {
            if (v[i].is_string()) list.push_back(v[i]);
            else fail(path + "[" + std::to_string(i) + "]", "`" + path + "` items must be strings (got " + show(v[i]) + ")");
          }
        } else {
          return fail(path, "`" + path + "` must be a list of strings (got " + show(v) + ")");
        }
        if (kind == Kind::regex_list) {
          json valid = json::array();
          for (size_t i = 0; i < list.size(); ++i) {
            RE2::Options options;
            options.set_log_errors(false);
            RE2 re(list[i].get<std::string>(), options);
            if (re.ok()) valid.push_back(list[i]);
            else fail(path + "[" + std::to_string(i) + "]", "`" + path + "`: bad regular expression `" + list[i].get<std::string>() +
                                                                 "`: " + re.error());
          }
          return valid;
        }
        return list;
      }
    }
    return json(json::value_t::discarded);
  }

  static std::string show(const json& v) {
    std::string s = v.dump();
    return s.size() > 40 ? s.substr(0, 37) + "..." : s;
  }

  json fail(const std::string& path, std::string message) {
    report(rules::Problem::Level::error, path, std::move(message));
    return json(json::value_t::discarded);
  }
  void warn(const std::string& path, std::string message) { report(rules::Problem::Level::warning, path, std::move(message)); }

  void report(rules::Problem::Level level, const std::string& path, std::string message) {
    Mark m;
    if (marks_) {
      if (auto it = marks_->find(path); it != marks_->end()) m = it->second;
      else if (auto base = marks_->find(path.substr(0, path.find('['))); base != marks_->end()) m = base->second;
    }
    problems_.push_back({level, source_, m.line, m.column, std::move(message), {}});
  }

  std::string source_;
  std::vector<rules::Problem>& problems_;
  const std::map<std::string, Mark>* marks_;
  bool from_client_;  // client JSON: the client-side keys are skipped silently
};

Mark mark_of(const YAML::Mark& m) {
  return {static_cast<uint32_t>(std::max(m.line, 0) + 1), static_cast<uint32_t>(std::max(m.column, 0) + 1)};
}

// YAML -> JSON with the position of every key and value. Plain scalars become booleans and
// integers when they read as such; quoted ones stay strings.
json to_json(const YAML::Node& n, const std::string& path, std::map<std::string, Mark>& marks) {
  marks[path] = mark_of(n.Mark());
  if (n.IsMap()) {
    json out = json::object();
    for (const auto& kv : n) {
      const std::string key = kv.first.as<std::string>("");
      const std::string child = path.empty() ? key : path + "." + key;
      marks[child + "#key"] = mark_of(kv.first.Mark());
      out[key] = to_json(kv.second, child, marks);
    }
    return out;
  }
  if (n.IsSequence()) {
    json out = json::array();
    for (size_t i = 0; i < n.size(); ++i) out.push_back(to_json(n[i], path + "[" + std::to_string(i) + "]", marks));
    return out;
  }
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (n.Tag() != "!") {  // plain, not quoted
      bool b;
      if (YAML::convert<bool>::decode(n, b)) return b;
      if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos && s.size() < 12) return std::stoll(s);
      if (s.size() > 1 && s[0] == '-' && s.find_first_not_of("0123456789", 1) == std::string::npos && s.size() < 12) return std::stoll(s);
    }
    return s;
  }
  return nullptr;
}

void merge_into(json& base, const json& layer) {
  for (const auto& [k, v] : layer.items()) {
    if (v.is_object() && base.contains(k) && base[k].is_object()) merge_into(base[k], v);
    else base[k] = v;
  }
}

std::vector<std::string> strings(const json& j) {
  std::vector<std::string> out;
  for (const auto& s : j) out.push_back(s.get<std::string>());
  return out;
}

}  // namespace

ConfigLayer config_layer_from_yaml(std::string_view path, std::string_view text, std::vector<rules::Problem>& problems) {
  ConfigLayer layer{std::string(path), json::object()};
  YAML::Node root;
  if (auto why = rules::yaml_text_problem(text)) {
    problems.push_back({rules::Problem::Level::error, std::string(path), 1, 1, *why, {}});
    return layer;
  }
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    problems.push_back({rules::Problem::Level::error, std::string(path), mark_of(e.mark).line, mark_of(e.mark).column,
                        "invalid YAML: " + e.msg, {}});
    return layer;
  }
  if (root.IsNull()) return layer;
  if (auto why = rules::yaml_expansion_problem(root)) {
    problems.push_back({rules::Problem::Level::error, std::string(path), 1, 1, *why, {}});
    return layer;
  }
  if (!root.IsMap()) {
    problems.push_back({rules::Problem::Level::error, std::string(path), mark_of(root.Mark()).line, mark_of(root.Mark()).column,
                        "the config must be a mapping", {}});
    return layer;
  }
  std::map<std::string, Mark> marks;
  json value = to_json(root, "", marks);
  const size_t first = problems.size();
  layer.values = Validator(std::string(path), problems, &marks).object(value, "");
  // Keys are validated in sorted order: report in file order.
  std::stable_sort(problems.begin() + static_cast<std::ptrdiff_t>(first), problems.end(), [](const auto& a, const auto& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  return layer;
}

ConfigLayer config_layer_from_json(std::string_view source, const json& value, std::vector<rules::Problem>& problems) {
  ConfigLayer layer{std::string(source), json::object(), true};
  if (value.is_null()) return layer;
  if (!value.is_object()) {
    problems.push_back({rules::Problem::Level::error, std::string(source), 0, 0, "the settings must be an object", {}});
    return layer;
  }
  layer.values = Validator(std::string(source), problems, nullptr, true).object(value, "");
  layer.user = true;
  return layer;
}

ProjectConfig merge_config(const std::vector<ConfigLayer>& layers, std::string_view workspace_root) {
  // Trust is decided by the user's layers alone.
  std::vector<std::string> trusted;
  for (const auto& l : layers)
    if (l.user && l.values.contains("validation") && l.values["validation"].contains("trustedWorkspaces"))
      for (const auto& t : l.values["validation"]["trustedWorkspaces"]) trusted.push_back(t.get<std::string>());
  const bool trusted_here = !workspace_root.empty() && is_trusted_workspace(trusted, workspace_root);
  json merged = json::object();
  std::vector<std::string> ignored;
  bool rule_paths_from_user = false;
  for (const auto& l : layers) {
    if (l.values.contains("rules")) rule_paths_from_user = l.user;
    if (l.user || trusted_here || !l.values.contains("validation")) {
      merge_into(merged, l.values);
      continue;
    }
    json values = l.values;
    json& v = values["validation"];
    for (const char* key : {"endpoint", "command", "trustedWorkspaces"})
      if (v.contains(key)) {
        v.erase(key);
        ignored.push_back(l.source + ": `validation." + key +
                          "` ignored: a workspace may not choose where its code is sent or what runs; set it in your user settings, "
                          "or add this workspace to validation.trustedWorkspaces there");
      }
    merge_into(merged, values);
  }
  ProjectConfig c;
  c.rule_paths_from_user = rule_paths_from_user;
  c.validation.ignored = std::move(ignored);
  c.validation.trusted_workspaces = std::move(trusted);
  const json val = merged.value("validation", json::object());
  if (val.contains("auto")) c.validation.auto_mode = val["auto"] == "off" ? AutoValidation::off : val["auto"] == "all" ? AutoValidation::all : AutoValidation::ai;
  if (val.contains("validator")) c.validation.validator = val["validator"];
  const json ep = val.value("endpoint", json::object());
  if (ep.contains("url")) c.validation.endpoint.url = ep["url"];
  if (ep.contains("model")) c.validation.endpoint.model = ep["model"];
  if (ep.contains("apiKeyEnv")) c.validation.endpoint.api_key_env = ep["apiKeyEnv"];
  if (ep.contains("timeoutMs")) c.validation.endpoint.timeout_ms = ep["timeoutMs"].get<uint32_t>();
  if (ep.contains("retries")) c.validation.endpoint.retries = ep["retries"].get<uint32_t>();
  if (ep.contains("auto")) c.validation.endpoint.automatic = ep["auto"];
  if (ep.contains("caFile")) c.validation.endpoint.ca_file = ep["caFile"];
  const json cmd = val.value("command", json::object());
  if (cmd.contains("argv")) c.validation.command.argv = strings(cmd["argv"]);
  if (cmd.contains("timeoutMs")) c.validation.command.timeout_ms = cmd["timeoutMs"].get<uint32_t>();
  // Every value below passed validation.
  if (merged.contains("exclude")) c.exclude = strings(merged["exclude"]);
  if (merged.contains("rules")) c.rule_paths = strings(merged["rules"]);
  if (merged.contains("builtin")) c.builtin_rules = merged["builtin"];
  if (merged.contains("scope")) c.scope = merged["scope"] == "all" ? Scope::all : Scope::ai;
  if (merged.contains("showHumanFindings")) c.show_human_findings = merged["showHumanFindings"];
  const json p = merged.value("provenance", json::object());
  const json bulk = p.value("bulkInsert", json::object());
  if (bulk.contains("minLines")) c.provenance.bulk_min_lines = bulk["minLines"].get<uint32_t>();
  if (bulk.contains("minChars")) c.provenance.bulk_min_chars = bulk["minChars"].get<uint32_t>();
  if (p.contains("agentPatterns")) c.provenance.agent_patterns = strings(p["agentPatterns"]);
  if (p.contains("aiGlobs")) c.provenance.ai_globs = strings(p["aiGlobs"]);
  const json git = p.value("git", json::object());
  if (git.contains("enabled")) c.provenance.git = git["enabled"];
  if (git.contains("uncommitted")) c.provenance.git_uncommitted = git["uncommitted"];
  const json taint = merged.value("taint", json::object());
  if (taint.contains("parameters"))
    c.taint_parameters = taint["parameters"] == "all" ? TaintParameters::all
                         : taint["parameters"] == "off" ? TaintParameters::off
                                                         : TaintParameters::ai;
  const json tests = merged.value("testCode", json::object());
  if (tests.contains("paths")) c.test_code.paths = strings(tests["paths"]);
  if (tests.contains("keepSeverity")) c.test_code.keep_severity = strings(tests["keepSeverity"]);
  if (tests.contains("lowerSeverity")) c.test_code.lower = tests["lowerSeverity"];
  const json feedback = merged.value("feedback", json::object());
  if (feedback.contains("hideRefuted")) c.feedback.hide_refuted = feedback["hideRefuted"];
  if (feedback.contains("precisionThreshold")) c.feedback.precision_threshold = feedback["precisionThreshold"].get<double>();
  if (feedback.contains("minVotes")) c.feedback.min_votes = feedback["minVotes"].get<uint32_t>();
  if (merged.contains("fileBudget")) c.file_budget_seconds = merged["fileBudget"].get<uint32_t>();
  if (merged.contains("maxFileSize")) c.max_file_bytes = merged["maxFileSize"].get<uint32_t>();
  return c;
}

bool is_trusted_workspace(const std::vector<std::string>& trusted, std::string_view root) {
  auto normal = [](std::string p) {
    if (p.starts_with("~/"))
      if (const char* home = std::getenv("HOME")) p = std::string(home) + p.substr(1);
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(std::filesystem::path(p), ec);
    std::string out = (ec ? std::filesystem::path(p).lexically_normal() : canonical).string();
    while (out.size() > 1 && out.back() == '/') out.pop_back();
    return out;
  };
  const std::string here = normal(std::string(root));
  return std::any_of(trusted.begin(), trusted.end(), [&](const std::string& t) { return !t.empty() && normal(t) == here; });
}

const std::vector<std::string>& TestCodeSettings::default_test_globs() {
  // The conventions of pytest, Go, Jest/Vitest/Mocha, JUnit/Maven and the usual test directories.
  static const std::vector<std::string> globs = {
      "test/", "tests/", "__tests__/", "testing/", "spec/", "src/test/",
      "test_*.py", "*_test.py", "conftest.py", "*_test.go",
      "*.test.js", "*.spec.js", "*.test.jsx", "*.spec.jsx", "*.test.mjs", "*.spec.mjs", "*.test.cjs", "*.spec.cjs",
      "*.test.ts", "*.spec.ts", "*.test.tsx", "*.spec.tsx", "*Test.java", "*Tests.java", "*_test.c", "*_test.cc",
      "*_test.cpp", "*_unittest.cc", "*_unittest.cpp"};
  return globs;
}

const std::vector<std::string>& default_agent_patterns() { return provenance::git::AgentMatcher::default_patterns(); }

ProjectConfig parse_config(std::string_view path, std::string_view text, std::vector<rules::Problem>& problems) {
  return merge_config({config_layer_from_yaml(path, text, problems)});
}

const std::vector<std::string>& known_config_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    for (const auto& [k, kind] : schema()) out.push_back(k);
    return out;
  }();
  return keys;
}

}  // namespace vigil::workspace
