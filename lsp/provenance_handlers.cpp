// Provenance in the server: the vigil/provenance request, the vigil/markProvenance notification,
// watched files written while not open, and the two code actions with their commands. The ranges
// themselves are the session's (analyzers/session/session_provenance.cpp).
#include <spdlog/spdlog.h>

#include "lsp/convert.hpp"
#include "lsp/server.hpp"

namespace vigil::lsp {

using nlohmann::json;
namespace {

json spans_to_json(const std::vector<provenance::Span>& spans, const std::string& text, const document::LineIndex& lines,
                   document::Encoding enc) {
  json out = json::array();
  for (const auto& s : spans) {
    json r = {{"range", to_json(document::Range{lines.position_of(text, s.start, enc), lines.position_of(text, s.end, enc)})},
              {"origin", provenance::to_string(s.label.origin)},
              {"evidence", provenance::to_string(s.label.evidence)}};
    if (!s.label.tool.empty()) r["tool"] = s.label.tool;
    out.push_back(std::move(r));
  }
  return out;
}

// {uri, range} from a command argument or notification.
std::pair<uint32_t, uint32_t> byte_range(const json& range, const std::string& text, const document::LineIndex& lines,
                                         document::Encoding enc) {
  const auto r = range_from_json(range);
  uint32_t a = lines.offset_of(text, r.start, enc), b = lines.offset_of(text, r.end, enc);
  if (b < a) std::swap(a, b);
  return {a, b};
}

}  // namespace

void Server::provenance_changed(const std::string&) {
  // The session analyses the document again; once the new result exists, on_analysed tells a
  // pulling client to pull (a refresh now would fetch the old result).
}

void Server::did_change_watched_files(const json& params) {
  bool config_changed = false;
  for (const auto& change : params.at("changes")) {
    const std::string uri = change.at("uri");
    const int type = change.at("type");  // 1 created, 2 changed, 3 deleted
    const std::string path = uri_to_path(uri);
    if (session_->is_config_file(path)) {
      config_changed = true;
      continue;
    }
    // An open document's changes come from the editor.
    if (!session_->is_open(uri)) session_->file_changed_on_disk(path, type);
  }
  if (config_changed) {
    reload_config_file();
    apply_config(false);
  }
}

void Server::provenance_request(const json& params, Reply& reply) {
  const std::string uri = params.contains("textDocument") ? params.at("textDocument").at("uri").get<std::string>()
                                                          : params.at("uri").get<std::string>();
  if (const auto* doc = session_->document(uri)) {
    return reply.result({{"uri", uri}, {"version", doc->version()},
                         {"ranges", spans_to_json(session_->provenance(uri), doc->text(), doc->lines(), encoding_)}});
  }
  auto file = session_->file_provenance(uri_to_path(uri));
  if (!file) return reply.result({{"uri", uri}, {"ranges", json::array()}});
  reply.result({{"uri", uri}, {"ranges", spans_to_json(file->spans, file->text, document::LineIndex(file->text), encoding_)}});
}

void Server::mark_provenance(const json& params) {
  const std::string uri = params.at("uri");
  provenance::Label label;
  label.evidence = provenance::Evidence::declared;
  if (!provenance::parse_origin(params.value("origin", "ai"), label.origin)) {
    spdlog::warn("vigil/markProvenance: origin must be ai, human or reviewed (got {})", params.value("origin", json()).dump(-1, ' ', false, json::error_handler_t::replace));
    return;
  }
  label.tool = params.value("tool", "");
  std::vector<document::Range> ranges;
  for (const auto& r : params.at("ranges")) ranges.push_back(range_from_json(r));
  // An open document is marked as it is now; a file that is not open, as it is on disk.
  session_->mark(uri, uri_to_path(uri), ranges, encoding_, label);
}

void Server::append_provenance_actions(const std::string& uri, const json& range, json& actions) {
  const auto* doc = session_->document(uri);
  if (!doc) return;
  const auto& text = doc->text();
  const auto& lines = doc->lines();
  auto [a, b] = byte_range(range, text, lines, encoding_);
  const auto spans = session_->provenance(uri);
  auto region_json = [&](uint32_t s, uint32_t e) {
    return to_json(document::Range{lines.position_of(text, s, encoding_), lines.position_of(text, e, encoding_)});
  };
  // The AI ranges under the cursor or selection, whole.
  std::optional<std::pair<uint32_t, uint32_t>> ai_region;
  bool covered = false;  // the selection lies inside one AI range already
  for (const auto& s : spans) {
    if (s.label.origin != provenance::Origin::ai) continue;
    if (a == b ? !(s.start <= a && a < s.end) : !(s.start < b && s.end > a)) continue;
    ai_region = ai_region ? std::pair{std::min(ai_region->first, s.start), std::max(ai_region->second, s.end)}
                          : std::pair{s.start, s.end};
    covered = covered || (s.start <= a && s.end >= std::max(b, a + 1));
  }
  if (ai_region) {
    actions.push_back({{"title", "Mark region as reviewed"},
                       {"command",
                        {{"title", "Mark region as reviewed"},
                         {"command", "vigil.markReviewed"},
                         {"arguments", json::array({{{"uri", uri}, {"range", region_json(ai_region->first, ai_region->second)}}})}}}});
  }
  if (!covered) {
    // The selection, or the cursor's line, in whole lines.
    const uint32_t first = lines.line_of(a), last = lines.line_of(b > a ? b - 1 : a);
    const uint32_t s = lines.line_start(first);
    const uint32_t e = last + 1 < lines.line_count() ? lines.line_start(last + 1) : static_cast<uint32_t>(text.size());
    if (e > s)
      actions.push_back({{"title", "Treat region as AI-written"},
                         {"command",
                          {{"title", "Treat region as AI-written"},
                           {"command", "vigil.markAiWritten"},
                           {"arguments", json::array({{{"uri", uri}, {"range", region_json(s, e)}}})}}}});
  }
}

void Server::provenance_command(const json& params, Reply& reply) {
  const std::string command = params.at("command");
  if (!execute_provenance_command(command, params.value("arguments", json::array())))
    throw RpcError(ErrorCode::invalid_params, "unknown command " + command);
  reply.result(nullptr);
}

bool Server::execute_provenance_command(const std::string& command, const json& arguments) {
  if (command != "vigil.markReviewed" && command != "vigil.markAiWritten") return false;
  if (!arguments.is_array() || arguments.empty() || !arguments[0].is_object())
    throw RpcError(ErrorCode::invalid_params, command + " takes one argument {uri, range}");
  const std::string uri = arguments[0].at("uri");
  const auto* doc = session_->document(uri);
  if (!doc) throw RpcError(ErrorCode::invalid_params, command + ": " + uri + " is not open");
  auto [a, b] = byte_range(arguments[0].at("range"), doc->text(), doc->lines(), encoding_);
  if (command == "vigil.markAiWritten") session_->mark_ai(uri, a, b);
  else session_->mark_reviewed(uri, a, b);
  return true;
}

}  // namespace vigil::lsp
