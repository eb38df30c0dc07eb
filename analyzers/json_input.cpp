#include "analyzers/json_input.hpp"

namespace vigil::json_input {

Parsed parse(std::string_view text, int max_depth) {
  Parsed out;
  const nlohmann::json::parser_callback_t bound = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth <= max_depth) return true;
    out.too_deep = true;
    return false;  // dropped, with everything inside it
  };
  out.value = nlohmann::json::parse(text, bound, /*allow_exceptions=*/false);
  return out;
}

nlohmann::json parse_or_discard(std::string_view text, int max_depth) {
  auto parsed = parse(text, max_depth);
  if (parsed.too_deep) return nlohmann::json(nlohmann::json::value_t::discarded);
  return std::move(parsed.value);
}

}  // namespace vigil::json_input
