// Finding the function a test is for, its parameters and the calls it makes: per-grammar node
// kinds (Python, JavaScript/TypeScript, Go, C/C++, Java). Pure: reads a parsed snapshot.
#include <tree_sitter/api.h>

#include <cstring>
#include <functional>

#include "analyzers/testgen/testgen.hpp"

namespace vigil::testgen {
namespace {

std::string_view kind(TSNode n) { return ts_node_type(n); }

TSNode field(TSNode n, const char* name) { return ts_node_child_by_field_name(n, name, static_cast<uint32_t>(std::strlen(name))); }

std::string text_of(const document::Snapshot& s, TSNode n) { return ts_node_is_null(n) ? std::string() : std::string(s.node_text(n)); }

std::string lang_of(const document::Snapshot& s) { return template_language(*s.language); }

// Every named child.
template <class F>
void each_child(TSNode n, F&& f) {
  const uint32_t count = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < count; ++i) f(ts_node_named_child(n, i));
}

// The identifier a C declarator declares (through pointers, arrays, parentheses).
TSNode c_declarator_name(TSNode d) {
  while (!ts_node_is_null(d)) {
    const auto k = kind(d);
    if (k == "identifier" || k == "field_identifier") return d;
    TSNode inner = field(d, "declarator");
    if (ts_node_is_null(inner)) {
      if (ts_node_named_child_count(d) == 0) return TSNode{};
      inner = ts_node_named_child(d, 0);
    }
    d = inner;
  }
  return d;
}

void python_params(const document::Snapshot& s, TSNode params, FunctionInfo& f) {
  each_child(params, [&](TSNode p) {
    const auto k = kind(p);
    Param param;
    if (k == "identifier") param.name = text_of(s, p);
    else if (k == "typed_parameter") {
      each_child(p, [&](TSNode c) {
        if (param.name.empty() && kind(c) == "identifier") param.name = text_of(s, c);
      });
      param.type = text_of(s, field(p, "type"));
    } else if (k == "default_parameter" || k == "typed_default_parameter") {
      param.name = text_of(s, field(p, "name"));
      param.type = text_of(s, field(p, "type"));
      param.has_default = true;
      if (param.type.empty()) {  // the default's literal says what the parameter holds
        const auto vk = kind(field(p, "value"));
        if (vk == "integer") param.type = "int";
        else if (vk == "float") param.type = "float";
        else if (vk == "true" || vk == "false") param.type = "bool";
        else if (vk == "string") param.type = "str";
      }
    } else {
      return;  // *args, **kwargs, / and * markers: nothing the test passes by name
    }
    if (param.name == "self" || param.name == "cls") return;
    f.params.push_back(std::move(param));
  });
}

void js_params(const document::Snapshot& s, TSNode params, FunctionInfo& f) {
  if (kind(params) == "identifier") {  // x => ...
    f.params.push_back({text_of(s, params), "", false});
    return;
  }
  each_child(params, [&](TSNode p) {
    const auto k = kind(p);
    Param param;
    TSNode target = p;
    if (k == "required_parameter" || k == "optional_parameter") target = field(p, "pattern");
    if (!ts_node_is_null(target) && kind(target) == "assignment_pattern") {
      param.has_default = true;
      target = field(target, "left");
    }
    if (ts_node_is_null(target)) return;
    param.name = kind(target) == "identifier" ? text_of(s, target) : "arg" + std::to_string(f.params.size());
    f.params.push_back(std::move(param));
  });
}

void go_params(const document::Snapshot& s, TSNode params, FunctionInfo& f) {
  each_child(params, [&](TSNode p) {
    if (kind(p) != "parameter_declaration" && kind(p) != "variadic_parameter_declaration") return;
    const std::string type = text_of(s, field(p, "type"));
    bool named = false;
    each_child(p, [&](TSNode c) {
      if (kind(c) == "identifier") {
        f.params.push_back({text_of(s, c), type, false});
        named = true;
      }
    });
    if (!named) f.params.push_back({"arg" + std::to_string(f.params.size()), type, false});
  });
}

void c_params(const document::Snapshot& s, TSNode params, FunctionInfo& f) {
  each_child(params, [&](TSNode p) {
    if (kind(p) != "parameter_declaration") return;
    const TSNode name = c_declarator_name(field(p, "declarator"));
    std::string decl = text_of(s, p);
    Param param;
    param.name = text_of(s, name);
    if (param.name.empty()) return;  // (void)
    // The type: the declaration without its name ("const char *", "size_t", "char [64]").
    const auto at = decl.rfind(param.name);
    param.type = at == std::string::npos ? decl : decl.substr(0, at) + decl.substr(at + param.name.size());
    f.params.push_back(std::move(param));
  });
}

void java_params(const document::Snapshot& s, TSNode params, FunctionInfo& f) {
  each_child(params, [&](TSNode p) {
    if (kind(p) != "formal_parameter" && kind(p) != "spread_parameter") return;
    Param param;
    param.type = text_of(s, field(p, "type"));
    TSNode name = field(p, "name");
    if (ts_node_is_null(name))  // spread_parameter: the declarator holds the name
      each_child(p, [&](TSNode c) {
        if (kind(c) == "variable_declarator") name = field(c, "name");
      });
    param.name = text_of(s, name);
    if (!ts_node_is_null(field(p, "dimensions"))) param.type += text_of(s, field(p, "dimensions"));
    f.params.push_back(std::move(param));
  });
}

// Java: `Runtime.getRuntime().exec` as the callee of `Runtime.getRuntime().exec(cmd)`: arguments
// dropped so that the chain reads as a name ("*.exec" matches it).
std::string java_callee(const document::Snapshot& s, TSNode n) {
  const std::string name = text_of(s, field(n, "name"));
  TSNode object = field(n, "object");
  if (ts_node_is_null(object)) return name;
  if (kind(object) == "method_invocation") return java_callee(s, object) + "." + name;
  std::string text = text_of(s, object);
  if (text.find('(') != std::string::npos) text = "_";
  return text + "." + name;
}

void collect_calls(const document::Snapshot& s, TSNode n, FunctionInfo& f) {
  const auto k = kind(n);
  if (k == "method_invocation") {
    std::string callee;
    for (char c : java_callee(s, n))
      if (!std::isspace(static_cast<unsigned char>(c))) callee += c;
    f.calls.push_back({callee, ts_node_start_byte(n), ts_node_end_byte(n), text_of(s, n)});
  } else if (k == "object_creation_expression") {  // new ProcessBuilder(...), new File(...)
    f.calls.push_back({"new " + text_of(s, field(n, "type")), ts_node_start_byte(n), ts_node_end_byte(n), text_of(s, n)});
  }
  if (k == "call" || k == "call_expression") {
    TSNode fn = field(n, "function");
    if (!ts_node_is_null(fn)) {
      std::string callee = text_of(s, fn);
      // Go generics and C++ templates (f[T](), f<T>()) and whitespace in chains: the plain name.
      std::string clean;
      for (char c : callee)
        if (!std::isspace(static_cast<unsigned char>(c))) clean += c;
      if (clean.find('(') == std::string::npos)
        f.calls.push_back({clean, ts_node_start_byte(n), ts_node_end_byte(n), text_of(s, n)});
    }
  }
  each_child(n, [&](TSNode c) { collect_calls(s, c, f); });
}

// The function a node defines, if it is one: name and parameter list node.
bool as_function(const document::Snapshot& s, TSNode n, std::string& name, TSNode& params, TSNode& whole) {
  const std::string lang = lang_of(s);
  const auto k = kind(n);
  whole = n;
  if (lang == "python") {
    if (k != "function_definition") return false;
    name = text_of(s, field(n, "name"));
    params = field(n, "parameters");
    return true;
  }
  if (lang == "go") {
    if (k != "function_declaration") return false;
    name = text_of(s, field(n, "name"));
    params = field(n, "parameters");
    return true;
  }
  if (lang == "java") {
    if (k != "method_declaration") return false;
    name = text_of(s, field(n, "name"));
    params = field(n, "parameters");
    return true;
  }
  if (lang == "c") {
    if (k != "function_definition") return false;
    TSNode d = field(n, "declarator");
    while (!ts_node_is_null(d) && kind(d) != "function_declarator") d = field(d, "declarator");
    if (ts_node_is_null(d)) return false;
    name = text_of(s, c_declarator_name(field(d, "declarator")));
    params = field(d, "parameters");
    return true;
  }
  // JavaScript / TypeScript
  if (k == "function_declaration" || k == "generator_function_declaration") {
    name = text_of(s, field(n, "name"));
    params = field(n, "parameters");
    return true;
  }
  if (k == "variable_declarator" || k == "assignment_expression") {
    TSNode value = field(n, k == "variable_declarator" ? "value" : "right");
    if (ts_node_is_null(value)) return false;
    const auto vk = kind(value);
    if (vk != "arrow_function" && vk != "function_expression" && vk != "function") return false;
    TSNode left = field(n, k == "variable_declarator" ? "name" : "left");
    if (kind(left) == "member_expression") left = field(left, "property");
    name = text_of(s, left);
    params = field(value, "parameters");
    if (ts_node_is_null(params)) params = field(value, "parameter");
    whole = n;
    return true;
  }
  return false;
}

std::optional<FunctionInfo> build(const document::Snapshot& s, TSNode n) {
  std::string name;
  TSNode params{}, whole{};
  if (!as_function(s, n, name, params, whole) || name.empty()) return std::nullopt;
  FunctionInfo f;
  f.name = name;
  f.start_byte = ts_node_start_byte(whole);
  f.end_byte = ts_node_end_byte(whole);
  f.text = text_of(s, whole);
  const std::string lang = lang_of(s);
  if (!ts_node_is_null(params)) {
    if (lang == "python") python_params(s, params, f);
    else if (lang == "go") go_params(s, params, f);
    else if (lang == "c") c_params(s, params, f);
    else if (lang == "java") java_params(s, params, f);
    else js_params(s, params, f);
  }
  collect_calls(s, whole, f);
  return f;
}

// Methods (inside a class) need an instance the test cannot build: skipped.
bool in_class(TSNode n) {
  for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p)) {
    const auto k = kind(p);
    if (k == "class_definition" || k == "class_declaration" || k == "class_body" || k == "class") return true;
  }
  return false;
}

void walk(TSNode n, const std::function<bool(TSNode)>& visit) {
  if (!visit(n)) return;
  each_child(n, [&](TSNode c) { walk(c, visit); });
}

}  // namespace

std::vector<FunctionInfo> functions(const document::Snapshot& snapshot) {
  std::vector<FunctionInfo> out;
  walk(snapshot.root(), [&](TSNode n) {
    if (auto f = build(snapshot, n)) {
      // Java has only methods: the test calls them by reflection (static, or on a new instance).
      if (lang_of(snapshot) == "java" || !in_class(n)) out.push_back(std::move(*f));
      return true;  // nested functions are functions too
    }
    return true;
  });
  return out;
}

std::optional<FunctionInfo> find_function(const document::Snapshot& snapshot, std::string_view name) {
  for (auto& f : functions(snapshot))
    if (f.name == name) return std::move(f);
  return std::nullopt;
}

std::optional<FunctionInfo> enclosing_function(const document::Snapshot& snapshot, uint32_t byte) {
  std::optional<FunctionInfo> best;
  for (auto& f : functions(snapshot))
    if (f.start_byte <= byte && byte < f.end_byte && (!best || f.start_byte >= best->start_byte)) best = std::move(f);
  return best;
}

}  // namespace vigil::testgen
