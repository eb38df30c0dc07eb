#include "analyzers/validation/redact.hpp"

#include <re2/re2.h>

#include <array>
#include <cmath>
#include <memory>
#include <vector>

namespace vigil::validation {

namespace {

struct Pattern {
  std::unique_ptr<RE2> re;
  std::string rewrite;  // RE2 rewrite string
};

std::vector<Pattern> build_patterns() {
  // Order matters: whole blocks and provider formats first, then names, then entropy.
  const std::vector<std::pair<const char*, const char*>> table = {
      {"(?s)-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----.*?-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----", "<redacted:private-key>"},
      {"\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\\b", "<redacted:aws-access-key>"},
      {"\\bgh[pousr]_[A-Za-z0-9]{30,}\\b", "<redacted:github-token>"},
      {"\\bgithub_pat_[A-Za-z0-9_]{22,}\\b", "<redacted:github-token>"},
      {"\\bglpat-[A-Za-z0-9_-]{20,}\\b", "<redacted:gitlab-token>"},
      {"\\bxox[abposr]-[A-Za-z0-9-]{10,}\\b", "<redacted:slack-token>"},
      {"\\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}\\b", "<redacted:api-key>"},
      {"\\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,}\\b", "<redacted:stripe-key>"},
      {"\\bAIza[0-9A-Za-z_-]{35}\\b", "<redacted:google-api-key>"},
      {"\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\b", "<redacted:jwt>"},
      {"(?i)\\b(bearer|basic|token)\\s+[A-Za-z0-9._~+/=-]{16,}", "\\1 <redacted:token>"},
      // scheme://user:password@host (database URLs, proxies, git remotes)
      {"\\b([A-Za-z][A-Za-z0-9+.-]*://[^:/\\s@\"']+:)[^@\\s\"'/]+@", "\\1<redacted:password>@"},
      // Password=...; in ADO/JDBC/ODBC connection strings
      {"(?i)\\b((?:password|pwd)\\s*=\\s*)[^;\"'\\s]+", "\\1<redacted:password>"},
      // name = "value" where the name says secret (code, .env, YAML, JSON)
      {"(?i)((?:[A-Za-z0-9_.-]*(?:passw(?:or)?d|passwd|pwd|secret|token|api_?key|apikey|access_?key|private_?key|"
       "auth_?key|credential|client_?secret|signing_?key|encryption_?key)[A-Za-z0-9_.-]*)[\"']?\\s*(?::=|=|:|=>)\\s*[rbuf]?[\"'`])"
       "[^\"'`\\n]{4,}([\"'`])",
       "\\1<redacted:secret>\\2"},
      // KEY=value in .env files and shell
      {"(?im)^(\\s*(?:export\\s+)?[A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY|ACCESS_KEY|PRIVATE_KEY)[A-Z0-9_]*=)[^\\s\"'<]{4,}",
       "\\1<redacted:secret>"},
  };
  std::vector<Pattern> out;
  for (const auto& [re, rewrite] : table) out.push_back({std::make_unique<RE2>(re), rewrite});
  return out;
}

double entropy(std::string_view s) {
  std::array<int, 256> counts{};
  for (unsigned char c : s) ++counts[c];
  double h = 0;
  for (int n : counts)
    if (n) {
      const double p = static_cast<double>(n) / static_cast<double>(s.size());
      h -= p * std::log2(p);
    }
  return h;
}

// A literal that looks like a random key: long, one token, mixed classes, high entropy.
bool looks_random(std::string_view s) {
  if (s.size() < 20 || s.size() > 512) return false;
  bool upper = false, lower = false, digit = false;
  for (unsigned char c : s) {
    if (!(std::isalnum(c) || c == '+' || c == '/' || c == '=' || c == '_' || c == '-')) return false;
    upper |= std::isupper(c) != 0;
    lower |= std::islower(c) != 0;
    digit |= std::isdigit(c) != 0;
  }
  const bool hex = s.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
  if (hex) return s.size() >= 32 && entropy(s) >= 3.0;
  if (!digit || (!upper && !lower)) return false;
  return entropy(s) >= 4.0;
}

// Quoted literals with high entropy.
size_t redact_entropy(std::string& text) {
  static const RE2 literal("([\"'`])([A-Za-z0-9+/=_-]{20,512})([\"'`])");
  std::string out;
  re2::StringPiece input(text);
  re2::StringPiece quote, body, close;
  size_t count = 0;
  const char* last = text.data();
  while (RE2::FindAndConsume(&input, literal, &quote, &body, &close)) {
    if (quote != close || !looks_random(std::string_view(body.data(), body.size()))) continue;
    out.append(last, static_cast<size_t>(body.data() - last));
    out += "<redacted:high-entropy>";
    last = body.data() + body.size();
    ++count;
  }
  if (count) {
    out.append(last, static_cast<size_t>(text.data() + text.size() - last));
    text = std::move(out);
  }
  return count;
}

}  // namespace

Redacted redact_secrets(std::string_view text) {
  static const std::vector<Pattern> patterns = build_patterns();
  Redacted r{std::string(text), 0};
  for (const auto& p : patterns) r.count += static_cast<size_t>(RE2::GlobalReplace(&r.text, *p.re, p.rewrite));
  r.count += redact_entropy(r.text);
  return r;
}

Request redact(Request request, size_t* count) {
  size_t total = 0;
  for (std::string* field : {&request.code, &request.function_code, &request.message}) {
    auto r = redact_secrets(*field);
    *field = std::move(r.text);
    total += r.count;
  }
  for (auto& t : request.trace) {
    auto r = redact_secrets(t.label);
    t.label = std::move(r.text);
    total += r.count;
  }
  if (count) *count = total;
  return request;
}

}  // namespace vigil::validation
