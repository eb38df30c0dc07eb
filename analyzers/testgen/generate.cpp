// From a finding (or a function and a CWE) to a test file: choose the template, find the sink, the
// tainted parameter and the import path, and fill the template's placeholders. Pure.
#include <nlohmann/json.hpp>
#include "analyzers/json_input.hpp"
#include <tree_sitter/api.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <set>

#include "analyzers/testgen/testgen.hpp"

namespace vigil::testgen {
namespace {

namespace fs = std::filesystem;

std::string lang_of(const grammars::Language& l) { return template_language(l); }

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// Where `word` occurs in `text` as a whole identifier; npos when it does not.
size_t find_word(std::string_view text, std::string_view word, size_t from = 0) {
  if (word.empty()) return std::string_view::npos;
  for (size_t at = text.find(word, from); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const bool left = at == 0 || !is_word_char(text[at - 1]);
    const bool right = at + word.size() >= text.size() || !is_word_char(text[at + word.size()]);
    if (left && right) return at;
  }
  return std::string_view::npos;
}

// A string literal in the test's language.
std::string literal(const std::string& lang, const std::string& s) {
  if (lang != "c") return nlohmann::json(s).dump();
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
    else if (c == '\n') out += "\\n";
    else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}

std::string list_literal(const std::string& lang, const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + literal(lang, i);
  if (lang == "go") return "[]string{" + out + "}";
  if (lang == "java") return "new String[] {" + out + "}";
  if (lang == "c") return "{" + out + (out.empty() ? "" : ", ") + "NULL}";
  return "[" + out + "]";
}

std::string snake(std::string_view s) {
  std::string out;
  for (char c : s) out += is_word_char(c) && c != '$' ? c : '_';
  return out;
}

std::string camel(std::string_view s) {
  std::string out;
  bool up = true;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

// `{{name}}` -> vars[name]; an unknown name is a template bug.
std::string render(const std::string& text, const std::map<std::string, std::string>& vars, const std::string& where) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t open = text.find("{{", pos);
    if (open == std::string::npos) break;
    const size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) break;
    const std::string name = text.substr(open + 2, close - open - 2);
    const auto it = vars.find(name);
    if (it == vars.end()) throw GenerateError(where + ": unknown placeholder {{" + name + "}}");
    out.append(text, pos, open - pos);
    out += it->second;
    pos = close + 2;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

bool sink_matches(const std::string& pattern, const std::string& callee) {
  if (pattern.starts_with("*.")) return callee.size() > pattern.size() - 1 && callee.ends_with(pattern.substr(1));
  return pattern == callee;
}

// Relative path from directory `from` to `to` (both relative to the project root, or absolute).
std::string relative(const std::string& from, const std::string& to) {
  const fs::path a = from.empty() ? fs::path(".") : fs::path(from);
  const fs::path b = to.empty() ? fs::path(".") : fs::path(to);
  std::string r = b.lexically_relative(a).lexically_normal().generic_string();
  if (r.empty()) r = ".";
  if (r.size() > 1 && r.back() == '/') r.pop_back();
  return r;
}

std::string dir_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string stem_of(const std::string& path) {
  std::string base = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  const auto dot = base.find('.');
  return dot == std::string::npos ? base : base.substr(0, dot);
}

const std::set<std::string>& not_data_params() {
  static const std::set<std::string> names = {"conn", "connection", "db", "cursor", "cur", "session", "client", "res",
                                              "response", "w", "ctx", "context", "self", "cls", "logger", "log", "next"};
  return names;
}

bool string_like(const std::string& lang, const Param& p) {
  if (lang == "go") return p.type == "string" || p.type == "[]byte" || p.type == "*http.Request";
  if (lang == "c")
    return (p.type.find("char") != std::string::npos && p.type.find('*') != std::string::npos) || p.type.find("string") != std::string::npos;
  if (lang == "python") return p.type.empty() || p.type == "str" || p.type == "bytes";
  if (lang == "java") return p.type == "String" || p.type == "CharSequence" || p.type == "char[]" || p.type == "byte[]";
  return true;
}

// The tainted parameter: the one the finding's source names, else one the sink's arguments name,
// else the first parameter that looks like data.
size_t choose_tainted(const std::string& lang, const FunctionInfo& f, const Call* sink, const std::optional<Finding>& finding,
                      const document::Snapshot& s) {
  auto named_in = [&](std::string_view text) -> std::optional<size_t> {
    size_t best_at = std::string_view::npos;
    std::optional<size_t> best;
    for (size_t i = 0; i < f.params.size(); ++i) {
      const size_t at = find_word(text, f.params[i].name);
      // A parameter without a default is the input, one with a default usually an option; in C a
      // `const char *` is an input, a `char *` usually the output buffer.
      auto rank = [&](size_t k) {
        const bool output = lang == "c" && f.params[k].type.find("const") == std::string::npos;
        return std::pair<int, int>{f.params[k].has_default ? 1 : 0, output ? 1 : 0};
      };
      const bool better = !best || rank(i) < rank(*best) || (rank(i) == rank(*best) && at < best_at);
      if (at != std::string_view::npos && better && !not_data_params().contains(f.params[i].name) &&
          string_like(lang, f.params[i])) {
        best_at = at;
        best = i;
      }
    }
    return best;
  };
  if (finding && !finding->trace.empty()) {
    const auto& source = finding->trace.front();
    if (auto i = named_in(std::string_view(s.text).substr(source.start_byte, source.end_byte - source.start_byte))) return *i;
  }
  if (sink) {
    const auto paren = sink->text.find('(', sink->callee.size());
    if (auto i = named_in(paren == std::string::npos ? std::string_view() : std::string_view(sink->text).substr(paren))) return *i;
  }
  if (lang == "go")
    for (size_t i = 0; i < f.params.size(); ++i)
      if (f.params[i].type == "*http.Request") return i;
  // A parameter whose methods the function calls (pool.query, conn.cursor) is an object, not data.
  auto receiver = [&](const std::string& name) {
    return std::any_of(f.calls.begin(), f.calls.end(), [&](const Call& c) { return c.callee.starts_with(name + "."); });
  };
  for (size_t i = 0; i < f.params.size(); ++i)
    if (!not_data_params().contains(f.params[i].name) && string_like(lang, f.params[i]) && !receiver(f.params[i].name)) return i;
  for (size_t i = 0; i < f.params.size(); ++i)
    if (!not_data_params().contains(f.params[i].name) && string_like(lang, f.params[i])) return i;
  return 0;
}

// JS: the property path the code reads from the tainted parameter (req.query.next -> query, next).
std::vector<std::string> property_path(std::string_view text, const std::string& param) {
  std::vector<std::string> best;
  for (size_t at = find_word(text, param); at != std::string_view::npos; at = find_word(text, param, at + 1)) {
    std::vector<std::string> path;
    size_t p = at + param.size();
    while (p < text.size() && text[p] == '.') {
      size_t e = p + 1;
      while (e < text.size() && is_word_char(text[e])) ++e;
      if (e == p + 1) break;
      path.emplace_back(text.substr(p + 1, e - p - 1));
      p = e;
    }
    // A method call at the end (req.query.get(...)) is not a property the code reads as data.
    if (!path.empty() && p < text.size() && text[p] == '(') path.pop_back();
    if (path.size() > best.size()) best = path;
  }
  return best;
}

// JS: how the module under test gets the sink's root name: `require('m')` or an import.
struct JsBinding {
  std::string module;
  std::string export_name;  // empty: the whole module
};
std::map<std::string, JsBinding> js_bindings(const document::Snapshot& s) {
  std::map<std::string, JsBinding> out;
  std::function<void(TSNode)> walk = [&](TSNode n) {
    const std::string_view k = ts_node_type(n);
    if (k == "variable_declarator") {
      TSNode name = ts_node_child_by_field_name(n, "name", 4);
      TSNode value = ts_node_child_by_field_name(n, "value", 5);
      if (!ts_node_is_null(value) && std::string_view(ts_node_type(value)) == "call_expression") {
        const std::string text(s.node_text(value));
        if (text.starts_with("require(")) {
          const auto q1 = text.find_first_of("'\"`");
          const auto q2 = q1 == std::string::npos ? q1 : text.find(text[q1], q1 + 1);
          if (q2 != std::string::npos) {
            const std::string module = text.substr(q1 + 1, q2 - q1 - 1);
            const std::string_view nk = ts_node_type(name);
            if (nk == "identifier") out[std::string(s.node_text(name))] = {module, ""};
            else if (nk == "object_pattern") {
              for (uint32_t i = 0; i < ts_node_named_child_count(name); ++i) {
                TSNode c = ts_node_named_child(name, i);
                const std::string_view ck = ts_node_type(c);
                if (ck == "shorthand_property_identifier_pattern") out[std::string(s.node_text(c))] = {module, std::string(s.node_text(c))};
                else if (ck == "pair_pattern") {
                  TSNode key = ts_node_child_by_field_name(c, "key", 3), val = ts_node_child_by_field_name(c, "value", 5);
                  out[std::string(s.node_text(val))] = {module, std::string(s.node_text(key))};
                }
              }
            }
          }
        }
      }
    } else if (k == "import_statement") {
      TSNode source = ts_node_child_by_field_name(n, "source", 6);
      std::string module(s.node_text(source));
      if (module.size() >= 2) module = module.substr(1, module.size() - 2);
      std::function<void(TSNode)> clause = [&](TSNode c) {
        const std::string_view ck = ts_node_type(c);
        if (ck == "identifier" && std::string_view(ts_node_type(ts_node_parent(c))) == "import_clause")
          out[std::string(s.node_text(c))] = {module, "default"};
        else if (ck == "namespace_import") {
          for (uint32_t i = 0; i < ts_node_named_child_count(c); ++i) out[std::string(s.node_text(ts_node_named_child(c, i)))] = {module, ""};
          return;
        } else if (ck == "import_specifier") {
          TSNode name = ts_node_child_by_field_name(c, "name", 4), alias = ts_node_child_by_field_name(c, "alias", 5);
          out[std::string(s.node_text(ts_node_is_null(alias) ? name : alias))] = {module, std::string(s.node_text(name))};
          return;
        }
        for (uint32_t i = 0; i < ts_node_named_child_count(c); ++i) clause(ts_node_named_child(c, i));
      };
      for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i) clause(ts_node_named_child(n, i));
      return;
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i) walk(ts_node_named_child(n, i));
  };
  walk(s.root());
  return out;
}

const std::set<std::string>& js_globals() {
  static const std::set<std::string> g = {"fetch", "eval", "Function", "setTimeout", "setInterval", "globalThis", "window", "process"};
  return g;
}

// JS: the sink as the test can replace it ([owner, property]), or null when a parameter or local
// reaches it (parameters are fakes that record calls), and the name its calls are recorded under.
std::pair<std::string, std::string> js_sink_target(const document::Snapshot& s, const FunctionInfo& f, const std::string& callee,
                                                   const std::string& test_dir, const std::string& source_dir) {
  std::vector<std::string> parts;
  for (size_t p = 0;;) {
    const size_t dot = callee.find('.', p);
    parts.push_back(callee.substr(p, dot == std::string::npos ? std::string::npos : dot - p));
    if (dot == std::string::npos) break;
    p = dot + 1;
  }
  const std::string last = parts.back();
  for (const auto& param : f.params)
    if (param.name == parts[0]) return {"null", last};
  const auto bindings = js_bindings(s);
  const auto it = bindings.find(parts[0]);
  if (it != bindings.end()) {
    std::string module = it->second.module;
    std::string req = module.starts_with(".") ? "require(path.join(__dirname, " +
                                                    nlohmann::json(relative(test_dir, source_dir.empty() ? module : source_dir + "/" + module)).dump() + "))"
                                              : "require(" + nlohmann::json(module).dump() + ")";
    std::vector<std::string> path;
    if (!it->second.export_name.empty()) path.push_back(it->second.export_name);
    path.insert(path.end(), parts.begin() + 1, parts.end());
    if (path.empty()) return {"null", last};
    std::string owner = req;
    for (size_t i = 0; i + 1 < path.size(); ++i) owner += "[" + nlohmann::json(path[i]).dump() + "]";
    return {"[" + owner + ", " + nlohmann::json(path.back()).dump() + "]", path.back()};
  }
  if (js_globals().contains(parts[0])) {
    if (parts.size() == 1) return {"[globalThis, " + nlohmann::json(last).dump() + "]", last};
    std::string owner = "globalThis";
    for (size_t i = 0; i + 1 < parts.size(); ++i)
      if (parts[i] != "globalThis" && parts[i] != "window") owner += "[" + nlohmann::json(parts[i]).dump() + "]";
    return {"[" + owner + ", " + nlohmann::json(last).dump() + "]", last};
  }
  return {"null", last};  // a local (const db = pool.connect()) or a module global: recorded if it came from a fake
}

// Go: the string literals' first words (programs exec.Command may run).
std::vector<std::string> literal_words(std::string_view text) {
  std::set<std::string> words;
  for (size_t p = 0; (p = text.find('"', p)) != std::string_view::npos;) {
    const size_t e = text.find('"', p + 1);
    if (e == std::string_view::npos) break;
    std::string_view lit = text.substr(p + 1, e - p - 1);
    size_t w = 0;
    while (w < lit.size() && (std::isalnum(static_cast<unsigned char>(lit[w])) || lit[w] == '_' || lit[w] == '-' || lit[w] == '.')) ++w;
    if (w > 0 && std::isalpha(static_cast<unsigned char>(lit[0])) && w < 40) words.insert(std::string(lit.substr(0, w)));
    p = e + 1;
  }
  return {words.begin(), words.end()};
}

// Go: the query key a handler reads (r.URL.Query().Get("next"), r.FormValue("next")).
std::string query_key(std::string_view text) {
  for (const char* call : {"Query().Get(\"", "FormValue(\"", "PostFormValue(\""}) {
    const size_t at = text.find(call);
    if (at == std::string_view::npos) continue;
    const size_t start = at + std::strlen(call);
    const size_t end = text.find('"', start);
    if (end != std::string_view::npos) return std::string(text.substr(start, end - start));
  }
  return "q";
}

std::string go_package(const document::Snapshot& s) {
  TSNode root = s.root();
  for (uint32_t i = 0; i < ts_node_named_child_count(root); ++i) {
    TSNode c = ts_node_named_child(root, i);
    if (std::string_view(ts_node_type(c)) == "package_clause")
      for (uint32_t j = 0; j < ts_node_named_child_count(c); ++j) return std::string(s.node_text(ts_node_named_child(c, j)));
  }
  return "main";
}

// Java: the package the file declares ("" for the default package).
std::string java_package(const document::Snapshot& s) {
  TSNode root = s.root();
  for (uint32_t i = 0; i < ts_node_named_child_count(root); ++i) {
    TSNode c = ts_node_named_child(root, i);
    if (std::string_view(ts_node_type(c)) != "package_declaration") continue;
    for (uint32_t j = 0; j < ts_node_named_child_count(c); ++j) {
      const std::string_view k = ts_node_type(ts_node_named_child(c, j));
      if (k == "scoped_identifier" || k == "identifier") return std::string(s.node_text(ts_node_named_child(c, j)));
    }
  }
  return "";
}

// Java: the binary name of the class that declares the method at `byte` (pkg.Outer$Inner).
std::string java_class(const document::Snapshot& s, uint32_t byte, const std::string& package) {
  std::string name;
  TSNode n = ts_node_descendant_for_byte_range(s.root(), byte, byte);
  for (; !ts_node_is_null(n); n = ts_node_parent(n)) {
    const std::string_view k = ts_node_type(n);
    if (k == "class_declaration" || k == "enum_declaration" || k == "record_declaration" || k == "interface_declaration") {
      TSNode id = ts_node_child_by_field_name(n, "name", 4);
      const std::string part(s.node_text(id));
      name = name.empty() ? part : part + "$" + name;
    }
  }
  return package.empty() ? name : package + "." + name;
}

// C: the call of the function, with `input` for the tainted parameter and fakes for the others.
std::string c_call(const FunctionInfo& f, size_t tainted) {
  std::string args;
  for (size_t i = 0; i < f.params.size(); ++i) {
    const auto& p = f.params[i];
    std::string arg;
    const bool pointer = p.type.find('*') != std::string::npos || p.type.find('[') != std::string::npos;
    const bool chars = p.type.find("char") != std::string::npos;
    std::string lname = p.name;
    std::transform(lname.begin(), lname.end(), lname.begin(), [](unsigned char c) { return std::tolower(c); });
    if (i == tainted) arg = chars && p.type.find("unsigned") != std::string::npos ? "(unsigned char *)input" : "input";
    else if (pointer && (chars || p.type.find("void") != std::string::npos)) arg = "vigil_out_buffer()";
    else if (p.type.find("FILE") != std::string::npos) arg = "stdout";
    else if (pointer) arg = "NULL";
    else if (lname.find("len") != std::string::npos || lname.find("size") != std::string::npos ||
             lname.find("cap") != std::string::npos || lname.find("max") != std::string::npos || lname == "n")
      arg = "256";
    else if (p.type.find("double") != std::string::npos || p.type.find("float") != std::string::npos) arg = "0";
    else arg = "(int)strlen(input)";
    args += (args.empty() ? "" : ", ") + arg;
  }
  return f.name + "(" + args + ")";
}

std::string python_params(const FunctionInfo& f) {
  std::string out;
  for (const auto& p : f.params) {
    std::string kind = p.type;
    if (kind.starts_with("Optional[")) kind = kind.substr(9, kind.size() - 10);
    out += (out.empty() ? "" : ", ") + std::string("(") + nlohmann::json(p.name).dump() + ", " + nlohmann::json(kind).dump() +
           ", " + (p.has_default ? "True" : "False") + ")";
  }
  return "[" + out + "]";
}

std::string python_import_root(const std::string& source_path, const std::vector<std::string>& packages, std::string& dotted) {
  std::string dir = dir_of(source_path);
  std::string module = stem_of(source_path);
  auto is_package = [&](const std::string& d) {
    return !d.empty() && std::find(packages.begin(), packages.end(), d) != packages.end();
  };
  while (is_package(dir)) {
    const std::string name = dir.substr(dir.rfind('/') == std::string::npos ? 0 : dir.rfind('/') + 1);
    module = name + "." + module;
    dir = dir_of(dir);
  }
  dotted = module;
  return dir;
}

}  // namespace

std::string template_language(const grammars::Language& language) {
  const std::string id(language.id);
  if (id == "typescript" || id == "tsx") return "javascript";
  if (id == "cpp") return "c";
  return id;
}

std::vector<const Template*> templates_for(const Finding& finding, const grammars::Language& language, const TemplateSet& templates) {
  return templates.for_cwe(lang_of(language), finding.rule->metadata.cwe);
}

std::string display_command(const std::vector<std::vector<std::string>>& commands) {
  std::string out;
  for (const auto& argv : commands) {
    if (!out.empty()) out += " && ";
    std::string line;
    for (const auto& a : argv) {
      const bool plain = !a.empty() && a.find_first_of(" \t'\"$`\\|&;<>()*?[]{}!#~") == std::string::npos;
      line += (line.empty() ? "" : " ") + (plain ? a : "'" + a + "'");
    }
    out += line;
  }
  return out;
}

GeneratedTest generate(const Request& request, const ProjectInfo& project, const TemplateSet& templates) {
  if (!request.snapshot || !request.snapshot->language) throw GenerateError("no parsed source");
  const auto& s = *request.snapshot;
  const std::string lang = lang_of(*s.language);

  // The function.
  std::optional<FunctionInfo> fn;
  if (!request.function.empty()) fn = find_function(s, request.function);
  else if (request.finding) fn = enclosing_function(s, request.finding->start_byte);
  if (!fn) {
    throw GenerateError(request.function.empty() ? "the finding is not inside a function (methods are not supported)"
                                                 : "no function `" + request.function + "` in " + request.source_path);
  }

  // The template: by family, or by the CWE asked for, or by the finding's rule.
  std::vector<const Template*> candidates;
  if (!request.family.empty()) {
    if (const auto* t = templates.by_family(lang, request.family)) candidates.push_back(t);
    else throw GenerateError("no " + lang + " test template for family `" + request.family + "`");
  } else if (!request.cwe.empty()) {
    candidates = templates.for_cwe(lang, {request.cwe});
  } else if (request.finding) {
    candidates = templates.for_cwe(lang, request.finding->rule->metadata.cwe);
  }
  if (candidates.empty()) {
    std::string what = !request.cwe.empty() ? request.cwe
                       : request.finding   ? "rule " + request.finding->rule_id()
                                           : "this request (give --cwe)";
    throw GenerateError("no " + lang + " security-test template for " + what);
  }

  // The sink: the call the finding points at, else the first call of the family in the function.
  const Template* chosen = nullptr;
  const Call* sink = nullptr;
  for (const auto* t : candidates) {
    const Call* best = nullptr;
    for (const auto& call : fn->calls) {
      const bool matches = std::any_of(t->sinks.begin(), t->sinks.end(), [&](const auto& p) { return sink_matches(p, call.callee); });
      if (!matches) continue;
      const bool at_finding = request.finding && call.start_byte <= request.finding->start_byte &&
                              request.finding->start_byte < call.end_byte;
      if (!best || (at_finding && (best->end_byte - best->start_byte > call.end_byte - call.start_byte ||
                                   !(best->start_byte <= request.finding->start_byte && request.finding->start_byte < best->end_byte))))
        best = &call;
    }
    if (best || t->sinks.empty() || t->control != "sink") {
      chosen = t;
      sink = best;
      break;
    }
  }
  if (!chosen) {
    throw GenerateError("`" + fn->name + "` calls no sink the " + candidates.front()->title + " test can spy on (" +
                        candidates.front()->path + ")");
  }
  const Template& t = *chosen;
  if (fn->params.empty() && t.family != "insecure-random")
    throw GenerateError("`" + fn->name + "` takes no parameters: there is no input to attack");

  const auto lit = [&](const std::string& v) { return literal(lang, v); };
  const std::string framework = request.framework.empty() ? project.framework : request.framework;
  const auto lang_layouts = templates.layouts.find(lang);
  if (lang_layouts == templates.layouts.end()) throw GenerateError("no test layout for " + lang);
  const auto layout_it = lang_layouts->second.find(framework);
  if (layout_it == lang_layouts->second.end()) throw GenerateError("no " + lang + " test layout for framework `" + framework + "`");
  const Layout& layout = layout_it->second;

  const size_t tainted = choose_tainted(lang, *fn, sink, request.finding, s);
  const std::string tainted_name = fn->params.empty() ? "" : fn->params[tainted].name;
  const std::string source_dir = dir_of(request.source_path);
  const std::string test_dir = !request.test_dir.empty() ? request.test_dir : lang == "go" ? source_dir : project.test_dir;
  const std::string id = snake(fn->name) + "_" + snake(t.family);
  std::string cwe = request.cwe;
  if (cwe.empty() && request.finding)
    for (const auto& c : request.finding->rule->metadata.cwe)
      if (std::find(t.cwe.begin(), t.cwe.end(), c) != t.cwe.end()) {
        cwe = c;
        break;
      }
  if (cwe.empty()) cwe = t.cwe.front();

  std::map<std::string, std::string> vars = {
      {"id", id},
      {"Id", camel(fn->name) + camel(t.family)},
      {"function", fn->name},
      {"function_literal", lit(fn->name)},
      {"family", t.family},
      {"title", t.title},
      {"cwe", cwe},
      {"sink", sink ? sink->callee : std::string("the sink")},
      {"sink_literal", lit(sink ? sink->callee : std::string())},
      {"tainted", lit(tainted_name)},
      {"tainted_name", tainted_name},
      {"tainted_index", std::to_string(tainted)},
      {"benign", lit(t.benign)},
      {"payloads", list_literal(lang, t.payloads)},
      {"source_path", request.source_path},
      {"source_dir", source_dir},
      {"source_dir_or_dot", source_dir.empty() ? "." : source_dir},
      {"source_pkg", source_dir.empty() ? "." : "./" + source_dir},
      {"test_dir", test_dir.empty() ? "." : test_dir},
      {"module_base", stem_of(request.source_path)},
  };
  if (lang == "python") {
    std::string dotted;
    const std::string root = python_import_root(request.source_path, project.python_packages, dotted);
    vars["module"] = lit(dotted);
    vars["import_root"] = lit(relative(test_dir, root));
    vars["params"] = python_params(*fn);
  } else if (lang == "javascript") {
    vars["module"] = lit(relative(test_dir, request.source_path));
    nlohmann::json names = nlohmann::json::array();
    for (const auto& p : fn->params) names.push_back(p.name);
    vars["params"] = names.dump();
    std::string data_text = sink ? sink->text : fn->text;
    if (request.finding && !request.finding->trace.empty()) {
      const auto& src = request.finding->trace.front();
      data_text = std::string(s.text.substr(src.start_byte, src.end_byte - src.start_byte)) + "\n" + data_text;
    }
    // The source may be `req.query` while the function reads `req.query.next`: the longer path wins.
    auto path = property_path(data_text, tainted_name);
    const auto whole = property_path(fn->text, tainted_name);
    if (whole.size() > path.size() && std::equal(path.begin(), path.end(), whole.begin())) path = whole;
    vars["tainted_path"] = nlohmann::json(path).dump();
    const auto [target, name] = sink ? js_sink_target(s, *fn, sink->callee, test_dir, source_dir) : std::pair<std::string, std::string>{"null", ""};
    vars["sink_target"] = target;
    vars["sink_name"] = lit(name);
  } else if (lang == "go") {
    vars["package"] = go_package(s);
    vars["commands"] = list_literal(lang, literal_words(fn->text));
    vars["query_key"] = lit(query_key(fn->text));
    std::set<std::string> imports(layout.base_imports.begin(), layout.base_imports.end());
    imports.insert(t.imports.begin(), t.imports.end());
    std::string lines;
    for (const auto& i : imports) lines += "\t\"" + i + "\"\n";
    if (!lines.empty()) lines.pop_back();
    vars["imports"] = lines;
  } else if (lang == "java") {
    const std::string package = java_package(s);
    std::string package_dir = package;
    std::replace(package_dir.begin(), package_dir.end(), '.', '/');
    vars["package_line"] = package.empty() ? "" : "package " + package + ";";
    vars["class"] = lit(java_class(s, fn->start_byte, package));
    vars["param_count"] = std::to_string(fn->params.size());
    vars["commands"] = list_literal(lang, literal_words(fn->text));
    // Sources below their package's directories: the root javac resolves the project's other classes from.
    std::string source_root = source_dir;
    if (!package_dir.empty() && (source_root == package_dir || source_root.ends_with("/" + package_dir)))
      source_root = source_root.substr(0, source_root.size() - package_dir.size());
    if (source_root.ends_with("/")) source_root.pop_back();
    vars["source_root"] = source_root.empty() ? "." : source_root;
    // Maven/Gradle layout: src/main/java/<pkg> is tested from src/test/java/<pkg>.
    std::string root = test_dir;
    if (request.test_dir.empty() && (source_root == "src/main/java" || source_root.ends_with("/src/main/java")))
      root = source_root.substr(0, source_root.size() - 9) + "test/java";
    vars["test_dir"] = root.empty() ? "." : root;
    vars["package_dir"] = package_dir.empty() ? "." : package_dir;
    vars["test_class"] = (package.empty() ? "" : package + ".") + "Vigil" + vars["Id"] + "Test";
  } else if (lang == "c") {
    vars["source_include"] = lit(relative(test_dir, request.source_path));
    vars["call"] = c_call(*fn, tainted);
  }

  vars["test_file"] = render(layout.file, vars, t.path + " (file)");
  std::string binary = vars["test_file"];
  if (binary.ends_with(".c")) binary.resize(binary.size() - 2);
  else if (binary.ends_with(".cpp")) binary.resize(binary.size() - 4);
  if (!binary.starts_with("/") && !binary.starts_with(".")) binary = "./" + binary;
  vars["binary"] = binary;
  vars["prelude"] = render(t.prelude, vars, t.path + " (prelude)");

  GeneratedTest out;
  out.path = fs::path(vars["test_file"]).lexically_normal().generic_string();
  out.framework = framework;
  out.function = fn->name;
  out.family = t.family;
  out.cwe = cwe;
  out.test_names = {id};
  for (const auto& argv : layout.run) {
    std::vector<std::string> rendered;
    for (const auto& a : argv) rendered.push_back(render(a, vars, t.path + " (run)"));
    out.run_commands.push_back(std::move(rendered));
  }

  auto test_vars = vars;
  test_vars["test"] = render(t.test, vars, t.path);
  const std::string body = render(layout.wrap, test_vars, t.path + " (wrap)");
  const std::string header = render(layout.header, vars, t.path + " (header)");
  const std::string footer = render(layout.footer, vars, t.path + " (footer)");

  std::optional<std::string> existing;
  if (request.read_existing) existing = request.read_existing(out.path);
  // The file has this test already when it names the test's id ("test_<id>(", "TestVigil<Id>(").
  auto names = [&](const std::string& text, const std::string& name) {
    for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1))
      if (at + name.size() >= text.size() || !is_word_char(text[at + name.size()])) return true;
    return false;
  };
  if (existing && (names(*existing, id) || names(*existing, vars["Id"]))) {
    out.content = *existing;
    out.created = false;
    out.unchanged = true;
    return out;
  }
  if (existing && layout.footer.empty()) {
    // Extend: the harness once, then the new test.
    out.created = false;
    out.content = *existing;
    if (!out.content.empty() && !out.content.ends_with("\n")) out.content += "\n";
    if (out.content.find("vigil-testgen harness") == std::string::npos) out.content += "\n\n" + header;
    out.content += "\n\n" + body;
    return out;
  }
  out.created = !existing;
  out.content = header + "\n\n" + body + footer;
  return out;
}

const std::vector<std::string>& fact_files() {
  static const std::vector<std::string> files = {"package.json", "pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini",
                                                 "conftest.py", "requirements.txt", "requirements-dev.txt",
                                                 "requirements-test.txt", "CMakeLists.txt", "go.mod", "meson.build",
                                                 "pom.xml", "build.gradle", "build.gradle.kts"};
  return files;
}

const std::vector<std::string>& fact_dirs() {
  static const std::vector<std::string> dirs = {"tests", "test", "__tests__", "spec", "src/test/java"};
  return dirs;
}

ProjectInfo detect_project(const grammars::Language& language, const ProjectFacts& facts) {
  const std::string lang = lang_of(language);
  auto file = [&](const std::string& name) -> const std::string* {
    const auto it = facts.files.find(name);
    return it == facts.files.end() ? nullptr : &it->second;
  };
  auto has_dir = [&](const std::string& d) { return std::find(facts.dirs.begin(), facts.dirs.end(), d) != facts.dirs.end(); };
  auto first_dir = [&](std::initializer_list<const char*> order, const char* fallback) {
    for (const char* d : order)
      if (has_dir(d)) return std::string(d);
    return std::string(fallback);
  };
  ProjectInfo info;
  info.python_packages = facts.python_packages;
  if (lang == "python") {
    bool pytest = file("pytest.ini") || file("conftest.py");
    for (const char* f : {"pyproject.toml", "tox.ini", "requirements.txt", "requirements-dev.txt", "requirements-test.txt"})
      if (const auto* c = file(f); c && c->find("pytest") != std::string::npos) pytest = true;
    if (const auto* c = file("setup.cfg"); c && c->find("[tool:pytest]") != std::string::npos) pytest = true;
    info.framework = pytest ? "pytest" : "unittest";
    info.test_dir = first_dir({"tests", "test"}, "tests");
  } else if (lang == "javascript") {
    info.framework = "node:test";
    if (const auto* c = file("package.json")) {
      const auto pkg = json_input::parse_or_discard(*c);
      if (pkg.is_object()) {
        auto names = [&](const char* section, const char* dep) {
          return pkg.contains(section) && pkg[section].is_object() && pkg[section].contains(dep);
        };
        std::string script;
        if (pkg.contains("scripts") && pkg["scripts"].is_object() && pkg["scripts"].contains("test") && pkg["scripts"]["test"].is_string())
          script = pkg["scripts"]["test"].get<std::string>();
        if (names("devDependencies", "vitest") || names("dependencies", "vitest") || script.find("vitest") != std::string::npos)
          info.framework = "vitest";
        else if (names("devDependencies", "jest") || names("dependencies", "jest") || script.find("jest") != std::string::npos)
          info.framework = "jest";
      }
    }
    info.test_dir = first_dir({"test", "tests", "__tests__"}, "test");
  } else if (lang == "go") {
    info.framework = "go";
  } else if (lang == "java") {
    // JUnit 5 (Jupiter), whether pom.xml/build.gradle name junit-jupiter or the project has no build
    // file: the Debian junit5 console launcher runs it either way.
    info.framework = "junit5";
    info.test_dir = first_dir({"src/test/java", "test", "tests"}, "test");
  } else if (lang == "c") {
    info.framework = "c-asan";
    // C++ sources of a project that builds GoogleTest or Catch2 tests get a test of that framework.
    if (std::string_view(language.id) == "cpp") {
      for (const char* f : {"CMakeLists.txt", "meson.build"}) {
        const auto* c = file(f);
        if (!c) continue;
        if (c->find("GTest") != std::string::npos || c->find("gtest") != std::string::npos) info.framework = "gtest";
        else if (c->find("Catch2") != std::string::npos || c->find("catch2") != std::string::npos) info.framework = "catch2";
        if (info.framework != "c-asan") break;
      }
    }
    info.test_dir = first_dir({"tests", "test"}, "tests");
  } else {
    info.framework = "none";
  }
  return info;
}

}  // namespace vigil::testgen
