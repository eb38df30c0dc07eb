// Unified diffs: parsing, applying (with moved hunks), the added lines; agent proposals brought
// onto a file's text.
#include <catch2/catch.hpp>

#include "analyzers/provenance/tracker.hpp"
#include "analyzers/text/patch.hpp"

using namespace vigil;

TEST_CASE("a unified diff applies to the file on disk and names its added lines") {
  const std::string diff =
      "diff --git a/src/a.py b/src/a.py\nindex 1..2 100644\n--- a/src/a.py\n+++ b/src/a.py\n"
      "@@ -1,3 +1,4 @@\n import os\n+import sys\n x = 1\n-y = 2\n+y = 3\n"
      "--- /dev/null\n+++ b/new.py\n@@ -0,0 +1,2 @@\n+a = 1\n+b = 2\n\\ No newline at end of file\n";
  std::string error;
  auto files = text::parse_unified_diff(diff, error);
  REQUIRE(files);
  REQUIRE(files->size() == 2);
  CHECK((*files)[0].old_path == "src/a.py");
  CHECK((*files)[0].new_path == "src/a.py");
  CHECK((*files)[1].old_path.empty());
  CHECK((*files)[1].new_path == "new.py");

  auto a = text::apply_patch("import os\nx = 1\ny = 2\nz = 4\n", (*files)[0], error);
  REQUIRE(a);
  CHECK(a->text == "import os\nimport sys\nx = 1\ny = 3\nz = 4\n");
  CHECK(a->added_lines == std::vector<uint32_t>{1, 3});

  auto created = text::apply_patch("", (*files)[1], error);
  REQUIRE(created);
  CHECK(created->text == "a = 1\nb = 2");
  CHECK(created->added_lines == std::vector<uint32_t>{0, 1});

  // The hunk's lines moved down by two: found there, as `patch` does.
  auto moved = text::apply_patch("# a\n# b\nimport os\nx = 1\ny = 2\n", (*files)[0], error);
  REQUIRE(moved);
  CHECK(moved->text == "# a\n# b\nimport os\nimport sys\nx = 1\ny = 3\n");
  CHECK(moved->added_lines == std::vector<uint32_t>{3, 5});

  // CRLF files get CRLF lines.
  auto crlf = text::apply_patch("import os\r\nx = 1\r\ny = 2\r\n", (*files)[0], error);
  REQUIRE(crlf);
  CHECK(crlf->text == "import os\r\nimport sys\r\nx = 1\r\ny = 3\r\n");

  CHECK_FALSE(text::apply_patch("import re\nx = 1\ny = 2\n", (*files)[0], error));
  CHECK(error.find("line 1 is `import re`, the diff expects `import os`") != std::string::npos);
}

TEST_CASE("malformed diffs are errors with a line number") {
  std::string error;
  CHECK_FALSE(text::parse_unified_diff("hello\n", error));
  CHECK(error.starts_with("no file in the diff"));
  CHECK_FALSE(text::parse_unified_diff("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n", error));
  CHECK(error.find("ends inside a hunk") != std::string::npos);
  CHECK_FALSE(text::parse_unified_diff("--- a/x\n+++ b/x\n@@ one @@\n", error));
  CHECK(error.starts_with("line 3: a hunk header must look like"));
}

TEST_CASE("an agent proposal labels the lines the file holds, and nothing when it was not written") {
  const std::string before = "a = 1\nb = 2\n";
  const std::string proposal = "a = 1\nc = eval(x)\nb = 2\n";
  const provenance::Label label{provenance::Origin::ai, provenance::Evidence::agent_mcp, "claude-code"};
  provenance::ProvenanceMap map;
  CHECK(provenance::apply_proposal(map, proposal, {1}, label, before) == 0);
  CHECK(map.empty());
  // Written, then a line added above it: the proposal's line is found where it is now.
  const std::string now = "# header\na = 1\nc = eval(x)\nb = 2\n";
  CHECK(provenance::apply_proposal(map, proposal, {1}, label, now) == 1);
  REQUIRE(map.spans().size() == 1);
  CHECK(map.spans()[0].start == 15);
  CHECK(map.spans()[0].end == 27);
  CHECK(map.spans()[0].label == label);
}
