// Settings for the server: the layers of workspace::ProjectConfig (defaults < .vigil/config.yaml <
// initializationOptions < workspace/configuration `vigil`), reloaded when any of them changes.
// Problems never stop the server: they are shown (window/showMessage) and, for the project file,
// published as diagnostics on it.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lsp/convert.hpp"
#include "lsp/server.hpp"

namespace vigil::lsp {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string config_path(const std::string& root) { return (fs::path(root) / ".vigil" / "config.yaml").string(); }

// "a.yaml:3:5: error: ..." for the file, "initializationOptions: ..." for client settings.
std::string describe(const std::vector<rules::Problem>& problems) {
  std::string out;
  for (const auto& p : problems) {
    if (!out.empty()) out += "; ";
    out += p.line ? p.to_string() : p.path + ": " + p.message;
  }
  return out;
}

// Settings arrive either as the `vigil` object itself or wrapped in { "vigil": {...} }.
const json& vigil_section(const json& value) {
  if (value.is_object() && value.size() == 1 && value.contains("vigil")) return value["vigil"];
  return value;
}

}  // namespace

void Server::show_message(int type, const std::string& message) {
  transport_.send({{"jsonrpc", "2.0"}, {"method", "window/showMessage"}, {"params", {{"type", type}, {"message", message}}}});
}

void Server::read_initialization_options(const json& params) {
  std::vector<rules::Problem> problems;
  init_layer_ = workspace::config_layer_from_json("initializationOptions",
                                                  vigil_section(params.value("initializationOptions", json())), problems);
  if (!problems.empty()) show_message(2, "Vigil settings: " + describe(problems));
}

void Server::reload_config_file(bool publish_now) {
  file_layer_ = {};
  config_problems_.clear();
  if (root_path_.empty()) return;
  const std::string path = config_path(root_path_);
  std::error_code ec;
  auto& problems = config_problems_;
  if (fs::exists(path, ec)) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    file_layer_ = workspace::config_layer_from_yaml(path, text.str(), problems);
  }
  if (!problems.empty()) show_message(2, "Vigil: problems in .vigil/config.yaml: " + describe(problems));
  if (publish_now) publish_config_problems();
}

void Server::publish_config_problems() {
  if (root_path_.empty()) return;
  // Diagnostics on the file; an empty list clears what an earlier version showed.
  if (!config_problems_.empty() || config_problems_shown_)
    publish(path_to_uri(config_path(root_path_)), std::nullopt, rule_problem_diagnostics(config_problems_));
  config_problems_shown_ = !config_problems_.empty();
}

void Server::did_change_configuration(const json& params) {
  const json& settings = params.value("settings", json());
  // Push-style clients send the settings; others send null and expect us to ask.
  if (settings.is_object() && settings.contains("vigil")) {
    std::vector<rules::Problem> problems;
    user_layer_ = workspace::config_layer_from_json("workspace/configuration", settings["vigil"], problems);
    if (!problems.empty()) show_message(2, "Vigil settings: " + describe(problems));
    apply_config(false);
  } else {
    request_configuration();
  }
}

void Server::request_configuration() {
  if (!client_.configuration) return;
  json item = {{"section", "vigil"}};
  if (!root_path_.empty()) item["scopeUri"] = path_to_uri(root_path_);
  send_request("workspace/configuration", {{"items", json::array({item})}}, [this](const json& result) {
    if (state_ != State::running) return;
    std::vector<rules::Problem> problems;
    const json section = result.is_array() && !result.empty() ? result[0] : json();
    user_layer_ = workspace::config_layer_from_json("workspace/configuration", section, problems);
    if (!problems.empty()) show_message(2, "Vigil settings: " + describe(problems));
    apply_config(false);
  });
}

void Server::register_watchers() {
  if (!client_.watcher_registration) return;
  // The project config, and source files an agent may write while they are not open.
  std::string extensions;
  for (const char* e : {"py", "js", "jsx", "mjs", "cjs", "ts", "tsx", "go", "java", "c", "h", "cc", "cpp", "cxx", "hpp"})
    extensions += (extensions.empty() ? "" : ",") + std::string(e);
  json watchers = json::array({{{"globPattern", "**/.vigil/config.yaml"}}, {{"globPattern", "**/*.{" + extensions + "}"}}});
  send_request("client/registerCapability",
               {{"registrations", json::array({{{"id", "vigil-watched-files"},
                                                {"method", "workspace/didChangeWatchedFiles"},
                                                {"registerOptions", {{"watchers", watchers}}}}})}},
               [](const json&) {});
}

void Server::apply_config(bool initial) {
  const auto before = config_;
  config_ = workspace::merge_config({file_layer_, init_layer_, user_layer_});
  std::vector<std::string> errors;
  agent_matcher_ = std::make_shared<provenance::git::AgentMatcher>(config_.provenance.agent_patterns, &errors);
  for (const auto& e : errors) spdlog::warn("{}", e);  // validated already; kept for safety
  const bool rules_changed = initial || before.rule_paths != config_.rule_paths || before.builtin_rules != config_.builtin_rules;
  if (rules_changed) load_rules();
  if (initial) return;
  spdlog::info("settings reloaded: scope {}, human findings {}", config_.scope == workspace::Scope::ai ? "ai" : "all",
               config_.show_human_findings ? "shown" : "hidden");
  for (const auto& [uri, doc] : documents_) {
    invalidate_analysis(uri);  // pulls wait for results under the new settings
    schedule(uri);                // whose results ask pulling clients to refresh (on_analysed)
  }
}

}  // namespace vigil::lsp
