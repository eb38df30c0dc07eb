// Settings for the server: the layers of workspace::ProjectConfig (defaults < .vigil/config.yaml <
// initializationOptions < workspace/configuration `vigil`), reloaded when any of them changes.
// Problems never stop the server: they are shown (window/showMessage) and, for the project file,
// published as diagnostics on it.
#include <spdlog/spdlog.h>

#include "lsp/convert.hpp"
#include "lsp/server.hpp"

namespace vigil::lsp {

using nlohmann::json;

namespace {

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
  session_->set_config_layer(session::ConfigLayerKind::initialization,
                             workspace::config_layer_from_json("initializationOptions",
                                                               vigil_section(params.value("initializationOptions", json())), problems));
  if (!problems.empty()) show_message(2, "Vigil settings: " + describe(problems));
}

void Server::reload_config_file(bool publish_now) {
  config_problems_ = session_->reload_config_file();
  if (!config_problems_.empty()) show_message(2, "Vigil: problems in .vigil/config.yaml: " + describe(config_problems_));
  if (publish_now) publish_config_problems();
}

void Server::publish_config_problems() {
  if (session_->root().empty()) return;
  // Diagnostics on the file; an empty list clears what an earlier version showed.
  if (!config_problems_.empty() || config_problems_shown_)
    publish(path_to_uri(session_->config_file_path()), std::nullopt, rule_problem_diagnostics(config_problems_));
  config_problems_shown_ = !config_problems_.empty();
}

void Server::did_change_configuration(const json& params) {
  const json& settings = params.value("settings", json());
  // Push-style clients send the settings; others send null and expect us to ask.
  if (settings.is_object() && settings.contains("vigil")) {
    std::vector<rules::Problem> problems;
    session_->set_config_layer(session::ConfigLayerKind::user,
                               workspace::config_layer_from_json("workspace/configuration", settings["vigil"], problems));
    if (!problems.empty()) show_message(2, "Vigil settings: " + describe(problems));
    apply_config(false);
  } else {
    request_configuration();
  }
}

void Server::request_configuration() {
  if (!client_.configuration) return;
  json item = {{"section", "vigil"}};
  if (!session_->root().empty()) item["scopeUri"] = path_to_uri(session_->root());
  send_request("workspace/configuration", {{"items", json::array({item})}}, [this](const json& result) {
    if (state_ != State::running) return;
    std::vector<rules::Problem> problems;
    const json section = result.is_array() && !result.empty() ? result[0] : json();
    session_->set_config_layer(session::ConfigLayerKind::user,
                               workspace::config_layer_from_json("workspace/configuration", section, problems));
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
  // The session re-analyses every open document under the new settings (pulls wait for them).
  if (auto load = session_->apply_config(initial)) publish_rule_problems(*load);
  // Pulling clients are asked to pull again once each new result exists (on_analysed).
}

}  // namespace vigil::lsp
