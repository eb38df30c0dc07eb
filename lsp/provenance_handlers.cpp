// Provenance in the server: tracking each open document's AI ranges through edits, bringing them
// back from the store, asking git in the background, the vigil/provenance request, the
// vigil/markProvenance notification, watched files written while not open, and the two code
// actions with their commands.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzers/provenance/git.hpp"
#include "analyzers/provenance/tracker.hpp"
#include "analyzers/workspace/ignore.hpp"
#include "lsp/convert.hpp"
#include "lsp/server.hpp"

namespace vigil::lsp {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

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

std::string Server::relative_path(const std::string& path) const {
  if (root_path_.empty()) return path;
  auto rel = fs::path(path).lexically_relative(root_path_);
  if (rel.empty() || *rel.begin() == "..") return path;
  return rel.generic_string();
}

bool Server::matches_ai_glob(const std::string& path) const {
  return workspace::matches_any_glob(config_.provenance.ai_globs, relative_path(path));
}

std::shared_ptr<const ProvenanceScope> Server::scope_for(const std::string& uri) const {
  auto scope = std::make_shared<ProvenanceScope>();
  scope->scope = config_.scope;
  scope->show_human_findings = config_.show_human_findings;
  auto doc = documents_.find(uri);
  auto map = provenance_.find(uri);
  if (doc != documents_.end() && map != provenance_.end())
    scope->spans = provenance::effective_spans(map->second, doc->second->text(), matches_ai_glob(uri_to_path(uri)));
  return scope;
}

// ---------------------------------------------------------------------------------------------
// Document life

void Server::provenance_opened(const std::string& uri) {
  const auto& doc = *documents_.at(uri);
  auto& map = provenance_[uri];
  map.clear_all();
  bool first_sight = true;
  if (provenance_store_) {
    if (auto stored = provenance_store_->load(relative_path(uri_to_path(uri)))) {
      provenance::restore(map, stored->content, stored->spans, doc.text());
      first_sight = false;
    }
  }
  persist(uri);  // from now on Vigil has seen this text
  start_git(uri, first_sight);
}

void Server::provenance_changed(const std::string& uri, const document::AppliedChange& change, bool vigil_edit) {
  auto it = provenance_.find(uri);
  if (it == provenance_.end()) return;
  // Vigil's own edit moves the ranges like typing does and is never a bulk insert.
  const provenance::BulkInsertThresholds never{UINT32_MAX, UINT32_MAX};
  provenance::track_change(it->second, change.old_text, change.start, change.end, change.inserted, change.whole,
                           vigil_edit ? never : provenance::BulkInsertThresholds{config_.provenance.bulk_min_lines,
                                                                                 config_.provenance.bulk_min_chars});
}

void Server::provenance_saved(const std::string& uri) {
  if (!documents_.count(uri)) return;
  persist(uri);
  start_git(uri, false);  // a commit since the last look may confirm or drop ranges
}

void Server::provenance_closed(const std::string& uri) {
  if (documents_.count(uri)) persist(uri);
  provenance_.erase(uri);
}

void Server::persist(const std::string& uri) {
  auto doc = documents_.find(uri);
  auto map = provenance_.find(uri);
  if (!provenance_store_ || doc == documents_.end() || map == provenance_.end()) return;
  // The store describes files as they are on disk: an unsaved buffer's ranges wait for its save.
  const std::string path = uri_to_path(uri);
  auto disk = read_text(path);
  if (!disk || *disk != doc->second->text()) return;
  std::string error;
  if (!provenance_store_->save(relative_path(path), doc->second->text(), map->second.spans(), &error))
    spdlog::warn("could not store provenance of {}: {}", path, error);
}

void Server::provenance_updated(const std::string& uri) {
  invalidate_analysis(uri);  // a pull now waits for the result with the new ranges
  schedule(uri);  // its result asks pulling clients to refresh (on_analysed)
}

// ---------------------------------------------------------------------------------------------
// git, in the background

void Server::start_git(const std::string& uri, bool first_sight) {
  auto doc = documents_.find(uri);
  if (!config_.provenance.git || !git_queue_ || doc == documents_.end()) return;
  const std::string path = uri_to_path(uri);
  if (!fs::path(path).is_absolute()) return;
  git_queue_->push([this, uri, path, text = doc->second->text(), matcher = agent_matcher_, first_sight]() mutable {
    auto root = provenance::git::toplevel(fs::path(path).parent_path().string());
    if (!root) return;  // no git, or not a repository: nothing to say
    auto verdicts = provenance::git::file_verdicts(*root, path, &text, *matcher);
    if (verdicts.empty()) return;
    transport_.post([this, uri, text = std::move(text), verdicts = std::move(verdicts), first_sight]() mutable {
      on_git_verdicts(uri, std::move(text), std::move(verdicts), first_sight);
    });
  });
}

void Server::on_git_verdicts(const std::string& uri, std::string text, std::vector<provenance::git::LineVerdict> verdicts,
                             bool first_sight) {
  auto doc = documents_.find(uri);
  auto map = provenance_.find(uri);
  if (state_ != State::running || doc == documents_.end() || map == provenance_.end()) return;
  const std::string& now = doc->second->text();
  if (now != text) {
    // Typed while git ran: keep the verdicts of the lines that did not change, at their new place.
    const auto moved = provenance::map_lines(text, now);
    std::vector<provenance::git::LineVerdict> remapped(document::LineIndex(now).line_count());
    for (size_t i = 0; i < verdicts.size() && i < moved.size(); ++i)
      if (moved[i] >= 0 && static_cast<size_t>(moved[i]) < remapped.size()) remapped[static_cast<size_t>(moved[i])] = verdicts[i];
    verdicts = std::move(remapped);
  }
  const auto before = map->second.spans();
  provenance::apply_git(map->second, now, verdicts, first_sight && config_.provenance.git_uncommitted);
  if (map->second.spans() == before) return;
  persist(uri);
  provenance_updated(uri);
}

// ---------------------------------------------------------------------------------------------
// Files that are not open

std::optional<provenance::ProvenanceMap> Server::closed_file_map(const std::string& path, std::string& text) {
  auto disk = read_text(path);
  if (!disk) return std::nullopt;
  text = std::move(*disk);
  provenance::ProvenanceMap map;
  if (provenance_store_)
    if (auto stored = provenance_store_->load(relative_path(path))) provenance::restore(map, stored->content, stored->spans, text);
  return map;
}

void Server::did_change_watched_files(const json& params) {
  bool config_changed = false;
  for (const auto& change : params.at("changes")) {
    const std::string uri = change.at("uri");
    const int type = change.at("type");  // 1 created, 2 changed, 3 deleted
    const std::string path = uri_to_path(uri);
    if (!root_path_.empty() && path == (fs::path(root_path_) / ".vigil" / "config.yaml").string()) {
      config_changed = true;
      continue;
    }
    // An open document's changes come from the editor; a file outside the workspace is not ours.
    if (documents_.count(uri) || !provenance_store_ || !grammars::by_path(path) || relative_path(path) == path) continue;
    const std::string rel = relative_path(path);
    if (type == 3) {
      provenance_store_->remove(rel);
      continue;
    }
    auto text = read_text(path);
    if (!text) continue;
    provenance::ProvenanceMap map;
    if (auto stored = provenance_store_->load(rel)) {
      if (stored->content == *text) continue;
      provenance::restore(map, stored->content, stored->spans, *text);  // the changed hunks: external-edit
    } else if (type == 1 && !text->empty()) {
      // A file that appeared while Vigil watched, never seen before: written outside the editor.
      map.mark(0, static_cast<uint32_t>(text->size()), {provenance::Origin::ai, provenance::Evidence::external_edit, ""});
    } else {
      continue;  // changed, but no earlier text to compare with: git tells when it is opened
    }
    std::string error;
    if (!provenance_store_->save(rel, *text, map.spans(), &error)) spdlog::warn("could not store provenance of {}: {}", path, error);
  }
  if (config_changed) {
    reload_config_file();
    apply_config(false);
  }
}

// ---------------------------------------------------------------------------------------------
// Requests and notifications

void Server::provenance_request(const json& params, Reply& reply) {
  const std::string uri = params.contains("textDocument") ? params.at("textDocument").at("uri").get<std::string>()
                                                          : params.at("uri").get<std::string>();
  const std::string path = uri_to_path(uri);
  auto doc = documents_.find(uri);
  if (doc != documents_.end()) {
    const auto& text = doc->second->text();
    auto spans = provenance::effective_spans(provenance_[uri], text, matches_ai_glob(path));
    return reply.result({{"uri", uri}, {"version", doc->second->version()},
                         {"ranges", spans_to_json(spans, text, doc->second->lines(), encoding_)}});
  }
  std::string text;
  auto map = closed_file_map(path, text);
  if (!map) return reply.result({{"uri", uri}, {"ranges", json::array()}});
  auto spans = provenance::effective_spans(*map, text, matches_ai_glob(path));
  reply.result({{"uri", uri}, {"ranges", spans_to_json(spans, text, document::LineIndex(text), encoding_)}});
}

void Server::mark_provenance(const json& params) {
  const std::string uri = params.at("uri");
  provenance::Label label;
  label.evidence = provenance::Evidence::declared;
  if (!provenance::parse_origin(params.value("origin", "ai"), label.origin)) {
    spdlog::warn("vigil/markProvenance: origin must be ai, human or reviewed (got {})", params.value("origin", json()).dump());
    return;
  }
  label.tool = params.value("tool", "");
  if (auto doc = documents_.find(uri); doc != documents_.end()) {
    auto& map = provenance_[uri];
    for (const auto& r : params.at("ranges")) {
      auto [a, b] = byte_range(r, doc->second->text(), doc->second->lines(), encoding_);
      map.mark(a, b, label);
    }
    persist(uri);
    provenance_updated(uri);
    return;
  }
  // Not open: mark the file as it is on disk and store it.
  const std::string path = uri_to_path(uri);
  std::string text;
  auto map = closed_file_map(path, text);
  if (!map || !provenance_store_) return;
  const document::LineIndex lines(text);
  for (const auto& r : params.at("ranges")) {
    auto [a, b] = byte_range(r, text, lines, encoding_);
    map->mark(a, b, label);
  }
  provenance_store_->save(relative_path(path), text, map->spans());
}

void Server::append_provenance_actions(const std::string& uri, const json& range, json& actions) {
  auto doc = documents_.find(uri);
  if (doc == documents_.end()) return;
  const auto& text = doc->second->text();
  const auto& lines = doc->second->lines();
  auto [a, b] = byte_range(range, text, lines, encoding_);
  const auto spans = provenance::effective_spans(provenance_[uri], text, matches_ai_glob(uri_to_path(uri)));
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
  auto doc = documents_.find(uri);
  if (doc == documents_.end()) throw RpcError(ErrorCode::invalid_params, command + ": " + uri + " is not open");
  const auto& text = doc->second->text();
  auto [a, b] = byte_range(arguments[0].at("range"), text, doc->second->lines(), encoding_);
  auto& map = provenance_[uri];
  if (command == "vigil.markAiWritten") {
    map.mark(a, b, {provenance::Origin::ai, provenance::Evidence::user, ""});
  } else {
    // Every AI part of the region (tracked, marker or glob) becomes reviewed; the rest stays.
    for (const auto& s : provenance::effective_spans(map, text, matches_ai_glob(uri_to_path(uri))))
      if (s.label.origin == provenance::Origin::ai && s.start < b && s.end > a)
        map.mark(std::max(a, s.start), std::min(b, s.end), {provenance::Origin::reviewed, provenance::Evidence::user, ""});
  }
  persist(uri);
  provenance_updated(uri);
  return true;
}

}  // namespace vigil::lsp
