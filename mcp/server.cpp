// MCP lifecycle, dispatch, tools/list and resources over the session. The tools: mcp/tools.cpp.
#include "mcp/server.hpp"

#include <spdlog/spdlog.h>

#include <istream>
#include <ostream>

#include "analyzers/json_input.hpp"
#include "analyzers/session/session.hpp"
#include "mcp/protocol.hpp"

namespace vigil::mcp {

using nlohmann::json;

namespace {

// Revisions whose tool results (structuredContent, outputSchema, isError) Vigil's answers follow.
constexpr const char* kProtocolVersion = "2025-06-18";

constexpr const char* kInstructions =
    "Vigil holds code to security rules. Before writing code, call security_rules for the language "
    "or file and follow every constraint. Before writing a file, call check_code with the file's path "
    "and the full proposed content (or check_diff with the unified diff you are about to apply) and "
    "fix every finding: each names the rule's constraint and, where one exists, its fix "
    "(fixedCode holds the code with all safe fixes applied). Check again until the result is clean.";

}  // namespace

Server::Server(Options options) : options_(std::move(options)) {
  session::Events events;
  // Nothing runs in the background here (analyses are synchronous): tasks run at once.
  events.post = [](std::function<void()> task) { task(); };
  session_ = std::make_unique<session::Session>(session::Options{options_.rule_paths, options_.builtin_rules, 0},
                                                std::move(events));
  session_->open_workspace(options_.root);
  for (const auto& p : session_->reload_config_file()) spdlog::warn("{}", p.to_string());
  session_->apply_config(true);
  spdlog::info("mcp: root '{}', {} rules", options_.root, session_->rules().size());
}

Server::~Server() {
  if (session_) session_->shutdown();
}

std::optional<json> Server::handle(const json& message) {
  if (!message.is_object())
    return error_response(nullptr, kInvalidRequest,
                          message.is_array() ? "batches are not supported (MCP 2025-06-18)" : "a message must be a JSON object");
  json id = nullptr;
  const bool has_id = message.contains("id");
  if (has_id) {
    id = message["id"];
    if (!id.is_string() && !id.is_number_integer()) return error_response(nullptr, kInvalidRequest, "`id` must be a string or an integer");
  }
  if (message.value("jsonrpc", json()) != "2.0") {
    if (has_id || message.contains("method")) return error_response(id, kInvalidRequest, "`jsonrpc` must be \"2.0\"");
    return std::nullopt;
  }
  auto method = message.find("method");
  if (method == message.end()) return std::nullopt;  // a reply: Vigil sends no requests
  if (!method->is_string()) return error_response(id, kInvalidRequest, "`method` must be a string");
  json params = message.value("params", json::object());
  if (params.is_null()) params = json::object();
  if (!has_id) {
    // Notifications: initialized, cancelled (calls are synchronous: nothing is in flight).
    if (*method == "notifications/initialized") spdlog::debug("mcp: client initialized");
    return std::nullopt;
  }
  if (!params.is_object()) return error_response(id, kInvalidParams, "`params` must be an object");
  try {
    return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", dispatch(*method, params)}};
  } catch (const RpcError& e) {
    return error_response(id, e.code, e.what(), e.data);
  } catch (const json::exception& e) {
    return error_response(id, kInvalidParams, std::string("invalid params: ") + e.what());
  } catch (const std::exception& e) {
    spdlog::error("mcp: {} failed: {}", method->get<std::string>(), e.what());
    return error_response(id, kInternalError, e.what());
  }
}

json Server::dispatch(const std::string& method, const json& params) {
  if (method == "initialize") return initialize(params);
  if (method == "ping") return json::object();
  if (!initialized_) throw RpcError(kInvalidRequest, "call initialize first");
  if (method == "tools/list") return list_tools();
  if (method == "tools/call") return call_tool(params);
  if (method == "resources/list") return list_resources();
  if (method == "resources/read") return read_resource(params);
  if (method == "resources/templates/list")
    return {{"resourceTemplates",
             json::array({{{"uriTemplate", "vigil://rules/{id}"},
                           {"name", "rule"},
                           {"title", "Vigil rule"},
                           {"description", "A loaded security rule's YAML, by rule id"},
                           {"mimeType", "application/yaml"}}})}};
  throw RpcError(kMethodNotFound, "unknown method " + method);
}

json Server::initialize(const json& params) {
  if (initialized_) throw RpcError(kInvalidRequest, "initialize was already called");
  const json& info = params.value("clientInfo", json::object());
  if (info.is_object() && info.contains("name") && info["name"].is_string() && !info["name"].get<std::string>().empty())
    client_name_ = info["name"].get<std::string>().substr(0, 100);
  const std::string requested = params.value("protocolVersion", "");
  initialized_ = true;
  spdlog::info("mcp: initialize from {} (protocol {})", client_name_, requested);
  // A client asking for another revision gets ours; it disconnects if it cannot speak it.
  return {{"protocolVersion", kProtocolVersion},
          {"capabilities", {{"tools", {{"listChanged", false}}}, {"resources", {{"listChanged", false}, {"subscribe", false}}}}},
          {"serverInfo", {{"name", "vigil"}, {"title", "Vigil"}, {"version", options_.version}}},
          {"instructions", kInstructions}};
}

json Server::call_tool(const json& params) {
  const std::string name = params.at("name");
  json args = params.value("arguments", json::object());
  if (args.is_null()) args = json::object();
  ToolResult result;
  try {
    if (!args.is_object()) throw ToolError("`arguments` must be an object");
    if (name == "security_rules") result = security_rules(args);
    else if (name == "check_code") result = check_code(args);
    else if (name == "check_diff") result = check_diff(args);
    else if (name == "validate_finding") result = validate_finding(args);
    else if (name == "generate_security_tests") result = generate_security_tests(args);
    else if (name == "record_verdict") result = record_verdict(args);
    else throw RpcError(kInvalidParams, "unknown tool " + name + " (see tools/list)");
  } catch (const ToolError& e) {
    // A problem with this call: the agent reads it and can try again differently.
    return {{"content", json::array({{{"type", "text"}, {"text", e.what()}}})}, {"isError", true}};
  }
  return {{"content", json::array({{{"type", "text"}, {"text", result.text}}})},
          {"structuredContent", std::move(result.structured)},
          {"isError", false}};
}

json Server::list_resources() const {
  json resources = json::array();
  for (const auto& r : session_->rules().all())
    resources.push_back({{"uri", "vigil://rules/" + r->id},
                         {"name", r->id},
                         {"title", r->id},
                         {"description", r->constraint.empty() ? r->message : r->constraint},
                         {"mimeType", "application/yaml"}});
  return {{"resources", std::move(resources)}};
}

json Server::read_resource(const json& params) const {
  const std::string uri = params.at("uri");
  constexpr std::string_view prefix = "vigil://rules/";
  const auto rule = uri.starts_with(prefix) ? session_->rule(std::string_view(uri).substr(prefix.size())) : nullptr;
  if (!rule) throw RpcError(kResourceNotFound, "Resource not found: " + uri + " (see resources/list)", json{{"uri", uri}});
  auto yaml = session_->rule_source(*rule);
  if (!yaml) throw RpcError(kInternalError, "the rule file of " + rule->id + " cannot be read: " + rule->source_path);
  return {{"contents", json::array({{{"uri", uri}, {"mimeType", "application/yaml"}, {"text", *yaml}}})}};
}

int serve(Server& server, std::istream& in, std::ostream& out, size_t max_message_bytes) {
  auto* buffer = in.rdbuf();
  std::string line;
  bool too_long = false;
  auto write = [&](const json& reply) {
    // One message per line: dump() escapes newlines inside strings.
    out << reply.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    out.flush();
  };
  for (;;) {
    const int c = buffer ? buffer->sbumpc() : std::char_traits<char>::eof();
    if (c == std::char_traits<char>::eof() || c == '\n') {
      if (too_long) {
        write(error_response(nullptr, kInvalidRequest,
                             "message over " + std::to_string(max_message_bytes) + " bytes: send smaller code or diffs"));
      } else if (line.find_first_not_of(" \t\r") != std::string::npos) {
        auto parsed = json_input::parse(line);
        if (parsed.value.is_discarded()) {
          write(error_response(nullptr, kParseError, "Parse error: a line is not JSON"));
        } else if (parsed.too_deep) {
          // Answered with the shallow id that survived; the deep part was never built.
          const json* id = parsed.value.is_object() && parsed.value.contains("id") ? &parsed.value["id"] : nullptr;
          write(error_response(id && (id->is_string() || id->is_number_integer()) ? *id : json(nullptr), kInvalidRequest,
                               "the message is nested more than " + std::to_string(json_input::kMaxDepth) + " levels deep"));
        } else if (auto reply = server.handle(parsed.value)) {
          write(*reply);
        }
      }
      line.clear();
      too_long = false;
      if (c == std::char_traits<char>::eof()) return 0;
      continue;
    }
    if (too_long) continue;
    if (line.size() >= max_message_bytes) {
      too_long = true;
      line.clear();
      line.shrink_to_fit();
      continue;
    }
    line.push_back(static_cast<char>(c));
  }
}

}  // namespace vigil::mcp
