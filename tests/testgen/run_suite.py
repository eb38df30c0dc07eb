#!/usr/bin/env python3
"""Fail-then-pass suite for generated security tests.

For each small vulnerable program of one language (tests/testgen/suite/<lang>/vulnerable/), in a
scratch project laid out as a real one:
  1. `vigil gen-tests FILE --function F --cwe CWE` writes the tests (from the finding when a built-in
     rule flags the function, else from the function and the CWE);
  2. the printed command runs them against the vulnerable program: they must FAIL;
  3. against a no-op stand-in with the same signature: they must FAIL too (a test that passes on a
     function that does nothing proves nothing), except for templates whose control is `none`
     (memory errors: a function that does nothing cannot overflow);
  4. against the fixed twin (tests/testgen/suite/<lang>/fixed/), written as a developer would fix
     it: they must PASS (an import error or a missing fixture there is a generator bug).
Every template of the language must be exercised by at least one program.

usage: run_suite.py VIGIL REPO_ROOT LANGUAGE [--keep]
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

VIGIL, REPO, LANG = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
KEEP = "--keep" in sys.argv
SUITE = os.path.join(REPO, "tests", "testgen", "suite")
# C++ projects that use GoogleTest or Catch2 share the C templates (in that framework's layout).
TEMPLATE_LANG = {"cpp-gtest": "c", "cpp-catch2": "c"}.get(LANG, LANG)
TEMPLATES = os.path.join(REPO, "analyzers", "testgen", "templates", TEMPLATE_LANG)

# Where a language's sources sit in the scratch project, and what else a real project has.
LAYOUT = {
    "python": ("app", {"pytest.ini": "[pytest]\n", "app/__init__.py": "", "tests/.keep": ""}),
    "javascript": ("src", {"package.json": '{"name": "suite", "private": true}\n', "test/.keep": ""}),
    "go": ("", {"go.mod": "module vigilsuite\n\ngo 1.19\n"}),
    "c": ("src", {"tests/.keep": ""}),
    "cpp-gtest": ("src", {"tests/.keep": "", "CMakeLists.txt": "find_package(GTest REQUIRED)\n"
                          "add_executable(unit_tests tests/main_test.cpp)\ntarget_link_libraries(unit_tests GTest::gtest_main)\n"}),
    "cpp-catch2": ("src", {"tests/.keep": "", "CMakeLists.txt": "find_package(Catch2 2 REQUIRED)\n"
                           "add_executable(unit_tests tests/main_test.cpp)\ntarget_link_libraries(unit_tests Catch2::Catch2)\n"}),
    # A Maven layout whose pom names JUnit Jupiter; tests go to src/test/java/<package>.
    "java": ("src/main/java/com/acme/ops", {
        "pom.xml": "<project><dependencies><dependency><groupId>org.junit.jupiter</groupId>"
                   "<artifactId>junit-jupiter</artifactId><version>5.9.2</version><scope>test</scope>"
                   "</dependency></dependencies></project>\n",
        "src/test/java/.keep": ""}),
}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def read(path):
    with open(path) as f:
        return f.read()


def noop_version(source, function):
    """The same function signature with a body that does nothing (returns a zero value)."""
    if LANG == "python":
        m = re.search(r"^def %s\(.*?\)(\s*->\s*[^:]+)?:" % re.escape(function), source, re.M | re.S)
        return "%s\n    return None\n" % m.group(0)
    if LANG == "javascript":
        m = re.search(r"^(async )?function %s\((.*?)\)" % re.escape(function), source, re.M | re.S)
        return "function %s(%s) {\n  return undefined;\n}\n\nmodule.exports = { %s };\n" % (function, m.group(2), function)
    if LANG == "go":
        package = re.search(r"^package (\w+)", source, re.M).group(1)
        m = re.search(r"^func %s\((.*?)\)\s*(.*?)\s*\{" % re.escape(function), source, re.M | re.S)
        params, results = m.group(1), m.group(2).strip()
        results_list = [r.strip() for r in results.strip("()").split(",") if r.strip()]
        body = "return " + ", ".join("*new(%s)" % r for r in results_list) if results_list else ""
        imports = [imp for key, imp in (("sql.", "database/sql"), ("http.", "net/http")) if key in params]
        head = "package %s\n\n" % package + "".join('import "%s"\n' % i for i in imports)
        return "%s\nfunc %s(%s) %s {\n\t%s\n}\n" % (head, function, params, results, body)
    if LANG.startswith("cpp-"):
        m = re.search(r"^([\w \t\*:<>&]+?)\b%s\((.*?)\)\s*\{" % re.escape(function), source, re.M | re.S)
        ret = m.group(1).strip()
        body = "" if ret == "void" else "  return {};\n"
        return "#include <stdio.h>\n#include <string>\n\n%s %s(%s) {\n%s}\n" % (ret, function, m.group(2), body)
    if LANG == "c":
        m = re.search(r"^([\w \t\*]+?)\b%s\((.*?)\)\s*\{" % re.escape(function), source, re.M | re.S)
        ret = m.group(1).strip()
        body = "" if ret == "void" else "  return 0;\n"
        return "#include <stdio.h>\n\n%s %s(%s) {\n%s}\n" % (ret, function, m.group(2), body)
    if LANG == "java":
        m = re.search(r"^([ \t]*(?:(?:public|protected|private|static|final|synchronized)\s+)*)([\w<>\[\], .]+?)\s+%s\s*\((.*?)\)\s*(throws [\w., ]+)?\s*\{"
                      % re.escape(function), source, re.M | re.S)
        ret = m.group(2).strip()
        zero = {"void": "", "boolean": "return false;"}.get(ret, "return 0;" if ret in ("int", "long", "short", "byte", "char", "double", "float") else "return null;")
        head = source[:re.search(r"^(public |final |abstract )*class ", source, re.M).start()]
        cls = re.search(r"^(?:public |final |abstract )*class (\w+)", source, re.M).group(1)
        return "%spublic class %s {\n%s {\n    %s\n  }\n}\n" % (head, cls, m.group(0)[:-1].rstrip(), zero)
    raise SystemExit("unknown language " + LANG)


def run_tests(project, commands, env):
    """Runs the printed commands in order; returns (passed, output)."""
    out = []
    for argv in commands:
        try:
            p = subprocess.run(argv, cwd=project, env=env, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            return False, "timeout: " + " ".join(argv)
        out.append("$ " + " ".join(argv) + "\n" + p.stdout + p.stderr)
        if p.returncode != 0:
            return False, "\n".join(out)
    return True, "\n".join(out)


def main():
    manifest = json.load(open(os.path.join(SUITE, "manifest.json")))[LANG]
    src_dir, extra = LAYOUT[LANG]
    project = tempfile.mkdtemp(prefix="vigil-testgen-%s-" % LANG)
    os.makedirs(os.path.join(project, ".vigil"))
    for rel, text in extra.items():
        write(os.path.join(project, rel), text)
    env = dict(os.environ)
    env.setdefault("GOFLAGS", "-mod=mod")
    env["GOPROXY"] = "off"
    # The sanitizer options scripts/sanitize exports are for Vigil's own binary; the generated C/C++
    # tests set theirs in __asan_default_options (no leak detection: the function under test may keep
    # what it allocates), which an inherited ASAN_OPTIONS=detect_leaks=1 would override.
    for name in ("ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"):
        env.pop(name, None)
    rows, problems, families = [], [], set()
    for entry in manifest:
        rel = os.path.join(src_dir, entry["file"]) if src_dir else entry["file"]
        vulnerable = read(os.path.join(SUITE, LANG, "vulnerable", entry["file"]))
        fixed = read(os.path.join(SUITE, LANG, "fixed", entry["file"]))
        target = os.path.join(project, rel)
        write(target, vulnerable)
        gen = subprocess.run([VIGIL, "gen-tests", rel, "--function", entry["function"], "--cwe", entry["cwe"]],
                             cwd=project, capture_output=True, text=True)
        name = "%s %s" % (entry["file"], entry["function"])
        if gen.returncode != 0:
            problems.append("%s: gen-tests exited %d\n%s%s" % (name, gen.returncode, gen.stdout, gen.stderr))
            continue
        wrote = [l for l in gen.stdout.splitlines() if re.match(r"^(wrote|added|has) ", l)]
        m = re.search(r": ([\w-]+) \((CWE-\d+)\) for \S+ \[(\S+)\]( from (\S+))?", wrote[0]) if wrote else None
        family, framework, rule = (m.group(1), m.group(3), m.group(5) or "-") if m else ("?", "?", "-")
        families.add(family)
        lines = gen.stdout.splitlines()
        start = next(i for i, l in enumerate(lines) if l.startswith("run from "))
        commands = []
        for l in lines[start + 1:]:
            for part in l.strip().split(" && "):
                commands.append(shlex.split(part))
        control = re.search(r"^control:\s*(\w+)", read(os.path.join(TEMPLATES, family + ".yaml")), re.M)
        control = control.group(1) if control else "sink"

        outcome = {}
        for phase, text in (("vulnerable", vulnerable), ("noop", noop_version(vulnerable, entry["function"])), ("fixed", fixed)):
            write(target, text)
            passed, output = run_tests(project, commands, env)
            outcome[phase] = passed
            expected = phase == "fixed" or (phase == "noop" and control == "none")
            if passed != expected:
                problems.append("%s: generated %s test %s on the %s version\n%s" %
                                (name, family, "passed" if passed else "failed", phase, output[-4000:]))
        write(target, fixed)
        rows.append((entry["file"], entry["function"], entry["cwe"], family, framework, rule,
                     "fail" if not outcome["vulnerable"] else "PASS(!)",
                     "fail" if not outcome["noop"] else ("pass (control: none)" if control == "none" else "PASS(!)"),
                     "pass" if outcome["fixed"] else "FAIL(!)"))

    print("| %s program | function | CWE | family | framework | from finding | vulnerable | no-op | fixed |" % LANG)
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    templates = {f[:-5] for f in os.listdir(TEMPLATES) if f.endswith(".yaml") and not f.startswith("_")}
    for missing in sorted(templates - families) if TEMPLATE_LANG == LANG else []:
        problems.append("template %s/%s.yaml is exercised by no program of the suite" % (LANG, missing))
    if KEEP:
        print("project kept in", project)
    else:
        shutil.rmtree(project, ignore_errors=True)
    if problems:
        print("\n".join(["", "PROBLEMS:"] + problems))
        return 1
    print("%d programs, %d families: every generated test failed on the vulnerable and no-op versions and passed on the fixed one"
          % (len(rows), len(families)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
