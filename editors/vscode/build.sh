#!/usr/bin/env bash
# Builds editors/vscode/vigil.vsix: installs the pinned tools (package-lock.json), type-checks,
# bundles the extension with esbuild (vscode-languageclient included, so the package needs no
# node_modules) and packages it with @vscode/vsce.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
stamp=node_modules/.vigil-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --ignore-scripts --no-audit --no-fund >&2
  cp package-lock.json "$stamp"
fi
node_modules/.bin/tsc -p .
node_modules/.bin/esbuild src/extension.ts --bundle --platform=node --target=node18 --format=cjs \
  --external:vscode --outfile=out/extension.js --log-level=warning
node_modules/.bin/vsce package --no-dependencies --allow-missing-repository --skip-license -o vigil.vsix >&2
echo "$(pwd)/vigil.vsix"
