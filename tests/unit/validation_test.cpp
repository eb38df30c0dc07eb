#include <catch2/catch.hpp>

#include "analyzers/engine.hpp"
#include "analyzers/rules/loader.hpp"
#include "analyzers/validation/deep.hpp"
#include "analyzers/validation/prompt.hpp"
#include "analyzers/validation/redact.hpp"
#include "analyzers/workspace/config.hpp"

using namespace vigil;
using namespace vigil::validation;

TEST_CASE("redaction: real-looking secrets never survive") {
  const std::string code = R"(AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
aws_secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
gh = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"
slack = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
openai = "sk-proj-Ab3dEf6hIj9kLmN0pQr5tUv8wXyZ12"
stripe = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
google = "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"
jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
DATABASE_URL = "postgresql://app:S3cr3tPa55@db.example.com:5432/prod"
conn = "Server=tcp:db;Database=app;User Id=sa;Password=Pa55w0rd!;"
db_password = "correct horse battery staple"
headers = {"Authorization": "Bearer abcdef0123456789abcdef0123456789"}
random_blob = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo"
-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEA7V2m0Lw1ZQ0Z
-----END RSA PRIVATE KEY-----
)";
  auto r = redact_secrets(code);
  for (const char* secret :
       {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
        "xoxb-123456789012", "sk-proj-Ab3dEf6hIj9kLmN0pQr5tUv8wXyZ12", "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", "S3cr3tPa55", "Pa55w0rd!",
        "correct horse battery staple", "abcdef0123456789abcdef0123456789", "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo",
        "MIIEpAIBAAKCAQEA7V2m0Lw1ZQ0Z"}) {
    INFO(secret);
    CHECK(r.text.find(secret) == std::string::npos);
  }
  CHECK(r.count >= 14);
  // What is not secret stays, so the code still reads.
  CHECK(r.text.find("DATABASE_URL") != std::string::npos);
  CHECK(r.text.find("db.example.com:5432/prod") != std::string::npos);
  CHECK(r.text.find("<redacted:private-key>") != std::string::npos);
  // Ordinary code is left alone.
  const std::string plain = "query = \"SELECT * FROM users WHERE id = %s\"\nname = request.args.get('name')\nos.system('ls ' + name)\n";
  auto p = redact_secrets(plain);
  CHECK(p.count == 0);
  CHECK(p.text == plain);
}

TEST_CASE("model answers: JSON, fenced, embedded, prose, nothing") {
  std::string error;
  auto a = parse_model_answer(R"({"status":"refuted","explanation":"constant","confidence":0.8,"suggestedFix":""})", error);
  REQUIRE(a);
  CHECK(a->status == Status::refuted);
  CHECK(a->confidence == Approx(0.8));
  auto b = parse_model_answer("Sure!\n```json\n{\"verdict\": \"true_positive\", \"reason\": \"x\", \"confidence\": 85}\n```\n", error);
  REQUIRE(b);
  CHECK(b->status == Status::confirmed);
  CHECK(b->confidence == Approx(0.85));
  auto c = parse_model_answer("My answer: {\"status\": \"uncertain\", \"explanation\": \"needs callers\"} hope this helps", error);
  REQUIRE(c);
  CHECK(c->status == Status::uncertain);
  auto d = parse_model_answer("Verdict: **refuted** — the value is cast to int first.", error);
  REQUIRE(d);
  CHECK(d->status == Status::refuted);
  auto e = parse_model_answer("This is a true positive: the input reaches the shell.", error);
  REQUIRE(e);
  CHECK(e->status == Status::confirmed);
  CHECK_FALSE(parse_model_answer("I like turtles.", error));
  CHECK_FALSE(error.empty());
  CHECK_FALSE(parse_model_answer(R"({"status": "maybe"})", error));
}

TEST_CASE("settings: a workspace cannot choose endpoints or commands unless the user trusts it") {
  std::vector<rules::Problem> problems;
  auto project = workspace::config_layer_from_yaml(".vigil/config.yaml",
                                                   "validation:\n  auto: all\n  endpoint:\n    url: https://evil.example/v1\n"
                                                   "  command:\n    argv: [sh, -c, 'curl evil']\n  trustedWorkspaces: [/work/p]\n",
                                                   problems);
  CHECK(problems.empty());
  auto config = workspace::merge_config({project}, "/work/p");
  CHECK(config.validation.auto_mode == workspace::AutoValidation::all);  // harmless keys still apply
  CHECK_FALSE(config.validation.endpoint.configured());
  CHECK_FALSE(config.validation.command.configured());
  REQUIRE(config.validation.ignored.size() == 3);
  CHECK(config.validation.ignored[0].find("`validation.endpoint` ignored") != std::string::npos);

  auto user = workspace::config_layer_from_json("workspace/configuration",
                                                {{"validation", {{"trustedWorkspaces", {"/work/p/"}}}}}, problems);
  auto trusted = workspace::merge_config({project, user}, "/work/p");
  CHECK(trusted.validation.endpoint.url == "https://evil.example/v1");
  CHECK(trusted.validation.command.argv.size() == 3);
  CHECK(trusted.validation.ignored.empty());
  auto elsewhere = workspace::merge_config({project, user}, "/work/other");
  CHECK_FALSE(elsewhere.validation.endpoint.configured());

  auto own = workspace::config_layer_from_json(
      "initializationOptions", {{"validation", {{"endpoint", {{"url", "http://127.0.0.1:11434/v1"}, {"model", "llama3"}}}}}}, problems);
  auto mine = workspace::merge_config({project, own}, "/work/p");
  CHECK(mine.validation.endpoint.url == "http://127.0.0.1:11434/v1");
  CHECK(mine.validation.endpoint.model == "llama3");
  CHECK(problems.empty());
  workspace::config_layer_from_yaml("c.yaml", "validation:\n  auto: sometimes\n  validator: oracle\n", problems);
  CHECK(problems.size() == 2);
}

namespace {

std::vector<Finding> findings_of(const std::string& rule_yaml, const std::string& path, const std::string& code,
                                  std::shared_ptr<const document::Snapshot>& snapshot, RuleSet& set) {
  auto loaded = rules::load_rules_from_yaml("test.yaml", rule_yaml);
  REQUIRE(loaded.problems.empty());
  for (auto& r : loaded.rules) set.add(r);
  snapshot = document::Snapshot::parse(path, *grammars::by_path(path), code);
  return analyze(set, *snapshot);
}

const char* kShellRule = R"(id: shell
language: python
severity: error
message: shell
constraint: no shell from input
mode: taint
sources:
  - pattern: request.args
sinks:
  - pattern: os.system($X)
    focus: X
)";

// The deep analyzer's verdict on each finding of kShellRule in `code`, by 1-based line.
std::map<uint32_t, Verdict> shell_verdicts_by_line(const std::string& code) {
  std::shared_ptr<const document::Snapshot> snap;
  RuleSet set;
  auto found = findings_of(kShellRule, "a.py", code, snap, set);
  std::map<uint32_t, Verdict> by_line;
  for (const auto& f : found) by_line[f.start.row + 1] = deep_validate(f, *snap);
  return by_line;
}

}  // namespace

TEST_CASE("deep analyzer: refutes with a reason, confirms with the path") {
  const std::string code = R"(import os
from flask import request
MODES = {"a": "fast", "b": "slow"}

def _number(raw):
    return int(raw)

def h():
    v = request.args.get("v")
    os.system("run " + v)
    if False:
        os.system("dead " + v)
    m = MODES.get(v, "fast")
    os.system("mode " + m)
    n = _number(v)
    os.system("count " + str(n) + v[:0])
    if v not in ("x", "y"):
        raise ValueError(v)
    os.system("checked " + v)
)";
  auto by_line = shell_verdicts_by_line(code);
  REQUIRE(by_line.count(10));
  CHECK(by_line[10].status == Status::confirmed);
  REQUIRE(by_line[10].path.size() >= 2);
  CHECK(by_line[10].path.front().find("line 9: source") == 0);
  CHECK(by_line[10].path.back().find("line 10: sink") == 0);
  // The dead branch (line 12) and the literal-only guard (line 19) are understood by the fast pass
  // itself, which reports nothing there; the fixed choice from a module-level map is left to the
  // deep analyzer.
  CHECK_FALSE(by_line.count(12));
  REQUIRE(by_line.count(14));
  CHECK(by_line[14].status == Status::refuted);
  CHECK(by_line[14].explanation.find("fixed choice") != std::string::npos);
  CHECK_FALSE(by_line.count(19));
}

// Validators keep the file's index for the next finding of the same snapshot: the verdicts are the
// ones a fresh analysis gives, in any order.
TEST_CASE("deep analyzer: a file indexed once gives each finding its fresh verdict, in any order") {
  std::string code = "import os\nfrom flask import request\nMODES = {\"a\": \"fast\"}\n\n";
  for (int i = 0; i < 6; ++i) {
    const std::string n = std::to_string(i);
    code += "def helper" + n + "(raw):\n    return int(raw)\n\n";
    code += "def h" + n + "():\n    v = request.args.get(\"v\")\n    os.system(\"run \" + v)\n";
    code += "    os.system(\"mode \" + MODES.get(v, \"fast\"))\n    os.system(\"n \" + str(helper" + n + "(v)))\n\n";
  }
  std::shared_ptr<const document::Snapshot> snap;
  RuleSet set;
  auto found = findings_of(kShellRule, "a.py", code, snap, set);
  REQUIRE(found.size() >= 12);
  std::vector<Verdict> fresh;
  for (const auto& f : found) fresh.push_back(deep_validate(f, *snap));
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t k = 0; k < found.size(); ++k) {
      const size_t i = pass == 0 ? k : found.size() - 1 - k;
      const Verdict v = deep_validate(found[i], *snap, snap);
      INFO("finding at line " << found[i].start.row + 1 << ", pass " << pass);
      CHECK(v.status == fresh[i].status);
      CHECK(v.explanation == fresh[i].explanation);
    }
  }
  CHECK(std::count_if(fresh.begin(), fresh.end(), [](const Verdict& v) { return v.status == Status::refuted; }) > 0);
  CHECK(std::count_if(fresh.begin(), fresh.end(), [](const Verdict& v) { return v.status == Status::confirmed; }) > 0);
}

// The decoys the fast pass cannot fold itself (a module-level constant condition, an allow-list
// held in a module-level name that is not a literal: the fast pass clears only constant ones)
// still reach the deep analyzer, which refutes them with a reason.
TEST_CASE("deep analyzer: refutes a module-constant branch and a named allow-list") {
  const std::string code = R"(import os
from flask import request
DEBUG = False
ALLOWED = tuple(os.environ.get("ALLOWED", "x,y").split(","))

def h():
    v = request.args.get("v")
    if DEBUG:
        os.system("dead " + v)
    if v not in ALLOWED:
        raise ValueError(v)
    os.system("checked " + v)
)";
  auto by_line = shell_verdicts_by_line(code);
  REQUIRE(by_line.count(9));
  CHECK(by_line[9].status == Status::refuted);
  CHECK(by_line[9].explanation.find("never") != std::string::npos);
  REQUIRE(by_line.count(12));
  CHECK(by_line[12].status == Status::refuted);
  CHECK(by_line[12].explanation.find("allow-list") != std::string::npos);
}

TEST_CASE("prompt: the rule's constraint, the trace and the function") {
  std::shared_ptr<const document::Snapshot> snap;
  RuleSet set;
  auto found = findings_of(kShellRule, "a.py", "import os\nfrom flask import request\ndef h():\n    os.system(request.args['x'])\n", snap, set);
  REQUIRE(found.size() == 1);
  auto req = make_request(found[0], *snap, &set, "ai (bulk-insert)");
  CHECK(req.function_line == 3);
  CHECK(req.function_code.find("def h():") == 0);
  auto p = build_prompt(req);
  CHECK(p.user.find("Constraint: no shell from input") != std::string::npos);
  CHECK(p.user.find("line 4: source: request.args") != std::string::npos);
  CHECK(p.user.find("Written by: ai (bulk-insert)") != std::string::npos);
  CHECK(p.system.find("\"status\"") != std::string::npos);
  CHECK(verdict_schema()["required"].size() == 4);
  // The key changes when the function changes, not when lines move.
  auto moved = document::Snapshot::parse("a.py", *grammars::by_path("a.py"),
                                         "import os\n\nfrom flask import request\ndef h():\n    os.system(request.args['x'])\n");
  auto again = analyze(set, *moved);
  REQUIRE(again.size() == 1);
  CHECK(context_key(make_request(again[0], *moved, &set), "deep") == context_key(req, "deep"));
}

TEST_CASE("model answers nested 60,000 levels deep are refused without recursing") {
  // An endpoint or command is outside the process: its JSON is parsed with the depth bounded.
  const std::string deep = "{\"status\":\"refuted\",\"explanation\":\"read from the JSON\",\"x\":" +
                           std::string(60000, '[') + std::string(60000, ']') + "}";
  std::string error;
  std::optional<Verdict> v;
  REQUIRE_NOTHROW(v = parse_model_answer(deep, error));
  if (v) CHECK(v->explanation != "read from the JSON");  // at most the prose reading of the text
}
