#include "analyzers/match/imports.hpp"

#include "analyzers/match/cursor.hpp"
#include "vigil/grammars/symbols.hpp"

#include <set>

namespace vigil::match {
namespace {

enum class Lang { python, javascript, go, java, other };

Lang lang_of(const grammars::Language& l) {
  if (l.id == "python") return Lang::python;
  if (l.id == "javascript" || l.id == "typescript" || l.id == "tsx") return Lang::javascript;
  if (l.id == "go") return Lang::go;
  if (l.id == "java") return Lang::java;
  return Lang::other;
}

std::string_view text_of(std::string_view text, TSNode n) {
  const uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (s > e || e > text.size()) return {};
  return text.substr(s, e - s);
}

TSNode field(TSNode n, std::string_view name) {
  return ts_node_child_by_field_name(n, name.data(), static_cast<uint32_t>(name.size()));
}

bool is(TSNode n, std::string_view kind) { return !ts_node_is_null(n) && kind == ts_node_type(n); }

// A string literal's content: quotes (', ", `) dropped.
std::string unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'' || s.front() == '`') && s.back() == s.front())
    s = s.substr(1, s.size() - 2);
  return std::string(s);
}

// Node's built-in modules may be written `node:fs`.
std::string js_module(std::string_view quoted) {
  std::string m = unquote(quoted);
  if (m.starts_with("node:")) m.erase(0, 5);
  return m;
}

// Statement containers the import search descends into: blocks and compound statements, never
// expressions (an import is a statement; a `require` is a declaration's value) nor nested
// functions and classes (they are scopes of their own).
bool holds_statements(std::string_view kind) {
  static const std::set<std::string_view, std::less<>> kinds = {
      // files and blocks
      "module", "program", "source_file", "block", "statement_block", "export_statement",
      // Python compound statements
      "if_statement", "elif_clause", "else_clause", "try_statement", "except_clause", "except_group_clause",
      "finally_clause", "with_statement", "for_statement", "while_statement", "match_statement", "case_clause",
      // JavaScript compound statements
      "for_in_statement", "do_statement", "switch_statement", "switch_body", "switch_case", "switch_default",
      "catch_clause", "labeled_statement",
      // Go import lists
      "import_declaration", "import_spec_list"};
  return kinds.contains(kind);
}

bool is_function_kind(std::string_view kind) {
  return kind == "function_definition" || kind == "function_declaration" || kind == "function_expression" ||
         kind == "arrow_function" || kind == "method_definition" || kind == "generator_function_declaration" ||
         kind == "generator_function";
}

// The statements Builder::statement() reads an import from (keep the two in step).
bool binds_imports(Lang l, std::string_view kind) {
  switch (l) {
    case Lang::python: return kind == "import_statement" || kind == "import_from_statement";
    case Lang::javascript: return kind == "import_statement" || kind == "lexical_declaration" || kind == "variable_declaration";
    case Lang::go: return kind == "import_spec";
    case Lang::java: return kind == "import_declaration";
    case Lang::other: return false;
  }
  return false;
}

class Builder {
 public:
  Builder(std::string_view text, Lang lang, ImportTable& out) : text_(text), lang_(lang), out_(out) {}

  void statement(TSNode n) {
    const std::string_view kind = ts_node_type(n);
    switch (lang_) {
      case Lang::python:
        if (kind == "import_statement") python_import(n);
        else if (kind == "import_from_statement") python_from(n);
        break;
      case Lang::javascript:
        if (kind == "import_statement") js_import(n);
        else if (kind == "lexical_declaration" || kind == "variable_declaration") js_require(n);
        break;
      case Lang::go:
        if (kind == "import_spec") go_spec(n);
        break;
      case Lang::java:
        if (kind == "import_declaration") java_import(n);
        break;
      case Lang::other: break;
    }
  }

 private:
  std::string text(TSNode n) const { return std::string(text_of(text_, n)); }
  void bind(std::string local, std::string qualified) {
    if (!local.empty() && !qualified.empty()) out_.names[std::move(local)] = std::move(qualified);
  }

  void python_import(TSNode n) {
    for (uint32_t i = 0, c = ts_node_named_child_count(n); i < c; ++i) {
      TSNode k = ts_node_named_child(n, i);
      if (is(k, "dotted_name")) {
        // `import os.path` binds `os`
        std::string name = text(k);
        std::string head = name.substr(0, name.find('.'));
        bind(head, head);
      } else if (is(k, "aliased_import")) {
        bind(text(field(k, "alias")), text(field(k, "name")));
      }
    }
  }

  void python_from(TSNode n) {
    TSNode module = field(n, "module_name");
    if (!is(module, "dotted_name")) return;  // relative imports name the project's own modules
    const std::string m = text(module);
    for (uint32_t i = 0, c = ts_node_named_child_count(n); i < c; ++i) {
      TSNode k = ts_node_named_child(n, i);
      if (ts_node_eq(k, module)) continue;
      if (is(k, "dotted_name")) bind(text(k), m + "." + text(k));
      else if (is(k, "aliased_import")) bind(text(field(k, "alias")), m + "." + text(field(k, "name")));
      else if (is(k, "wildcard_import")) out_.wildcards.push_back(m);
    }
  }

  void js_import(TSNode n) {
    TSNode source = field(n, "source");
    if (ts_node_is_null(source)) return;
    const std::string m = js_module(text_of(text_, source));
    for (uint32_t i = 0, c = ts_node_named_child_count(n); i < c; ++i) {
      TSNode clause = ts_node_named_child(n, i);
      if (!is(clause, "import_clause")) continue;
      for (uint32_t j = 0, d = ts_node_named_child_count(clause); j < d; ++j) {
        TSNode k = ts_node_named_child(clause, j);
        if (is(k, "identifier")) bind(text(k), m);  // default import: CommonJS modules are the default export
        else if (is(k, "namespace_import") && ts_node_named_child_count(k) > 0) bind(text(ts_node_named_child(k, 0)), m);
        else if (is(k, "named_imports"))
          for (uint32_t s = 0, e = ts_node_named_child_count(k); s < e; ++s) {
            TSNode spec = ts_node_named_child(k, s);
            if (!is(spec, "import_specifier")) continue;
            TSNode name = field(spec, "name"), alias = field(spec, "alias");
            bind(text(ts_node_is_null(alias) ? name : alias), m + "." + text(name));
          }
      }
    }
  }

  // `require('m')` -> m; anything else -> nullopt.
  std::optional<std::string> required_module(TSNode call) const {
    if (!is(call, "call_expression")) return std::nullopt;
    TSNode fn = field(call, "function"), args = field(call, "arguments");
    if (!is(fn, "identifier") || text_of(text_, fn) != "require" || ts_node_is_null(args)) return std::nullopt;
    if (ts_node_named_child_count(args) != 1) return std::nullopt;
    TSNode arg = ts_node_named_child(args, 0);
    if (!is(arg, "string")) return std::nullopt;
    return js_module(text_of(text_, arg));
  }

  void js_require(TSNode n) {
    for (uint32_t i = 0, c = ts_node_named_child_count(n); i < c; ++i) {
      TSNode decl = ts_node_named_child(n, i);
      if (!is(decl, "variable_declarator")) continue;
      TSNode name = field(decl, "name"), value = field(decl, "value");
      if (ts_node_is_null(value)) continue;
      std::string qualified;
      if (auto m = required_module(value)) {
        qualified = *m;
      } else if (is(value, "member_expression")) {  // require('child_process').exec
        auto m2 = required_module(field(value, "object"));
        TSNode prop = field(value, "property");
        if (!m2 || ts_node_is_null(prop)) continue;
        qualified = *m2 + "." + text(prop);
      } else {
        continue;
      }
      if (is(name, "identifier")) {
        bind(text(name), qualified);
      } else if (is(name, "object_pattern")) {
        for (uint32_t j = 0, d = ts_node_named_child_count(name); j < d; ++j) {
          TSNode p = ts_node_named_child(name, j);
          if (is(p, "shorthand_property_identifier_pattern")) bind(text(p), qualified + "." + text(p));
          else if (is(p, "pair_pattern") && is(field(p, "value"), "identifier"))
            bind(text(field(p, "value")), qualified + "." + unquote(text_of(text_, field(p, "key"))));
        }
      }
    }
  }

  void go_spec(TSNode n) {
    TSNode path = field(n, "path"), name = field(n, "name");
    if (ts_node_is_null(path)) return;
    const std::string p = unquote(text_of(text_, path));
    if (is(name, "dot")) {
      out_.wildcards.push_back(p);
    } else if (is(name, "package_identifier")) {
      bind(text(name), p);
    } else if (ts_node_is_null(name)) {
      // The package's name is its path's last element, without a major-version suffix
      // (`github.com/go-chi/chi/v5` -> chi, `gopkg.in/yaml.v3` -> yaml).
      std::string_view last = p;
      auto element = [](std::string_view s) { return s.substr(s.rfind('/') == std::string_view::npos ? 0 : s.rfind('/') + 1); };
      last = element(last);
      if (last.size() >= 2 && last[0] == 'v' && last.find_first_not_of("0123456789", 1) == std::string_view::npos &&
          p.size() > last.size())
        last = element(std::string_view(p).substr(0, p.size() - last.size() - 1));
      if (auto dot = last.find(".v"); dot != std::string_view::npos) last = last.substr(0, dot);
      bind(std::string(last), p);
    }
  }

  void java_import(TSNode n) {
    // `import static a.B.m` binds m to a.B.m as `import a.B` binds B: `static` changes nothing here.
    bool wildcard = false;
    TSNode name{};
    for (uint32_t i = 0, c = ts_node_child_count(n); i < c; ++i) {
      TSNode k = ts_node_child(n, i);
      const std::string_view kind = ts_node_type(k);
      if (kind == "asterisk") wildcard = true;
      else if (kind == "scoped_identifier" || kind == "identifier") name = k;
    }
    if (ts_node_is_null(name)) return;
    const std::string q = text(name);
    if (wildcard) {
      out_.wildcards.push_back(q);
      return;
    }
    const auto dot = q.rfind('.');
    bind(dot == std::string::npos ? q : q.substr(dot + 1), q);
  }

  std::string_view text_;
  Lang lang_;
  ImportTable& out_;
};

// The code of a name chain with whitespace and comments removed and `?.` read as `.`.
std::string normalized(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '/' && i + 1 < code.size() && (code[i + 1] == '/' || code[i + 1] == '*')) {
      const bool line = code[i + 1] == '/';
      const size_t end = line ? code.find('\n', i) : code.find("*/", i + 2);
      if (end == std::string_view::npos) break;
      i = line ? end : end + 1;
      continue;
    }
    if (c == '?' && i + 1 < code.size() && code[i + 1] == '.') continue;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::vector<std::string> resolve(std::string_view code, const grammars::Language& lang,
                                 const std::vector<const ImportTable*>& scopes) {
  std::string s = normalized(code);
  std::vector<std::string> out;
  if (s.empty()) return out;
  if (lang_of(lang) == Lang::javascript && s.starts_with("require(")) {
    // require('m').x written in place
    const auto close = s.find(')');
    if (close == std::string::npos) return out;
    std::string module = js_module(s.substr(8, close - 8));
    out.push_back(module + s.substr(close + 1));
    return out;
  }
  const auto dot = s.find('.');
  const std::string_view head = std::string_view(s).substr(0, dot);
  const std::string_view rest = dot == std::string::npos ? std::string_view{} : std::string_view(s).substr(dot);
  for (const ImportTable* t : scopes)
    if (auto it = t->names.find(head); it != t->names.end()) {
      out.push_back(it->second + std::string(rest));
      return out;
    }
  out.push_back(s);
  for (const ImportTable* t : scopes)
    for (const auto& w : t->wildcards) out.push_back(w + "." + s);
  if (lang_of(lang) == Lang::java) out.push_back("java.lang." + s);
  return out;
}

namespace {

// Pre-order over `start`'s statement containers (start itself included).
void collect(TSNode start, std::string_view text, Lang l, ImportTable& table) {
  Builder builder(text, l, table);
  ScopedCursor scoped(start);
  TSTreeCursor& cursor = scoped.get();
  const uint32_t depth0 = ts_tree_cursor_current_depth(&cursor);
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    builder.statement(node);
    const bool descend = ts_tree_cursor_current_depth(&cursor) == depth0 || holds_statements(ts_node_type(node));
    if (descend && ts_tree_cursor_goto_first_child(&cursor)) continue;
    bool moved = false;
    while (ts_tree_cursor_current_depth(&cursor) > depth0 && !(moved = ts_tree_cursor_goto_next_sibling(&cursor)))
      ts_tree_cursor_goto_parent(&cursor);
    if (!moved) break;
  }
}

}  // namespace

ImportTable import_table(TSNode root, std::string_view text, const grammars::Language& lang) {
  ImportTable table;
  const Lang l = lang_of(lang);
  if (l != Lang::other && !ts_node_is_null(root)) collect(root, text, l, table);
  return table;
}

ImportTable function_imports(TSNode function, std::string_view text, const grammars::Language& lang) {
  ImportTable table;
  const Lang l = lang_of(lang);
  if (l != Lang::python && l != Lang::javascript) return table;
  TSNode body = field(function, "body");
  if (!ts_node_is_null(body) && holds_statements(ts_node_type(body))) collect(body, text, l, table);
  return table;
}

bool may_bind_imports(TSNode n, const grammars::Language& lang) {
  const Lang l = lang_of(lang);
  if (l == Lang::other) return false;
  const std::string_view kind = ts_node_type(n);
  return holds_statements(kind) || binds_imports(l, kind);
}

bool is_import_scope(TSNode n, const grammars::Language& lang) {
  const Lang l = lang_of(lang);
  return (l == Lang::python || l == Lang::javascript) && is_function_kind(ts_node_type(n));
}

std::set<TSSymbol> import_statement_kinds(const grammars::Language& lang) {
  std::vector<std::string_view> names;
  switch (lang_of(lang)) {
    case Lang::python: names = {"import_statement", "import_from_statement"}; break;
    case Lang::javascript: names = {"import_statement", "lexical_declaration", "variable_declaration"}; break;
    case Lang::go: names = {"import_declaration"}; break;
    case Lang::java: names = {"import_declaration"}; break;
    case Lang::other: break;
  }
  std::set<TSSymbol> out;
  for (auto n : names)
    if (TSSymbol s = grammars::named_symbol(lang, n); s != 0) out.insert(s);
  return out;
}

}  // namespace vigil::match
