#include <catch2/catch.hpp>

#include "analyzers/provenance/git_parse.hpp"

using namespace vigil::provenance;
using namespace vigil::provenance::git;

TEST_CASE("blame porcelain") {
  const std::string sha1(40, 'a'), zero(40, '0');
  const std::string out = sha1 + " 1 1 2\nauthor Ann\nauthor-mail <ann@x.org>\nsummary s\nfilename src/a.py\n\tline one\n" +
                          sha1 + " 2 2\nauthor Ann\nauthor-mail <ann@x.org>\nfilename src/a.py\n\tline two\n" + zero +
                          " 3 3 1\nauthor Not Committed Yet\nauthor-mail <not.committed.yet>\nfilename src/a.py\n\tnew\n";
  auto lines = parse_blame_porcelain(out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].commit == sha1);
  CHECK(lines[1].orig_line == 2);
  CHECK(lines[1].final_line == 2);
  CHECK(lines[0].orig_path == "src/a.py");
  CHECK(lines[0].author == "Ann");
  CHECK_FALSE(lines[0].uncommitted());
  CHECK(lines[2].uncommitted());
}

TEST_CASE("log records, agent trailers and authors") {
  const std::string a(40, 'a'), b(40, 'b'), c(40, 'c');
  std::string out = a + '\0' + "Ann" + '\0' + "ann@x.org" + '\0' + "Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>\n" + '\0' +
                    '\n' + b + '\0' + "Bob" + '\0' + "bob@x.org" + '\0' + "Plain\n\nCo-authored-by: Alice <a@x.org>\n" + '\0' + c +
                    '\0' + "Copilot" + '\0' + "198982749+Copilot@users.noreply.github.com" + '\0' + "Add\n";
  auto commits = parse_log(out);
  REQUIRE(commits.size() == 3);
  CHECK(commits[1].sha == b);
  CHECK(commits[1].author_name == "Bob");
  AgentMatcher matcher(AgentMatcher::default_patterns());
  auto la = matcher.classify(commits[0]);
  REQUIRE(la);
  CHECK(la->evidence == Evidence::git_trailer);
  CHECK(la->tool == "claude");
  CHECK_FALSE(matcher.classify(commits[1]));  // a human co-author is not an agent
  auto lc = matcher.classify(commits[2]);
  REQUIRE(lc);
  CHECK(lc->evidence == Evidence::git_author);
  CHECK(lc->tool == "copilot");
  CHECK(matcher.classify({a, "Ann", "a@x", "x\n\nGenerated-by: my-bot 2.0\n"})->tool == "my-bot 2.0");
  CHECK(matcher.classify({a, "Ann", "a@x", "x\n\nAI-Model: gpt-5\n"}));
  CHECK(matcher.classify({a, "Paul (aider)", "p@x", "x\n"})->tool == "aider");
  CHECK_FALSE(matcher.classify({a, "dependabot[bot]", "x@github.com", "Bump\n"}));
  std::vector<std::string> errors;
  AgentMatcher custom({"(?i)^reviewed-by: robot", "("}, &errors);
  CHECK(errors.size() == 1);
  CHECK(custom.classify({a, "Ann", "a@x", "x\n\nReviewed-by: Robot\n"}));
}

TEST_CASE("diff -U0 new-side hunks") {
  const std::string out =
      "diff --git a/x.py b/x.py\nindex 1..2 100644\n--- a/x.py\n+++ b/x.py\n@@ -1,0 +2,3 @@ def f\n+a\n+b\n+c\n"
      "@@ -10 +12 @@\n-x\n+y\n@@ -20,2 +21,0 @@\n-p\n-q\n"
      "diff --git a/gone.py b/gone.py\n--- a/gone.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-z\n";
  auto files = parse_diff_u0(out);
  REQUIRE(files.size() == 1);
  CHECK(files["x.py"] == std::vector<LineRange>{{2, 3}, {12, 1}});
}

TEST_CASE("git-ai notes and line classification") {
  const std::string note =
      "src/a.py\n  p1 1-2,5\nother.py\n  p2 3\n---\n"
      "{\"schema_version\":\"authorship/3.0.0\",\"prompts\":{\"p1\":{\"agent_id\":{\"tool\":\"cursor\"}},\"p2\":{\"agent_id\":{\"tool\":\"claude\"}}}}\n";
  auto parsed = parse_ai_note(note);
  REQUIRE(parsed["src/a.py"].size() == 2);
  CHECK(parsed["src/a.py"][0].first == 1);
  CHECK(parsed["src/a.py"][0].last == 2);
  CHECK(parsed["src/a.py"][1].first == 5);
  CHECK(parsed["src/a.py"][0].tool == "cursor");
  CHECK(parsed["other.py"][0].tool == "claude");

  const std::string h(40, 'a'), t(40, 'b'), zero(40, '0');
  std::vector<BlameLine> blame = {{h, 1, 1, "src/a.py", "Ann", "<a>"},
                                  {h, 3, 2, "src/a.py", "Ann", "<a>"},
                                  {t, 1, 3, "src/a.py", "Bob", "<b>"},
                                  {zero, 4, 4, "src/a.py", "Not Committed Yet", "<n>"}};
  std::vector<Commit> commits = {{h, "Ann", "a@x", "x\n"}, {t, "Bob", "b@x", "y\n\nCo-authored-by: Codex <c@openai.com>\n"}};
  auto verdicts = classify_lines(blame, commits, {{h, note}}, AgentMatcher(AgentMatcher::default_patterns()));
  REQUIRE(verdicts.size() == 4);
  CHECK(verdicts[0].state == LineState::committed_agent);
  CHECK(verdicts[0].label.evidence == Evidence::git_notes);
  CHECK(verdicts[1].state == LineState::committed_human);  // orig line 3 is not in the note
  CHECK(verdicts[2].state == LineState::committed_agent);
  CHECK(verdicts[2].label.tool == "codex");
  CHECK(verdicts[3].state == LineState::uncommitted);
}

TEST_CASE("driver names from git config, with dots, `=` and newlines in them; blame line numbers past the count") {
  using namespace std::string_literals;
  const std::string out = "filter.lfs.clean\0filter.lfs.process\0filter.a.b=c\nd.clean\0diff.evil.textconv\0"
                          "diff.renames\0filter.\0junk\0"s;
  const auto names = parse_driver_names(out);
  CHECK(names.filters == std::vector<std::string>{"a.b=c\nd", "lfs"});
  CHECK(names.diffs == std::vector<std::string>{"evil"});  // diff.renames is a variable, not a driver
  CHECK(parse_driver_names("").filters.empty());

  // A line number far past the blame's length is ignored rather than allocated.
  std::vector<BlameLine> blame = {{std::string(40, '0'), 1, 4000000000u, "a.py", "N", "<n>"},
                                  {std::string(40, '0'), 1, 1, "a.py", "N", "<n>"}};
  auto verdicts = classify_lines(blame, {}, {}, AgentMatcher(AgentMatcher::default_patterns()));
  CHECK(verdicts.size() == 1);
}

TEST_CASE("agent patterns: identities of agents, not people at their vendors") {
  const std::string a(40, 'a');
  AgentMatcher m(AgentMatcher::default_patterns());
  auto tool_of = [&](const std::string& name, const std::string& email, const std::string& message) -> std::string {
    auto label = m.classify({a, name, email, message});
    return label ? label->tool : std::string("-");
  };
  // People who work at AI vendors, or are named like an agent, are people.
  CHECK(tool_of("Jane Roe", "jane@anthropic.com", "Fix the parser\n") == "-");
  CHECK(tool_of("Sam", "sam@openai.com", "Tune\n") == "-");
  CHECK(tool_of("Devin Miller", "devin@example.com", "Refactor\n") == "-");
  CHECK(tool_of("Claude Bernard", "cb@example.org", "Docs\n") == "-");
  CHECK(tool_of("Ann", "ann@x.org", "x\n\nCo-authored-by: Devin Miller <devin@example.com>\n") == "-");
  CHECK(tool_of("Ann", "ann@x.org", "x\n\nCo-authored-by: Claude Bernard <cb@example.org>\n") == "-");
  CHECK(tool_of("Ann", "ann@x.org", "x\n\nCo-authored-by: Jane Roe <jane@anthropic.com>\n") == "-");
  CHECK(tool_of("Ann", "ann@x.org", "Mention copilot and cursor in prose\n") == "-");
  // Agents, by trailer, footer or bot account.
  CHECK(tool_of("Ann", "ann@x.org", "x\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n") == "claude");
  CHECK(tool_of("Ann", "ann@x.org", "x\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n") == "claude");
  CHECK(tool_of("Ann", "ann@x.org", "x\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>\n") == "cursor");
  CHECK(tool_of("Ann", "ann@x.org", "x\n\nCo-authored-by: aider (gpt-4o) <noreply@aider.chat>\n") == "aider");
  CHECK(tool_of("Ann", "ann@x.org", "x\n\nCo-authored-by: Amp <amp@ampcode.com>\n") == "amp");
  CHECK(tool_of("devin-ai-integration[bot]", "158243242+devin-ai-integration[bot]@users.noreply.github.com", "x\n") == "devin");
  CHECK(tool_of("chatgpt-codex-connector[bot]", "199175422+chatgpt-codex-connector[bot]@users.noreply.github.com", "x\n") ==
        "codex");
  CHECK(tool_of("google-labs-jules[bot]", "161369871+google-labs-jules[bot]@users.noreply.github.com", "x\n") == "jules");
  // Trailers before authorship; a human co-author is never the tool: the Copilot coding agent
  // commits as a bot with the person who asked as co-author.
  auto copilot = m.classify({a, "copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com",
                             "Fix\n\nCo-authored-by: octocat <583231+octocat@users.noreply.github.com>\n"});
  REQUIRE(copilot);
  CHECK(copilot->tool == "copilot");
  CHECK(copilot->evidence == Evidence::git_author);
  auto both = m.classify({a, "Paul (aider)", "p@x", "x\n\nCo-authored-by: Jane <j@x>\nCo-authored-by: Claude <noreply@anthropic.com>\n"});
  REQUIRE(both);
  CHECK(both->evidence == Evidence::git_trailer);
  CHECK(both->tool == "claude");
}

TEST_CASE("lines blamed on a shallow clone's boundary commit are unknown") {
  const std::string cut(40, 'c'), later(40, 'd');
  std::vector<BlameLine> blame = {{cut, 1, 1, "a.py", "Ann", "<a>"}, {later, 2, 2, "a.py", "Ann", "<a>"}};
  std::vector<Commit> commits = {{cut, "Ann", "a@x", "x\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"},
                                 {later, "Ann", "a@x", "y\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"}};
  AgentMatcher m(AgentMatcher::default_patterns());
  auto full = classify_lines(blame, commits, {}, m);
  CHECK(full[0].state == LineState::committed_agent);
  auto shallow = classify_lines(blame, commits, {}, m, {cut});
  CHECK(shallow[0].state == LineState::unknown);
  CHECK(shallow[1].state == LineState::committed_agent);
}
