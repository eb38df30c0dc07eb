// JSON-RPC 2.0 pieces: error codes, and a reply object that answers a request exactly once.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "lsp/transport.hpp"

namespace vigil::lsp {

enum class ErrorCode : int {
  parse_error = -32700,
  invalid_request = -32600,
  method_not_found = -32601,
  invalid_params = -32602,
  internal_error = -32603,
  server_not_initialized = -32002,
  request_failed = -32803,
  request_cancelled = -32800,
};

// Thrown by handlers to answer with a specific error.
struct RpcError : std::runtime_error {
  ErrorCode code;
  RpcError(ErrorCode c, const std::string& what) : std::runtime_error(what), code(c) {}
};

// JSON text as the transport sends it: compact, invalid UTF-8 replaced.
std::string dump(const nlohmann::json& j);
// dump(object) with `value_text` (JSON text) written as the value of its member `key` (which
// `object` holds, with any value: a placeholder). Messages too costly to build as nlohmann
// objects are sent this way, from parts serialised by nlohmann (lsp::DiagnosticList).
std::string dump_with(const nlohmann::json& object, const std::string& key, std::string_view value_text);

nlohmann::json error_response(const nlohmann::json& id, ErrorCode code, const std::string& message);

// Answers one request exactly once. Moving it hands the duty on; dropping it unanswered sends an
// internal error, so a handler bug never leaves the client waiting.
class Reply {
 public:
  Reply(Transport& transport, nlohmann::json id, std::string method)
      : transport_(&transport), id_(std::move(id)), method_(std::move(method)) {}
  Reply(Reply&& other) noexcept;
  Reply& operator=(Reply&& other) noexcept;
  Reply(const Reply&) = delete;
  ~Reply();

  void result(nlohmann::json value);
  // The same for a result already serialised (JSON text).
  void result_text(std::string_view value_text);
  void error(ErrorCode code, const std::string& message);

  const nlohmann::json& id() const { return id_; }
  const std::string& method() const { return method_; }
  bool answered() const { return answered_; }

 private:
  Transport* transport_;
  nlohmann::json id_;
  std::string method_;
  bool answered_ = false;
};

}  // namespace vigil::lsp
