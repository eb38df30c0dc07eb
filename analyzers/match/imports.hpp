// Name resolution through a file's imports, for the rule key `resolves`: which qualified name a
// dotted expression in the code denotes, the way the language resolves it. Pure computation on a
// parsed tree: no IO.
//   Python      `import os as o` -> o = os; `from hashlib import md5 as h` -> h = hashlib.md5;
//               `from os import *` -> every name may be os.<name>
//   JavaScript  `const cp = require('child_process')`, `const {exec: run} = require('node:child_process')`,
//               `import cp from 'child_process'`, `import * as cp ...`, `import {exec as run} ...`,
//               and `require('m').x` written in place
//   Go          `import ex "os/exec"` -> ex = os/exec; `import "os/exec"` -> exec = os/exec;
//               `import . "strings"` -> every name may be strings.<name>
//   Java        `import java.io.File` -> File = java.io.File; `import java.security.*` and the
//               implicit `java.lang.*` -> MessageDigest may be java.security.MessageDigest
// A fully qualified name written in the code (`java.security.MessageDigest`, `hashlib.md5`)
// denotes itself. Local variables that shadow an import are not tracked.
#pragma once

#include <tree_sitter/api.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/grammars/registry.hpp"

namespace vigil::match {

struct ImportTable {
  std::map<std::string, std::string, std::less<>> names;  // local name -> qualified name
  std::vector<std::string> wildcards;                     // modules whose every member is in scope
};

// The qualified names `code` (the text of an identifier, a dotted member chain, a Java scoped
// name...) may denote, with `scopes` the tables in force, innermost first (a function's own
// imports, then the file's): through its first segment's import, through a wildcard import, or
// as written. Whitespace and comments inside the chain are ignored; `?.` counts as `.`.
std::vector<std::string> resolve(std::string_view code, const grammars::Language& lang,
                                 const std::vector<const ImportTable*>& scopes);

// The imports of a file's top level (`root`), compound statements at the top level included
// (`try: import x`), functions and classes excluded.
ImportTable import_table(TSNode root, std::string_view text, const grammars::Language& lang);

// The imports written in a function's own body (Python's `def f(): import subprocess as sp`,
// JavaScript's `const cp = require(...)` inside a function), nested functions excluded.
ImportTable function_imports(TSNode function, std::string_view text, const grammars::Language& lang);

// Whether `n` is a function whose body may import (Python and JavaScript/TypeScript functions).
bool is_import_scope(TSNode n, const grammars::Language& lang);

// Whether top-level statement `n` can bind a name in import_table(): an import, a declaration that
// may hold a `require()`, or a statement that holds others (`try: import x`). An edit whose
// top-level statements, before and after it, are none of these leaves the file's table as it was.
bool may_bind_imports(TSNode n, const grammars::Language& lang);
// Kinds of top-level statements that may bind imports in `lang`: after an edit that touches one,
// a rule that resolves names can change anywhere in the file.
std::set<TSSymbol> import_statement_kinds(const grammars::Language& lang);

// One analysis' tables, built on first use by whoever matches (MatchInput::imports): the file's,
// and each function's that a lookup passed through.
struct ImportCache {
  std::shared_ptr<const ImportTable> table;  // shared: an analysis may hand it to the next one
  std::map<std::pair<uint32_t, uint32_t>, ImportTable> functions;  // by the function's byte range
};

}  // namespace vigil::match
