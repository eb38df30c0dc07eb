// The parsers of git's output (blame porcelain, log, diff -U0 hunks, driver names, git-ai notes)
// and the line classification built on them. git's output is shaped by the repository (paths,
// author names, commit messages, notes), so all of it is attacker-controlled.
#include <map>
#include <set>

#include "analyzers/provenance/git_parse.hpp"
#include "fuzz/fuzz_check.hpp"

namespace git = vigil::provenance::git;

extern "C" int LLVMFuzzerInitialize(int*, char***) { return 0; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::fuzz::Bytes in(data, size);
  const uint8_t which = in.byte();
  const std::string_view text = in.rest();
  static const git::AgentMatcher matcher(git::AgentMatcher::default_patterns());
  switch (which % 6) {
    case 0: {
      for (const auto& line : git::parse_blame_porcelain(text)) FUZZ_CHECK(line.commit.size() <= text.size());
      break;
    }
    case 1: {
      for (const auto& c : git::parse_log(text)) (void)matcher.classify(c);
      break;
    }
    case 2: {
      for (const auto& [path, ranges] : git::parse_diff_u0(text))
        for (const auto& r : ranges) FUZZ_CHECK(r.count > 0);
      break;
    }
    case 3: {
      auto names = git::parse_driver_names(text);
      (void)names;
      break;
    }
    case 4: {
      for (const auto& [path, ranges] : git::parse_ai_note(text))
        for (const auto& r : ranges) FUZZ_CHECK(r.first <= r.last);
      break;
    }
    default: {
      // blame \x01 log \x01 note: the classification of a file's lines from all three.
      const auto a = text.find('\x01');
      const auto b = a == std::string_view::npos ? a : text.find('\x01', a + 1);
      const auto blame = git::parse_blame_porcelain(text.substr(0, a));
      const auto commits = a == std::string_view::npos ? std::vector<git::Commit>{}
                                                       : git::parse_log(text.substr(a + 1, b == std::string_view::npos ? b : b - a - 1));
      std::map<std::string, std::string> notes;
      if (b != std::string_view::npos)
        for (const auto& c : commits) notes[c.sha] = std::string(text.substr(b + 1));
      std::set<std::string> shallow;
      if (!commits.empty()) shallow.insert(commits.back().sha);
      const auto verdicts = git::classify_lines(blame, commits, notes, matcher, shallow);
      (void)verdicts;
      break;
    }
  }
  return 0;
}
