// Boost.Beast + OpenSSL are kept to this file (they compile slowly).
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <functional>
#include <optional>

#include "analyzers/validation/transport.hpp"

namespace vigil::validation {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct Url {
  bool tls = false;
  std::string host, port, target;
};

std::optional<Url> parse_url(const std::string& url, std::string& error) {
  Url u;
  std::string rest;
  if (url.starts_with("https://")) {
    u.tls = true;
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    error = "the endpoint URL must start with https:// (or http:// for a loopback host): " + url;
    return std::nullopt;
  }
  const size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.find('@') != std::string::npos) {
    error = "credentials in the endpoint URL are not supported (name an environment variable for the key)";
    return std::nullopt;
  }
  if (authority.starts_with("[")) {
    const size_t close = authority.find(']');
    if (close == std::string::npos) {
      error = "bad IPv6 host in " + url;
      return std::nullopt;
    }
    u.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') u.port = authority.substr(close + 2);
  } else if (const size_t colon = authority.rfind(':'); colon != std::string::npos) {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  } else {
    u.host = authority;
  }
  if (u.port.empty()) u.port = u.tls ? "443" : "80";
  if (u.host.empty()) {
    error = "no host in " + url;
    return std::nullopt;
  }
  return u;
}

bool is_loopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  return !ec && addr.is_loopback();
}

// One request/response over a connected stream, driven by callbacks on `ioc`.
template <class Stream>
class Exchange {
 public:
  Exchange(Stream& stream, http::request<http::string_body>& req, HttpResult& result, bool& done)
      : stream_(stream), req_(req), result_(result), done_(done) {}
  void start() {
    http::async_write(stream_, req_, [this](beast::error_code ec, size_t) {
      if (ec) return fail("sending the request: " + ec.message());
      http::async_read(stream_, buffer_, res_, [this](beast::error_code ec2, size_t) {
        if (ec2) return fail("reading the response: " + ec2.message());
        result_.status = static_cast<int>(res_.result_int());
        result_.body = std::move(res_.body());
        done_ = true;
      });
    });
  }
  void fail(std::string message) {
    if (!done_) result_.error = std::move(message);
    done_ = true;
  }

 private:
  Stream& stream_;
  http::request<http::string_body>& req_;
  HttpResult& result_;
  bool& done_;
  beast::flat_buffer buffer_;
  http::response<http::string_body> res_;
};

}  // namespace

HttpResult http_post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
                     std::chrono::milliseconds timeout, const std::atomic<bool>& cancelled, const std::string& ca_file) {
  HttpResult result;
  std::string error;
  auto u = parse_url(url, error);
  if (!u) {
    result.error = error;
    return result;
  }
  if (!u->tls && !is_loopback(u->host)) {
    result.error = "plain http:// is allowed only to a loopback host (code must not cross the network unencrypted); use https:// for " + u->host;
    return result;
  }
  try {
    asio::io_context ioc;
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_default_verify_paths();
    if (!ca_file.empty()) ctx.load_verify_file(ca_file);
    ctx.set_verify_mode(ssl::verify_peer);
    tcp::resolver resolver(ioc);
    beast::tcp_stream plain(ioc);
    beast::ssl_stream<beast::tcp_stream> secure(ioc, ctx);

    http::request<http::string_body> req{http::verb::post, u->target, 11};
    const bool default_port = u->port == (u->tls ? "443" : "80");
    req.set(http::field::host, default_port ? u->host : u->host + ":" + u->port);
    req.set(http::field::user_agent, "vigil");
    req.set(http::field::content_type, "application/json");
    req.set(http::field::accept, "application/json");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();

    bool done = false;
    Exchange<beast::tcp_stream> plain_exchange(plain, req, result, done);
    Exchange<beast::ssl_stream<beast::tcp_stream>> secure_exchange(secure, req, result, done);
    auto fail = [&](const std::string& m) {
      if (!done) result.error = m;
      done = true;
    };

    if (u->tls) {
      if (!SSL_set_tlsext_host_name(secure.native_handle(), u->host.c_str())) {
        result.error = "cannot set the TLS server name";
        return result;
      }
      secure.set_verify_callback(ssl::host_name_verification(u->host));
    }
    resolver.async_resolve(u->host, u->port, [&](beast::error_code ec, tcp::resolver::results_type results) {
      if (ec) return fail("resolving " + u->host + ": " + ec.message());
      auto& lowest = u->tls ? beast::get_lowest_layer(secure) : plain;
      lowest.async_connect(results, [&](beast::error_code ec2, const tcp::endpoint&) {
        if (ec2) return fail("connecting to " + u->host + ":" + u->port + ": " + ec2.message());
        if (!u->tls) return plain_exchange.start();
        secure.async_handshake(ssl::stream_base::client, [&](beast::error_code ec3) {
          if (ec3) return fail("TLS handshake with " + u->host + ": " + ec3.message());
          secure_exchange.start();
        });
      });
    });
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done) {
      ioc.run_for(std::chrono::milliseconds(20));
      if (done) break;
      if (ioc.stopped()) ioc.restart();
      if (cancelled.load() || std::chrono::steady_clock::now() >= deadline) {
        result.cancelled = cancelled.load();
        result.timed_out = !result.cancelled;
        result.error = result.cancelled ? "cancelled" : "timed out after " + std::to_string(timeout.count()) + " ms";
        result.status = 0;
        result.body.clear();
        done = true;
        resolver.cancel();
        beast::error_code ignored;
        beast::get_lowest_layer(plain).socket().close(ignored);
        beast::get_lowest_layer(secure).socket().close(ignored);
        ioc.restart();
        ioc.run_for(std::chrono::milliseconds(200));  // let the aborted handlers finish
        return result;
      }
    }
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  return result;
}

}  // namespace vigil::validation
