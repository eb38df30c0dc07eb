#include "lsp/jsonrpc.hpp"

#include <spdlog/spdlog.h>

namespace vigil::lsp {

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

std::string dump_with(const nlohmann::json& object, const std::string& key, std::string_view value_text) {
  std::string out = "{";
  // The value is the bulk (a pull's 700 KB of diagnostics): reserved once, never grown and copied.
  out.reserve(value_text.size() + 256);
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (out.size() > 1) out += ',';
    out += dump(nlohmann::json(it.key()));
    out += ':';
    if (it.key() == key) out += value_text;
    else out += dump(it.value());
  }
  out += '}';
  return out;
}

nlohmann::json error_response(const nlohmann::json& id, ErrorCode code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", static_cast<int>(code)}, {"message", message}}}};
}

Reply::Reply(Reply&& other) noexcept
    : transport_(other.transport_), id_(std::move(other.id_)), method_(std::move(other.method_)), answered_(other.answered_) {
  other.answered_ = true;
}

Reply& Reply::operator=(Reply&& other) noexcept {
  if (this != &other) {
    if (!answered_) error(ErrorCode::internal_error, "server failed to reply to " + method_);
    transport_ = other.transport_;
    id_ = std::move(other.id_);
    method_ = std::move(other.method_);
    answered_ = other.answered_;
    other.answered_ = true;
  }
  return *this;
}

Reply::~Reply() {
  if (!answered_) {
    spdlog::error("{} was not answered; sending an internal error", method_);
    error(ErrorCode::internal_error, "server failed to reply to " + method_);
  }
}

void Reply::result(nlohmann::json value) {
  if (answered_) {
    spdlog::error("second reply to {} dropped", method_);
    return;
  }
  answered_ = true;
  transport_->send({{"jsonrpc", "2.0"}, {"id", id_}, {"result", std::move(value)}});
}

void Reply::result_text(std::string_view value_text) {
  if (answered_) {
    spdlog::error("second reply to {} dropped", method_);
    return;
  }
  answered_ = true;
  transport_->send_text(dump_with({{"jsonrpc", "2.0"}, {"id", id_}, {"result", nullptr}}, "result", value_text));
}

void Reply::error(ErrorCode code, const std::string& message) {
  if (answered_) {
    spdlog::error("second reply to {} dropped", method_);
    return;
  }
  answered_ = true;
  transport_->send(error_response(id_, code, message));
}

}  // namespace vigil::lsp
