// The feedback bank (analyzers/feedback): votes, hiding, precision, lowering, idempotent records,
// fixes from runs, lessons, and the validators' verdicts seen through the view.
#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

#include "analyzers/feedback/bank.hpp"
#include "analyzers/feedback/effects.hpp"
#include "analyzers/store/store.hpp"

using namespace vigil;

namespace {

feedback::Verdict vote(std::string fp, feedback::Kind kind, std::string author, int64_t at, std::string source = "user") {
  feedback::Verdict v;
  v.fingerprint = std::move(fp);
  v.rule_id = "rule-a";
  v.kind = kind;
  v.source = std::move(source);
  v.author = std::move(author);
  v.created_at = at;
  v.provenance = "ai";
  v.context = "eval(x)";
  return v;
}

}  // namespace

TEST_CASE("feedback bank: votes, hiding, precision, idempotent records, runs, lessons") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("vigil-feedback-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::string error;
  auto db = store::Database::open(store::database_path(dir.string()), false, error);
  REQUIRE(db);
  feedback::Bank bank(*db);

  bool inserted = false;
  REQUIRE(bank.record(vote("f1", feedback::Kind::false_positive, "ada", 100), &error, &inserted));
  CHECK(inserted);
  REQUIRE(bank.record(vote("f1", feedback::Kind::false_positive, "ada", 100), &error, &inserted));
  CHECK_FALSE(inserted);  // the same verdict twice: one row
  REQUIRE(bank.record(vote("f2", feedback::Kind::confirmed, "bob", 101)));
  auto view = bank.view();
  CHECK(view.hidden == std::set<std::string>{"f1"});
  CHECK(view.rules["rule-a"].confirmed == 1);
  CHECK(view.rules["rule-a"].false_positives == 1);
  CHECK(*view.rules["rule-a"].precision() == Approx(0.5));

  // Changing one's mind replaces the vote; a confirmation un-hides.
  REQUIRE(bank.record(vote("f1", feedback::Kind::confirmed, "ada", 102)));
  view = bank.view();
  CHECK(view.hidden.empty());
  CHECK(view.rules["rule-a"].confirmed == 2);
  CHECK(view.rules["rule-a"].false_positives == 0);

  // A validator's refutation is a separate count, and hides only when the setting says so.
  store::VerdictStore validators(*db);
  REQUIRE(validators.save({"f3", "deep", "k", "rule-a", "a.py", "refuted", "{}", 103}));
  view = bank.view();
  CHECK(view.refuted == std::set<std::string>{"f3"});
  CHECK(view.rules["rule-a"].validator_refuted == 1);
  CHECK(view.rules["rule-a"].false_positives == 0);

  // Effects: hidden by fingerprint; lowered under the threshold with enough votes, saying why.
  auto rule = std::make_shared<rules::Rule>();
  rule->id = "rule-a";
  auto finding = [&](std::string fp) {
    Finding f;
    f.rule = rule;
    f.severity = rules::Severity::error;
    f.message = "m";
    f.fingerprint = std::move(fp);
    return f;
  };
  workspace::FeedbackSettings settings;
  settings.min_votes = 2;
  settings.precision_threshold = 0.5;
  std::vector<Finding> findings = {finding("f1"), finding("f3"), finding("f4")};
  feedback::View lowering = view;
  lowering.hidden = {"f4"};
  lowering.rules["rule-a"].confirmed = 0;
  lowering.rules["rule-a"].false_positives = 3;
  // affects(): whether apply() changes anything (the session keeps the raw findings only then).
  CHECK(feedback::affects(findings, lowering, settings));
  CHECK_FALSE(feedback::affects(findings, feedback::View{}, settings));
  CHECK_FALSE(feedback::affects(findings, view, settings));  // f3 refuted, but refuted ones are shown
  feedback::View hiding_other;
  hiding_other.hidden = {"f9"};
  CHECK_FALSE(feedback::affects(findings, hiding_other, settings));
  hiding_other.hidden = {"f3"};
  CHECK(feedback::affects(findings, hiding_other, settings));
  feedback::View only_lowering;
  only_lowering.rules["rule-a"] = lowering.rules["rule-a"];
  CHECK(feedback::affects(findings, only_lowering, settings));
  std::vector<Finding> hints = {finding("f1")};
  hints[0].severity = rules::Severity::hint;  // the lowest already: nothing to lower
  CHECK_FALSE(feedback::affects(hints, only_lowering, settings));
  CHECK(feedback::apply(findings, lowering, settings) == 1);
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].severity == rules::Severity::warning);
  CHECK(findings[0].message.find("severity lowered") != std::string::npos);
  settings.hide_refuted = true;
  std::vector<Finding> more = {finding("f3")};
  CHECK(feedback::apply(more, view, settings) == 1);

  // A run: seen, then gone = fixed (only for the paths checked).
  auto fixed = bank.record_run({{"r1", "rule-a", "a.py", "eval(x)", "ai", 3}, {"r2", "rule-a", "b.py", "eval(y)", "human", 4}},
                               {"a.py", "b.py"}, true, "ci", &error);
  REQUIRE(fixed);
  CHECK(*fixed == 0);
  fixed = bank.record_run({{"r2", "rule-a", "b.py", "eval(y)", "human", 4}}, {"a.py", "b.py"}, true, "ci", &error);
  REQUIRE(fixed);
  CHECK(*fixed == 1);
  const auto stats = bank.stats();
  CHECK(stats.rules.at("rule-a").fixed == 1);
  CHECK(stats.provenance.at("ai").fixed == 1);
  CHECK(stats.provenance.at("human").fixed == 0);

  // Export -> import elsewhere: the same verdicts, once.
  const auto all = bank.all();
  CHECK(all.size() == 5);  // 4 verdicts + the validator's
  auto other = store::Database::open(store::database_path((dir / "other").string()), false, error);
  REQUIRE(other);
  feedback::Bank copy(*other);
  std::vector<feedback::Verdict> round_trip;
  for (const auto& v : all) {
    auto back = feedback::Verdict::from_json(v.to_json(), error);
    REQUIRE(back);
    round_trip.push_back(*back);
  }
  CHECK(copy.record_all(round_trip, &error) == 5u);
  CHECK(copy.record_all(round_trip, &error) == 0u);

  // Lessons: confirmed or fixed in AI-written code, grouped by rule.
  const std::string lessons = feedback::render_lessons(bank.lessons(5), nullptr);
  CHECK(lessons.find("## Lessons from this repository") == 0);
  CHECK(lessons.find("`rule-a`") != std::string::npos);
  CHECK(lessons.find("eval(x)") != std::string::npos);
  CHECK(feedback::render_lessons({}, nullptr).empty());

  CHECK(feedback::snippet("a  \n\t b", 10) == "a b");
  CHECK(feedback::context_of("x = 1\ny = eval(z)\nw", 10, 17) == "y = eval(z)");
  db.reset();
  other.reset();
  fs::remove_all(dir);
}
