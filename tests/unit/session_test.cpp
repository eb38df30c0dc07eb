// The protocol-free session: documents, analyses, findings by fingerprint, provenance, settings,
// driven the way a shell drives it (posted results run when the shell's loop runs them).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <deque>
#include <filesystem>
#include <fstream>

#include "analyzers/feedback/bank.hpp"
#include "analyzers/session/session.hpp"
#include "analyzers/store/store.hpp"

using namespace vigil;
namespace fs = std::filesystem;

namespace {

struct Loop {
  std::deque<std::function<void()>> tasks;
  std::vector<std::string> analysed, provenance_changed;
  void run() {
    while (!tasks.empty()) {
      auto t = std::move(tasks.front());
      tasks.pop_front();
      t();
    }
  }
  session::Events events() {
    session::Events e;
    e.post = [this](std::function<void()> t) { tasks.push_back(std::move(t)); };
    e.analysed = [this](const std::string& id) { analysed.push_back(id); };
    e.provenance_changed = [this](const std::string& id) { provenance_changed.push_back(id); };
    return e;
  }
};

struct TempRoot {
  fs::path path;
  TempRoot() {
    path = fs::temp_directory_path() / ("vigil-session-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path / ".vigil");
  }
  ~TempRoot() { fs::remove_all(path); }
  void write(const std::string& rel, const std::string& text) const { std::ofstream(path / rel, std::ios::binary) << text; }
};

// Opens the workspace `root` in `s` with its rules loaded, then "doc" (root/app.py) with `text`,
// analysed.
void open_analysed_app(session::Session& s, Loop& loop, const TempRoot& root, const std::string& text) {
  CHECK(s.open_workspace(root.path.string()).empty());
  CHECK(s.apply_config(true).has_value());
  const std::string path = (root.path / "app.py").string();
  REQUIRE(s.open("doc", path, grammars::by_path(path), text, 1));
  loop.run();
  REQUIRE(s.analysis("doc"));
}

}  // namespace

TEST_CASE("session: open, analyse, change, find by fingerprint, close") {
  TempRoot root;
  Loop loop;
  session::Session s({{}, true, 0}, loop.events());
  CHECK(s.open_workspace(root.path.string()).empty());
  CHECK(s.apply_config(true).has_value());  // the first apply loads the rules
  REQUIRE(s.rule("py-tls-verify-disabled"));
  CHECK(s.rule("no-such-rule") == nullptr);

  const std::string path = (root.path / "app.py").string();
  const std::string text = "import requests\n\ndef get(url):\n    return requests.get(URL, verify=False)\n";
  REQUIRE(s.open("doc", path, grammars::by_path(path), text, 1));
  CHECK_FALSE(s.open("other", (root.path / "notes.txt").string(), nullptr, "hello", 1));
  CHECK(s.analysis("doc") == nullptr);  // posted, not yet run
  loop.run();
  CHECK(loop.analysed == std::vector<std::string>{"doc"});
  const auto* a = s.analysis("doc");
  REQUIRE(a);
  REQUIRE(a->findings.size() == 1);
  const auto& f = a->findings[0];
  CHECK(f.rule_id() == "py-tls-verify-disabled");
  auto ref = s.finding("doc", f.fingerprint);
  REQUIRE(ref);
  CHECK(ref->rule->constraint.find("TLS") != std::string::npos);
  CHECK(ref->snapshot->text == text);
  CHECK(ref->finding->start.row == 3);
  CHECK_FALSE(s.finding("doc", "0000"));

  // An edit: the analysis goes stale until the new version's result is in.
  document::TextChange fix;
  fix.range = document::Range{{3, 36}, {3, 41}};
  fix.text = "True";
  REQUIRE(s.change("doc", {fix}, document::Encoding::utf16, 2));
  CHECK(s.analysis("doc") == nullptr);
  loop.run();
  REQUIRE(s.analysis("doc"));
  CHECK(s.analysis("doc")->version() == 2);
  CHECK(s.analysis("doc")->findings.empty());
  CHECK_FALSE(s.change("nope", {fix}, document::Encoding::utf16, 2));

  s.close("doc");
  CHECK_FALSE(s.is_open("doc"));
  CHECK(s.analysis("doc") == nullptr);
  s.shutdown();
}

TEST_CASE("session: provenance marks, scope and check_text") {
  TempRoot root;
  Loop loop;
  session::Session s({{}, true, 0}, loop.events());
  s.open_workspace(root.path.string());
  s.apply_config(true);
  const std::string path = (root.path / "app.py").string();
  const std::string text = "import requests\nrequests.get(u, verify=False)\n";
  root.write("app.py", text);
  REQUIRE(s.open("doc", path, grammars::by_path(path), text, 1));
  loop.run();
  REQUIRE(s.analysis("doc"));
  CHECK(s.analysis("doc")->scope->spans.empty());

  // Treat line 2 as AI-written: provenance changes, the document is analysed again under it.
  REQUIRE(s.mark_ai("doc", 16, static_cast<uint32_t>(text.size())));
  CHECK(loop.provenance_changed == std::vector<std::string>{"doc"});
  loop.run();
  const auto* a = s.analysis("doc");
  REQUIRE(a);
  REQUIRE(a->scope->spans.size() == 1);
  CHECK(a->scope->spans[0].label.evidence == provenance::Evidence::user);
  auto ref = s.finding("doc", a->findings.at(0).fingerprint);
  REQUIRE(ref);
  REQUIRE(ref->provenance.size() == 1);
  CHECK(ref->provenance[0].label.origin == provenance::Origin::ai);
  CHECK(s.provenance_at("doc", 0, 10).empty());
  CHECK(s.provenance_at("doc", 20, 20).size() == 1);
  CHECK(s.provenance_at("doc", 10, 17).size() == 1);

  // Persisted (the buffer is what is on disk): a closed file's provenance comes from the store.
  s.close("doc");
  auto stored = s.file_provenance(path);
  REQUIRE(stored);
  CHECK(stored->text == text);
  REQUIRE(stored->spans.size() == 1);
  CHECK(stored->spans[0].start == 16);

  // Reviewed: the AI range is no longer AI.
  REQUIRE(s.open("doc", path, grammars::by_path(path), text, 1));
  loop.run();
  REQUIRE(s.mark_reviewed("doc", 0, static_cast<uint32_t>(text.size())));
  CHECK(s.provenance("doc").at(0).label.origin == provenance::Origin::reviewed);

  // A proposal checked without opening anything.
  auto checked = s.check_text(path, *grammars::by_path(path), "import requests\nrequests.post(u, verify=False)\n", {});
  REQUIRE(checked.findings.size() == 1);
  CHECK(checked.findings[0].fix);
  CHECK(s.is_rule_file((root.path / ".vigil" / "rules" / "x.yaml").string()));
  CHECK_FALSE(s.is_rule_file(path));
  CHECK(s.is_config_file((root.path / ".vigil" / "config.yaml").string()));
  s.shutdown();
}

TEST_CASE("session: settings layers re-analyse open documents") {
  TempRoot root;
  root.write(".vigil/config.yaml", "scope: all\nbogus: 1\n");
  Loop loop;
  session::Session s({{}, true, 0}, loop.events());
  s.open_workspace(root.path.string());
  auto problems = s.reload_config_file();
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].line == 2);
  s.apply_config(true);
  CHECK(s.config().scope == workspace::Scope::all);
  const std::string path = (root.path / "a.py").string();
  REQUIRE(s.open("a", path, grammars::by_path(path), "x = 1\n", 1));
  loop.run();
  const uint64_t before = s.analysis("a")->generation;
  std::vector<rules::Problem> p;
  s.set_config_layer(session::ConfigLayerKind::user, workspace::config_layer_from_json("user", {{"scope", "ai"}}, p));
  CHECK_FALSE(s.apply_config(false).has_value());  // rule settings unchanged: no reload
  CHECK(s.config().scope == workspace::Scope::ai);
  CHECK(s.analysis("a") == nullptr);
  loop.run();
  REQUIRE(s.analysis("a"));
  CHECK(s.analysis("a")->generation > before);
  s.shutdown();
}

TEST_CASE("session: built-in rules load per language on first use; workspace rules still override them") {
  TempRoot root;
  fs::create_directories(root.path / ".vigil" / "rules");
  // A workspace rule with a built-in rule's id: it must keep winning over the pack loaded later.
  root.write(".vigil/rules/py-tls-verify-disabled.yaml",
             "id: py-tls-verify-disabled\nlanguage: python\nseverity: warning\nmessage: the workspace's own\n"
             "rule:\n  pattern: requests.get($$$ARGS, verify=False)\n");
  Loop loop;
  session::Session s({{}, true, 0, true}, loop.events());
  s.open_workspace(root.path.string());
  s.apply_config(true);
  CHECK(s.builtin_languages().empty());
  CHECK(s.rule("py-eval-injection") == nullptr);  // no pack compiled at start
  REQUIRE(s.rule("py-tls-verify-disabled"));       // the workspace's rules are
  const std::string path = (root.path / "app.py").string();
  REQUIRE(s.open("doc", path, grammars::by_path(path), "import requests\nrequests.get(u, verify=False)\n", 1));
  loop.run();
  CHECK(s.builtin_languages() == std::set<const grammars::Language*>{grammars::by_path(path)});
  CHECK(s.rule("py-eval-injection"));              // the Python pack...
  CHECK(s.rule("go-jwt-unverified") == nullptr);   // ...and no other
  REQUIRE(s.rule("py-tls-verify-disabled"));
  CHECK(s.rule("py-tls-verify-disabled")->message == "the workspace's own");
  const auto* a = s.analysis("doc");
  REQUIRE(a);
  REQUIRE(a->findings.size() == 1);
  CHECK(a->findings[0].rule->message == "the workspace's own");
  // A reload keeps the languages seen.
  s.reload_rules();
  CHECK(s.rule("py-eval-injection"));
  CHECK(s.rule("py-tls-verify-disabled")->message == "the workspace's own");
  s.shutdown();

  // Without builtin_on_first_use (MCP) every pack loads with the settings.
  session::Session eager({{}, true, 0}, loop.events());
  eager.apply_config(true);
  CHECK(eager.rule("py-eval-injection"));
  CHECK(eager.rule("go-jwt-unverified"));
}

// The bank's view is read again at most every two seconds on the typing path (feedback_view):
// automatic validation stores a verdict per finding from its own connection, and each read scans
// the whole bank. catch_up_feedback (once per publish of new verdicts) reads it at once.
TEST_CASE("session: another connection's write to the bank is read at once by catch_up_feedback, not on every look") {
  TempRoot root;
  Loop loop;
  session::Session s({{}, true, 0}, loop.events());
  open_analysed_app(s, loop, root, "import requests\nrequests.get(u, verify=False)\n");
  REQUIRE(s.analysis("doc")->findings.size() == 1);
  const std::string fingerprint = s.analysis("doc")->findings[0].fingerprint;
  std::string error;
  // Our own write reads the view again at once (and starts the interval).
  REQUIRE(s.record_verdict("doc", fingerprint, std::nullopt, feedback::Kind::confirmed, "", "test", error));
  CHECK(s.feedback_view().confirmed.contains(fingerprint));

  auto other = store::Database::open(store::database_path(root.path.string()), false, error);
  REQUIRE(other);
  feedback::Bank bank(*other);
  feedback::Verdict v;
  v.fingerprint = fingerprint;
  v.rule_id = "py-tls-verify-disabled";
  v.kind = feedback::Kind::false_positive;
  v.source = "user";
  v.author = "another window";
  v.created_at = 4102444800;  // later than the confirmation
  REQUIRE(bank.record(v, &error));

  CHECK_FALSE(s.feedback_view().hidden.contains(fingerprint));  // within the interval: not read yet
  loop.analysed.clear();
  CHECK(s.catch_up_feedback());
  CHECK(s.feedback_view().hidden.contains(fingerprint));
  REQUIRE(s.analysis("doc"));
  CHECK(s.analysis("doc")->findings.empty());
  CHECK(loop.analysed == std::vector<std::string>{"doc"});
  CHECK_FALSE(s.catch_up_feedback());  // nothing new
  s.shutdown();
}

// A confirmed finding that an edit makes disappear is recorded as fixed (source "fix"); one nobody
// confirmed is not, nor is a confirmed one still present.
TEST_CASE("session: an edit that removes a confirmed finding records it as fixed, and nothing else") {
  TempRoot root;
  Loop loop;
  session::Session s({{}, true, 0}, loop.events());
  open_analysed_app(s, loop, root,
                    "import requests\nimport subprocess\nimport pickle\n\n"
                    "def a(u):\n    return requests.get(u, verify=False)\n\n"
                    "def b(cmd):\n    return subprocess.call(cmd, shell=True)\n\n"
                    "def c(s):\n    return pickle.loads(s)\n");
  const auto& findings = s.analysis("doc")->findings;
  REQUIRE(findings.size() == 3);
  const std::string in_a = findings[0].fingerprint, in_b = findings[1].fingerprint, in_c = findings[2].fingerprint;
  REQUIRE(in_a != in_b);
  REQUIRE(in_b != in_c);
  std::string error;
  REQUIRE(s.record_verdict("doc", in_a, std::nullopt, feedback::Kind::confirmed, "", "test", error));
  REQUIRE(s.record_verdict("doc", in_c, std::nullopt, feedback::Kind::confirmed, "", "test", error));
  CHECK(s.feedback_view().fixed.empty());

  // a's and b's calls fixed; c's (confirmed) stays.
  document::TextChange fix_a, fix_b;
  fix_a.range = document::Range{{5, 34}, {5, 39}};
  fix_a.text = "True";
  fix_b.range = document::Range{{8, 38}, {8, 42}};
  fix_b.text = "False";
  REQUIRE(s.change("doc", {fix_b, fix_a}, document::Encoding::utf16, 2));
  loop.run();
  REQUIRE(s.analysis("doc"));
  REQUIRE(s.analysis("doc")->findings.size() == 1);
  CHECK(s.analysis("doc")->findings[0].fingerprint == in_c);
  const auto& view = s.feedback_view();
  CHECK(view.fixed.contains(in_a));
  CHECK_FALSE(view.fixed.contains(in_b));  // nobody confirmed it
  CHECK_FALSE(view.fixed.contains(in_c));  // still there
  s.shutdown();
}
