// Rule files edited in the workspace: their own problems show while they are typed, and the rule
// set reloads when one is saved (every open document is then analysed again).
#include <spdlog/spdlog.h>

#include "analyzers/rules/loader.hpp"
#include "lsp/convert.hpp"
#include "lsp/server.hpp"

namespace vigil::lsp {

bool Server::is_rule_file(const std::string& uri) const { return session_->is_rule_file(uri_to_path(uri)); }

void Server::check_rule_file(const std::string& uri) {
  auto it = rule_files_.find(uri);
  if (it == rule_files_.end()) return;
  auto loaded = rules::load_rules_from_yaml(uri_to_path(uri), it->second.text);
  publish(uri, it->second.version, rule_problem_diagnostics(loaded.problems));
}

void Server::change_rule_file(const std::string& uri, const std::vector<document::TextChange>& changes, int64_t version) {
  auto it = rule_files_.find(uri);
  if (it == rule_files_.end()) return;
  std::string& text = it->second.text;
  for (const auto& c : changes) {
    if (!c.range) {
      text = c.text;
      continue;
    }
    const document::LineIndex lines(text);
    const uint32_t start = lines.offset_of(text, c.range->start, encoding_);
    const uint32_t end = std::max(start, lines.offset_of(text, c.range->end, encoding_));
    text.replace(start, end - start, c.text);
  }
  it->second.version = version;
  check_rule_file(uri);
}

void Server::reload_rules() {
  spdlog::info("a rule file was saved");
  publish_rule_problems(session_->reload_rules());  // and every open document is analysed again
  // The buffers of open rule files may differ from the disk: show their own problems again.
  for (const auto& [uri, file] : rule_files_) check_rule_file(uri);
}

}  // namespace vigil::lsp
