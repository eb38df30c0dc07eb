// The two slow-to-compile transports of the validators, each behind one function in its own .cpp:
// an HTTP(S) POST (Boost.Beast + OpenSSL, http.cpp) and a child process (Boost.Process,
// process.cpp). Both poll `cancelled` and honour a deadline.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace vigil::validation {

struct HttpResult {
  int status = 0;           // HTTP status; 0 when no response arrived
  std::string body;
  std::string error;        // transport error ("timed out", "certificate verify failed", ...)
  bool timed_out = false;
  bool cancelled = false;
};

// POSTs `body` to `url` (http:// only to a loopback host; https:// verifies the certificate chain
// and the host name against the system store, plus `ca_file` when given).
HttpResult http_post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                     const std::string& body, std::chrono::milliseconds timeout, const std::atomic<bool>& cancelled,
                     const std::string& ca_file = {});


}  // namespace vigil::validation
