#!/usr/bin/env bash
# Architecture invariants (ARCHITECTURE.md), checked on every test run:
# grammars <- analyzers <- lsp, cli; the engine never includes protocol code; the matching core
# does no IO; stdout belongs to the protocol in the server.
set -u
root="$1"
fail=0
complain() { echo "layering: $*"; fail=1; }

grep -rnE '#include "(analyzers|lsp|cli)/' "$root/grammars"/*.cpp "$root/grammars/include" && complain "grammars/ includes an upper layer"
grep -rnE '#include "(lsp|mcp|cli)/' "$root/analyzers" && complain "analyzers/ includes protocol or CLI code"
grep -rnE '#include "(cli|mcp)/' "$root/lsp" && complain "lsp/ includes CLI or MCP code"
grep -rnE '#include "(cli|lsp)/' "$root/mcp" && complain "mcp/ includes CLI or LSP code (both shells stand on analyzers/session)"
grep -rnE '#include <(fstream|filesystem|cstdio|sqlite3\.h|boost/)' "$root/analyzers/match" "$root/analyzers/engine.cpp" "$root/analyzers/document" "$root/analyzers/fix" \
  && complain "the matching core (match/, engine, document/) must do no IO"
grep -rnE 'std::cout|printf\(|puts\(|std::printf' "$root/lsp" "$root/mcp" && complain "lsp/ or mcp/ writes to stdout outside the transport"
[ "$fail" -eq 0 ] && echo "layering: ok"
exit "$fail"
