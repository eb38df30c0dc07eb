// JSON-RPC 2.0 as MCP uses it: error codes, the error reply, and the two kinds of failure a
// handler raises (a protocol error, or a tool error that becomes an isError result).
#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace vigil::mcp {

constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kResourceNotFound = -32002;  // MCP: resources/read of an unknown URI

struct RpcError : std::runtime_error {
  RpcError(int code, const std::string& message, nlohmann::json data = nullptr)
      : std::runtime_error(message), code(code), data(std::move(data)) {}
  int code;
  nlohmann::json data;
};

// A tool call that cannot be answered as asked: the message tells the agent what to change.
struct ToolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline nlohmann::json error_response(const nlohmann::json& id, int code, const std::string& message,
                                     const nlohmann::json& data = nullptr) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!data.is_null()) error["data"] = data;
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
}

}  // namespace vigil::mcp
