// Provenance in the session: each open document's AI ranges tracked through edits, brought back
// from the store, confirmed by git in the background; marks from the shell; files written while
// not open; text an agent checked through a tool.
#include <spdlog/spdlog.h>

#include <filesystem>

#include "analyzers/provenance/evidence.hpp"
#include "analyzers/provenance/git.hpp"
#include "analyzers/provenance/tracker.hpp"
#include "analyzers/session/background.hpp"
#include "analyzers/session/session.hpp"
#include "analyzers/text/line_diff.hpp"
#include "analyzers/workspace/boundary.hpp"
#include "analyzers/workspace/ignore.hpp"

namespace vigil::session {

namespace fs = std::filesystem;

namespace {

// A workspace file as it is on disk, through the boundary: inside the root (symlinks followed), a
// regular file (a FIFO or device never blocks the caller), at most the source cap.
std::optional<std::string> read_text(const std::string& root, const std::string& path) {
  std::string error;
  auto text = workspace::Boundary(root).read(path, workspace::FileKind::source, error);
  if (!text) spdlog::debug("{}", error);
  return text;
}

std::pair<uint32_t, uint32_t> byte_range(const document::Range& r, const std::string& text, const document::LineIndex& lines,
                                         document::Encoding enc) {
  uint32_t a = lines.offset_of(text, r.start, enc), b = lines.offset_of(text, r.end, enc);
  if (b < a) std::swap(a, b);
  return {a, b};
}

}  // namespace

bool Session::matches_ai_glob(const std::string& path) const {
  return workspace::matches_any_glob(config_.provenance.ai_globs, relative_path(path));
}

std::shared_ptr<const ProvenanceScope> Session::scope_for(const std::string& id) const {
  auto scope = std::make_shared<ProvenanceScope>();
  scope->scope = config_.scope;
  scope->show_human_findings = config_.show_human_findings;
  scope->taint_parameters = config_.taint_parameters;
  if (auto it = documents_.find(id); it != documents_.end())
    scope->spans = provenance::effective_spans(it->second.provenance, it->second.doc->text(),
                                               matches_ai_glob(it->second.doc->path()));
  return scope;
}

std::vector<provenance::Span> Session::provenance(const std::string& id) const {
  auto it = documents_.find(id);
  if (it == documents_.end()) return {};
  return provenance::effective_spans(it->second.provenance, it->second.doc->text(), matches_ai_glob(it->second.doc->path()));
}

std::vector<provenance::Span> Session::provenance_at(const std::string& id, uint32_t start, uint32_t end) const {
  std::vector<provenance::Span> out;
  for (auto& s : provenance(id))
    if (start == end ? s.start <= start && start < s.end : s.start < end && s.end > start) out.push_back(std::move(s));
  return out;
}

std::optional<FileProvenance> Session::file_provenance(const std::string& path) const {
  FileProvenance out;
  auto map = closed_file_map(path, out.text);
  if (!map) return std::nullopt;
  out.spans = provenance::effective_spans(*map, out.text, matches_ai_glob(path));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Document life

void Session::provenance_opened(const std::string& id) {
  auto& entry = documents_.at(id);
  bool first_sight = true;
  if (provenance_store_) {
    if (auto stored = provenance_store_->load(relative_path(entry.doc->path()))) {
      provenance::restore(entry.provenance, stored->content, stored->spans, entry.doc->text());
      entry.stored = std::move(stored);
      first_sight = false;
    }
  }
  apply_agent_proposal(entry.doc->path(), entry.doc->text(), entry.provenance);
  persist(id);  // from now on Vigil has seen this text
  start_git(id, first_sight);
}

void Session::persist(const std::string& id) {
  auto it = documents_.find(id);
  if (!provenance_store_ || it == documents_.end()) return;
  // The store describes files as they are on disk: an unsaved buffer's ranges wait for its save.
  const auto& doc = *it->second.doc;
  auto disk = read_text(root_, doc.path());
  if (!disk || *disk != doc.text()) return;
  store_write({id, relative_path(doc.path()), doc.text(), it->second.provenance.spans(), it->second.stored});
}

void Session::store_write(PendingWrite write) {
  if (!provenance_store_) return;
  // Writes already wait for the lock: this one queues behind them, never overtakes them.
  if (store_writer_ && store_writer_->pending()) {
    store_writer_->push(std::move(write));
    return;
  }
  // This thread answers the editor: it waits up to a second for another process's write lock (a
  // second editor's or `vigil check`'s write, fsync included, takes milliseconds: so an answer
  // sent after a mark still means it is on disk), then leaves the write to the store writer,
  // which retries it on a connection of its own. A long hold costs the IO thread that one second.
  database_->set_busy_timeout(1000);
  const auto outcome = run_write(*provenance_store_, write);
  database_->set_busy_timeout(5000);
  if (outcome.kind == store::SaveOutcome::Kind::busy && store_writer_) {
    store_writer_->push(std::move(write));
    return;
  }
  if (outcome.kind == store::SaveOutcome::Kind::failed)
    spdlog::warn("could not store provenance of {}: {}", write.rel_path, outcome.error);
  on_stored(write, outcome);
}

void Session::on_stored(const PendingWrite& write, const store::SaveOutcome& outcome) {
  if (outcome.kind != store::SaveOutcome::Kind::saved || write.id.empty()) return;
  auto it = documents_.find(write.id);
  if (it == documents_.end() || relative_path(it->second.doc->path()) != write.rel_path) return;
  auto& entry = it->second;
  entry.stored = store::StoredProvenance{write.content, outcome.written};
  // Another editor's ranges were merged into the row: this editor shows them too, when its text is
  // still the text they describe and it has not marked anything since.
  if (outcome.merged && !stopped_ && entry.doc->text() == write.content && entry.provenance.spans() == write.spans &&
      outcome.written != write.spans) {
    provenance::restore(entry.provenance, write.content, outcome.written, write.content);
    provenance_updated(write.id);
  }
}

void Session::provenance_updated(const std::string& id) {
  ++scope_generation_;
  analyses_.erase(id);  // readers now wait for the result with the new ranges
  schedule(id);
  if (events_.provenance_changed) events_.provenance_changed(id);
}

// ---------------------------------------------------------------------------------------------
// git, in the background

void Session::start_git(const std::string& id, bool first_sight) {
  auto it = documents_.find(id);
  if (!config_.provenance.git || !git_queue_ || it == documents_.end()) return;
  const std::string path = it->second.doc->path();
  if (!fs::path(path).is_absolute()) return;
  // The repository is the workspace's, never one found from the file's folder (an embedded bare
  // repository committed as plain files would bring its own config).
  const std::string start = root_.empty() ? fs::path(path).parent_path().string() : root_;
  std::weak_ptr<const bool> open = it->second.open;
  git_queue_->push([this, id, path, start, open, text = it->second.doc->text(), matcher = agent_matcher_, first_sight]() mutable {
    if (open.expired()) return;  // closed while queued (1,000 documents opened then closed: 1,000 forks)
    auto root = git_toplevel(start);
    if (!root) return;  // no git, or not a repository: nothing to say
    auto verdicts = provenance::git::file_verdicts(*root, path, &text, *matcher);
    if (verdicts.empty()) return;
    events_.post([this, id, text = std::move(text), verdicts = std::move(verdicts), first_sight]() mutable {
      on_git_verdicts(id, std::move(text), std::move(verdicts), first_sight);
    });
  });
}

std::optional<std::string> Session::git_toplevel(const std::string& start) {
  // A few seconds: long enough for a burst of opens, short enough to see a `git init` soon.
  constexpr auto kFresh = std::chrono::seconds(5);
  const auto now = std::chrono::steady_clock::now();
  if (auto it = git_roots_.find(start); it != git_roots_.end() && now - it->second.at < kFresh) return it->second.root;
  auto root = provenance::git::toplevel(start);
  git_roots_[start] = {now, root};
  return root;
}

void Session::on_git_verdicts(const std::string& id, std::string text, std::vector<provenance::git::LineVerdict> verdicts,
                              bool first_sight) {
  auto it = documents_.find(id);
  if (stopped_ || it == documents_.end()) return;
  auto& map = it->second.provenance;
  const std::string& now = it->second.doc->text();
  if (now != text) {
    // Typed while git ran: keep the verdicts of the lines that did not change, at their new place.
    const auto moved = provenance::map_lines(text, now);
    std::vector<provenance::git::LineVerdict> remapped(document::LineIndex(now).line_count());
    for (size_t i = 0; i < verdicts.size() && i < moved.size(); ++i)
      if (moved[i] >= 0 && static_cast<size_t>(moved[i]) < remapped.size()) remapped[static_cast<size_t>(moved[i])] = verdicts[i];
    verdicts = std::move(remapped);
  }
  const auto before = map.spans();
  provenance::apply_git(map, now, verdicts, first_sight && config_.provenance.git_uncommitted);
  if (map.spans() == before) return;
  persist(id);
  provenance_updated(id);
}

// ---------------------------------------------------------------------------------------------
// Marks and files that are not open

std::optional<provenance::ProvenanceMap> Session::closed_file_map(const std::string& path, std::string& text,
                                                                   std::optional<store::StoredProvenance>* stored_out) const {
  auto disk = read_text(root_, path);
  if (!disk) return std::nullopt;
  text = std::move(*disk);
  provenance::ProvenanceMap map;
  if (provenance_store_)
    if (auto stored = provenance_store_->load(relative_path(path))) {
      provenance::restore(map, stored->content, stored->spans, text);
      if (stored_out) *stored_out = std::move(stored);
    }
  return map;
}

bool Session::mark(const std::string& id, const std::string& path, const std::vector<document::Range>& ranges,
                   document::Encoding enc, const provenance::Label& label) {
  if (auto it = documents_.find(id); it != documents_.end()) {
    const auto& doc = *it->second.doc;
    for (const auto& r : ranges) {
      auto [a, b] = byte_range(r, doc.text(), doc.lines(), enc);
      it->second.provenance.mark(a, b, label);
    }
    persist(id);
    provenance_updated(id);
    return true;
  }
  // Not open: mark the file as it is on disk and store it (now, or once the database is free).
  std::string text;
  std::optional<store::StoredProvenance> stored;
  auto map = closed_file_map(path, text, &stored);
  if (!map || !provenance_store_) return false;
  const document::LineIndex lines(text);
  for (const auto& r : ranges) {
    auto [a, b] = byte_range(r, text, lines, enc);
    map->mark(a, b, label);
  }
  store_write({"", relative_path(path), std::move(text), map->spans(), std::move(stored)});
  return true;
}

bool Session::mark_ai(const std::string& id, uint32_t start, uint32_t end) {
  auto it = documents_.find(id);
  if (it == documents_.end()) return false;
  it->second.provenance.mark(start, end, {provenance::Origin::ai, provenance::Evidence::user, ""});
  persist(id);
  provenance_updated(id);
  return true;
}

bool Session::mark_reviewed(const std::string& id, uint32_t start, uint32_t end) {
  auto it = documents_.find(id);
  if (it == documents_.end()) return false;
  // Every AI part of the region (tracked, marker or glob) becomes reviewed; the rest stays.
  for (const auto& s : provenance(id))
    if (s.label.origin == provenance::Origin::ai && s.start < end && s.end > start)
      it->second.provenance.mark(std::max(start, s.start), std::min(end, s.end),
                                 {provenance::Origin::reviewed, provenance::Evidence::user, ""});
  persist(id);
  provenance_updated(id);
  return true;
}

void Session::file_changed_on_disk(const std::string& path, int type) {
  // A file outside the workspace is not ours.
  if (!provenance_store_ || !grammars::by_path(path) || !inside_root(path)) return;
  const std::string rel = relative_path(path);
  if (type == 3) {
    provenance_store_->remove(rel);
    return;
  }
  auto text = read_text(root_, path);
  if (!text) return;
  provenance::ProvenanceMap map;
  bool known = false;
  auto stored = provenance_store_->load(rel);
  if (stored) {
    provenance::restore(map, stored->content, stored->spans, *text);  // the changed hunks: external-edit
    known = stored->content != *text;
  } else if (type == 1 && !text->empty()) {
    // A file that appeared while Vigil watched, never seen before: written outside the editor.
    map.mark(0, static_cast<uint32_t>(text->size()), {provenance::Origin::ai, provenance::Evidence::external_edit, ""});
    known = true;
  }
  // Changed, but no earlier text to compare with and no proposal: git tells when it is opened.
  if (apply_agent_proposal(path, *text, map) == 0 && !known) return;
  store_write({"", rel, std::move(*text), map.spans(), std::move(stored)});
}

size_t Session::apply_agent_proposal(const std::string& path, const std::string& text, provenance::ProvenanceMap& map) {
  if (!proposals_) return 0;
  const std::string rel = relative_path(path);
  auto proposal = proposals_->load(rel);
  if (!proposal) return 0;
  const size_t applied = provenance::apply_proposal(map, proposal->content, proposal->lines,
                                                    {provenance::Origin::ai, provenance::Evidence::agent_mcp, proposal->tool}, text);
  if (applied > 0) proposals_->remove(rel);  // the file holds it now; its ranges move with the file from here
  return applied;
}

std::optional<size_t> Session::record_agent_proposal(const std::string& path, const std::string& text,
                                                     std::optional<std::vector<uint32_t>> lines, const std::string& tool,
                                                     std::string& error) {
  if (!inside_root(path)) {
    error = path + " is not inside the workspace root";
    return std::nullopt;
  }
  if (!proposals_) {
    error = "the workspace database is not available";
    return std::nullopt;
  }
  if (!lines) {
    // The lines that differ from the file as it is (all of them for a new file).
    const std::string disk = read_text(root_, path).value_or("");
    lines.emplace();
    for (const auto& h : vigil::text::line_diff(disk, text, 1000))
      for (uint32_t l = h.new_start; l < h.new_start + h.new_count; ++l) lines->push_back(l);
  }
  if (lines->empty()) return 0;
  if (!proposals_->save(relative_path(path), {text, *lines, tool}, &error)) return std::nullopt;
  return lines->size();
}

}  // namespace vigil::session
