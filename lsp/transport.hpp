// JSON-RPC transport: Content-Length framed messages over a byte stream (stdin/stdout: a pipe, a
// socket or a regular file), on Boost.Asio. The server sees whole JSON messages and framing errors;
// it never touches bytes.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace vigil::lsp {

// Splits a byte stream into message bodies. Kept apart from IO so it can be tested on its own.
class FrameReader {
 public:
  struct Frame {
    bool ok = true;
    std::string body;   // when ok
    std::string error;  // when not: what was wrong with the header
  };
  // Appends bytes and returns every frame now complete.
  std::vector<Frame> feed(std::string_view bytes);
  bool idle() const { return buffer_.empty(); }

  // Larger than any document under the default size cap, JSON-escaped twice over.
  static constexpr size_t kMaxBody = 64u << 20;

 private:
  std::string buffer_;
  size_t pending_length_ = 0;  // body length once a header was read
  bool in_body_ = false;
};

std::string frame(std::string_view body);

// A message body parsed with its nesting bounded: values nested deeper than `max_depth` are
// dropped while parsing (nothing deeper is ever built, so nothing recurses over it later) and
// `too_deep` is set; the message keeps its shallow members (`id`, `method`) to answer with.
struct ParsedMessage {
  nlohmann::json message;  // discarded when the body is not JSON
  bool too_deep = false;
};
ParsedMessage parse_message(std::string_view body, int max_depth = 256);

class Transport {
 public:
  struct Handler {
    virtual ~Handler() = default;
    virtual void on_message(nlohmann::json message) = 0;
    // A body that is not JSON, or a header that cannot be framed.
    virtual void on_parse_error(const std::string& what) = 0;
    // JSON that is not a message Vigil accepts (nested too deep): `message` holds what was kept.
    virtual void on_invalid_message(const nlohmann::json& message, const std::string& what) {
      (void)message;
      on_parse_error(what);
    }
    virtual void on_end_of_input() = 0;
  };
  virtual ~Transport() = default;
  // Sends a message. IO thread only.
  virtual void send(const nlohmann::json& message) = 0;
  // Sends a message already serialised (compact JSON: what send() makes of a message, see
  // lsp::dump). IO thread only. This default parses it back and sends that.
  virtual void send_text(std::string body) { send(nlohmann::json::parse(body)); }
  // Runs `fn` on the IO thread (from any thread).
  virtual void post(std::function<void()> fn) = 0;
  // Reads and dispatches until stop() or end of input.
  virtual void run(Handler& handler) = 0;
  // Stops after flushing pending writes.
  virtual void stop() = 0;
};

// stdin/stdout (or any pair of file descriptors) through Asio's posix::stream_descriptor.
std::unique_ptr<Transport> make_fd_transport(int in_fd, int out_fd);

}  // namespace vigil::lsp
