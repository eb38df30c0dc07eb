#include "analyzers/validation/deep.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "analyzers/match/taint.hpp"

namespace vigil::validation {

namespace {

constexpr int kMaxDepth = 8;

std::string_view type(TSNode n) { return ts_node_is_null(n) ? std::string_view() : std::string_view(ts_node_type(n)); }

TSNode field(TSNode n, const char* name) {
  return ts_node_is_null(n) ? TSNode{} : ts_node_child_by_field_name(n, name, static_cast<uint32_t>(std::strlen(name)));
}

std::vector<TSNode> named_children(TSNode n) {
  std::vector<TSNode> out;
  if (ts_node_is_null(n)) return out;  // tree-sitter reads through a null node's subtree
  const uint32_t count = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode c = ts_node_named_child(n, i);
    if (type(c) != "comment") out.push_back(c);
  }
  return out;
}

bool contains(TSNode outer, TSNode inner) {
  return ts_node_start_byte(outer) <= ts_node_start_byte(inner) && ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

bool is_one_of(std::string_view t, std::initializer_list<std::string_view> kinds) {
  return std::find(kinds.begin(), kinds.end(), t) != kinds.end();
}

// A folded constant.
struct Value {
  enum class Kind { null, boolean, number, string } kind = Kind::null;
  bool b = false;
  double n = 0;
  std::string s;
  bool truthy() const {
    switch (kind) {
      case Kind::null: return false;
      case Kind::boolean: return b;
      case Kind::number: return n != 0;
      case Kind::string: return !s.empty();
    }
    return false;
  }
  std::string show() const {
    switch (kind) {
      case Kind::null: return "null";
      case Kind::boolean: return b ? "true" : "false";
      case Kind::number: {
        std::string t = std::to_string(n);
        if (n == std::floor(n) && std::abs(n) < 1e15) t = std::to_string(static_cast<long long>(n));
        return t;
      }
      case Kind::string: return "\"" + s + "\"";
    }
    return "";
  }
};

struct Judgement {
  bool safe = false;
  std::string reason;  // why it is safe; or, when not, a note worth telling (e.g. a weak guard)
};

struct Assignment {
  TSNode target;  // the assigned name (identifier) or attribute
  TSNode value;   // null when the value is not an expression we can judge (loop variable, unpacking)
};

class Deep {
 public:
  // `numbers_safe`: false for rules where a number is the attack (allocation sizes, integer overflow).
  Deep(const document::Snapshot& s, bool numbers_safe) : snap_(s), lang_(*s.language), root_(s.root()), numbers_safe_(numbers_safe) {
    index(root_);
  }

  std::string text(TSNode n) const { return ts_node_is_null(n) ? std::string() : std::string(snap_.node_text(n)); }
  uint32_t line(TSNode n) const { return ts_node_start_point(n).row + 1; }
  std::string where(TSNode n) const { return "line " + std::to_string(line(n)); }
  std::string quote(TSNode n) const {
    std::string t = text(n);
    for (auto& c : t)
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (t.size() > 60) t = t.substr(0, 57) + "...";
    return "`" + t + "`";
  }
  TSNode root() const { return root_; }

  // A node kind that is its own scope (the taint engine's function kinds). By kind, without walking
  // up: ts_node_parent costs a walk down from the root.
  bool is_function(TSNode n) const {
    if (ts_node_is_null(n)) return false;
    const auto t = type(n);
    if (!is_one_of(t, {"function_definition", "lambda", "function_declaration", "function_expression", "function", "arrow_function",
                       "method_definition", "generator_function", "generator_function_declaration", "method_declaration",
                       "constructor_declaration", "func_literal", "lambda_expression", "compact_constructor_declaration"}))
      return false;
    return ts_node_eq(match::enclosing_taint_scope(lang_, n), n);
  }
  // The enclosing function (null at top level), remembered per node.
  TSNode function_of(TSNode n) const {
    auto it = function_cache_.find(n.id);
    if (it != function_cache_.end()) return it->second;
    TSNode fn = match::enclosing_taint_scope(lang_, n);
    function_cache_.emplace(n.id, fn);
    return fn;
  }

  // ---- constant folding ----------------------------------------------------------------------

  std::optional<Value> fold(TSNode n, int depth = 0) const {
    if (ts_node_is_null(n) || depth > kMaxDepth) return std::nullopt;
    const auto t = type(n);
    Value v;
    if (t == "true" || t == "false") {
      v.kind = Value::Kind::boolean;
      v.b = t == "true";
      return v;
    }
    if (is_one_of(t, {"none", "null", "nil", "null_literal", "undefined", "nullptr"})) return v;
    if (is_one_of(t, {"integer", "float", "number", "int_literal", "float_literal", "decimal_integer_literal",
                      "decimal_floating_point_literal", "hex_integer_literal", "number_literal"})) {
      std::string digits;
      for (char c : text(n))
        if (c != '_' && c != '\'') digits += c;
      char* end = nullptr;
      const double d = std::strtod(digits.c_str(), &end);
      if (end == digits.c_str()) return std::nullopt;
      v.kind = Value::Kind::number;
      v.n = d;
      return v;
    }
    if (t == "preproc_arg") {  // #define NAME 0
      std::string body = text(n);
      char* end = nullptr;
      const double d = std::strtod(body.c_str(), &end);
      if (end == body.c_str() || !std::all_of(static_cast<const char*>(end), body.c_str() + body.size(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
        return std::nullopt;
      v.kind = Value::Kind::number;
      v.n = d;
      return v;
    }
    if (is_string_literal(n)) {
      v.kind = Value::Kind::string;
      std::string raw = text(n);
      const size_t open = raw.find_first_of("\"'`");
      const size_t close = raw.find_last_of("\"'`");
      v.s = open != std::string::npos && close != std::string::npos && close > open ? raw.substr(open + 1, close - open - 1) : raw;
      return v;
    }
    if (is_one_of(t, {"parenthesized_expression", "condition_clause", "expression_statement"})) {
      auto kids = named_children(n);
      return kids.empty() ? std::nullopt : fold(kids.back(), depth + 1);
    }
    if (t == "not_operator") {
      auto a = fold(field(n, "argument"), depth + 1);
      if (!a) return std::nullopt;
      v.kind = Value::Kind::boolean;
      v.b = !a->truthy();
      return v;
    }
    if (t == "unary_expression" || t == "unary_operator") {
      TSNode arg = field(n, "argument");
      if (ts_node_is_null(arg)) arg = field(n, "operand");
      const std::string op = ts_node_child_count(n) ? text(ts_node_child(n, 0)) : "";
      auto a = fold(arg, depth + 1);
      if (!a) return std::nullopt;
      if (op == "!" || op == "not") {
        v.kind = Value::Kind::boolean;
        v.b = !a->truthy();
        return v;
      }
      if (op == "-" && a->kind == Value::Kind::number) {
        v.kind = Value::Kind::number;
        v.n = -a->n;
        return v;
      }
      return std::nullopt;
    }
    if (is_one_of(t, {"binary_operator", "binary_expression", "comparison_operator", "boolean_operator"})) {
      if (ts_node_child_count(n) != 3) return std::nullopt;
      const std::string op = text(ts_node_child(n, 1));
      auto l = fold(ts_node_child(n, 0), depth + 1);
      if (!l) return std::nullopt;
      if (op == "and" || op == "&&") return !l->truthy() ? l : fold(ts_node_child(n, 2), depth + 1);
      if (op == "or" || op == "||") return l->truthy() ? l : fold(ts_node_child(n, 2), depth + 1);
      auto r = fold(ts_node_child(n, 2), depth + 1);
      if (!r) return std::nullopt;
      return binary(*l, op, *r);
    }
    if (is_one_of(t, {"conditional_expression", "ternary_expression"})) {
      auto [cond, yes, no] = ternary_parts(n);
      auto c = fold(cond, depth + 1);
      if (!c) return std::nullopt;
      return fold(c->truthy() ? yes : no, depth + 1);
    }
    if (t == "identifier") {
      // A name assigned exactly once in the whole file, to a constant, and not a parameter.
      auto it = assignments_.find(text(n));
      if (it == assignments_.end() || it->second.size() != 1 || ts_node_is_null(it->second[0].value)) return std::nullopt;
      if (parameters_.count(text(n))) return std::nullopt;
      if (contains(it->second[0].value, n)) return std::nullopt;
      return fold(it->second[0].value, depth + 1);
    }
    return std::nullopt;
  }

  static std::optional<Value> binary(const Value& l, const std::string& op, const Value& r) {
    Value v;
    v.kind = Value::Kind::boolean;
    const bool numbers = l.kind == Value::Kind::number && r.kind == Value::Kind::number;
    const bool strings = l.kind == Value::Kind::string && r.kind == Value::Kind::string;
    if (op == "==" || op == "===" || op == "is") {
      if (numbers) v.b = l.n == r.n;
      else if (strings) v.b = l.s == r.s;
      else if (l.kind == r.kind) v.b = l.truthy() == r.truthy();
      else return std::nullopt;
      return v;
    }
    if (op == "!=" || op == "!==" || op == "is not") {
      auto eq = binary(l, "==", r);
      if (!eq) return std::nullopt;
      eq->b = !eq->b;
      return eq;
    }
    if (numbers) {
      if (op == "<") v.b = l.n < r.n;
      else if (op == ">") v.b = l.n > r.n;
      else if (op == "<=") v.b = l.n <= r.n;
      else if (op == ">=") v.b = l.n >= r.n;
      else {
        v.kind = Value::Kind::number;
        if (op == "+") v.n = l.n + r.n;
        else if (op == "-") v.n = l.n - r.n;
        else if (op == "*") v.n = l.n * r.n;
        else return std::nullopt;
      }
      return v;
    }
    if (strings && op == "+") {
      v.kind = Value::Kind::string;
      v.s = l.s + r.s;
      return v;
    }
    return std::nullopt;
  }

  std::tuple<TSNode, TSNode, TSNode> ternary_parts(TSNode n) const {
    if (type(n) == "conditional_expression" && lang_.id == "python") {
      auto kids = named_children(n);  // a if c else b
      if (kids.size() == 3) return {kids[1], kids[0], kids[2]};
      return {};
    }
    return {field(n, "condition"), field(n, "consequence"), field(n, "alternative")};
  }

  bool is_string_literal(TSNode n) const {
    const auto t = type(n);
    if (t == "string") {
      for (TSNode c : named_children(n))
        if (is_one_of(type(c), {"interpolation", "template_substitution"})) return false;
      return true;
    }
    if (t == "template_string") {
      for (TSNode c : named_children(n))
        if (type(c) == "template_substitution") return false;
      return true;
    }
    return is_one_of(t, {"string_literal", "interpreted_string_literal", "raw_string_literal", "char_literal",
                         "character_literal", "rune_literal", "text_block", "concatenated_string"}) &&
           !has_descendant(n, {"interpolation", "template_substitution", "identifier"});
  }

  bool has_descendant(TSNode n, std::initializer_list<std::string_view> kinds) const {
    for (TSNode c : named_children(n))
      if (is_one_of(type(c), kinds) || has_descendant(c, kinds)) return true;
    return false;
  }

  // ---- dead code ---------------------------------------------------------------------------------

  // The branch around `n` that can never run, described; empty when none.
  std::string dead_branch(TSNode n) const {
    for (TSNode child = n, p = ts_node_parent(n); !ts_node_is_null(p); child = p, p = ts_node_parent(p)) {
      const auto t = type(p);
      if (t == "if_statement" || t == "elif_clause" || t == "while_statement") {
        TSNode cond = field(p, "condition");
        auto c = fold(cond);
        if (!c) continue;
        TSNode yes = field(p, "consequence");
        if (ts_node_is_null(yes)) yes = field(p, "body");
        const bool in_yes = !ts_node_is_null(yes) && contains(yes, child);
        const bool in_else = !in_yes && !ts_node_eq(child, cond) && !contains(cond, child);
        if (in_yes && !c->truthy())
          return "the branch is never taken: " + quote(cond) + " on " + where(cond) + " is always " + c->show();
        if (in_else && c->truthy() && t != "while_statement")
          return "the else branch is never taken: " + quote(cond) + " on " + where(cond) + " is always " + c->show();
      } else if (t == "conditional_expression" || t == "ternary_expression") {
        auto [cond, yes, no] = ternary_parts(p);
        auto c = fold(cond);
        if (!c) continue;
        if (!ts_node_is_null(yes) && contains(yes, child) && !c->truthy())
          return "the ternary never chooses it: " + quote(cond) + " is always " + c->show();
        if (!ts_node_is_null(no) && contains(no, child) && c->truthy())
          return "the ternary never chooses it: " + quote(cond) + " is always " + c->show();
      }
      if (is_function(p)) break;
    }
    return {};
  }

  // ---- values that cannot carry an attack ---------------------------------------------------------

  Judgement judge(TSNode n, int depth = 0) {
    if (ts_node_is_null(n)) return {};
    if (depth > kMaxDepth) return {false, ""};
    const auto t = type(n);
    if (auto v = fold(n)) return {true, quote(n) + " is the constant " + v->show()};
    if (is_string_literal(n)) return {true, quote(n) + " is a literal"};
    if (is_one_of(t, {"integer", "float", "number", "true", "false", "none", "null", "nil"})) return {true, quote(n) + " is a literal"};
    if (is_one_of(t, {"parenthesized_expression", "expression_statement", "argument", "await_expression", "type_conversion_expression",
                      "cast_expression", "as_expression", "non_null_expression"})) {
      // Go T(x): a conversion to a numeric type is a number.
      auto kids = named_children(n);
      if (kids.empty()) return {};
      if (t == "type_conversion_expression" || t == "cast_expression") {
        const std::string to = text(field(n, "type"));
        if (numbers_safe_ && RE2::FullMatch(to, "u?int(8|16|32|64)?|float(32|64)|int|long|short|double|float|size_t|bool(ean)?"))
          return {true, quote(n) + " converts to " + to + ": a number cannot carry an attack"};
      }
      return judge(kids.back(), depth + 1);
    }
    // Comparisons and negations make booleans.
    if (is_one_of(t, {"comparison_operator", "not_operator"})) return {true, quote(n) + " is a boolean"};
    if (t == "binary_expression" || t == "binary_operator" || t == "boolean_operator") {
      const std::string op = ts_node_child_count(n) == 3 ? text(ts_node_child(n, 1)) : "";
      if (is_one_of(op, {"==", "!=", "===", "!==", "<", ">", "<=", ">=", "instanceof", "in"})) return {true, quote(n) + " is a boolean"};
      if (is_one_of(op, {"-", "*", "/", "//", "&", "|", "^", "<<", ">>", "**"})) {
        if (!numbers_safe_) return {};
        // Arithmetic on anything yields a number (Python `%` with a string left is formatting).
        return {true, quote(n) + " is arithmetic: a number cannot carry an attack"};
      }
      return all_safe(named_children(n), n, depth);  // +, %, and/or, &&, ||: the operands' values
    }
    if (t == "unary_expression") {
      const std::string op = ts_node_child_count(n) ? text(ts_node_child(n, 0)) : "";
      if (op == "!") return {true, quote(n) + " is a boolean"};
      if ((op == "-" || op == "+" || op == "~") && numbers_safe_) return {true, quote(n) + " is a number"};
      if (op == "typeof") return {true, quote(n) + " is a type name"};
      return {};
    }
    if (is_one_of(t, {"string", "template_string", "concatenated_string", "interpreted_string_literal", "string_literal"})) {
      std::vector<TSNode> parts;
      collect_interpolations(n, parts);
      if (parts.empty()) return {true, quote(n) + " is a literal"};
      return all_safe(parts, n, depth);
    }
    if (is_one_of(t, {"conditional_expression", "ternary_expression"})) {
      auto [cond, yes, no] = ternary_parts(n);
      if (auto c = fold(cond)) {
        auto j = judge(c->truthy() ? yes : no, depth + 1);
        if (j.safe) j.reason = quote(cond) + " is always " + c->show() + ", so the value is " + quote(c->truthy() ? yes : no) + " (" + j.reason + ")";
        return j;
      }
      auto a = judge(yes, depth + 1), b = judge(no, depth + 1);
      if (a.safe && b.safe) return {true, quote(n) + " chooses between two safe values (" + a.reason + "; " + b.reason + ")"};
      return {false, a.safe ? b.reason : a.reason};
    }
    if (t == "identifier" || t == "shorthand_property_identifier") return judge_name(n, depth);
    if (is_one_of(t, {"attribute", "member_expression", "field_expression", "selector_expression", "field_access"})) return judge_member(n, depth);
    if (is_one_of(t, {"subscript", "subscript_expression", "index_expression", "array_access"})) return judge_lookup(n, depth);
    if (is_one_of(t, {"call", "call_expression", "method_invocation"})) return judge_call(n, depth);
    if (is_one_of(t, {"list", "tuple", "array", "expression_list", "array_initializer", "argument_list", "arguments"}))
      return all_safe(named_children(n), n, depth);
    if (t == "keyword_argument" || t == "pair") return judge(field(n, "value"), depth + 1);
    return {};
  }

  void collect_interpolations(TSNode n, std::vector<TSNode>& out) const {
    for (TSNode c : named_children(n)) {
      const auto t = type(c);
      if (t == "interpolation" || t == "template_substitution") {
        auto kids = named_children(c);
        if (!kids.empty()) out.push_back(kids.front());
      } else if (!is_one_of(t, {"string_content", "string_start", "string_end", "escape_sequence", "string_fragment"})) {
        collect_interpolations(c, out);
      }
    }
  }

  Judgement all_safe(const std::vector<TSNode>& parts, TSNode whole, int depth) {
    std::vector<std::string> reasons;
    for (TSNode p : parts) {
      auto j = judge(p, depth + 1);
      if (!j.safe) return {false, j.reason};
      if (!j.reason.empty() && reasons.size() < 3) reasons.push_back(j.reason);
    }
    std::string r = "every part of " + quote(whole) + " is safe";
    if (!reasons.empty()) {
      r += " (";
      for (size_t i = 0; i < reasons.size(); ++i) r += (i ? "; " : "") + reasons[i];
      r += ")";
    }
    return {true, r};
  }

  // A name this file assigns or takes as a parameter (not a module or class name).
  bool is_variable(TSNode n) const {
    const std::string name = text(n);
    return assignments_.count(name) > 0 || is_parameter(function_of(n), name);
  }

  // The function's own parameter list holds `name`.
  bool is_parameter(TSNode fn, const std::string& name) const {
    if (ts_node_is_null(fn)) return false;
    TSNode params = field(fn, "parameters");
    if (ts_node_is_null(params)) params = field(fn, "parameter");
    if (ts_node_is_null(params)) {
      // C/C++: declarator -> function_declarator -> parameters
      for (TSNode d = field(fn, "declarator"); !ts_node_is_null(d); d = field(d, "declarator")) {
        TSNode p = field(d, "parameters");
        if (!ts_node_is_null(p)) {
          params = p;
          break;
        }
      }
    }
    if (ts_node_is_null(params)) return false;
    return identifier_in(params, name);
  }

  bool identifier_in(TSNode n, const std::string& name) const {
    if (type(n) == "identifier" && text(n) == name) return true;
    for (TSNode c : named_children(n))
      if (identifier_in(c, name)) return true;
    return false;
  }

  bool inside_loop(TSNode n, TSNode fn) const {
    for (TSNode p = ts_node_parent(n); !ts_node_is_null(p) && !ts_node_eq(p, fn); p = ts_node_parent(p))
      if (is_one_of(type(p), {"for_statement", "while_statement", "for_in_statement", "enhanced_for_statement", "do_statement",
                              "for_range_loop"}))
        return true;
    return false;
  }

  // Straight-line reaching definitions: an assignment statement that runs unconditionally before
  // `use` (its block encloses the use) hides every earlier one. `defs` is in document order.
  template <class T>
  std::vector<T> reaching(std::vector<T> defs, TSNode use, const std::function<TSNode(const T&)>& node_of) const {
    if (inside_loop(use, function_of(use))) return defs;
    size_t from = 0;
    for (size_t i = 0; i < defs.size(); ++i) {
      TSNode target = node_of(defs[i]);
      if (ts_node_start_byte(target) >= ts_node_start_byte(use)) continue;
      TSNode stmt = target;
      while (!ts_node_is_null(ts_node_parent(stmt)) &&
             !is_one_of(type(ts_node_parent(stmt)), {"block", "module", "statement_block", "compound_statement", "program",
                                                      "constructor_body", "class_body", "statement_list", "translation_unit"}))
        stmt = ts_node_parent(stmt);
      TSNode block = ts_node_parent(stmt);
      if (!ts_node_is_null(block) && contains(block, use) && ts_node_end_byte(stmt) <= ts_node_start_byte(use)) from = i;
    }
    return std::vector<T>(defs.begin() + static_cast<std::ptrdiff_t>(from), defs.end());
  }

  Judgement judge_name(TSNode n, int depth) {
    const std::string name = text(n);
    TSNode fn = function_of(n);
    if (auto g = guard_for(name, n, fn); !g.empty()) return {true, g};
    auto it = assignments_.find(name);
    std::vector<const Assignment*> reaching;
    const bool loop = inside_loop(n, fn);
    if (it != assignments_.end())
      for (const auto& a : it->second) {
        if (!ts_node_eq(function_of(a.target), fn)) continue;
        if (!loop && ts_node_start_byte(a.target) >= ts_node_start_byte(n)) continue;
        reaching.push_back(&a);
      }
    reaching = this->reaching<const Assignment*>(reaching, n, [](const Assignment* const& a) { return a->target; });
    const bool param = is_parameter(fn, name) && (reaching.empty() || ts_node_start_byte(reaching.front()->target) >= ts_node_start_byte(n) ||
                                                  !dominates(reaching.front()->target, n));
    if (param) {
      auto callers = judge_callers(fn, name, depth);
      if (!callers.safe) return {false, callers.reason};
      if (reaching.empty()) return callers;
    }
    if (reaching.empty()) {
      // Not assigned in this function: a module-level name (constant, imported, or a field).
      if (it == assignments_.end() || ts_node_is_null(fn)) return {false, ""};
      std::vector<const Assignment*> outer;
      for (const auto& a : it->second)
        if (ts_node_is_null(function_of(a.target)) || type(ts_node_parent(function_of(a.target))) == "class_body") outer.push_back(&a);
      if (outer.empty()) return {false, ""};
      reaching = outer;
    }
    std::vector<std::string> reasons;
    for (const Assignment* a : reaching) {
      if (ts_node_is_null(a->value)) return {false, ""};
      if (contains(a->value, n)) return {false, ""};  // x = f(x) inside the use itself
      auto j = judge(a->value, depth + 1);
      if (!j.safe) {
        // A guard after the assignment, before the use, still holds.
        return {false, j.reason};
      }
      if (reasons.size() < 2) reasons.push_back(j.reason);
    }
    std::string r = quote(n) + (reaching.size() == 1 ? " is assigned on " + where(reaching[0]->target) : " is only ever assigned safe values");
    r += " (" + reasons[0] + (reasons.size() > 1 ? "; " + reasons[1] : "") + ")";
    return {true, r};
  }

  // A private function whose every call in this file passes a safe value for `param`.
  bool dominates(TSNode target, TSNode use) const {
    TSNode stmt = target;
    while (!ts_node_is_null(ts_node_parent(stmt)) &&
           !is_one_of(type(ts_node_parent(stmt)), {"block", "module", "statement_block", "compound_statement", "program", "constructor_body",
                                                  "statement_list", "translation_unit"}))
      stmt = ts_node_parent(stmt);
    TSNode block = ts_node_parent(stmt);
    return !ts_node_is_null(block) && contains(block, use) && ts_node_end_byte(stmt) <= ts_node_start_byte(use);
  }

  Judgement judge_callers(TSNode fn, const std::string& param, int depth) {
    const std::string fname = function_name(fn);
    if (fname.empty() || !is_private(fn, fname)) return {false, ""};
    TSNode params = field(fn, "parameters");
    if (ts_node_is_null(params)) return {false, ""};
    int index = -1, i = 0;
    for (TSNode p : named_children(params)) {
      if (identifier_in(p, param)) {
        index = i;
        break;
      }
      if (!is_one_of(text(p), {"self", "cls"})) ++i;
    }
    if (index < 0) return {false, ""};
    auto it = calls_.find(fname);
    if (it == calls_.end() || it->second.empty()) return {false, ""};
    for (TSNode call : it->second) {
      if (contains(fn, call)) return {false, ""};  // recursion
      auto args = named_children(field(call, "arguments"));
      if (static_cast<int>(args.size()) <= index) return {false, ""};
      auto j = judge(args[static_cast<size_t>(index)], depth + 1);
      if (!j.safe) return {false, ""};
    }
    return {true, "`" + param + "` is a parameter of the private " + fname + "(), and each of its " + std::to_string(it->second.size()) +
                      " calls in this file passes a safe value"};
  }

  std::string function_name(TSNode fn) const {
    TSNode name = field(fn, "name");
    if (!ts_node_is_null(name)) return text(name);
    for (TSNode d = field(fn, "declarator"); !ts_node_is_null(d); d = field(d, "declarator"))
      if (is_one_of(type(d), {"identifier", "field_identifier"})) return text(d);
    TSNode parent = ts_node_parent(fn);
    if (type(parent) == "variable_declarator") return text(field(parent, "name"));
    return {};
  }

  bool is_private(TSNode fn, const std::string& name) const {
    const auto lang = lang_.id;
    if (lang == "python") return name.starts_with("_");
    if (lang == "go") return !name.empty() && std::islower(static_cast<unsigned char>(name[0]));
    const std::string head = text(fn).substr(0, 200);
    if (lang == "java") return head.find("private ") != std::string::npos;
    if (lang == "c" || lang == "cpp") return head.starts_with("static ");
    // JavaScript/TypeScript: not exported.
    for (TSNode p = ts_node_parent(fn); !ts_node_is_null(p); p = ts_node_parent(p))
      if (type(p) == "export_statement") return false;
    return snap_.text.find("exports." + name) == std::string::npos && snap_.text.find("module.exports") == std::string::npos;
  }

  Judgement judge_member(TSNode n, int depth) {
    // self.f / this.f: every assignment to the field in the file.
    TSNode object = field(n, "object");
    if (ts_node_is_null(object)) object = field(n, "operand");
    if (ts_node_is_null(object)) object = field(n, "argument");
    TSNode attr = field(n, "attribute");
    if (ts_node_is_null(attr)) attr = field(n, "property");
    if (ts_node_is_null(attr)) attr = field(n, "field");
    if (ts_node_is_null(object) || ts_node_is_null(attr)) return {};
    const std::string obj = text(object), name = text(attr);
    if (obj == "self" || obj == "this" || obj == "cls") {
      auto it = fields_.find(name);
      std::vector<TSNode> values;
      if (it != fields_.end()) {
        // Assignments in this function before the use, straight-line, hide the others.
        std::vector<std::pair<TSNode, TSNode>> local;  // (target, value)
        for (size_t i = 0; i < it->second.size(); ++i)
          if (ts_node_eq(function_of(field_targets_[name][i]), function_of(n)) &&
              ts_node_start_byte(field_targets_[name][i]) < ts_node_start_byte(n))
            local.emplace_back(field_targets_[name][i], it->second[i]);
        auto hidden = reaching<std::pair<TSNode, TSNode>>(local, n, [](const std::pair<TSNode, TSNode>& p) { return p.first; });
        if (!hidden.empty() && dominates(hidden.front().first, n)) {
          for (const auto& [t, v] : hidden) values.push_back(v);
        } else {
          values = it->second;
        }
      }
      // A class attribute / field declaration of that name.
      if (auto a = assignments_.find(name); a != assignments_.end())
        for (const auto& as : a->second) {
          TSNode fn = function_of(as.target);
          if (ts_node_is_null(fn) && !ts_node_is_null(as.value)) values.push_back(as.value);
        }
      if (values.empty()) return {};
      for (TSNode v : values) {
        auto j = judge(v, depth + 1);
        if (!j.safe) return {false, j.reason};
      }
      return {true, "the field `" + name + "` is only ever assigned safe values (" + std::to_string(values.size()) + " assignment" +
                        (values.size() == 1 ? "" : "s") + " in this file)"};
    }
    // CONSTANTS.NAME on a constant map/object.
    if (auto m = constant_map(object, depth)) return {true, quote(n) + " is a fixed value from " + *m};
    return {};
  }

  // The name of a map/dict/object literal whose values are all safe, if `n` names one.
  std::optional<std::string> constant_map(TSNode n, int depth) {
    if (type(n) != "identifier" || depth > kMaxDepth) return std::nullopt;
    auto it = assignments_.find(text(n));
    if (it == assignments_.end() || it->second.size() != 1 || ts_node_is_null(it->second[0].value)) return std::nullopt;
    TSNode value = it->second[0].value;
    const auto t = type(value);
    std::vector<TSNode> values;
    if (t == "dictionary" || t == "object") {
      for (TSNode pair : named_children(value)) {
        TSNode v = field(pair, "value");
        if (ts_node_is_null(v)) return std::nullopt;
        values.push_back(v);
      }
    } else if (t == "composite_literal") {
      TSNode body = field(value, "body");
      for (TSNode el : named_children(body)) {
        TSNode v = type(el) == "keyed_element" ? named_children(el).back() : el;
        values.push_back(type(v) == "literal_element" && ts_node_named_child_count(v) ? ts_node_named_child(v, 0) : v);
      }
    } else if (t == "list" || t == "tuple" || t == "array") {
      values = named_children(value);
    } else {
      return std::nullopt;
    }
    if (values.empty()) return std::nullopt;
    for (TSNode v : values)
      if (!judge(v, depth + 1).safe) return std::nullopt;
    return "the constant " + quote(n) + " (" + where(value) + ")";
  }

  Judgement judge_lookup(TSNode n, int depth) {
    TSNode object = field(n, "value");
    if (ts_node_is_null(object)) object = field(n, "object");
    if (ts_node_is_null(object)) object = field(n, "operand");
    if (ts_node_is_null(object)) object = field(n, "array");
    if (ts_node_is_null(object) && ts_node_named_child_count(n)) object = ts_node_named_child(n, 0);
    if (auto m = constant_map(object, depth)) return {true, quote(n) + " is a fixed choice from " + *m};
    return {};
  }

  Judgement judge_call(TSNode n, int depth) {
    TSNode fnode = field(n, "function");
    std::string callee = text(fnode);
    if (type(n) == "method_invocation") callee = text(field(n, "object")) + (ts_node_is_null(field(n, "object")) ? "" : ".") + text(field(n, "name"));
    static const RE2 numeric(
        "(int|float|bool|len|abs|round|ord|hash|id|"
        "Number|parseInt|parseFloat|Boolean|Math\\.\\w+|"
        "Integer\\.(parseInt|valueOf)|Long\\.(parseLong|valueOf)|Double\\.(parseDouble|valueOf)|Float\\.parseFloat|"
        "Boolean\\.parseBoolean|Short\\.parseShort|"
        "strconv\\.(Atoi|ParseInt|ParseUint|ParseFloat|ParseBool)|"
        "atoi|atol|atoll|strtol|strtoul|strtoll|strtod|std::stoi|std::stol|std::stoul|std::stod|"
        "uuid\\.UUID|UUID\\.fromString|uuid\\.Parse)");
    if (numbers_safe_ && RE2::FullMatch(callee, numeric)) return {true, quote(n) + " is a number (or a boolean, or a UUID): it cannot carry an attack"};
    static const RE2 counted("\\w+\\.(count|index|find|rfind|size|length|indexOf|lastIndexOf|len|Len|hashCode|compareTo|equals|"
                             "isdigit|isalnum|isalpha|startswith|endswith|startsWith|endsWith|includes|contains|test)");
    if (numbers_safe_ && RE2::FullMatch(callee, counted)) return {true, quote(n) + " is a number or a boolean"};
    // MAP.get(key[, default]) on a constant map: a fixed choice.
    if (type(fnode) == "attribute" || type(fnode) == "member_expression" || type(n) == "method_invocation") {
      TSNode object = type(n) == "method_invocation" ? field(n, "object") : field(fnode, "object");
      TSNode method = type(n) == "method_invocation" ? field(n, "name") : (ts_node_is_null(field(fnode, "attribute")) ? field(fnode, "property") : field(fnode, "attribute"));
      const std::string m = text(method);
      if (m == "get" || m == "getOrDefault") {
        if (auto map = constant_map(object, depth)) {
          auto args = named_children(field(n, "arguments"));
          if (args.size() < 2 || judge(args[1], depth + 1).safe)
            return {true, quote(n) + " is a fixed choice from " + *map};
        }
      }
      // self.helper(x) / this.helper(x): a method of this file.
      const std::string obj = text(object);
      if (obj == "self" || obj == "this") return judge_summary(m, n, depth);
    }
    return judge_summary(callee, n, depth);
  }

  // A call to a function defined in this file: safe when everything it returns is.
  Judgement judge_summary(const std::string& name, TSNode call, int depth) {
    auto it = functions_.find(name);
    if (it == functions_.end() || it->second.size() != 1) return {};
    TSNode fn = it->second[0];
    const void* key = fn.id;
    if (auto s = summaries_.find(key); s != summaries_.end()) {
      if (!s->second) return {};  // in progress (recursion) or unknown
      return {true, quote(call) + ": " + *s->second};
    }
    summaries_[key] = std::nullopt;
    std::vector<TSNode> returns;
    collect_returns(fn, fn, returns);
    if (returns.empty()) return {};
    std::string first;
    for (TSNode r : returns) {
      auto kids = named_children(r);
      if (kids.empty()) return {};
      auto j = judge(kids.front(), depth + 1);
      if (!j.safe) return {false, j.reason};
      if (first.empty()) first = j.reason;
    }
    std::string summary = name + "() (" + where(fn) + ") returns only safe values: " + first;
    summaries_[key] = summary;
    return {true, quote(call) + ": " + summary};
  }

  void collect_returns(TSNode n, TSNode fn, std::vector<TSNode>& out) const {
    for (TSNode c : named_children(n)) {
      if (is_function(c) && !ts_node_eq(c, fn)) continue;
      if (type(c) == "return_statement") out.push_back(c);
      else collect_returns(c, fn, out);
    }
  }

  // ---- guards ----------------------------------------------------------------------------------------

  // A check on `name` that every path to `use` passes, described; empty when none.
  std::string guard_for(const std::string& name, TSNode use, TSNode fn) {
    const uint32_t at = ts_node_start_byte(use);
    // 1. The use sits in the passing branch of an if.
    for (TSNode child = use, p = ts_node_parent(use); !ts_node_is_null(p) && !ts_node_eq(child, fn); child = p, p = ts_node_parent(p)) {
      if (type(p) != "if_statement" && type(p) != "elif_clause") continue;
      TSNode cond = field(p, "condition");
      TSNode yes = field(p, "consequence");
      if (ts_node_is_null(cond) || contains(cond, use)) continue;
      if (!ts_node_is_null(yes) && contains(yes, child)) {
        if (auto g = check_in(cond, name, /*want_negated=*/false, use); !g.empty())
          if (!reassigned_between(name, ts_node_end_byte(cond), at, fn)) return g + " on " + where(cond) + ", and the use is inside the passing branch";
      } else if (auto g = check_in(cond, name, /*want_negated=*/true, use); !g.empty()) {
        if (!reassigned_between(name, ts_node_end_byte(cond), at, fn)) return g + " on " + where(cond) + ", and the use is in its else branch";
      }
    }
    // 2. An earlier `if <failed check>: return/raise` in a block that encloses the use.
    TSNode scope = ts_node_is_null(fn) ? root_ : fn;
    std::string found;
    visit_ifs(scope, fn, [&](TSNode stmt) {
      if (!found.empty() || ts_node_end_byte(stmt) > at) return;
      TSNode parent = ts_node_parent(stmt);
      if (ts_node_is_null(parent) || !contains(parent, use)) return;
      TSNode yes = field(stmt, "consequence");
      if (ts_node_is_null(yes) || !exits(yes)) return;
      TSNode cond = field(stmt, "condition");
      auto g = check_in(cond, name, /*want_negated=*/true, use);
      if (g.empty() || reassigned_between(name, ts_node_end_byte(stmt), at, fn)) return;
      found = g + " on " + where(cond) + ", which " + exit_word(yes) + " when the check fails";
    });
    return found;
  }

  template <class F>
  void visit_ifs(TSNode n, TSNode fn, const F& f) const {
    for (TSNode c : named_children(n)) {
      if (is_function(c) && !ts_node_eq(c, fn)) continue;
      if (type(c) == "if_statement") f(c);
      visit_ifs(c, fn, f);
    }
  }

  TSNode last_statement(TSNode block) const {
    auto kids = named_children(block);
    return kids.empty() ? block : kids.back();
  }

  bool exits(TSNode branch) const {
    TSNode last = branch;
    while (is_one_of(type(last), {"block", "statement_block", "compound_statement", "consequence", "statement_list"})) {
      TSNode inner = last_statement(last);
      if (ts_node_eq(inner, last)) return false;
      last = inner;
    }
    const auto t = type(last);
    if (is_one_of(t, {"return_statement", "raise_statement", "throw_statement", "continue_statement", "break_statement"})) return true;
    static const RE2 fatal("(?s)\\s*(abort|sys\\.exit|exit|os\\.Exit|panic|log\\.Fatal\\w*|process\\.exit|flask\\.abort|die)\\s*\\(.*");
    return (t == "expression_statement" || t == "call") && RE2::FullMatch(text(last), fatal);
  }

  std::string exit_word(TSNode branch) const {
    const std::string t = text(branch);
    if (t.find("raise") != std::string::npos || t.find("throw") != std::string::npos) return "raises";
    if (t.find("abort") != std::string::npos || t.find("exit") != std::string::npos || t.find("panic") != std::string::npos) return "stops";
    return "returns";
  }

  bool reassigned_between(const std::string& name, uint32_t from, uint32_t to, TSNode fn) const {
    auto it = assignments_.find(name);
    if (it == assignments_.end()) return false;
    for (const auto& a : it->second) {
      const uint32_t b = ts_node_start_byte(a.target);
      if (b >= from && b < to && ts_node_eq(function_of(a.target), fn)) return true;
    }
    return false;
  }

  // Splits a condition into its `or` (want_negated: a failed check exits) or `and` (a passing
  // check enters) operands and looks for a recognised check on `name`.
  std::string check_in(TSNode cond, const std::string& name, bool want_negated, TSNode use) {
    std::vector<TSNode> parts;
    split(cond, want_negated ? std::vector<std::string>{"or", "||"} : std::vector<std::string>{"and", "&&"}, parts);
    for (TSNode part : parts) {
      std::string s = text(part);
      if (auto g = classify(s, name, want_negated, use); !g.empty()) return g;
    }
    return {};
  }

  void split(TSNode n, const std::vector<std::string>& ops, std::vector<TSNode>& out) const {
    const auto t = type(n);
    if (is_one_of(t, {"parenthesized_expression", "condition_clause"}) && ts_node_named_child_count(n) == 1) return split(ts_node_named_child(n, 0), ops, out);
    if ((t == "boolean_operator" || t == "binary_expression") && ts_node_child_count(n) == 3) {
      const std::string op = text(ts_node_child(n, 1));
      if (std::find(ops.begin(), ops.end(), op) != ops.end()) {
        split(ts_node_child(n, 0), ops, out);
        split(ts_node_child(n, 2), ops, out);
        return;
      }
    }
    out.push_back(n);
  }

  // What a condition operand checks about `name`, when it is a check of the wanted polarity.
  std::string classify(std::string s, const std::string& name, bool want_negated, TSNode use) {
    auto trim = [](std::string& x) {
      while (!x.empty() && std::isspace(static_cast<unsigned char>(x.front()))) x.erase(0, 1);
      while (!x.empty() && std::isspace(static_cast<unsigned char>(x.back()))) x.pop_back();
      while (x.size() > 1 && x.front() == '(' && x.back() == ')') {
        x = x.substr(1, x.size() - 2);
        while (!x.empty() && std::isspace(static_cast<unsigned char>(x.front()))) x.erase(0, 1);
      }
    };
    trim(s);
    bool negated = false;
    if (s.starts_with("not ")) {
      negated = true;
      s = s.substr(4);
    } else if (s.starts_with("!") && !s.starts_with("!=")) {
      negated = true;
      s = s.substr(1);
    }
    trim(s);
    const std::string v = RE2::QuoteMeta(name);
    // `x not in ALLOWED`, `typeof x !== 'number'` are negated checks written positively.
    if (RE2::PartialMatch(s, "\\b" + v + "\\s+not\\s+in\\s+[\\w.\\[({]")) {
      negated = !negated;
      RE2::GlobalReplace(&s, "\\s+not\\s+in\\s+", " in ");
    }
    if (RE2::PartialMatch(s, "typeof\\s+" + v + "\\s*!==?")) {
      negated = !negated;
      RE2::GlobalReplace(&s, "!==?", "===");
    }
    if (negated != want_negated) return {};
    struct Kind {
      const char* re;
      const char* what;
    };
    const std::vector<Kind> kinds = {
        {"\\bVAR\\s+in\\s+[\\w.\\[({]", "an allow-list check"},
        {"\\.(includes|contains|has|containsKey|hasOwnProperty|count)\\(\\s*VAR\\s*\\)", "an allow-list check"},
        {"slices\\.Contains\\([^,]+,\\s*VAR\\s*\\)", "an allow-list check"},
        {"\\bVAR\\s*===?\\s*[\"'`]", "a comparison with a fixed string"},
        {"\\bVAR\\.equals\\(\\s*\"", "a comparison with a fixed string"},
        {"\"[^\"]*\"\\.equals\\(\\s*VAR\\s*\\)", "a comparison with a fixed string"},
        {"isinstance\\(\\s*VAR\\s*,\\s*\\(?\\s*(int|float|bool|uuid\\.UUID|UUID|Decimal|datetime\\.\\w+)", "a type check"},
        {"typeof\\s+VAR\\s*===?\\s*[\"'](number|boolean|bigint)[\"']", "a type check"},
        {"Number\\.(isInteger|isSafeInteger|isFinite)\\(\\s*VAR\\s*\\)", "a type check"},
        {"re\\.fullmatch\\([^,]+,\\s*VAR\\b", "a regular-expression full match"},
        {"\\.fullmatch\\(\\s*VAR\\b", "a regular-expression full match"},
        {"re\\.match\\(\\s*r?[\"']\\^[^\"']*\\$[\"']\\s*,\\s*VAR\\b", "an anchored regular-expression match"},
        {"/\\^[^/]*\\$/[a-z]*\\.test\\(\\s*VAR\\s*\\)", "an anchored regular-expression match"},
        {"\\.MatchString\\(\\s*VAR\\s*\\)", "a regular-expression match"},
        {"\\bVAR\\.matches\\(", "a regular-expression full match"},
        {"Pattern\\.matches\\([^,]+,\\s*VAR\\s*\\)", "a regular-expression full match"},
        {"\\bVAR\\.(isdigit|isnumeric|isdecimal|isalnum|isalpha|isidentifier)\\(\\)", "a character-class check"},
        {"filepath\\.IsLocal\\(\\s*VAR\\s*\\)", "a local-path check"},
    };
    for (const auto& k : kinds) {
      std::string re = k.re;
      RE2::GlobalReplace(&re, "VAR", v);
      if (RE2::PartialMatch(s, re)) return "`" + name + "` passes " + k.what + " (" + shorten(s) + ")";
    }
    // A prefix check only counts after normalisation (`../` is otherwise still inside the prefix).
    const std::vector<std::string> prefix = {"\\b" + v + "\\.(startswith|startsWith|is_relative_to)\\(", "strings\\.HasPrefix\\(\\s*" + v + "\\s*,",
                                             "commonpath\\(.*\\b" + v + "\\b"};
    for (const auto& re : prefix)
      if (RE2::PartialMatch(s, re)) {
        if (normalised_before(name, use)) return "`" + name + "` is normalised and then passes a prefix check (" + shorten(s) + ")";
        weak_guards_.push_back("the prefix check " + shorten(s) + " runs on a path that was not normalised first, so `../` still escapes");
        return {};
      }
    return {};
  }

  static std::string shorten(const std::string& s) {
    std::string t = s;
    for (auto& c : t)
      if (c == '\n') c = ' ';
    return "`" + (t.size() > 60 ? t.substr(0, 57) + "..." : t) + "`";
  }

  bool normalised_before(const std::string& name, TSNode use) const {
    auto it = assignments_.find(name);
    if (it == assignments_.end()) return false;
    static const RE2 normalise(
        "(?s).*(realpath|abspath|normpath|\\.resolve\\(|path\\.resolve|path\\.normalize|filepath\\.Clean|filepath\\.Abs|"
        "filepath\\.Join|getCanonicalPath|toRealPath|normalize\\(\\)|canonical\\().*");
    const Assignment* last = nullptr;
    for (const auto& a : it->second)
      if (ts_node_start_byte(a.target) < ts_node_start_byte(use) && ts_node_eq(function_of(a.target), function_of(use))) last = &a;
    return last && !ts_node_is_null(last->value) && RE2::FullMatch(text(last->value), normalise);
  }

  std::vector<std::string> weak_guards_;

 private:
  // Every assignment, field assignment, function definition and call, by name.
  void index(TSNode n, TSNode fn = TSNode{}) {
    const auto t = type(n);
    const bool own_scope = is_function(n) && !ts_node_eq(n, root_);
    function_cache_.emplace(n.id, own_scope ? n : fn);  // as enclosing_taint_scope: a function is its own
    auto record = [&](TSNode target, TSNode value) {
      if (ts_node_is_null(target)) return;
      const auto tt = type(target);
      if (tt == "identifier") assignments_[text(target)].push_back({target, value});
      else if (is_one_of(tt, {"attribute", "member_expression", "field_access", "field_expression", "selector_expression"})) {
        TSNode attr = field(target, "attribute");
        if (ts_node_is_null(attr)) attr = field(target, "property");
        if (ts_node_is_null(attr)) attr = field(target, "field");
        TSNode obj = field(target, "object");
        if (ts_node_is_null(obj)) obj = field(target, "argument");
        if (ts_node_is_null(obj)) obj = field(target, "operand");
        const std::string o = text(obj);
        if (!ts_node_is_null(attr) && (o == "self" || o == "this" || o == "cls")) {
          if (ts_node_is_null(value)) fields_[text(attr)].push_back(target);  // unknown: judged unsafe below
          else fields_[text(attr)].push_back(value);
          field_targets_[text(attr)].push_back(target);
        }
      } else if (is_one_of(tt, {"pattern_list", "tuple_pattern", "expression_list", "list_pattern", "array_pattern", "object_pattern"})) {
        auto targets = named_children(target);
        auto values = type(value) == "expression_list" || type(value) == "tuple" ? named_children(value) : std::vector<TSNode>{};
        for (size_t i = 0; i < targets.size(); ++i) {
          TSNode v{};
          if (values.size() == targets.size()) v = values[i];
          else if (i == 0 && type(target) == "expression_list" && !ts_node_is_null(value)) {
            // Go: n, err := strconv.Atoi(s): the first result is the call's value.
            auto vs = named_children(value);
            v = vs.size() == 1 ? vs[0] : TSNode{};
          }
          if (type(targets[i]) == "identifier") assignments_[text(targets[i])].push_back({targets[i], v});
        }
      } else if (is_one_of(tt, {"pointer_declarator", "array_declarator", "reference_declarator", "init_declarator"})) {
        for (TSNode d = target; !ts_node_is_null(d); d = field(d, "declarator"))
          if (type(d) == "identifier") assignments_[text(d)].push_back({d, value});
      }
    };
    if (t == "assignment" || t == "augmented_assignment" || t == "assignment_expression" || t == "augmented_assignment_expression" ||
        t == "assignment_statement" || t == "short_var_declaration") {
      record(field(n, "left"), field(n, "right"));
    } else if (t == "named_expression") {
      record(field(n, "name"), field(n, "value"));
    } else if (t == "variable_declarator" || t == "var_spec" || t == "const_spec") {
      TSNode name = field(n, "name");
      TSNode value = field(n, "value");
      if (t != "variable_declarator" && !ts_node_is_null(value)) {
        // Go specs: name may repeat (a, b = 1, 2); handle one name. `var n int` has no value.
        auto vals = named_children(value);
        if (type(value) == "expression_list" && vals.size() == 1) value = vals[0];
      }
      record(name, value);
    } else if (t == "preproc_def") {
      record(field(n, "name"), field(n, "value"));
    } else if (t == "init_declarator") {
      record(field(n, "declarator"), field(n, "value"));
    } else if (is_one_of(t, {"for_statement", "for_in_statement"}) && !ts_node_is_null(field(n, "left"))) {
      record(field(n, "left"), TSNode{});
    } else if (t == "enhanced_for_statement") {
      record(field(n, "name"), TSNode{});
    } else if (t == "range_clause") {
      record(field(n, "left"), TSNode{});
    } else if (t == "as_pattern" || t == "with_item") {
      TSNode alias = field(n, "alias");
      if (!ts_node_is_null(alias)) {
        for (TSNode c : named_children(alias)) record(c, TSNode{});
        record(alias, TSNode{});
      }
    } else if (t == "except_clause") {
      // except E as e: the name is an exception, unknown.
    }
    if (is_function(n) && !ts_node_eq(n, root_)) {
      if (auto name = function_name(n); !name.empty()) functions_[name].push_back(n);
      TSNode params = field(n, "parameters");
      if (!ts_node_is_null(params)) collect_parameter_names(params);
    }
    if (t == "call" || t == "call_expression") {
      TSNode f = field(n, "function");
      std::string name = text(f);
      if (type(f) == "attribute" || type(f) == "member_expression" || type(f) == "selector_expression") {
        TSNode a = field(f, "attribute");
        if (ts_node_is_null(a)) a = field(f, "property");
        if (ts_node_is_null(a)) a = field(f, "field");
        TSNode o = field(f, "object");
        if (ts_node_is_null(o)) o = field(f, "operand");
        if (text(o) == "self" || text(o) == "this") name = text(a);
      }
      calls_[name].push_back(n);
    } else if (t == "method_invocation") {
      TSNode o = field(n, "object");
      if (ts_node_is_null(o) || text(o) == "this") calls_[text(field(n, "name"))].push_back(n);
    }
    for (TSNode c : named_children(n)) index(c, own_scope ? n : fn);
  }

  void collect_parameter_names(TSNode n) {
    if (type(n) == "identifier") parameters_.insert(text(n));
    for (TSNode c : named_children(n))
      if (!is_one_of(type(c), {"default_value", "value"})) collect_parameter_names(c);
  }

  const document::Snapshot& snap_;
  const grammars::Language& lang_;
  TSNode root_;
  bool numbers_safe_ = true;
  std::unordered_map<std::string, std::vector<Assignment>> assignments_;
  std::unordered_map<std::string, std::vector<TSNode>> fields_;
  std::unordered_map<std::string, std::vector<TSNode>> field_targets_;  // parallel to fields_
  mutable std::unordered_map<const void*, TSNode> function_cache_;  // node -> its enclosing function
  std::unordered_map<std::string, std::vector<TSNode>> functions_;
  std::unordered_map<std::string, std::vector<TSNode>> calls_;
  std::set<std::string> parameters_;
  std::map<const void*, std::optional<std::string>> summaries_;
};

std::string path_text(const Finding& f, const document::Snapshot&, std::vector<std::string>& path) {
  std::string out;
  for (const auto& step : f.trace) {
    std::string s = "line " + std::to_string(step.start.row + 1) + ": " + step.label;
    path.push_back(s);
    out += (out.empty() ? "" : " -> ") + s;
  }
  return out;
}

double rule_confidence(const Finding& f) {
  const auto& c = f.rule->metadata.confidence;
  if (c == "high") return 0.9;
  if (c == "low") return 0.5;
  return 0.7;
}

}  // namespace

namespace {

// The file's index (assignments, fields, functions, calls) is built once per snapshot and kind of
// rule, not once per finding: a file with hundreds of findings was re-indexed for each. Per thread
// (validations of different files run at once); the weak pointer and the tree tell a later snapshot
// at a reused address apart.
struct DeepCache {
  std::weak_ptr<const document::Snapshot> snapshot;
  const TSTree* tree = nullptr;
  std::unique_ptr<Deep> by_numbers_safe[2];
};

Deep& deep_for(const std::shared_ptr<const document::Snapshot>& snapshot, bool numbers_safe) {
  thread_local DeepCache cache;
  if (cache.snapshot.lock() != snapshot || cache.tree != snapshot->tree.get()) {
    cache.by_numbers_safe[0].reset();
    cache.by_numbers_safe[1].reset();
    cache.snapshot = snapshot;
    cache.tree = snapshot->tree.get();
  }
  auto& slot = cache.by_numbers_safe[numbers_safe ? 1 : 0];
  if (!slot) slot = std::make_unique<Deep>(*snapshot, numbers_safe);
  return *slot;
}

}  // namespace

Verdict deep_validate(const Finding& f, const document::Snapshot& snapshot) {
  return deep_validate(f, snapshot, nullptr);
}

Verdict deep_validate(const Finding& f, const document::Snapshot& snapshot, const std::shared_ptr<const document::Snapshot>& shared) {
  Verdict v;
  v.validator = "deep";
  if (!snapshot.language || !snapshot.tree) {
    v.status = Status::error;
    v.explanation = "the file could not be parsed";
    return v;
  }
  // Where the rule is about sizes and integer arithmetic, a number is the attack.
  static const std::set<std::string> numeric_cwes = {"CWE-789", "CWE-190", "CWE-191", "CWE-129", "CWE-131", "CWE-680",
                                                     "CWE-770", "CWE-400", "CWE-1284", "CWE-606", "CWE-369"};
  const auto& cwes = f.rule->metadata.cwe;
  const bool numbers_safe = std::none_of(cwes.begin(), cwes.end(), [](const std::string& c) { return numeric_cwes.count(c) > 0; });
  std::unique_ptr<Deep> own;
  if (!shared) own = std::make_unique<Deep>(snapshot, numbers_safe);
  Deep& deep = shared ? deep_for(shared, numbers_safe) : *own;
  TSNode node = ts_node_named_descendant_for_byte_range(deep.root(), f.start_byte, f.end_byte);
  // The outermost node with exactly the finding's range (a call, not its function name).
  while (!ts_node_is_null(ts_node_parent(node)) && ts_node_start_byte(ts_node_parent(node)) == ts_node_start_byte(node) &&
         ts_node_end_byte(ts_node_parent(node)) == ts_node_end_byte(node) && ts_node_end_byte(node) <= f.end_byte &&
         std::string_view(ts_node_type(ts_node_parent(node))) != "expression_statement")
    node = ts_node_parent(node);
  if (auto dead = deep.dead_branch(node); !dead.empty()) {
    v.status = Status::refuted;
    v.confidence = 0.95;
    v.explanation = "Refuted: the flagged code can never run: " + dead + ".";
    return v;
  }
  const bool taint = !f.trace.empty() && f.trace.front().label.starts_with("source:");
  if (taint) {
    // A sink call without a focus: the data reaches it through its arguments.
    TSNode judged = node;
    const std::string_view kind = ts_node_type(node);
    // (Not when the source itself is inside the node: `os.system(request.args.get("cmd"))`.)
    const auto& source = f.trace.front();
    const bool source_inside = ts_node_start_byte(node) <= source.start_byte && source.end_byte <= ts_node_end_byte(node);
    Judgement j;
    bool judged_parts = false;
    if (!source_inside && (kind == "call" || kind == "call_expression" || kind == "method_invocation" || kind == "object_creation_expression")) {
      // The arguments, and a receiver that holds data (`cmd.c_str()`), not one that names an API
      // (`Runtime.getRuntime().exec(...)`, `os.system(...)`).
      TSNode args = ts_node_child_by_field_name(node, "arguments", 9);
      TSNode callee = ts_node_child_by_field_name(node, "function", 8);
      TSNode receiver = kind == "method_invocation" ? ts_node_child_by_field_name(node, "object", 6) : TSNode{};
      if (!ts_node_is_null(callee))
        for (const char* name : {"object", "argument", "operand", "value"})
          if (TSNode r = ts_node_child_by_field_name(callee, name, static_cast<uint32_t>(std::strlen(name))); !ts_node_is_null(r)) {
            receiver = r;
            break;
          }
      const std::string_view rtype = ts_node_is_null(receiver) ? "" : ts_node_type(receiver);
      const bool data_receiver = rtype == "parenthesized_expression" || rtype == "binary_expression" || rtype == "string" ||
                                 rtype == "template_string" || (rtype == "identifier" && deep.is_variable(receiver));
      if (!ts_node_is_null(args) && ts_node_named_child_count(args) > 0) {
        judged_parts = true;
        j = deep.judge(args);
        if (j.safe && data_receiver) {
          auto r = deep.judge(receiver);
          if (!r.safe) j = r;
        }
      }
    }
    if (!judged_parts) j = deep.judge(judged);
    if (j.safe) {
      v.status = Status::refuted;
      v.confidence = 0.85;
      v.explanation = "Refuted: the value reaching " + deep.quote(node) + " cannot carry an attack: " + j.reason + ".";
      return v;
    }
    v.status = Status::confirmed;
    v.confidence = std::min(0.95, rule_confidence(f) + 0.05);
    const std::string path = path_text(f, snapshot, v.path);
    v.explanation = "Confirmed: untrusted data reaches the sink along " + path +
                    ". No guard, cast, constant or fixed choice on this path makes the value safe";
    if (!j.reason.empty()) v.explanation += " (" + j.reason + ")";
    v.explanation += ".";
    if (!deep.weak_guards_.empty()) v.explanation += " Note: " + deep.weak_guards_.front() + ".";
    return v;
  }
  // A structural rule: refute an injection-category match whose arguments are all constants.
  const std::string_view t = ts_node_type(node);
  if (f.rule->metadata.category == "injection" && (t == "call" || t == "call_expression" || t == "method_invocation")) {
    TSNode args = ts_node_child_by_field_name(node, "arguments", 9);
    if (!ts_node_is_null(args) && ts_node_named_child_count(args) > 0) {
      auto j = deep.judge(args);
      if (j.safe) {
        v.status = Status::refuted;
        v.confidence = 0.75;
        v.explanation = "Refuted: every argument of " + deep.quote(node) + " is fixed: " + j.reason + "; no input can change it.";
        return v;
      }
    }
  }
  v.status = Status::confirmed;
  v.confidence = rule_confidence(f);
  v.explanation = "Confirmed: " + deep.quote(node) + " on line " + std::to_string(f.start.row + 1) +
                  " matches the rule's pattern in reachable code (no constant condition disables it). " + f.rule->constraint;
  return v;
}

Verdict DeepValidator::validate(const Subject& subject, const std::atomic<bool>& cancelled) {
  if (cancelled.load()) return {Status::error, "cancelled", 0, {}, "deep", {}, {}};
  if (!subject.finding || !subject.snapshot) return {Status::error, "the deep analyzer needs the parsed file", 0, {}, "deep", {}, {}};
  return deep_validate(*subject.finding, *subject.snapshot, subject.snapshot);
}

}  // namespace vigil::validation
