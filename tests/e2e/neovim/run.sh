#!/bin/sh
# End-to-end test with a real editor: headless Neovim (0.7+) drives `vigil lsp`.
#
# Usage: tests/e2e/neovim/run.sh [VIGIL_BIN] [REPO_ROOT]
#   VIGIL_BIN  defaults to REPO_ROOT/build/cli/vigil
#   REPO_ROOT  defaults to the repository containing this script
# Environment: NVIM (default: nvim), VIGIL_E2E_TIMEOUT (per-step ms, default 15000),
#              VIGIL_E2E_EXPECT (default: py-eval-injection; set it to check that a wrong id fails).
# Exit code: 0 when every case passes, 1 when one fails, 77 when Neovim is not installed (skip).
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=${2:-$(cd "$here/../../.." && pwd)}
bin=${1:-$root/build/cli/vigil}
nvim=${NVIM:-nvim}
expect=${VIGIL_E2E_EXPECT:-py-eval-injection}
lua=$here/diagnostics.lua

if ! command -v "$nvim" >/dev/null 2>&1; then
  echo "neovim e2e: SKIP ($nvim not found)" >&2
  exit 77
fi
if [ ! -x "$bin" ]; then
  echo "neovim e2e: vigil binary not found or not executable: $bin" >&2
  exit 1
fi
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-nvim-e2e.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# A file of our own, so the test does not depend on anybody's example files.
mkdir -p "$tmp/project"
cat >"$tmp/project/app.py" <<'EOF'
import sys


def handler(request):
    user_input = request.args.get("expr", "")
    return eval(user_input)


def safe():
    return eval("1 + 1")


if __name__ == "__main__":
    print(handler(sys.argv))
EOF

# For the code-action case (code_actions.lua): non-ASCII text before the first finding (UTF-8 here).
cat >"$tmp/project/fixme.py" <<'EOF'
import requests
from flask import Flask

label = "café 😀"; r = requests.get("https://example.org", verify=False)
app = Flask(__name__)


def fetch(url, expr):
    data = requests.post(url, data=expr, verify=False)
    if data:
        return eval(expr)
    return data


if __name__ == "__main__":
    app.run(debug=True)
EOF

failures=0
cases=0

# run_case NAME FILE LINE EDITS
run_case() {
  name=$1 file=$2 line=$3 edits=$4
  cases=$((cases + 1))
  log=$tmp/vigil-$cases.log
  echo "neovim e2e: $name ($file)" >&2
  # `timeout` is the last line of defence; the Lua script has its own per-step timeouts.
  if VIGIL_BIN=$bin VIGIL_E2E_FILE=$file VIGIL_E2E_EXPECT=$expect VIGIL_E2E_LINE=$line \
     VIGIL_E2E_EDITS=$edits VIGIL_E2E_LOG=$log \
     timeout -k 5 120 "$nvim" --headless -u NONE -i NONE -n --cmd 'set noswapfile' \
       -c "luafile $lua" </dev/null; then
    echo "neovim e2e: $name: ok" >&2
  else
    rc=$?
    [ "$rc" = 124 ] && echo "neovim e2e: $name: nvim killed by timeout" >&2
    echo "neovim e2e: $name: FAILED (exit $rc)" >&2
    failures=$((failures + 1))
  fi
}

run_case "temp file, open + edits" "$tmp/project/app.py" 6 1

# Code actions through vim.lsp.buf.code_action: a quick-fix (then suppress), and fix-all.
# run_actions NAME STEPS
run_actions() {
  cases=$((cases + 1))
  cp "$tmp/project/fixme.py" "$tmp/project/fixme-$cases.py"
  echo "neovim e2e: code actions: $1" >&2
  if VIGIL_BIN=$bin VIGIL_E2E_FILE=$tmp/project/fixme-$cases.py VIGIL_E2E_STEPS=$2 VIGIL_E2E_LOG=$tmp/vigil-$cases.log \
     timeout -k 5 120 "$nvim" --headless -u NONE -i NONE -n --cmd 'set noswapfile' \
       -c "luafile $here/code_actions.lua" </dev/null; then
    echo "neovim e2e: code actions: $1: ok" >&2
  else
    echo "neovim e2e: code actions: $1: FAILED (exit $?)" >&2
    failures=$((failures + 1))
  fi
}
run_actions "quick-fix and suppress" quickfix,suppress
run_actions "source.fixAll.vigil" fixall

# The plugin (editors/neovim) through require('vigil').setup{}: a project with .git, the file in a
# subdirectory, Neovim started elsewhere.
cases=$((cases + 1))
mkdir -p "$tmp/plugin-project/.git" "$tmp/plugin-project/src"
cat >"$tmp/plugin-project/src/app.py" <<'EOF'
import requests


def fetch(url, expr):
    r = requests.get(url, verify=False)
    return eval(expr)
EOF
echo "neovim e2e: plugin setup{}" >&2
if VIGIL_BIN=$bin VIGIL_E2E_PROJECT=$tmp/plugin-project VIGIL_PLUGIN=$root/editors/neovim \
   timeout -k 5 120 "$nvim" --headless -u NONE -i NONE -n --cmd 'set noswapfile' \
     -c "luafile $here/plugin.lua" </dev/null; then
  echo "neovim e2e: plugin setup{}: ok" >&2
else
  echo "neovim e2e: plugin setup{}: FAILED (exit $?)" >&2
  failures=$((failures + 1))
fi

# Also the project's example files, when there are any: each must yield the expected rule on open.
for f in "$root"/examples/python/*.py; do
  [ -f "$f" ] || continue
  grep -q "eval(" "$f" || continue
  run_case "example $(basename "$f"), open only" "$f" "" 0
done

if [ "$failures" -ne 0 ]; then
  echo "neovim e2e: $failures of $cases case(s) failed" >&2
  exit 1
fi
echo "neovim e2e: all $cases case(s) passed" >&2
exit 0
