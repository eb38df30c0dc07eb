#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>

#include "analyzers/process/process.hpp"
#include "analyzers/provenance/evidence.hpp"
#include "analyzers/provenance/map.hpp"
#include "analyzers/provenance/tracker.hpp"

using namespace vigil::provenance;

namespace Catch {
template <>
struct StringMaker<Span> {
  static std::string convert(const Span& s) {
    return "[" + std::to_string(s.start) + "," + std::to_string(s.end) + ") " + std::string(to_string(s.label.origin)) + "/" +
           std::string(to_string(s.label.evidence)) + "/" + s.label.tool;
  }
};
}  // namespace Catch

namespace {

Label ai(Evidence e = Evidence::bulk_insert, std::string tool = "") { return {Origin::ai, e, std::move(tool)}; }

// The reference model: one optional label per byte. Inserted bytes take the label shared by the
// byte before and the byte after the edit, if any; runs of equal labels are the ranges.
struct Naive {
  std::vector<std::optional<Label>> bytes;

  void edit(uint32_t start, uint32_t old_end, uint32_t length) {
    std::optional<Label> inherit;
    if (start > 0 && old_end < bytes.size() && bytes[start - 1] && bytes[old_end] && *bytes[start - 1] == *bytes[old_end])
      inherit = bytes[start - 1];
    bytes.erase(bytes.begin() + start, bytes.begin() + old_end);
    bytes.insert(bytes.begin() + start, length, inherit);
  }
  void paint(uint32_t start, uint32_t end, const std::optional<Label>& label, bool only_ai) {
    for (uint32_t i = start; i < end && i < bytes.size(); ++i)
      if (!bytes[i] || !only_ai || bytes[i]->origin == Origin::ai) bytes[i] = label;
  }
  std::vector<Span> spans() const {
    std::vector<Span> out;
    for (uint32_t i = 0; i < bytes.size(); ++i) {
      if (!bytes[i]) continue;
      if (!out.empty() && out.back().end == i && out.back().label == *bytes[i]) out.back().end = i + 1;
      else out.push_back({i, i + 1, *bytes[i]});
    }
    return out;
  }
};

}  // namespace

TEST_CASE("provenance map: edits before, inside, after and across a range") {
  ProvenanceMap map;
  map.mark(10, 20, ai());
  SECTION("insertion before shifts") {
    map.edit(5, 5, 3);
    CHECK(map.spans() == std::vector<Span>{{13, 23, ai()}});
  }
  SECTION("insertion at the start shifts, it does not join") {
    map.edit(10, 10, 2);
    CHECK(map.spans() == std::vector<Span>{{12, 22, ai()}});
  }
  SECTION("insertion inside grows") {
    map.edit(15, 15, 4);
    CHECK(map.spans() == std::vector<Span>{{10, 24, ai()}});
  }
  SECTION("insertion at the end does not join") {
    map.edit(20, 20, 4);
    CHECK(map.spans() == std::vector<Span>{{10, 20, ai()}});
  }
  SECTION("deletion cutting the start") {
    map.edit(5, 12, 0);
    CHECK(map.spans() == std::vector<Span>{{5, 13, ai()}});
  }
  SECTION("deletion cutting the end") {
    map.edit(18, 25, 0);
    CHECK(map.spans() == std::vector<Span>{{10, 18, ai()}});
  }
  SECTION("deletion covering the range removes it") {
    map.edit(8, 22, 1);
    CHECK(map.spans().empty());
  }
  SECTION("replacement inside keeps one range") {
    map.edit(12, 14, 6);
    CHECK(map.spans() == std::vector<Span>{{10, 24, ai()}});
  }
}

TEST_CASE("provenance map: split, merge and overwrite") {
  ProvenanceMap map;
  map.mark(0, 30, ai());
  map.mark(10, 20, {Origin::reviewed, Evidence::user, ""});
  CHECK(map.spans() == std::vector<Span>{{0, 10, ai()}, {10, 20, {Origin::reviewed, Evidence::user, ""}}, {20, 30, ai()}});
  // Deleting the reviewed middle makes the two AI halves touch: they merge.
  map.edit(10, 20, 0);
  CHECK(map.spans() == std::vector<Span>{{0, 20, ai()}});
  // Marking adjacent text with the same label merges; a different tool does not.
  map.mark(20, 25, ai());
  map.mark(25, 27, ai(Evidence::bulk_insert, "claude"));
  CHECK(map.spans() == std::vector<Span>{{0, 25, ai()}, {25, 27, ai(Evidence::bulk_insert, "claude")}});
  // Clearing only AI ranges keeps reviewed and human ones.
  map.mark(30, 40, {Origin::human, Evidence::declared, ""});
  map.paint(0, 50, std::nullopt, [](const Label& l) { return l.origin == Origin::ai; });
  CHECK(map.spans() == std::vector<Span>{{30, 40, {Origin::human, Evidence::declared, ""}}});
  CHECK(map.overlapping(35, 35).size() == 1);
  CHECK(map.overlapping(40, 45).empty());
}

TEST_CASE("provenance map agrees with a per-byte model under random edits") {
  std::mt19937 rng(7);
  const std::vector<Label> labels = {ai(), ai(Evidence::external_edit), {Origin::reviewed, Evidence::user, ""},
                                     ai(Evidence::declared, "codex")};
  for (int round = 0; round < 40; ++round) {
    ProvenanceMap map;
    Naive naive;
    naive.bytes.assign(200, std::nullopt);
    for (int step = 0; step < 300; ++step) {
      const uint32_t size = static_cast<uint32_t>(naive.bytes.size());
      const uint32_t a = size ? static_cast<uint32_t>(rng() % (size + 1)) : 0;
      const uint32_t b = std::min(size, a + static_cast<uint32_t>(rng() % 12));
      const auto op = rng() % 5;
      INFO("op " << op << " at " << a << ".." << b << " on " << Catch::Detail::stringify(map.spans()));
      switch (op) {
        case 0:
        case 1: {  // edit: insert, delete or replace
          const uint32_t len = rng() % 3 == 0 ? 0 : static_cast<uint32_t>(rng() % 9);
          const uint32_t end = rng() % 2 ? a : b;
          map.edit(a, end, len);
          naive.edit(a, end, len);
          break;
        }
        case 2: {
          const auto& l = labels[rng() % labels.size()];
          map.mark(a, b, l);
          naive.paint(a, b, l, false);
          break;
        }
        case 3:
          map.clear(a, b);
          naive.paint(a, b, std::nullopt, false);
          break;
        default:
          map.paint(a, b, std::nullopt, [](const Label& l) { return l.origin == Origin::ai; });
          naive.paint(a, b, std::nullopt, true);
      }
      REQUIRE(map.spans() == naive.spans());
    }
  }
}

TEST_CASE("bulk insert thresholds") {
  const BulkInsertThresholds t;
  CHECK(is_bulk_insert("def f(x):\n    return x\n", t));
  CHECK(is_bulk_insert(std::string(60, 'a'), t));
  CHECK_FALSE(is_bulk_insert(std::string(59, 'a'), t));
  CHECK_FALSE(is_bulk_insert("\n    ", t));  // Enter with auto-indent
  CHECK_FALSE(is_bulk_insert("x", t));
  CHECK_FALSE(is_bulk_insert("\n\n\n", t));
  CHECK(is_bulk_insert("a\nb", BulkInsertThresholds{2, 1000}));
  CHECK_FALSE(is_bulk_insert("a\nb", BulkInsertThresholds{3, 1000}));
  CHECK(is_bulk_insert("ééééé", BulkInsertThresholds{9, 5}));  // code points, not bytes
  CHECK_FALSE(is_bulk_insert("éééé", BulkInsertThresholds{9, 5}));
}

TEST_CASE("line diff hunks") {
  CHECK(line_diff("a\nb\nc\n", "a\nb\nc\n").empty());
  CHECK(line_diff("a\nb\nc\n", "a\nX\nc\n") == std::vector<Hunk>{{1, 1, 1, 1}});
  CHECK(line_diff("a\nc\n", "a\nb1\nb2\nc\n") == std::vector<Hunk>{{1, 0, 1, 2}});
  CHECK(line_diff("a\nb\nc\n", "a\nc\n") == std::vector<Hunk>{{1, 1, 1, 0}});
  CHECK(line_diff("a\nb\nc\nd\ne\n", "X\nb\nc\nY\ne\nZ\n") == std::vector<Hunk>{{0, 1, 0, 1}, {3, 1, 3, 1}, {5, 0, 5, 1}});
  CHECK(line_diff("", "a\n") == std::vector<Hunk>{{0, 0, 0, 1}});
}

TEST_CASE("line diff reproduces the new text from the old one under random changes") {
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> a;
    for (int i = 0; i < 30; ++i) a.push_back(std::to_string(rng() % 8) + "\n");
    auto b = a;
    for (int k = 0; k < 6; ++k) {
      const size_t at = rng() % (b.size() + 1);
      if (rng() % 2 && at < b.size()) b.erase(b.begin() + static_cast<long>(at));
      else b.insert(b.begin() + static_cast<long>(at), std::to_string(rng() % 12) + "\n");
    }
    std::string before, after;
    for (auto& l : a) before += l;
    for (auto& l : b) after += l;
    const auto hunks = line_diff(before, after);
    // Apply the hunks back to front to `a`: must give `b`.
    auto rebuilt = a;
    for (auto it = hunks.rbegin(); it != hunks.rend(); ++it) {
      rebuilt.erase(rebuilt.begin() + it->old_start, rebuilt.begin() + it->old_start + it->old_count);
      rebuilt.insert(rebuilt.begin() + it->old_start, b.begin() + it->new_start, b.begin() + it->new_start + it->new_count);
    }
    REQUIRE(rebuilt == b);
    // No hunk is empty.
    for (const auto& h : hunks) REQUIRE(h.old_count + h.new_count > 0);
  }
}

TEST_CASE("a rewrite moves ranges and reports the changed lines") {
  ProvenanceMap map;
  const std::string before = "one\ntwo\nthree\n";
  map.mark(8, 14, ai());  // "three\n"
  const std::string after = "zero\none\ntwo\nthree\nfour\n";
  auto changed = apply_rewrite(map, before, after);
  CHECK(changed == std::vector<std::pair<uint32_t, uint32_t>>{{0, 5}, {19, 24}});
  CHECK(map.spans() == std::vector<Span>{{13, 19, ai()}});
}

TEST_CASE("markers") {
  const std::string text = "a = 1\n# vigil: ai-begin claude\nb = 2\n# vigil: ai-end\nc = 3\n";
  CHECK(marker_spans(text) == std::vector<Span>{{6, 53, {Origin::ai, Evidence::marker, "claude"}}});
  CHECK(marker_spans("x\n// vigil: ai-begin\ny\n") == std::vector<Span>{{2, 23, {Origin::ai, Evidence::marker, ""}}});
  CHECK(marker_spans("// @generated by protoc\nint x;\n") == std::vector<Span>{{0, 31, {Origin::ai, Evidence::marker, ""}}});
  CHECK(marker_spans("a\nb\n").empty());
  CHECK(marker_spans("\n\n# @generated\nx\n").size() == 1);
  CHECK(marker_spans("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n# @generated\n").empty());  // only the first 10 lines
}

TEST_CASE("tracker: git verdicts, line mapping, rewrites and the effective ranges") {
  using vigil::provenance::git::LineState;
  using vigil::provenance::git::LineVerdict;
  const std::string text = "a\nb\nc\nd\n";
  ProvenanceMap map;
  map.mark(0, 4, ai());  // "a\nb\n", typed by an agent earlier
  const Label claude{Origin::ai, Evidence::git_trailer, "claude"};
  std::vector<LineVerdict> verdicts = {{LineState::committed_human, {}},
                                       {LineState::uncommitted, {}},
                                       {LineState::committed_agent, claude},
                                       {LineState::uncommitted, {}}};
  apply_git(map, text, verdicts, false);
  // Line 0 committed by a human: its range is dropped; line 1 keeps it; line 2 is the agent's.
  CHECK(map.spans() == std::vector<Span>{{2, 4, ai()}, {4, 6, claude}});
  apply_git(map, text, verdicts, true);  // first sight: uncommitted lines nobody saw typed
  CHECK(map.spans() == std::vector<Span>{{2, 4, ai()}, {4, 6, claude}, {6, 8, ai(Evidence::git_uncommitted)}});
  // A reviewed range is never overwritten by git's agent evidence.
  map.mark(4, 6, {Origin::reviewed, Evidence::user, ""});
  apply_git(map, text, verdicts, false);
  CHECK(map.spans()[1].label.origin == Origin::reviewed);

  CHECK(map_lines("a\nb\nc\n", "a\nX\nb\nc\n") == std::vector<int64_t>{0, 2, 3});
  CHECK(map_lines("a\nb\nc\n", "a\nc\n") == std::vector<int64_t>{0, -1, 1});

  // Typing over a selection of everything is not a rewrite; an agent's rewrite is.
  ProvenanceMap doc;
  const BulkInsertThresholds bulk;
  track_change(doc, "x = 1\n", 0, 6, "y", false, bulk);
  CHECK(doc.empty());
  track_change(doc, "a\nb\nc\n", 0, 6, "a\nB\nc\nd\n", true, bulk);
  CHECK(doc.spans() == std::vector<Span>{{2, 4, ai(Evidence::external_edit)}, {6, 8, ai(Evidence::external_edit)}});

  // Markers and globs lie under tracked ranges, which win.
  ProvenanceMap reviewed;
  reviewed.mark(0, 2, {Origin::reviewed, Evidence::user, ""});
  const auto eff = effective_spans(reviewed, "x\ny\n", true);
  CHECK(eff == std::vector<Span>{{0, 2, {Origin::reviewed, Evidence::user, ""}}, {2, 4, ai(Evidence::glob)}});
  CHECK(ai_span_for(eff, 0, 1) == nullptr);
  CHECK(ai_span_for(eff, 1, 3) == &eff[1]);
  CHECK(ai_span_for(eff, 3, 3) == &eff[1]);
}

TEST_CASE("process: variables are set and unset for the child only, never in Vigil's own environment") {
  // Found by ASan (issue 18): run() edited the process's own environment (setenv from the git
  // thread while other threads read it: a heap overflow), and every later child inherited what
  // one git call had set, GIT_CONFIG_COUNT and its keys included. Then, under ASan, a heap
  // over-read in Boost 1.74's environment lookup, which run() no longer calls.
  ::setenv("VIGIL_PROCESS_TEST_KEEP", "kept", 1);
  ::setenv("VIGIL_PROCESS_TEST_OVER", "parent", 1);
  ::unsetenv("VIGIL_PROCESS_TEST_SET");
  vigil::process::Command c;
  c.argv = {"sh", "-c",
            "printf '%s|%s|%s|%s' \"$VIGIL_PROCESS_TEST_SET\" \"${VIGIL_PROCESS_TEST_KEEP-unset}\" "
            "\"$VIGIL_PROCESS_TEST_OVER\" \"$(env | grep -c '^VIGIL_PROCESS_TEST_OVER=')\""};
  c.set_env = {{"VIGIL_PROCESS_TEST_SET", "child"}, {"VIGIL_PROCESS_TEST_OVER", "replaced"}};
  c.unset_env = {"VIGIL_PROCESS_TEST_KEEP", "VIGIL_PROCESS_TEST_NEVER_SET_ANYWHERE"};
  const auto r = vigil::process::run(c);
  REQUIRE(r.ok());
  CHECK(r.out == "child|unset|replaced|1");
  CHECK(std::string(::getenv("VIGIL_PROCESS_TEST_OVER")) == "parent");
  ::unsetenv("VIGIL_PROCESS_TEST_OVER");
  CHECK(::getenv("VIGIL_PROCESS_TEST_SET") == nullptr);
  REQUIRE(::getenv("VIGIL_PROCESS_TEST_KEEP") != nullptr);
  CHECK(std::string(::getenv("VIGIL_PROCESS_TEST_KEEP")) == "kept");
  ::unsetenv("VIGIL_PROCESS_TEST_KEEP");
}

TEST_CASE("process: a child that exits without reading its input does not kill Vigil") {
  // `git blame --contents -` stops at once on a path it does not track, before reading the file
  // written to its stdin: past the pipe's 64 KiB the write failed with SIGPIPE, which killed
  // `vigil check` (exit 141, its report cut short) on a large untracked file in a repository.
  vigil::process::Command c;
  c.argv = {"sh", "-c", "exit 3"};
  c.input.assign(1 << 20, 'x');
  const auto r = vigil::process::run(c);
  CHECK(r.started);
  CHECK(r.exit_code == 3);
}
