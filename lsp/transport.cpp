#include "lsp/transport.hpp"

#include "analyzers/json_input.hpp"
#include "lsp/jsonrpc.hpp"

#include <boost/asio.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <deque>

namespace vigil::lsp {

std::vector<FrameReader::Frame> FrameReader::feed(std::string_view bytes) {
  // pending_length_ counts the bytes of the current body: buffered while in_body_; otherwise (a
  // body over kMaxBody) dropped as they arrive, never buffered, never read as headers (a JSON
  // string in it could look like one).
  std::vector<Frame> frames;
  if (!in_body_ && pending_length_ > 0) {
    const size_t drop = std::min(pending_length_, bytes.size());
    pending_length_ -= drop;
    bytes.remove_prefix(drop);
  }
  buffer_.append(bytes);
  for (;;) {
    if (!in_body_ && pending_length_ > 0) {  // a too-large body began in the buffer
      const size_t drop = std::min(pending_length_, buffer_.size());
      pending_length_ -= drop;
      buffer_.erase(0, drop);
      if (pending_length_ > 0) break;
    }
    if (!in_body_) {
      // Resynchronising: what is left of a bad frame's body before the next header is skipped
      // (a header starts with a letter).
      size_t start = 0;
      while (start < buffer_.size() && !std::isalpha(static_cast<unsigned char>(buffer_[start]))) ++start;
      buffer_.erase(0, start);
      // Headers end with CRLF CRLF; LF-only line ends are accepted too, as many servers do.
      const size_t crlf = buffer_.find("\r\n\r\n"), lf = buffer_.find("\n\n");
      const bool lf_only = lf != std::string::npos && (crlf == std::string::npos || lf < crlf);
      const size_t header_end = lf_only ? lf : crlf;
      const size_t terminator = lf_only ? 2 : 4;
      if (header_end == std::string::npos) {
        if (buffer_.size() > 64 * 1024) {  // no header ends in sight: drop the garbage
          frames.push_back({false, {}, "header too long or missing CRLF CRLF"});
          buffer_.clear();
        }
        break;
      }
      std::string_view headers(buffer_.data(), header_end);
      std::optional<size_t> length;
      std::string error;
      size_t pos = 0;
      while (pos <= headers.size()) {
        size_t eol = headers.find('\n', pos);
        std::string_view line = headers.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        auto colon = line.find(':');
        if (colon == std::string_view::npos) {
          error = "malformed header line";
        } else {
          std::string name(line.substr(0, colon));
          for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          auto value = line.substr(colon + 1);
          while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
          while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
          if (name == "content-length") {
            size_t n = 0;
            auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc() || p != value.data() + value.size()) error = "invalid Content-Length";
            else length = n;
          }
        }
        if (eol == std::string_view::npos) break;
        pos = eol + 1;
      }
      buffer_.erase(0, header_end + terminator);
      if (!error.empty() || !length) {
        frames.push_back({false, {}, error.empty() ? "missing Content-Length header" : error});
        continue;
      }
      if (*length > kMaxBody) {
        frames.push_back({false, {}, "message too large"});
        pending_length_ = *length;  // to drop
        continue;
      }
      pending_length_ = *length;
      in_body_ = true;
    }
    if (buffer_.size() < pending_length_) break;
    frames.push_back({true, buffer_.substr(0, pending_length_), {}});
    buffer_.erase(0, pending_length_);
    pending_length_ = 0;
    in_body_ = false;
  }
  return frames;
}

ParsedMessage parse_message(std::string_view body, int max_depth) {
  auto parsed = json_input::parse(body, max_depth);
  return {std::move(parsed.value), parsed.too_deep};
}

namespace {
std::string frame_header(size_t body_size) { return "Content-Length: " + std::to_string(body_size) + "\r\n\r\n"; }
}  // namespace

std::string frame(std::string_view body) {
  std::string out = frame_header(body.size());
  out.append(body);
  return out;
}

namespace {

namespace asio = boost::asio;

class FdTransport final : public Transport {
 public:
  FdTransport(int in_fd, int out_fd)
      : in_(io_, ::dup(in_fd)), out_(io_, ::dup(out_fd)), guard_(asio::make_work_guard(io_)) {}

  void send(const nlohmann::json& message) override {
    send_text(dump(message));
  }

  void send_text(std::string body) override {
    // The header and the body are written as two buffers: copying a publish of 700 KB into one
    // frame cost a copy and a fresh allocation's page faults per keystroke.
    std::string header = frame_header(body.size());
    queue_.push_back({std::move(header), std::move(body)});
    if (queue_.size() == 1) write_next();
  }

  void post(std::function<void()> fn) override { asio::post(io_, std::move(fn)); }

  void run(Handler& handler) override {
    handler_ = &handler;
    read_next();
    io_.run();
  }

  void stop() override {
    stopping_ = true;
    boost::system::error_code ec;
    in_.cancel(ec);
    if (queue_.empty()) finish();
  }

 private:
  void finish() {
    guard_.reset();
    io_.stop();
  }

  void read_next() {
    in_.async_read_some(asio::buffer(buf_), [this](boost::system::error_code ec, size_t n) {
      if (stopping_) return;
      if (ec) {
        if (ec != asio::error::eof) spdlog::warn("input closed: {}", ec.message());
        handler_->on_end_of_input();
        return;
      }
      for (auto& f : reader_.feed(std::string_view(buf_.data(), n))) {
        if (!f.ok) {
          handler_->on_parse_error(f.error);
          continue;
        }
        auto parsed = parse_message(f.body);
        if (parsed.message.is_discarded()) handler_->on_parse_error("message body is not valid JSON");
        else if (parsed.too_deep) handler_->on_invalid_message(parsed.message, "the message is nested more than 256 levels deep");
        else handler_->on_message(std::move(parsed.message));
        if (stopping_) return;
      }
      read_next();
    });
  }

  void write_next() {
    const Outgoing& next = queue_.front();
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(next.header), asio::buffer(next.body)};
    asio::async_write(out_, buffers, [this](boost::system::error_code ec, size_t) {
      if (ec) {
        spdlog::error("cannot write to the client: {}", ec.message());
        queue_.clear();
      } else {
        queue_.pop_front();
      }
      if (!queue_.empty()) write_next();
      else if (stopping_) finish();
    });
  }

  asio::io_context io_;
  asio::posix::stream_descriptor in_;
  asio::posix::stream_descriptor out_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::array<char, 64 * 1024> buf_{};
  FrameReader reader_;
  struct Outgoing {
    std::string header;
    std::string body;
  };
  std::deque<Outgoing> queue_;  // a deque: its elements, hence the buffers being written, never move
  Handler* handler_ = nullptr;
  bool stopping_ = false;
};

}  // namespace

std::unique_ptr<Transport> make_fd_transport(int in_fd, int out_fd) {
  return std::make_unique<FdTransport>(in_fd, out_fd);
}

}  // namespace vigil::lsp
