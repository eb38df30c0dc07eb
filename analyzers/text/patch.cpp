#include "analyzers/text/patch.hpp"

#include <charconv>

#include "analyzers/text/line_diff.hpp"

namespace vigil::text {

namespace {

// "a/x.py" -> "x.py" (git's prefixes), a trailing tab and timestamp (diff -u) removed.
std::string strip_path(std::string_view p) {
  if (auto tab = p.find('\t'); tab != std::string_view::npos) p = p.substr(0, tab);
  while (!p.empty() && (p.back() == ' ' || p.back() == '\r')) p.remove_suffix(1);
  if (p == "/dev/null") return {};
  if (p.starts_with("a/") || p.starts_with("b/")) p.remove_prefix(2);
  return std::string(p);
}

// "12,3" or "12" (count 1).
bool parse_range(std::string_view s, uint32_t& start, uint32_t& count) {
  auto comma = s.find(',');
  auto first = s.substr(0, comma);
  if (std::from_chars(first.data(), first.data() + first.size(), start).ec != std::errc() ) return false;
  count = 1;
  if (comma != std::string_view::npos) {
    auto second = s.substr(comma + 1);
    if (std::from_chars(second.data(), second.data() + second.size(), count).ec != std::errc()) return false;
  }
  return true;
}

std::string_view without_terminator(std::string_view line) {
  if (line.ends_with('\n')) line.remove_suffix(1);
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

}  // namespace

std::optional<std::vector<FilePatch>> parse_unified_diff(std::string_view diff, std::string& error) {
  std::vector<FilePatch> files;
  const auto lines = split_lines(diff);
  size_t i = 0;
  auto fail = [&](size_t at, const std::string& message) {
    error = "line " + std::to_string(at + 1) + ": " + message;
    return std::nullopt;
  };
  while (i < lines.size()) {
    const auto line = without_terminator(lines[i]);
    if (!line.starts_with("--- ") || i + 1 >= lines.size() || !without_terminator(lines[i + 1]).starts_with("+++ ")) {
      ++i;  // commit message, `diff --git`, `index ...`: not ours
      continue;
    }
    FilePatch file;
    file.old_path = strip_path(line.substr(4));
    file.new_path = strip_path(without_terminator(lines[i + 1]).substr(4));
    i += 2;
    while (i < lines.size() && without_terminator(lines[i]).starts_with("@@")) {
      const auto header = without_terminator(lines[i]);
      // @@ -a,b +c,d @@ optional section name
      const auto minus = header.find(" -"), plus = header.find(" +"), close = header.find(" @@", 2);
      if (minus == std::string_view::npos || plus == std::string_view::npos || close == std::string_view::npos || plus > close)
        return fail(i, "a hunk header must look like `@@ -12,3 +12,4 @@`");
      PatchHunk hunk;
      if (!parse_range(header.substr(minus + 2, plus - minus - 2), hunk.old_start, hunk.old_count) ||
          !parse_range(header.substr(plus + 2, close - plus - 2), hunk.new_start, hunk.new_count))
        return fail(i, "a hunk header must look like `@@ -12,3 +12,4 @@`");
      ++i;
      uint32_t old_seen = 0, new_seen = 0;
      while (i < lines.size() && (old_seen < hunk.old_count || new_seen < hunk.new_count)) {
        auto body = without_terminator(lines[i]);
        if (body.starts_with("\\")) {  // "\ No newline at end of file" for the line before
          ++i;
          continue;
        }
        const char kind = body.empty() ? ' ' : body[0];  // an empty line is an empty context line
        if (kind != ' ' && kind != '-' && kind != '+')
          return fail(i, "a hunk line must start with ' ', '-' or '+' (the hunk header promised " +
                             std::to_string(hunk.old_count) + " old and " + std::to_string(hunk.new_count) + " new lines)");
        if (kind != '+') ++old_seen;
        if (kind != '-') ++new_seen;
        hunk.lines.push_back(body.empty() ? std::string(" ") : std::string(body));
        ++i;
      }
      if (old_seen != hunk.old_count || new_seen != hunk.new_count)
        return fail(i, "the diff ends inside a hunk (its header promised " + std::to_string(hunk.old_count) + " old and " +
                           std::to_string(hunk.new_count) + " new lines)");
      // "\ No newline at end of file" markers right after the hunk's last lines.
      while (i < lines.size() && without_terminator(lines[i]).starts_with("\\")) {
        const char last = hunk.lines.empty() ? ' ' : hunk.lines.back()[0];
        if (last == '-') hunk.old_missing_newline = true;
        else if (last == '+') hunk.new_missing_newline = true;
        else hunk.old_missing_newline = hunk.new_missing_newline = true;
        ++i;
      }
      file.hunks.push_back(std::move(hunk));
    }
    if (file.hunks.empty() && !file.new_path.empty()) return fail(i, "`+++ " + file.new_path + "` is followed by no hunk");
    files.push_back(std::move(file));
  }
  if (files.empty()) {
    error = "no file in the diff: a unified diff starts each file with `--- a/PATH` and `+++ b/PATH` lines, then `@@` hunks";
    return std::nullopt;
  }
  return files;
}

std::optional<PatchResult> apply_patch(std::string_view before, const FilePatch& patch, std::string& error) {
  const auto old_lines = split_lines(before);
  const std::string eol = before.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
  PatchResult out;
  size_t next_old = 0;  // first old line not yet copied
  uint32_t new_line = 0;
  auto copy_until = [&](size_t end) {
    for (; next_old < end; ++next_old, ++new_line) out.text += old_lines[next_old];
  };
  for (size_t h = 0; h < patch.hunks.size(); ++h) {
    const auto& hunk = patch.hunks[h];
    std::vector<std::string_view> expected;
    for (const auto& l : hunk.lines)
      if (l[0] != '+') expected.emplace_back(std::string_view(l).substr(1));
    auto matches_at = [&](size_t at) {
      if (at + expected.size() > old_lines.size()) return false;
      for (size_t k = 0; k < expected.size(); ++k)
        if (without_terminator(old_lines[at + k]) != expected[k]) return false;
      return true;
    };
    // Where the header says (1-based; an empty old side inserts after line old_start), else the
    // nearest place after the previous hunk.
    size_t at = hunk.old_count == 0 ? hunk.old_start : (hunk.old_start > 0 ? hunk.old_start - 1 : 0);
    if (at < next_old || !matches_at(at)) {
      std::optional<size_t> found;
      for (size_t d = 0; !found && d <= old_lines.size(); ++d) {
        if (at >= d && at - d >= next_old && matches_at(at - d)) found = at - d;
        else if (at + d <= old_lines.size() && at + d >= next_old && matches_at(at + d)) found = at + d;
      }
      if (!found) {
        // Name the first line that differs at the header's position.
        size_t k = 0;
        const size_t base = std::min(std::max(at, next_old), old_lines.size());
        while (k < expected.size() && base + k < old_lines.size() && without_terminator(old_lines[base + k]) == expected[k]) ++k;
        error = "hunk " + std::to_string(h + 1) + " (@@ -" + std::to_string(hunk.old_start) + "," + std::to_string(hunk.old_count) +
                " @@) does not apply to " + (patch.old_path.empty() ? std::string("an empty file") : patch.old_path) + ": ";
        if (base + k < old_lines.size() && k < expected.size())
          error += "line " + std::to_string(base + k + 1) + " is `" + std::string(without_terminator(old_lines[base + k])) +
                   "`, the diff expects `" + std::string(expected[k]) + "`";
        else
          error += "the file has " + std::to_string(old_lines.size()) + " lines";
        error += " (diff against the file as it is on disk)";
        return std::nullopt;
      }
      at = *found;
    }
    copy_until(at);
    for (size_t k = 0; k < hunk.lines.size(); ++k) {
      const auto& l = hunk.lines[k];
      const bool last_new = k + 1 == hunk.lines.size() || [&] {
        for (size_t m = k + 1; m < hunk.lines.size(); ++m)
          if (hunk.lines[m][0] != '-') return false;
        return true;
      }();
      if (l[0] == '-') {
        ++next_old;
        continue;
      }
      if (l[0] == ' ') {
        out.text += old_lines[next_old++];
      } else {
        out.text += std::string_view(l).substr(1);
        if (!(last_new && hunk.new_missing_newline && h + 1 == patch.hunks.size())) out.text += eol;
        out.added_lines.push_back(new_line);
      }
      ++new_line;
    }
  }
  copy_until(old_lines.size());
  return out;
}

}  // namespace vigil::text
