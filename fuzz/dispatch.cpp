// The language server's dispatch: a lsp::Server (analysing inline, no workspace root, so nothing is
// written to disk) fed an `initialize`, then one JSON message per input line, then shutdown and
// exit. Work the server posts to its IO thread runs after each message. Every reply must be JSON
// that dumps. Skipped lines: a second `initialize` or new workspace folders (a root would make the
// server create a database wherever the fuzzer points) and anything naming `validation` settings
// (a user-configured validator command would run).
#include <spdlog/spdlog.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>

#include "analyzers/json_input.hpp"
#include "fuzz/fuzz_check.hpp"
#include "lsp/server.hpp"

using nlohmann::json;

namespace {

class FakeTransport final : public vigil::lsp::Transport {
 public:
  void send(const json& message) override {
    FUZZ_CHECK(message.is_object());
    (void)message.dump(-1, ' ', false, json::error_handler_t::replace);
    ++sent;
  }
  void post(std::function<void()> fn) override { posted.push_back(std::move(fn)); }
  void run(Handler&) override {}
  void stop() override { stopped = true; }

  // Runs what the server posted, as the IO loop would (bounded: a job may post another).
  void drain() {
    for (int i = 0; i < 10000 && !posted.empty(); ++i) {
      auto fn = std::move(posted.front());
      posted.pop_front();
      fn();
    }
  }

  std::deque<std::function<void()>> posted;
  size_t sent = 0;
  bool stopped = false;
};

std::string& rules_dir() {
  static std::string dir;
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  // Two small rules instead of the built-in packs (loading those for every input would be most of
  // the time): a pattern with a safe fix and a taint rule, so code actions and fixes have work.
  const auto dir = std::filesystem::temp_directory_path() / ("vigil-fuzz-dispatch-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "verify.yaml") << "id: no-verify\nlanguage: python\nseverity: error\nmessage: TLS off in $F\n"
                                        "fixApplicability: safe\nrule:\n  pattern: $F($$$A, verify=False)\n"
                                        "fix: $F($$$A, verify=True)\n";
  std::ofstream(dir / "taint.yaml") << "id: shell\nlanguage: [python, javascript]\nseverity: warning\nmessage: shell\n"
                                       "mode: taint\nsources:\n  - pattern: input()\nsinks:\n  - pattern: os.system($X)\n";
  rules_dir() = dir.string();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  FakeTransport transport;
  vigil::lsp::ServerOptions options;
  options.builtin_rules = false;
  options.rule_paths = {rules_dir()};
  options.worker_threads = 0;
  {
    vigil::lsp::Server server(transport, options);
    server.on_message({{"jsonrpc", "2.0"}, {"id", 0}, {"method", "initialize"},
                       {"params", {{"processId", nullptr}, {"rootUri", nullptr},
                                   {"capabilities", {{"general", {{"positionEncodings", {"utf-8", "utf-16"}}}},
                                                     {"textDocument", {{"codeAction", {{"codeActionLiteralSupport", json::object()}}}}}}}}}});
    server.on_message({{"jsonrpc", "2.0"}, {"method", "initialized"}, {"params", json::object()}});
    transport.drain();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    size_t start = 0;
    while (start <= text.size() && !transport.stopped) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      const auto line = text.substr(start, end - start);
      start = end + 1;
      if (line.find("validation") != std::string_view::npos) continue;
      auto parsed = vigil::json_input::parse(line);
      if (parsed.value.is_discarded()) {
        server.on_parse_error("not JSON");
      } else if (parsed.too_deep) {
        server.on_invalid_message(parsed.value, "too deep");
      } else {
        const json* method = parsed.value.is_object() && parsed.value.contains("method") ? &parsed.value["method"] : nullptr;
        if (method && method->is_string() &&
            (*method == "initialize" || *method == "workspace/didChangeWorkspaceFolders"))
          continue;
        server.on_message(std::move(parsed.value));
      }
      transport.drain();
    }
    if (!transport.stopped) {
      server.on_message({{"jsonrpc", "2.0"}, {"id", 1000000}, {"method", "shutdown"}});
      transport.drain();
      server.on_message({{"jsonrpc", "2.0"}, {"method", "exit"}});
      transport.drain();
    }
  }
  transport.posted.clear();  // what the server posted last dies with it, never runs
  return 0;
}
