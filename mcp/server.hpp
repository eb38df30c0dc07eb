// `vigil mcp`: the Model Context Protocol (revision 2025-06-18) over stdio for coding agents, a
// second shell over session::Session beside lsp/. Agents get the rules' constraints before they
// write, and check a snippet, a proposed file or a proposed diff before the user sees it; what they
// propose for a workspace file is recorded as AI-written (evidence agent-mcp, the client's name as
// tool) for when the file holds it.
//
// Limits: inputs are capped in size, each analysis runs under a deadline, paths resolve (symlinks
// followed) inside the workspace root, nothing is executed. A problem with a call is a tool result
// with isError and a sentence the agent can act on; protocol misuse is a JSON-RPC error.
#pragma once

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/provenance/map.hpp"
#include "vigil/grammars/registry.hpp"

namespace vigil::session {
class Session;
struct Analysis;
}

namespace vigil::mcp {

struct Options {
  std::vector<std::string> rule_paths;  // --rules
  bool builtin_rules = true;
  std::string root;                     // the workspace root (absolute)
  std::string version;                  // serverInfo.version
  size_t max_input_bytes = 1u << 20;    // code, diff or file read
  std::chrono::milliseconds timeout{20000};  // per analysis
};

class Server {
 public:
  explicit Server(Options options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // One JSON-RPC message; the reply to send, if any (notifications and replies get none).
  std::optional<nlohmann::json> handle(const nlohmann::json& message);
  // An analysis that passed its deadline is still running on its own thread: the process should
  // end with _Exit rather than run static destructors under it.
  bool abandoned_work() const { return abandoned_; }

 private:
  nlohmann::json dispatch(const std::string& method, const nlohmann::json& params);
  nlohmann::json initialize(const nlohmann::json& params);
  nlohmann::json list_tools() const;
  nlohmann::json call_tool(const nlohmann::json& params);
  nlohmann::json list_resources() const;
  nlohmann::json read_resource(const nlohmann::json& params) const;

  // Tools (mcp/tools.cpp): each returns structuredContent and its text summary, or throws
  // ToolError for an isError result.
  struct ToolResult {
    nlohmann::json structured;
    std::string text;
  };
  ToolResult security_rules(const nlohmann::json& args) const;
  ToolResult check_code(const nlohmann::json& args);
  ToolResult check_diff(const nlohmann::json& args);
  ToolResult validate_finding(const nlohmann::json& args);
  ToolResult generate_security_tests(const nlohmann::json& args);
  ToolResult record_verdict(const nlohmann::json& args);

  // The code a tool is about: a snippet, a workspace file, or a file's proposed content.
  struct Target {
    std::optional<std::string> code;
    std::string abs, display;  // empty for a snippet
    const grammars::Language* lang = nullptr;
    std::string text;
    std::vector<provenance::Span> spans;  // what Vigil knows of who wrote it
  };
  Target read_target(const nlohmann::json& args);
  session::Analysis analyse_target(const Target& target);

  Options options_;
  std::unique_ptr<session::Session> session_;
  bool initialized_ = false;
  std::string client_name_ = "mcp-client";  // clientInfo.name: the tool in agent-mcp provenance
  bool abandoned_ = false;
};

// Serves newline-delimited JSON-RPC from `in` to `out` until end of input. A line longer than
// `max_message_bytes` is answered with an error and skipped. Returns the process exit code.
int serve(Server& server, std::istream& in, std::ostream& out, size_t max_message_bytes);

}  // namespace vigil::mcp
