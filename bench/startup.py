#!/usr/bin/env python3
"""What a user waits for before the first answer, with all built-in rules loaded.

- `vigil check FILE` on one small file per language (a pre-commit hook does this on every commit):
  wall time, CPU time and peak RSS, median of --repeat runs.
- The server: `initialize` -> its response, and `didOpen` -> the first publishDiagnostics.
- `ast-grep scan` on the same file with the differential corpus' rules (tests/differential/rules,
  ast-grep rule files of a similar kind and number), when ast-grep is installed, same run.

Usage: bench/startup.py [VIGIL] [--repeat 5] [--ast-grep PATH]
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "protocol"))
from lsp_client import Client  # noqa: E402

DEFAULT_AST_GREP = os.path.join(ROOT, "tests", "node_modules", "@ast-grep", "cli-linux-x64-gnu", "ast-grep")

# One ordinary file per language: a few functions, one of them flagged.
SAMPLES = {
    "python": ("app.py", "import subprocess\n\n\ndef run(cmd):\n    return subprocess.run(cmd, shell=True)\n\n\ndef add(a, b):\n    return a + b\n"),
    "javascript": ("app.js", "const cp = require('child_process');\n\nfunction run(cmd) {\n  return cp.execSync(cmd);\n}\n\nmodule.exports = { run };\n"),
    "go": ("app.go", "package app\n\nimport \"os/exec\"\n\nfunc Run(cmd string) error {\n\treturn exec.Command(\"sh\", \"-c\", cmd).Run()\n}\n"),
    "java": ("App.java", "class App {\n  void run(String cmd) throws Exception {\n    Runtime.getRuntime().exec(cmd);\n  }\n}\n"),
    "c": ("app.c", "#include <stdlib.h>\n\nint run(const char *cmd) {\n  return system(cmd);\n}\n"),
    "cpp": ("app.cpp", "#include <cstdlib>\n#include <string>\n\nint run(const std::string& cmd) {\n  return std::system(cmd.c_str());\n}\n"),
}


def timed(argv, cwd):
    """(wall seconds, CPU seconds, peak RSS KiB) of one run of argv."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def median_run(argv, cwd, repeat):
    runs = [timed(argv, cwd) for _ in range(repeat)]
    return tuple(statistics.median(r[i] for r in runs) for i in range(3))


def server_times(vigil, cwd, name, text, language):
    c = Client([vigil, "lsp", "--log-level", "off"], cwd=cwd)
    start = time.perf_counter()
    rid = c.request("initialize", {"processId": None, "rootUri": "file://" + cwd, "capabilities": {},
                                   "initializationOptions": {"scope": "all"}})
    c.response(rid, timeout=60)
    initialized = time.perf_counter() - start
    c.notify("initialized", {})
    uri = "file://" + os.path.join(cwd, name)
    start = time.perf_counter()
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}})
    c.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri, timeout=60)
    first = time.perf_counter() - start
    c.shutdown_and_exit()
    return initialized, first


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vigil", nargs="?", default=os.path.join(ROOT, "build", "cli", "vigil"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--ast-grep", default=DEFAULT_AST_GREP)
    args = ap.parse_args()
    args.vigil = os.path.abspath(args.vigil)  # the runs happen in a temporary directory
    have_sg = os.access(args.ast_grep, os.X_OK)
    rules_dir = os.path.join(ROOT, "tests", "differential", "rules")
    print(f"one-file start-up, all built-in rules, median of {args.repeat} (wall ms / CPU ms / peak RSS MB)")
    print(f"{'language':<11} {'vigil check':>22} {'ast-grep scan':>22} {'initialize':>11} {'didOpen->diag':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, ".vigil"))
        for language, (name, text) in SAMPLES.items():
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text)
            wall, cpu, rss = median_run([args.vigil, "check", "--no-progress", name], tmp, args.repeat)
            vigil_cell = f"{wall * 1000:6.0f} / {cpu * 1000:5.0f} / {rss / 1024:4.0f}"
            sg_cell = "n/a"
            lang_rules = rules_dir  # every rule file: ast-grep keeps those of the file's language
            if have_sg and os.path.isdir(lang_rules):
                config = os.path.join(tmp, f"sgconfig-{language}.yml")
                with open(config, "w") as f:
                    f.write(f"ruleDirs:\n  - {lang_rules}\n")
                w, c, r = median_run([args.ast_grep, "scan", "--config", config, name], tmp, args.repeat)
                sg_cell = f"{w * 1000:6.0f} / {c * 1000:5.0f} / {r / 1024:4.0f}"
            inits, opens = [], []
            for _ in range(max(1, args.repeat // 2)):
                i, o = server_times(args.vigil, tmp, name, text, language)
                inits.append(i)
                opens.append(o)
            print(f"{language:<11} {vigil_cell:>22} {sg_cell:>22} {statistics.median(inits) * 1000:9.0f}ms "
                  f"{statistics.median(opens) * 1000:12.0f}ms")


if __name__ == "__main__":
    main()
