// Vigil's settings, one validated model fed by several layers, in increasing precedence:
//   built-in defaults < <workspace>/.vigil/config.yaml < initializationOptions < workspace/configuration `vigil`
// (the user's editor settings win over the project's file). Each layer is validated on its own: an
// unknown key is a warning, a wrong type or value an error; a bad key is dropped and the rest of
// the layer still applies. Layers merge key by key (objects deeply, lists and scalars replace).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/rules/loader.hpp"

namespace vigil::workspace {

enum class Scope { ai, all };

// Are function parameters taint sources (`taint.parameters`)? In AI-written code (default), in
// every function, or never. The rule's own sources (requests, argv, ...) apply everywhere regardless.
enum class TaintParameters { ai, all, off };

// The built-in agent patterns (provenance::git::AgentMatcher::default_patterns()).
const std::vector<std::string>& default_agent_patterns();

struct ProvenanceSettings {
  uint32_t bulk_min_lines = 2;              // provenance.bulkInsert.minLines
  uint32_t bulk_min_chars = 60;             // provenance.bulkInsert.minChars
  std::vector<std::string> agent_patterns = default_agent_patterns();  // provenance.agentPatterns (RE2)
  std::vector<std::string> ai_globs;        // provenance.aiGlobs: files an AI writes entirely
  bool git = true;                          // provenance.git.enabled
  bool git_uncommitted = true;              // provenance.git.uncommitted
};

enum class AutoValidation { off, ai, all };

// validation.*: secondary validation. Endpoints and commands decide where code goes, so they are
// taken only from the user's own settings (initializationOptions, workspace/configuration,
// ~/.config/vigil/config.yaml); a project's `.vigil/config.yaml` may name one only when a user
// layer lists that workspace in validation.trustedWorkspaces.
struct EndpointSettings {
  std::string url;            // validation.endpoint.url: https://..., or http:// on loopback
  std::string model;          // validation.endpoint.model
  std::string api_key_env;    // validation.endpoint.apiKeyEnv: the environment variable holding the key
  uint32_t timeout_ms = 30000;  // validation.endpoint.timeoutMs (per attempt)
  uint32_t retries = 2;       // validation.endpoint.retries
  bool automatic = false;     // validation.endpoint.auto: automatic validation may use it
  std::string ca_file;        // validation.endpoint.caFile: extra CA bundle
  bool configured() const { return !url.empty(); }
};

struct CommandSettings {
  std::vector<std::string> argv;  // validation.command.argv (no shell)
  uint32_t timeout_ms = 30000;    // validation.command.timeoutMs
  bool configured() const { return !argv.empty(); }
};

struct ValidationSettings {
  AutoValidation auto_mode = AutoValidation::ai;  // validation.auto
  std::string validator = "deep";                 // validation.validator: deep | endpoint | command
  EndpointSettings endpoint;
  CommandSettings command;
  std::vector<std::string> trusted_workspaces;    // validation.trustedWorkspaces (user layers only)
  // Endpoint/command keys a project file tried to set and that were ignored, as messages to show.
  std::vector<std::string> ignored;
};

// Test code hard-codes secrets and turns debug on by design: its findings are lowered one severity
// level (error -> warning -> info -> hint), except for the categories in `keep_severity`.
struct TestCodeSettings {
  std::vector<std::string> paths = default_test_globs();  // testCode.paths: gitignore-style globs
  std::vector<std::string> keep_severity;                 // testCode.keepSeverity: rule categories
  bool lower = true;                                      // testCode.lowerSeverity
  static const std::vector<std::string>& default_test_globs();
};

// feedback.*: what the feedback bank (analyzers/feedback) changes in results.
struct FeedbackSettings {
  bool hide_refuted = false;          // feedback.hideRefuted: a validator's refutation hides like a user's mark
  double precision_threshold = 0.5;   // feedback.precisionThreshold: below it (with enough votes) a rule is lowered
  uint32_t min_votes = 5;             // feedback.minVotes: votes (confirmed + false positive) before that applies
};

struct ProjectConfig {
  std::vector<std::string> exclude;     // gitignore-style patterns, relative to the project root
  std::vector<std::string> rule_paths;  // extra rule files or directories, relative to the root
  // The rule paths come from the user's own settings (not the workspace's file): they may point
  // outside the workspace. Those of .vigil/config.yaml must stay inside it.
  bool rule_paths_from_user = false;
  bool builtin_rules = true;
  Scope scope = Scope::ai;              // ai: findings outside AI ranges become hints (or hidden)
  bool show_human_findings = true;
  ProvenanceSettings provenance;
  TaintParameters taint_parameters = TaintParameters::ai;
  ValidationSettings validation;
  TestCodeSettings test_code;
  FeedbackSettings feedback;
  uint32_t file_budget_seconds = 5;  // fileBudget: analysis time allowed per file in `vigil check`
  uint32_t max_file_bytes = 8u << 20;  // maxFileSize: larger files and documents are not analysed
};

// Keeps a finding under the `taint.parameters` policy: one whose source is only a parameter made
// a source by the policy stays when the policy is `all`, or `ai` and the finding lies in AI-written
// code. Every other finding stays.
inline bool keep_parameter_finding(TaintParameters policy, bool from_parameter, bool in_ai_range) {
  if (!from_parameter) return true;
  return policy == TaintParameters::all || (policy == TaintParameters::ai && in_ai_range);
}

// One validated layer: only keys that passed validation, as JSON.
struct ConfigLayer {
  std::string source;  // "path/.vigil/config.yaml", "initializationOptions", "workspace/configuration"
  nlohmann::json values = nlohmann::json::object();
  // The user's own settings (editor settings, ~/.config/vigil/config.yaml), not the project's file:
  // only these may name validation endpoints and commands, or trust a workspace.
  bool user = false;
};

// A YAML file as a layer; problems carry file:line:col.
ConfigLayer config_layer_from_yaml(std::string_view path, std::string_view text, std::vector<rules::Problem>& problems);
// A JSON object from the client as a layer; problems name the source and the key path (line 0).
ConfigLayer config_layer_from_json(std::string_view source, const nlohmann::json& value, std::vector<rules::Problem>& problems);
// Defaults, then each layer in order. `workspace_root`: the project the settings are for; its
// non-user layers may set validation endpoints and commands only when a user layer trusts it.
ProjectConfig merge_config(const std::vector<ConfigLayer>& layers, std::string_view workspace_root = {});

// Is `root` listed in `trusted` (paths compared after normalisation, `~/` expanded)?
bool is_trusted_workspace(const std::vector<std::string>& trusted, std::string_view root);

// The project file alone over the defaults (what `vigil check` reads).
ProjectConfig parse_config(std::string_view path, std::string_view text, std::vector<rules::Problem>& problems);

// The keys Vigil knows, for messages and documentation.
const std::vector<std::string>& known_config_keys();

}  // namespace vigil::workspace
