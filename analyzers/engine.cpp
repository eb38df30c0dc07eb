#include "analyzers/engine.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace vigil {
namespace {

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

// Whitespace-insensitive form of code, so reformatting keeps a fingerprint.
std::string normalized(std::string_view code) {
  std::string out;
  bool space = false;
  for (char c : code) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string shorten(std::string_view text) {
  auto nl = text.find('\n');
  bool cut = nl != std::string_view::npos;
  std::string s(text.substr(0, nl));
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  if (s.size() > 80) {
    s.resize(77);
    // Do not cut a UTF-8 sequence in half.
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
    cut = true;
  }
  return cut ? s + "…" : s;
}

}  // namespace

bool RuleSet::add(rules::RulePtr rule) {
  for (auto& existing : ordered_) {
    if (existing->id == rule->id) {
      existing = std::move(rule);
      return false;
    }
  }
  ordered_.push_back(std::move(rule));
  return true;
}

std::vector<rules::RulePtr> RuleSet::for_language(const grammars::Language& lang) const {
  std::vector<rules::RulePtr> out;
  for (const auto& r : ordered_)
    if (r->matcher_for(lang)) out.push_back(r);
  return out;
}

std::string interpolate(std::string_view templ, const std::map<std::string, std::string>& captures) {
  std::string out;
  for (size_t i = 0; i < templ.size(); ++i) {
    if (templ[i] != '$') {
      out += templ[i];
      continue;
    }
    size_t j = i + 1;
    while (j < templ.size() && (std::isalnum(static_cast<unsigned char>(templ[j])) || templ[j] == '_')) ++j;
    std::string name(templ.substr(i + 1, j - i - 1));
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    auto it = captures.find(name);
    if (it == captures.end()) it = captures.find(lower);
    if (name.empty() || it == captures.end()) {
      out += templ[i];
      continue;
    }
    out += it->second;
    i = j - 1;
  }
  return out;
}

std::vector<Finding> analyze(const RuleSet& rule_set, const document::Snapshot& snapshot) {
  std::vector<Finding> findings;
  if (!snapshot.language || !snapshot.tree) return findings;
  const TSNode root = snapshot.root();
  for (const auto& rule : rule_set.all()) {
    const auto* matcher = rule->matcher_for(*snapshot.language);
    if (!matcher) continue;
    matcher->query->for_each_match(root, snapshot.text, [&](const match::QueryMatch& m) {
      uint32_t start = UINT32_MAX, end = 0;
      TSPoint start_pt{}, end_pt{};
      std::map<std::string, std::string> texts;
      for (const auto& c : m.captures) {
        auto name = std::string(matcher->query->capture_name(c.capture_id));
        texts.emplace(name, shorten(snapshot.node_text(c.node)));
        const bool counts = matcher->match_capture < 0 || static_cast<int>(c.capture_id) == matcher->match_capture;
        if (!counts) continue;
        if (ts_node_start_byte(c.node) < start) start = ts_node_start_byte(c.node), start_pt = ts_node_start_point(c.node);
        if (ts_node_end_byte(c.node) >= end) end = ts_node_end_byte(c.node), end_pt = ts_node_end_point(c.node);
      }
      if (start == UINT32_MAX) return;  // the @match capture was optional and absent
      Finding f;
      f.rule = rule;
      f.severity = rule->severity;
      f.message = interpolate(rule->message, texts);
      f.start_byte = start;
      f.end_byte = end;
      f.start = start_pt;
      f.end = end_pt;
      findings.push_back(std::move(f));
    });
  }
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.start_byte != b.start_byte) return a.start_byte < b.start_byte;
    if (a.rule->id != b.rule->id) return a.rule->id < b.rule->id;
    return a.end_byte < b.end_byte;
  });
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [](const Finding& a, const Finding& b) {
                               return a.rule->id == b.rule->id && a.start_byte == b.start_byte && a.end_byte == b.end_byte;
                             }),
                 findings.end());
  for (auto& f : findings) {
    std::string_view code(snapshot.text);
    f.fingerprint = sha256_hex(f.rule->id + '\0' + normalized(code.substr(f.start_byte, f.end_byte - f.start_byte))).substr(0, 32);
  }
  return findings;
}

}  // namespace vigil
