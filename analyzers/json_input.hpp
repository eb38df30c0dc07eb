// JSON that comes from outside the process (LSP and MCP messages, validation endpoints and
// commands, report parts, git notes, a project's package.json): parsed with its nesting bounded.
// nlohmann's parser is iterative, but copying, comparing and dumping a value recurse, so a value
// nested 20,000 levels deep overflows the stack later, wherever it is first copied.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace vigil::json_input {

inline constexpr int kMaxDepth = 256;

struct Parsed {
  nlohmann::json value;   // discarded when the text is not JSON
  bool too_deep = false;  // members nested deeper than max_depth were dropped while parsing
};

// Values nested deeper than `max_depth` are dropped while parsing (nothing deeper is ever built)
// and `too_deep` is set; the shallow members stay, so a protocol can still answer the message's id.
Parsed parse(std::string_view text, int max_depth = kMaxDepth);

// For readers with no use for a partial value: discarded when not JSON or nested too deep.
nlohmann::json parse_or_discard(std::string_view text, int max_depth = kMaxDepth);

}  // namespace vigil::json_input
