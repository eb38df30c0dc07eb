#include "cli/help.hpp"

#include <map>
#include <set>
#include <sstream>

#include "analyzers/rules/sources.hpp"

namespace vigil::cli {
namespace {

struct Command {
  const char* name;
  const char* summary;  // one line for the overview
  const char* help;     // the whole of `vigil <name> --help`
};

const Command kCommands[] = {
    {"check", "Check files and directories against the security rules",
     R"(Usage: vigil check [PATH]... [OPTIONS]

Check files and directories (default: .) against the security rules and report the findings.
Directories are walked skipping .gitignore'd files, the config's `exclude`, virtual environments
(any directory with pyvenv.cfg), node_modules, vendor, and minified or generated JavaScript. Files
named explicitly are always checked; a file without a known extension is read by its shebang
(`#!/usr/bin/env python3`, `node`), else reported as skipped.

Options:
  --format FORMAT            text (default), json, sarif (code scanning), markdown (a pull-request
                             comment or $GITHUB_STEP_SUMMARY), codequality (GitLab)
  -o, --output FILE          Write the report to FILE instead of stdout
  --fail-on LEVEL            Exit 1 when a finding is at or above LEVEL:
                             error|warning|info|hint|never (default: warning)
  -j, --jobs N               Files analysed in parallel (default: the number of cores)
  --file-budget SECONDS      Analysis time allowed per file (default: 5, or `fileBudget` in
                             .vigil/config.yaml); a file over it is reported as skipped
  --color auto|always|never  Colour in text output (default: auto: on a terminal, unless NO_COLOR)
  --progress                 Progress on stderr (files, MB/s, ETA) even when it is not a terminal
  --no-progress              No progress line (it is shown only when stderr is a terminal)
  --shard K/N                Check only the K-th of N parts of the files (split by path hash,
                             the same on every machine); `vigil report merge` joins the reports
  --link-base URL            Markdown links to files under URL (default: the commit's page on
                             GitHub Actions or GitLab CI, from their environment)
  --rules PATH               Also load rules from a file or directory (repeatable)
  --no-builtin               Do not load the built-in rules
  --ai-only                  Keep only findings in code an AI wrote (git trailers, authors and
                             notes, markers, globs, the editor's stored ranges)
  --diff REF                 Keep only findings on lines this branch changed since it left REF
                             (from the merge base, as `git diff REF...`; uncommitted and
                             untracked files count)
  --taint-parameters ai|all|off
                             Function parameters are untrusted input in AI-written code (ai,
                             the default; config key taint.parameters), everywhere, or never
  --fix                      Apply the safe fixes, then report what is left
  --unsafe-fixes             With --fix or --dry-run, include the unsafe fixes
  --dry-run                  Print the fixes as a unified diff and write nothing (exit 1 when
                             there is something to fix)
  --validate[=VALIDATOR]     Ask a second validator about every finding: deep (default: offline,
                             in process), or the endpoint or command of your user settings.
                             Refuted findings are reported as notes and do not fail the build;
                             --jobs bounds concurrent validations (docs/validation.md)
  --record                   Store what the run found in the feedback bank (.vigil/feedback.db);
                             findings recorded before that are gone from the files checked are
                             recorded as fixed (not with --diff or --ai-only)
  --no-feedback              Show the findings the feedback bank hides (marked false positives)
  --no-baseline              Show the findings .vigil/baseline.json accepts
  -h, --help                 Show this help

Findings marked false positive (editor, `vigil mcp`, an imported bank) and those in
.vigil/baseline.json are hidden; a line on stderr says how many. A rule whose measured precision is
under `feedback.precisionThreshold` with `feedback.minVotes` votes is lowered one level
(docs/feedback.md).

Test code (tests/, test_*.py, *_test.go, *.spec.ts, ...) has its findings lowered one severity level
(config `testCode`). Suppress a finding with `vigil-ignore: <rule-id> -- <reason>` on or above its
line.

Exit status: 0 clean, 1 findings at or above --fail-on (or fixes to apply with --dry-run),
2 usage or configuration error.
)"},
    {"feedback", "The feedback bank: stats, export, import, baseline",
     R"(Usage: vigil feedback stats [--format text|json]
       vigil feedback export [--format jsonl] [-o FILE]
       vigil feedback import FILE
       vigil feedback baseline [PATH]... [check options]

The feedback bank (.vigil/feedback.db) remembers every verdict on a finding, by fingerprint: marked
false positive or confirmed in the editor or by an agent, refuted or confirmed by a validator, seen
by `vigil check --record`, fixed.

  stats      Per rule: findings, confirmed, false positives, fixed, precision (confirmed /
             (confirmed + false positive)), the validators' verdicts; per provenance (AI-written,
             human-written): findings and how many were fixed
  export     Every verdict as JSON lines (context, rule, verdict, provenance; secrets redacted)
  import     Merge an exported bank; importing the same file twice changes nothing
  baseline   Write .vigil/baseline.json with every current finding (the same options as
             `vigil check`): commit it, and `vigil check` reports only new findings

Run it from the project (the directory holding .vigil/ or .git). See docs/feedback.md.

Exit status: 0 done, 2 usage error, unreadable file or database.
)"},
    {"prompt", "Print the rules as an agent's instructions, or keep them in AGENTS.md",
     R"(Usage: vigil prompt [--language L]... [--format markdown|json] [--for TARGET] [--write FILE [--check]]

Print the security constraints that apply to this project, for a coding agent's standing instructions:
the loaded rules (built-in, .vigil/rules, --rules) of the project's languages (or those given),
grouped by category, each constraint once with its CWEs, ordered by how often the project breaks it
now (a scan of the project; --no-rank skips it). The same text is what `vigil mcp`'s security_rules
tool returns and what secondary validation sends to a model.

Options:
  -l, --language L           Only rules for language L (repeatable; default: the project's languages)
  --format markdown|json     Output format (default: markdown)
  --for TARGET               agents-md, claude-md, copilot or cursor: print the marked section for
                             AGENTS.md, CLAUDE.md, .github/copilot-instructions.md or
                             .cursor/rules/*.mdc (default with --write: from the file name)
  --write FILE               Update the section between <!-- vigil:begin --> and <!-- vigil:end -->
                             in FILE (added at its end when missing; the rest stays as it was)
  --check                    With --write: change nothing, exit 1 when the section is stale
  --no-rank                  Do not scan the project; order by severity (a steadier section)
  --rules PATH               Also load rules from a file or directory (repeatable)
  --no-builtin               Do not load the built-in rules
  -h, --help                 Show this help

Exit status: 0 done (or up to date), 1 stale section with --check, 2 usage or configuration error.
)"},
    {"report", "Merge the reports of a sharded run",
     R"(Usage: vigil report merge PART... [-o FILE]

Merge the SARIF logs or JSON reports of `vigil check --shard K/N` runs into one report, as the run
over all files would have written it (JSON findings sorted by path and position, the summary added
up; SARIF results in canonical order, automationDetails.id without the shard). `-` reads a part
from stdin.

Options:
  -o, --output FILE          Write the merged report to FILE instead of stdout
  -h, --help                 Show this help

Exit status: 0 merged, 2 a part cannot be read or is not a report of the same kind.
)"},
    {"lsp", "Serve the Language Server Protocol on stdin/stdout",
     R"(Usage: vigil lsp [OPTIONS]

Serve the Language Server Protocol on stdin/stdout (editors start this).

Options:
  --rules PATH               Also load rules from a file or directory (repeatable)
  --no-builtin               Do not load the built-in rules
  --log-file FILE            Write logs to FILE instead of stderr
  --log-level LEVEL          trace|debug|info|warn|error|critical|off (default: info)
  --stdio                    Accepted for editors that pass it (stdio is the only transport)
  -h, --help                 Show this help
)"},
    {"mcp", "Serve the Model Context Protocol on stdin/stdout for coding agents",
     R"(Usage: vigil mcp [OPTIONS]

Serve the Model Context Protocol on stdin/stdout for coding agents: tools security_rules,
check_code and check_diff; resources vigil://rules/<id>. The workspace is --root or the project
around the current directory. See docs/mcp.md.

Options:
  --root DIR                 The workspace (default: the project around the current directory)
  --rules PATH               Also load rules from a file or directory (repeatable)
  --no-builtin               Do not load the built-in rules
  --log-file FILE            Write logs to FILE instead of stderr
  --log-level LEVEL          trace|debug|info|warn|error|critical|off (default: info)
  -h, --help                 Show this help
)"},
    {"test-rules", "Run rules against their annotated fixtures",
     R"(Usage: vigil test-rules [DIR]... [OPTIONS]

Run each rule against its annotated fixture beside it (`<rule-id>.<ext>`, with `ruleid: <id>` above
lines that must be flagged and `ok: <id>` above look-alikes that must not be) and its `tests:`
block. Without DIR: the built-in packs and the project's rules (.vigil/rules, config `rules:`),
loaded as `vigil check` loads them.

Options:
  --strict                   A rule without a fixture fails (always on for the built-in packs)
  -h, --help                 Show this help

Exit status: 0 when every rule passes, 1 otherwise.
)"},
    {"rules", "List the loaded rules",
     R"(Usage: vigil rules list [OPTIONS]

List the rules a `vigil check` here would load: built-in, the project's (.vigil/rules, config
`rules:`) and --rules paths. One rule a line (id, languages, CWE, severity); the count goes to
stderr.

Options:
  --format text|json         Output format (default: text)
  --rules PATH               Also load rules from a file or directory (repeatable)
  --no-builtin               Do not load the built-in rules
  -h, --help                 Show this help
)"},
    {"gen-tests", "Write security tests that fail while a finding's function is vulnerable",
     R"(Usage: vigil gen-tests FILE[:LINE] [OPTIONS]

Write tests, in the project's framework, that call the function of each finding in FILE (on LINE)
whose rule has a test template with attack inputs of its CWE family: they fail while the function
is vulnerable and pass once it is fixed. Prints the files written and how to run them.

Options:
  --function NAME            Only findings in NAME; without a finding, the function to test
  --cwe CWE-N                Only findings of CWE-N; without a finding, the family to test
  --family NAME              A template family by name (command-injection, sql-injection, ...)
  --framework NAME           pytest|unittest|node:test|jest|vitest|go|junit5|c-asan|gtest|catch2
                             (default: detected)
  --out DIR                  Write the tests to DIR (Go tests stay beside their package)
  --with-model               Also ask the model endpoint of your user settings for more cases of
                             the family (Python, JavaScript/TypeScript, Go); its code is redacted
                             on the way out and kept only if it parses and defines tests
  --run                      Run the tests (argument lists, no shell)
  --rules PATH               Also load rules from a file or directory (repeatable)
  --no-builtin               Do not load the built-in rules
  -h, --help                 Show this help

Exit status: 0 written (and passed with --run), 1 a test failed (--run), 2 nothing to generate
or a usage error. See docs/security-tests.md.
)"},
    {"parse", "Show syntax errors and trees as Vigil parses them",
     R"(Usage: vigil parse [PATH]... [OPTIONS]

Parse files (directories are walked as `vigil check` walks them) and report syntax errors as
`path:line:col: syntax error: ...`. Vigil still analyses the rest of a file with errors.

Options:
  --tree                     Print each syntax tree, indented, with [row, column] - [row, column]
                             positions (0-based, as `tree-sitter parse` prints them)
  -h, --help                 Show this help

Exit status: 0 no syntax errors, 1 syntax errors, 2 a file could not be parsed at all.
)"},
};

}  // namespace

std::string usage() {
  std::ostringstream out;
  out << "vigil - a language server that holds AI-written code to security rules\n\n"
         "Usage: vigil <command> [OPTIONS]\n\nCommands:\n";
  for (const auto& c : kCommands) {
    std::string name = c.name;
    name.resize(12, ' ');
    out << "  " << name << c.summary << '\n';
  }
  out << "\n  vigil <command> --help     Options of one command\n"
         "  vigil --version            Version, rule packs, grammars, build type\n\n"
         "Logs go to stderr (or `vigil lsp --log-file`), never to stdout.\n";
  return out.str();
}

const char* command_help(const std::string& command) {
  for (const auto& c : kCommands)
    if (command == c.name) return c.help;
  return nullptr;
}

std::string version_text() {
  std::ostringstream out;
  out << "vigil " << VIGIL_VERSION << " (" << VIGIL_BUILD_TYPE << " build)\n";
  // Packs are the built-in rule directories, one per language family (builtin:<pack>/<id>.yaml).
  std::map<std::string, size_t> packs;
  for (const auto& file : rules::builtin_pack()) {
    std::string_view path = file.path;
    if (path.starts_with("builtin:")) path.remove_prefix(8);
    const auto slash = path.find('/');
    if (slash == std::string_view::npos || !rules::is_rule_file(path)) continue;
    ++packs[std::string(path.substr(0, slash))];
  }
  size_t total = 0;
  std::string names;
  for (const auto& [name, count] : packs) {
    total += count;
    names += (names.empty() ? "" : ", ") + name + " " + std::to_string(count);
  }
  out << "built-in rules: " << total << " in " << packs.size() << " packs (" << names << ")\n";
  out << "grammars: " << VIGIL_GRAMMAR_VERSIONS << '\n';
  return out.str();
}

}  // namespace vigil::cli
