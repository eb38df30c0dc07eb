// JSON-RPC framing (lsp::FrameReader) and message parsing: the bytes a client sends, cut into
// chunks at fuzzer-chosen places. Checks: the frames do not depend on where the stream was cut,
// and every frame's body parses (or is refused) without recursing past the depth bound.
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "lsp/transport.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) { return 0; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::fuzz::Bytes in(data, size);
  const uint8_t seed = in.byte();
  const std::string_view stream = in.rest();

  using Frames = std::vector<vigil::lsp::FrameReader::Frame>;
  auto same = [](const Frames& a, const Frames& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i].ok != b[i].ok || a[i].body != b[i].body || a[i].error != b[i].error) return false;
    return true;
  };

  vigil::lsp::FrameReader whole;
  const Frames all = whole.feed(stream);

  vigil::lsp::FrameReader chunked;
  Frames pieces;
  size_t pos = 0, step = 1 + seed % 17;
  while (pos < stream.size()) {
    const size_t n = std::min(step, stream.size() - pos);
    for (auto& f : chunked.feed(stream.substr(pos, n))) pieces.push_back(std::move(f));
    pos += n;
    step = 1 + (step * 7 + seed) % 29;
  }
  FUZZ_CHECK(same(all, pieces));
  FUZZ_CHECK(whole.idle() == chunked.idle());

  for (const auto& f : all) {
    if (!f.ok) continue;
    auto parsed = vigil::lsp::parse_message(f.body);
    if (parsed.message.is_discarded()) continue;
    // What the server does with a message: copy it, dump it (both recurse over its depth).
    const nlohmann::json copy = parsed.message;
    FUZZ_CHECK(copy == parsed.message);
    (void)copy.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
