#include "analyzers/provenance/git_parse.hpp"
#include "analyzers/json_input.hpp"

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

namespace vigil::provenance::git {

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      if (pos < text.size()) out.push_back(text.substr(pos));
      break;
    }
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

uint32_t to_uint(std::string_view s, uint32_t fallback = 0) {
  uint32_t v = fallback;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() ? v : fallback;
}

bool is_sha(std::string_view s) {
  return s.size() == 40 && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// git quotes paths with unusual characters ("a\tb"): undo the common escapes.
std::string unquote_path(std::string_view p) {
  if (p.size() < 2 || p.front() != '"' || p.back() != '"') return std::string(p);
  std::string out;
  for (size_t i = 1; i + 1 < p.size(); ++i) {
    if (p[i] != '\\' || i + 2 >= p.size()) {
      out += p[i];
      continue;
    }
    char c = p[++i];
    if (c >= '0' && c <= '7' && i + 2 < p.size()) {  // octal byte
      out += static_cast<char>((c - '0') * 64 + (p[i + 1] - '0') * 8 + (p[i + 2] - '0'));
      i += 2;
    } else {
      out += c == 't' ? '\t' : c == 'n' ? '\n' : c;
    }
  }
  return out;
}

}  // namespace

std::vector<BlameLine> parse_blame_porcelain(std::string_view out) {
  std::vector<BlameLine> result;
  BlameLine current;
  bool in_record = false;
  for (auto line : lines_of(out)) {
    if (!in_record) {
      // "<sha> <orig_line> <final_line> [<group size>]"
      auto sp1 = line.find(' ');
      if (sp1 == std::string_view::npos || !is_sha(line.substr(0, sp1))) continue;
      auto rest = line.substr(sp1 + 1);
      auto sp2 = rest.find(' ');
      current = BlameLine{};
      current.commit = std::string(line.substr(0, sp1));
      current.orig_line = to_uint(rest.substr(0, sp2));
      auto final_part = sp2 == std::string_view::npos ? std::string_view() : rest.substr(sp2 + 1);
      current.final_line = to_uint(final_part.substr(0, final_part.find(' ')));
      in_record = true;
    } else if (!line.empty() && line.front() == '\t') {
      result.push_back(std::move(current));
      in_record = false;
    } else if (line.starts_with("author ")) {
      current.author = std::string(line.substr(7));
    } else if (line.starts_with("author-mail ")) {
      current.author_mail = std::string(line.substr(12));
    } else if (line.starts_with("filename ")) {
      current.orig_path = unquote_path(line.substr(9));
    }
  }
  return result;
}

std::vector<Commit> parse_log(std::string_view out) {
  std::vector<std::string_view> fields;
  size_t pos = 0;
  while (pos <= out.size()) {
    size_t z = out.find('\0', pos);
    if (z == std::string_view::npos) {
      fields.push_back(out.substr(pos));
      break;
    }
    fields.push_back(out.substr(pos, z - pos));
    pos = z + 1;
  }
  std::vector<Commit> commits;
  for (size_t i = 0; i + 3 < fields.size() + 0; ++i) {
    auto sha = trim(fields[i]);
    if (!is_sha(sha)) continue;
    commits.push_back({std::string(sha), std::string(fields[i + 1]), std::string(fields[i + 2]), std::string(fields[i + 3])});
    i += 3;
  }
  return commits;
}

std::map<std::string, std::vector<LineRange>> parse_diff_u0(std::string_view out) {
  std::map<std::string, std::vector<LineRange>> files;
  std::vector<LineRange>* current = nullptr;
  for (auto line : lines_of(out)) {
    if (line.starts_with("+++ ")) {
      auto path = line.substr(4);
      if (path == "/dev/null") {
        current = nullptr;
        continue;
      }
      std::string p = unquote_path(path);
      if (p.starts_with("b/")) p.erase(0, 2);
      current = &files[p];
    } else if (line.starts_with("@@ ") && current) {
      // @@ -a[,b] +c[,d] @@
      auto plus = line.find(" +");
      if (plus == std::string_view::npos) continue;
      auto spec = line.substr(plus + 2);
      spec = spec.substr(0, spec.find(' '));
      auto comma = spec.find(',');
      LineRange r{to_uint(spec.substr(0, comma)), comma == std::string_view::npos ? 1u : to_uint(spec.substr(comma + 1))};
      if (r.count > 0) current->push_back(r);
    }
  }
  return files;
}

std::map<std::string, std::vector<NoteRange>> parse_ai_note(std::string_view note) {
  std::map<std::string, std::vector<NoteRange>> out;
  auto divider = note.find("\n---");
  std::string_view attestation = divider == std::string_view::npos ? note : note.substr(0, divider);
  std::map<std::string, std::string> tools;  // prompt hash -> tool
  if (divider != std::string_view::npos) {
    auto body = note.substr(divider + 4);
    auto json = json_input::parse_or_discard(body);
    if (json.is_object() && json.contains("prompts") && json["prompts"].is_object())
      for (auto& [hash, prompt] : json["prompts"].items())
        if (prompt.is_object() && prompt.contains("agent_id") && prompt["agent_id"].is_object())
          tools[hash] = prompt["agent_id"].value("tool", "");
  }
  std::string file;
  for (auto line : lines_of(attestation)) {
    if (trim(line).empty()) continue;
    if (line.front() != ' ' && line.front() != '\t') {
      file = unquote_path(trim(line));
      continue;
    }
    if (file.empty()) continue;
    auto entry = trim(line);
    auto sp = entry.find(' ');
    if (sp == std::string_view::npos) continue;
    const std::string hash(entry.substr(0, sp));
    auto ranges = trim(entry.substr(sp + 1));
    while (!ranges.empty()) {
      auto comma = ranges.find(',');
      auto part = trim(ranges.substr(0, comma));
      auto dash = part.find('-');
      NoteRange r;
      r.first = to_uint(part.substr(0, dash));
      r.last = dash == std::string_view::npos ? r.first : to_uint(part.substr(dash + 1));
      auto t = tools.find(hash);
      r.tool = t == tools.end() ? std::string() : t->second;
      if (r.first > 0 && r.last >= r.first) out[file].push_back(r);
      if (comma == std::string_view::npos) break;
      ranges = ranges.substr(comma + 1);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

struct AgentMatcher::Impl {
  std::vector<std::unique_ptr<RE2>> patterns;
};

// Agent identities, not people: an agent's own name (optionally "(model)" or "[bot]") or an agent's
// noreply address in a Co-authored-by trailer or as the author, the bot accounts agents commit
// as, aider's "(aider)" author suffix, and the "Generated with <agent>" footer agents append. An
// e-mail at a vendor's domain is a person who works there; a person named Claude or Devin is a
// person: only the whole name counts.
const std::vector<std::string>& AgentMatcher::default_patterns() {
  static const std::vector<std::string> patterns = {
      // Co-authored-by: Claude <noreply@anthropic.com>, Copilot <…+Copilot@users.noreply.github.com>,
      // Cursor Agent <cursoragent@cursor.com>, aider (gpt-4o) <noreply@aider.chat>, Amp <amp@ampcode.com>
      R"((?i)^co-authored-by:\s*(github copilot|copilot|claude|claude code|cursor|cursor agent|codex|openai codex|chatgpt|devin|devin ai|gemini|gemini code assist|jules|amp|aider|openhands)(\s*\([^)<]*\))?\s*<)",
      R"((?i)^co-authored-by:.*<(noreply@anthropic\.com|cursoragent@cursor\.com|noreply@aider\.chat|amp@ampcode\.com|\d+\+copilot@users\.noreply\.github\.com)>)",
      R"((?i)^co-authored-by:\s*[\w-]*(copilot|claude|codex|cursor|devin|jules|openhands)[\w-]*\[bot\])",
      // 🤖 Generated with [Claude Code](https://claude.com/claude-code), "Generated by Copilot", …
      R"((?i)^(🤖\s*)?generated (with|by) \[?(claude|claude code|github copilot|copilot|cursor|codex|aider|devin|gemini|chatgpt|amp|jules|openhands)\b)",
      R"((?i)^(generated-by|ai-model|ai-tool):\s*\S)",
      // Author: copilot-swe-agent[bot] <…>, devin-ai-integration[bot], chatgpt-codex-connector[bot],
      // google-labs-jules[bot], Jane Doe (aider) <…>, Copilot <198982749+Copilot@users.noreply.github.com>
      R"((?i)^author:\s*[\w-]*(copilot|codex|devin|claude|cursor|jules|openhands)[\w-]*\[bot\]\s*<)",
      R"((?i)^author:.*\(aider\)\s*<)",
      R"((?i)^author:.*<(\d+\+copilot@users\.noreply\.github\.com|cursoragent@cursor\.com|noreply@anthropic\.com|noreply@aider\.chat)>)",
  };
  return patterns;
}

AgentMatcher::AgentMatcher(const std::vector<std::string>& patterns, std::vector<std::string>* errors)
    : impl_(std::make_unique<Impl>()) {
  for (const auto& p : patterns) {
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_unique<RE2>(p, options);
    if (re->ok()) impl_->patterns.push_back(std::move(re));
    else if (errors) errors->push_back("agent pattern `" + p + "`: " + re->error());
  }
}
AgentMatcher::~AgentMatcher() = default;
AgentMatcher::AgentMatcher(AgentMatcher&&) noexcept = default;
AgentMatcher& AgentMatcher::operator=(AgentMatcher&&) noexcept = default;

namespace {
bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// The agent a matching line names: the first known agent name found as a word ("copilot" in
// "198982749+Copilot@users…", "aider" in "aider (claude-sonnet)"); otherwise the value of a
// "Key: tool 1.2 <mail>" trailer.
std::string tool_in(std::string_view line) {
  std::string lower(line);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t best = std::string::npos;
  std::string found;
  // "chatgpt" only when no agent is named ("chatgpt-codex-connector" is Codex).
  for (const char* agent : {"copilot", "claude", "codex", "cursor", "aider", "devin", "gemini", "jules", "amp", "openhands", "chatgpt"}) {
    if (!found.empty() && std::string_view(agent) == "chatgpt") break;
    const std::string_view name(agent);
    for (size_t at = lower.find(name); at != std::string::npos; at = lower.find(name, at + 1)) {
      const bool starts = at == 0 || !is_word_char(lower[at - 1]);
      const bool ends = at + name.size() == lower.size() || !is_word_char(lower[at + name.size()]);
      if (starts && ends) {
        if (at < best) {
          best = at;
          found = agent;
        }
        break;
      }
    }
  }
  if (!found.empty()) return found;
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return {};
  auto value = trim(line.substr(colon + 1));
  return std::string(trim(value.substr(0, value.find(" <"))));
}
}  // namespace

// Trailers first: an agent's commit may carry a person as author (the one who ran it), and a bot
// author's commit may carry the person who asked as Co-authored-by, which no agent pattern matches.
std::optional<Label> AgentMatcher::classify(const Commit& commit) const {
  auto matches = [&](std::string_view line) {
    return std::any_of(impl_->patterns.begin(), impl_->patterns.end(),
                       [&](const auto& re) { return RE2::PartialMatch(line, *re); });
  };
  for (auto line : lines_of(commit.message)) {
    line = trim(line);
    if (!line.empty() && matches(line)) return Label{Origin::ai, Evidence::git_trailer, tool_in(line)};
  }
  const std::string author_line = "Author: " + commit.author_name + " <" + commit.author_email + ">";
  if (matches(author_line)) return Label{Origin::ai, Evidence::git_author, tool_in(author_line.substr(8))};
  return std::nullopt;
}

std::vector<LineVerdict> classify_lines(const std::vector<BlameLine>& blame, const std::vector<Commit>& commits,
                                        const std::map<std::string, std::string>& notes, const AgentMatcher& matcher,
                                        const std::set<std::string>& shallow_boundary) {
  std::map<std::string, std::optional<Label>> by_commit;
  for (const auto& c : commits) by_commit[c.sha] = matcher.classify(c);
  std::map<std::string, std::map<std::string, std::vector<NoteRange>>> parsed_notes;
  for (const auto& [sha, text] : notes) parsed_notes[sha] = parse_ai_note(text);

  uint32_t lines = 0;
  // Line-porcelain names every line once: a line number past the count is not git's output.
  for (const auto& b : blame)
    if (b.final_line <= blame.size()) lines = std::max(lines, b.final_line);
  std::vector<LineVerdict> out(lines);
  for (const auto& b : blame) {
    if (b.final_line == 0 || b.final_line > lines) continue;
    auto& v = out[b.final_line - 1];
    if (b.uncommitted()) {
      v.state = LineState::uncommitted;
      continue;
    }
    // A shallow clone's boundary commit stands for all the history cut off below it: blame gives it
    // every line older than the clone's depth, so its author and trailers say nothing about them.
    if (shallow_boundary.count(b.commit)) continue;
    v.state = LineState::committed_human;
    // A git-ai note is line-precise: when the commit has one, it decides.
    if (auto n = parsed_notes.find(b.commit); n != parsed_notes.end()) {
      if (auto f = n->second.find(b.orig_path); f != n->second.end())
        for (const auto& r : f->second)
          if (b.orig_line >= r.first && b.orig_line <= r.last) {
            v.state = LineState::committed_agent;
            v.label = {Origin::ai, Evidence::git_notes, r.tool};
          }
      continue;
    }
    if (auto c = by_commit.find(b.commit); c != by_commit.end() && c->second) {
      v.state = LineState::committed_agent;
      v.label = *c->second;
    }
  }
  return out;
}

DriverNames parse_driver_names(std::string_view out) {
  DriverNames names;
  std::set<std::string> filters, diffs;
  for (size_t i = 0; i < out.size();) {
    size_t end = out.find('\0', i);
    if (end == std::string_view::npos) end = out.size();
    const std::string_view key = out.substr(i, end - i);
    i = end + 1;
    // section.subsection.variable: the subsection is everything between the first and last dot.
    const size_t first = key.find('.'), last = key.rfind('.');
    if (first == std::string_view::npos || last <= first) continue;
    const std::string_view section = key.substr(0, first);
    std::string name(key.substr(first + 1, last - first - 1));
    if (section == "filter") filters.insert(std::move(name));
    else if (section == "diff") diffs.insert(std::move(name));
  }
  names.filters.assign(filters.begin(), filters.end());
  names.diffs.assign(diffs.begin(), diffs.end());
  return names;
}

}  // namespace vigil::provenance::git
