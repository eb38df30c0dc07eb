// Taint mode with simple test matchers (node kind + RE2 on the node's text), so that the dataflow
// is tested apart from the ast-grep rule compiler. In each snippet the lines that must be flagged
// end with a `BAD` comment; every other sink call must not be.
#include <catch2/catch.hpp>
#include <re2/re2.h>

#include <set>
#include <sstream>

#include "analyzers/document/document.hpp"
#include "analyzers/match/taint.hpp"

using namespace vigil;

namespace {

// Matches nodes of one of `kinds` whose whole text matches `regex`; binds metavariables to call
// arguments by index (-1: the receiver of a method call).
class TextMatcher : public match::NodeMatcher {
 public:
  TextMatcher(std::set<std::string> kinds, const std::string& regex, std::map<std::string, int> bind)
      : kinds_(std::move(kinds)), re_("(?s)" + regex), bind_(std::move(bind)) {
    REQUIRE(re_.ok());
  }
  bool match(const match::MatchInput& in, TSNode node, match::Bindings& env) const override {
    if (!kinds_.count(ts_node_type(node))) return false;
    const auto text = in.node_text(node);
    if (!RE2::FullMatch(re2::StringPiece(text.data(), text.size()), re_)) return false;
    match::Bindings added;
    for (const auto& [name, index] : bind_) {
      TSNode target{};
      if (index < 0) {
        TSNode callee = ts_node_child_by_field_name(node, "function", 8);
        if (ts_node_is_null(callee)) target = ts_node_child_by_field_name(node, "object", 6);
        else target = ts_node_named_child(callee, 0);
      } else {
        TSNode args = ts_node_child_by_field_name(node, "arguments", 9);
        if (ts_node_is_null(args) || static_cast<uint32_t>(index) >= ts_node_named_child_count(args)) return false;
        target = ts_node_named_child(args, static_cast<uint32_t>(index));
      }
      if (ts_node_is_null(target)) return false;
      added.single[name] = target;
    }
    for (auto& [k, v] : added.single) env.single[k] = v;
    return true;
  }

 private:
  std::set<std::string> kinds_;
  RE2 re_;
  std::map<std::string, int> bind_;
};

std::set<std::string> call_kinds(std::string_view lang) {
  if (lang == "python") return {"call"};
  if (lang == "java") return {"method_invocation", "object_creation_expression"};
  return {"call_expression"};
}

std::shared_ptr<const match::NodeMatcher> call(std::string_view lang, const std::string& regex,
                                               std::map<std::string, int> bind = {}) {
  return std::make_shared<TextMatcher>(call_kinds(lang), regex, std::move(bind));
}

// source() is a source, clean(...)/int(...) sanitize, sink(X) is a sink focused on its first
// argument.
match::TaintSpec standard(std::string_view lang, bool focus = true) {
  match::TaintSpec spec;
  spec.sources.push_back({call(lang, R"(source\(\))"), false, {}});
  if (focus) spec.sinks.push_back({call(lang, R"(sink\(.*\))", {{"X", 0}}), "X"});
  else spec.sinks.push_back({call(lang, R"(sink\(.*\))"), {}});
  spec.sanitizers.push_back({call(lang, R"((clean|int)\(.*\))"), {}, false});
  return spec;
}

struct Run {
  std::shared_ptr<const document::Snapshot> snap;
  std::vector<match::TaintFinding> findings;
};

Run run(std::string_view lang_name, const std::string& code, const match::TaintSpec& spec,
        std::optional<std::pair<uint32_t, uint32_t>> range = std::nullopt) {
  const auto& lang = *grammars::by_name(lang_name);
  Run r;
  r.snap = document::Snapshot::parse("t", lang, code);
  match::MatchInput in{r.snap->text, &lang};
  r.findings = match::find_taint(spec, in, r.snap->root(), range);
  return r;
}

// 1-based lines of the findings.
std::vector<uint32_t> flagged(std::string_view lang, const std::string& code, const match::TaintSpec& spec) {
  std::vector<uint32_t> out;
  for (const auto& f : run(lang, code, spec).findings) out.push_back(ts_node_start_point(f.node).row + 1);
  return out;
}

// 1-based lines that end in the marker `BAD`.
std::vector<uint32_t> expected(const std::string& code) {
  std::vector<uint32_t> out;
  std::istringstream lines(code);
  std::string line;
  for (uint32_t n = 1; std::getline(lines, line); ++n)
    if (line.size() >= 3 && line.compare(line.size() - 3, 3, "BAD") == 0) out.push_back(n);
  return out;
}

void check_marked(std::string_view lang, const std::string& code, const match::TaintSpec& spec) {
  INFO(code);
  REQUIRE(!expected(code).empty());
  CHECK(flagged(lang, code, spec) == expected(code));
}

}  // namespace

TEST_CASE("taint: Python propagation forms") {
  check_marked("python", R"(
def f(flag):
    a = source()
    sink(a)  # BAD
    b = "const"
    sink(b)
    c = a + "x"
    sink(c)  # BAD
    d = "%s" % a
    sink(d)  # BAD
    e = "{}".format(a)
    sink(e)  # BAD
    g = f"x{a}y"
    sink(g)  # BAD
    h = clean(a)
    sink(h)
    i = [1, a]
    sink(i)  # BAD
    j = {"k": a}
    sink(j)  # BAD
    k = []
    k.append(a)
    sink(k)  # BAD
    m = {}
    m["x"] = a
    sink(m)  # BAD
    n = a.strip()
    sink(n)  # BAD
    o = a[0]
    sink(o)  # BAD
    p = a.attr
    sink(p)  # BAD
    q = other(a)
    sink(q)  # BAD
    r = ""
    r += a
    sink(r)  # BAD
    s, t = a, "c"
    sink(s)  # BAD
    sink(t)
    u, v = pair(a)
    sink(v)  # BAD
    sink(source())  # BAD
    sink(clean(source()))
    sink(", ".join(k))  # BAD
    w = int(a)
    sink(w)
    with opener(a) as fh:
        sink(fh)  # BAD
    if (x := a):
        sink(x)  # BAD
    self.field = a
    sink(self.field)  # BAD
    sink(self.other)
    self.db.run(self.other)
    sink(self.db)
    sink(a == "x")
    sink(not a)
    sink(a is None or a in k)
    sink(a or "default")  # BAD
)",
               standard("python"));
}

TEST_CASE("taint: kills, sanitizers and other variables are not findings") {
  auto spec = standard("python");
  CHECK(flagged("python", "def f():\n    x = source()\n    x = 'constant'\n    sink(x)\n", spec).empty());
  CHECK(flagged("python", "def f():\n    x = source()\n    x = int(x)\n    sink(x)\n", spec).empty());
  CHECK(flagged("python", "def f():\n    x = source()\n    sink(y)\n", spec).empty());
  CHECK(flagged("python", "def f():\n    x = source()\n    sink('literal')\n", spec).empty());
  CHECK(flagged("python", "def f():\n    x = source()\n    sink(clean(x))\n", spec).empty());
  // Another function's variable of the same name.
  CHECK(flagged("python", "def f():\n    x = source()\ndef g():\n    sink(x)\n", spec).empty());
}

TEST_CASE("taint: branches merge, loops reach a fixpoint") {
  check_marked("python", R"(
def f(flag, items):
    x = source()
    if flag:
        x = "safe"
    sink(x)  # BAD
    y = source()
    if flag:
        y = "a"
    else:
        y = "b"
    sink(y)
    z = "ok"
    if flag:
        pass
    elif other():
        z = source()
    sink(z)  # BAD
    acc = ""
    prev = ""
    for i in items:
        sink(prev)  # BAD
        prev = acc
        acc = source()
    w = ""
    while cond():
        sink(w)  # BAD
        w = source()
    for it in source():
        sink(it)  # BAD
    try:
        tr = source()
    except Exception:
        tr = "x"
    sink(tr)  # BAD
    match flag:
        case 1:
            mm = source()
        case _:
            mm = "c"
    sink(mm)  # BAD
)",
               standard("python"));
}

TEST_CASE("taint: the module top level is its own scope") {
  check_marked("python", R"(
q = source()
def f(q):
    sink(q)
sink(q)  # BAD
)",
               standard("python"));
}

TEST_CASE("taint: parameters as sources") {
  auto spec = standard("python");
  spec.sources.push_back({nullptr, true, {}});
  check_marked("python", R"(
def handler(self, req, name="x", *rest, **kw):
    sink(req)  # BAD
    sink(self)
    sink(name)  # BAD
    sink(kw)  # BAD
    sink("x")
lam = lambda v: sink(v)  # BAD
)",
               spec);
  auto js = standard("javascript");
  js.sources.push_back({nullptr, true, {}});
  check_marked("javascript", R"(
app.get("/", (req, res) => {
  sink(req.query.id); // BAD
  sink(res === 1 ? "a" : "b");
});
function g({ id }, [first], opt = 1) {
  sink(id); // BAD
  sink(first); // BAD
}
const h = x => sink(x); // BAD
)",
               js);
  auto go = standard("go");
  go.sources.push_back({nullptr, true, {}});
  check_marked("go", R"(
package p
func (s *Server) Handle(w Writer, name string, ids ...int) {
	sink(name) // BAD
	sink(ids) // BAD
	sink(s)
}
)",
               go);
  auto java = standard("java");
  java.sources.push_back({nullptr, true, {}});
  check_marked("java", R"(
class A {
  void f(String name, int... n) {
    sink(name); // BAD
    sink("x");
  }
  A(String c) { sink(c); } // BAD
}
)",
               java);
  auto c = standard("c");
  c.sources.push_back({nullptr, true, {}});
  check_marked("c", R"(
char *f(const char *path, int n, char buf[]) {
  sink(path); // BAD
  sink(buf); // BAD
  sink("x");
  return 0;
}
)",
               c);
  auto cpp = standard("cpp");
  cpp.sources.push_back({nullptr, true, {}});
  check_marked("cpp", R"(
void f(const std::string& p) {
  auto l = [&](const std::string& q) { sink(q); }; // BAD
  sink(p); // BAD
}
)",
               cpp);
}

TEST_CASE("taint: sink focus and unfocused sinks") {
  match::TaintSpec spec;
  spec.sources.push_back({call("python", R"(source\(\))"), false, {}});
  spec.sinks.push_back({call("python", R"(cur\.execute\(.*\))", {{"Q", 0}}), "Q"});
  check_marked("python", R"(
def f():
    t = source()
    cur.execute("SELECT ?", t)
    cur.execute("SELECT " + t)  # BAD
    cur.execute(t, t)  # BAD
)",
               spec);
  // Unfocused: any tainted argument counts.
  check_marked("python", R"(
def f():
    t = source()
    sink("SELECT ?", t)  # BAD
    sink("SELECT ?", "x")
)",
               standard("python", false));
}

TEST_CASE("taint: one finding per sink node") {
  match::TaintSpec spec = standard("python");
  spec.sinks.push_back({call("python", R"(sink\(.*\))"), {}});  // a second item on the same calls
  auto r = run("python", "def f():\n    a = source()\n    for i in x:\n        sink(a + a)\n", spec);
  CHECK(r.findings.size() == 1);
}

TEST_CASE("taint: propagators and sources by side effect") {
  match::TaintSpec spec = standard("python");
  spec.propagators.push_back({call("python", R"(copy_into\(.*\))", {{"TO", 0}, {"FROM", 1}}), "FROM", "TO"});
  spec.sources.push_back({call("python", R"(read_into\(.*\))", {{"B", 0}}), false, "B"});
  check_marked("python", R"(
def f():
    a = source()
    v = ""
    copy_into(v, a)
    sink(v)  # BAD
    w = ""
    copy_into(a, w)
    sink(w)
    buf = bytearray()
    read_into(buf)
    sink(buf)  # BAD
)",
               spec);
}

TEST_CASE("taint: focused and by-side-effect sanitizers") {
  match::TaintSpec spec = standard("python");
  // escape_arg(x, mode) cleans only its first argument; is_safe(x) is a guard.
  spec.sanitizers.push_back({call("python", R"(escape_arg\(.*\))", {{"X", 0}}), "X", false});
  spec.sanitizers.push_back({call("python", R"(is_safe\(.*\))", {{"P", 0}}), "P", true});
  check_marked("python", R"(
def f():
    a = source()
    sink(escape_arg(a, "x"))
    sink(escape_arg("x", a))  # BAD
    b = source()
    if not is_safe(b):
        return
    sink(b)
    sink(a)  # BAD
)",
               spec);
}

TEST_CASE("taint: the trace goes from the source through each assignment to the sink") {
  auto r = run("python", "def f():\n    a = source()\n    b = a + 'x'\n    sink(b)\n", standard("python"));
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings[0];
  CHECK(f.source_text == "source()");
  CHECK(r.snap->node_text(f.source) == "source()");
  CHECK(r.snap->node_text(f.node) == "b");
  CHECK(r.snap->node_text(f.sink) == "sink(b)");
  CHECK(r.snap->node_text(f.bindings.single.at("X")) == "b");
  REQUIRE(f.trace.size() == 4);
  CHECK(f.trace[0].label == "source: source()");
  CHECK(f.trace[0].start.row == 1);
  CHECK(f.trace[1].label == "assigned to a");
  CHECK(f.trace[2].label == "assigned to b");
  CHECK(f.trace[2].start.row == 2);
  CHECK(f.trace[3].label == "sink: sink(b)");
  // The extent covers every step (the target `a` comes before the source on its line) and the sink.
  CHECK(f.extent_start == f.trace[1].start_byte);
  CHECK(f.extent_end == ts_node_end_byte(f.sink));
}

TEST_CASE("taint: a byte range limits the functions analyzed and the findings returned") {
  const std::string code = "def f():\n    sink(source())\n\ndef g():\n    sink(source())\n";
  auto spec = standard("python");
  CHECK(run("python", code, spec).findings.size() == 2);
  const uint32_t g_start = static_cast<uint32_t>(code.find("def g"));
  auto r = run("python", code, spec, std::pair<uint32_t, uint32_t>{g_start, static_cast<uint32_t>(code.size())});
  REQUIRE(r.findings.size() == 1);
  CHECK(ts_node_start_point(r.findings[0].node).row == 4);
}

TEST_CASE("taint: JavaScript and TypeScript") {
  const std::string js = R"(
function f(flag) {
  const a = source();
  sink(a); // BAD
  let b = `x${a}`;
  sink(b); // BAD
  const c = "s" + a;
  sink(c); // BAD
  const arr = [];
  arr.push(a);
  sink(arr); // BAD
  const o = { k: a };
  sink(o); // BAD
  const { k, m: renamed } = a;
  sink(renamed); // BAD
  const [first] = a;
  sink(first); // BAD
  sink(a.trim()); // BAD
  sink(a[0]); // BAD
  let d = source();
  d = "safe";
  sink(d);
  const e = clean(a);
  sink(e);
  let s = "";
  s += a;
  sink(s); // BAD
  const obj = {};
  obj.prop = a;
  sink(obj.prop); // BAD
  sink(obj.other);
  const sc = { a };
  sink(sc); // BAD
  let x = source();
  if (flag) { x = "a"; } else { x = "b"; }
  sink(x);
  let y = "";
  for (const item of a) { y = item; }
  sink(y); // BAD
  let z = "";
  switch (flag) { case 1: z = a; break; default: break; }
  sink(z); // BAD
  const m = new Map();
  m.set("k", a);
  sink(m); // BAD
  const u = new URL(a);
  sink(u); // BAD
  Object.assign(Object, a);
  sink(Object.keys(flag));
  try { var t = source(); } catch (err) { t = ""; }
  sink(t); // BAD
  sink(a === "x");
  sink(!a);
  sink(typeof a);
  sink(a || "default"); // BAD
}
)";
  check_marked("javascript", js, standard("javascript"));
  check_marked("typescript", R"(
function f(p: string) {
  const a: string = source() as string;
  sink(a!); // BAD
  let b = <string>a;
  sink(b); // BAD
  let c: string = "x";
  sink(c);
}
)",
               standard("typescript"));
  check_marked("tsx", "function F() {\n  const a = source();\n  sink(`${a}`); // BAD\n  return <div>{a}</div>;\n}\n",
               standard("tsx"));
}

TEST_CASE("taint: Go") {
  check_marked("go", R"(
package p
func F(flag bool) {
	a := source()
	sink(a) // BAD
	var b string = "k" + a
	sink(b) // BAD
	c := fmt.Sprintf("%s", a)
	sink(c) // BAD
	d := strings.Join([]string{a}, ",")
	sink(d) // BAD
	var parts []string
	parts = append(parts, a)
	sink(parts) // BAD
	m := map[string]string{}
	m["k"] = a
	sink(m) // BAD
	var sb strings.Builder
	sb.WriteString(a)
	sink(sb.String()) // BAD
	e := clean(a)
	sink(e)
	f := a
	f = "safe"
	sink(f)
	g, h := a, "x"
	sink(g) // BAD
	sink(h)
	for _, v := range a {
		sink(v) // BAD
	}
	s := T{Name: a}
	sink(s) // BAD
	if x := source(); x != "" {
		sink(x) // BAD
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%s", a)
	sink(buf.String()) // BAD
	sink(a[1:3]) // BAD
	y := "a"
	switch flag {
	case true:
		y = a
	}
	sink(y) // BAD
	r := a
	r += "x"
	sink(r) // BAD
	sink(a != "" && flag)
	sink(!flag)
}
)",
               standard("go"));
}

TEST_CASE("taint: Java") {
  check_marked("java", R"(
class A {
  String fld;
  void f(String p) {
    String a = source();
    sink(a); // BAD
    String b = "x" + a;
    sink(b); // BAD
    String c = String.format("%s", a);
    sink(c); // BAD
    String d = String.join(",", a);
    sink(d); // BAD
    String e = "x".concat(a);
    sink(e); // BAD
    StringBuilder sb = new StringBuilder();
    sb.append("x").append(a);
    sink(sb.toString()); // BAD
    StringBuilder sb2 = new StringBuilder(a);
    sink(sb2); // BAD
    List<String> l = new ArrayList<>();
    l.add(a);
    sink(l); // BAD
    Map<String, String> m = new HashMap<>();
    m.put("k", a);
    sink(m); // BAD
    String g = clean(a);
    sink(g);
    String h = a;
    h = "k";
    sink(h);
    String i = "";
    i += a;
    sink(i); // BAD
    for (String s : l) { sink(s); } // BAD
    this.fld = a;
    sink(this.fld); // BAD
    String[] arr = new String[]{a};
    sink(arr[0]); // BAD
    String j;
    if (p != null) { j = a; } else { j = "z"; }
    sink(j); // BAD
    String k;
    if (p != null) { k = "y"; } else { k = "z"; }
    sink(k);
    Collections.addAll(l, a);
    sink(Collections.emptyList());
    String q = (String) a;
    sink(q); // BAD
    sink(x -> a);
  }
}
)",
               standard("java"));
}

TEST_CASE("taint: C") {
  auto spec = standard("c");
  spec.sources.push_back({call("c", R"(fgets\(.*\))", {{"B", 0}}), false, "B"});
  check_marked("c", R"(
void f(int n) {
  char *a = source();
  sink(a); // BAD
  char buf[64];
  sprintf(buf, "%s", a);
  sink(buf); // BAD
  char buf2[64];
  strcpy(buf2, "const");
  sink(buf2);
  char buf3[64] = "";
  strcat(buf3, a);
  sink(buf3); // BAD
  char *b = a;
  b = "k";
  sink(b);
  int c = clean(a);
  sink(c);
  struct s st;
  st.name = a;
  sink(st.name); // BAD
  char *arr[2];
  arr[0] = a;
  sink(arr); // BAD
  char *p = n ? a : "x";
  sink(p); // BAD
  snprintf(buf2, sizeof buf2, "%s", a);
  sink(buf2); // BAD
  char line[80];
  fgets(line, sizeof line, stdin);
  sink(line); // BAD
  char *q;
  q = (char *)a;
  sink(q); // BAD
  ptr->name = a;
  sink(ptr->name); // BAD
  while (n--) { sink(*q); } // BAD
  char out[64] = "x";
  sprintf(out + 1, "%s", a);
  sink(out); // BAD
  sink(a == 0 || n > 2);
  sink(!a);
  struct rec dbs[4];
  dbs[n].name = a;
  sink(dbs[n].name); // BAD
  sink(dbs[n].path);
  sink(dbs[n]); // BAD
}
)",
               spec);
}

TEST_CASE("taint: C++") {
  check_marked("cpp", R"(
void f(const std::string& p) {
  std::string a = source();
  sink(a); // BAD
  std::string b = "x" + a;
  sink(b); // BAD
  std::string c;
  c.append(a);
  sink(c); // BAD
  std::stringstream ss;
  ss << "q" << a;
  sink(ss.str()); // BAD
  std::string d = a;
  d = "k";
  sink(d);
  std::string e(a);
  sink(e); // BAD
  std::vector<std::string> v;
  v.push_back(a);
  sink(v); // BAD
  for (const auto& x : v) { sink(x); } // BAD
  std::string g = clean(a);
  sink(g);
  char buf[10];
  std::strcpy(buf, a.c_str());
  sink(buf); // BAD
  std::string h{a};
  sink(h); // BAD
  this->m = a;
  sink(this->m); // BAD
  try { sink(a); } catch (...) {} // BAD
}
)",
               standard("cpp"));
}

TEST_CASE("taint: enclosing scope") {
  const auto& py = *grammars::by_name("python");
  auto snap = document::Snapshot::parse("t", py, "x = 1\nclass A:\n    def m(self):\n        return 2\n");
  TSNode ret = ts_node_descendant_for_byte_range(snap->root(), static_cast<uint32_t>(snap->text.find("2")),
                                                 static_cast<uint32_t>(snap->text.find("2") + 1));
  TSNode scope = match::enclosing_taint_scope(py, ret);
  REQUIRE(!ts_node_is_null(scope));
  CHECK(std::string(ts_node_type(scope)) == "function_definition");
  TSNode one = ts_node_descendant_for_byte_range(snap->root(), 4, 5);
  CHECK(ts_node_is_null(match::enclosing_taint_scope(py, one)));
}

TEST_CASE("taint precision: constant conditions prune dead branches") {
  check_marked("java", R"(
class A {
  void f() {
    String param = source();
    String bar;
    int num = 106;
    bar = (7 * 18) + num > 200 ? "This_should_always_happen" : param;
    sink(bar);
    int num2 = 86;
    if ((7 * 42) - num2 > 200) { bar = "always"; } else { bar = param; }
    sink(bar);
    int num3 = 106;
    if ((7 * 42) - num3 > 200) { bar = "always"; } else { bar = param; }
    sink(bar); // BAD
    if ((500 / 42) + 196 > 200) { bar = "always"; } else { bar = param; }
    sink(bar);
    if (false) { sink(param); }
    boolean flag = true;
    if (!flag) { bar = param; }
    sink(bar);
    num = 1;
    num = num + param.length();
    if (num > 5) { bar = param; }
    sink(bar); // BAD
  }
}
)",
                standard("java"));
  check_marked("python", R"(
def f():
    a = source()
    q = "x"
    if 3 * 7 > 100:
        q = a
    sink(q)
    if 3 * 7 > 10:
        q = a
    sink(q)  # BAD
    r = "y"
    if False:
        r = a
    elif True:
        r = "z"
    else:
        r = a
    sink(r)
    s = a if 1 > 2 else "c"
    sink(s)
)",
                standard("python"));
  check_marked("javascript", R"(
function f() {
  const a = source();
  let t = '.';
  if (2 + 2 === 5) { t = a; }
  sink(t);
  if ('a' + 'b' === 'ab') { t = a; }
  sink(t); // BAD
}
)",
                standard("javascript"));
}

TEST_CASE("taint precision: switch on a constant runs the matching case") {
  const std::string code = R"(
class A {
  void f() {
    String param = source();
    String bar;
    String guess = "ABC";
    char target = guess.charAt(INDEX);
    switch (target) {
      case 'A':
        bar = param;
        break;
      case 'B':
        bar = "bob";
        break;
      case 'C':
      case 'D':
        bar = param;
        break;
      default:
        bar = "uncle";
        break;
    }
    sink(bar);MARK
  }
}
)";
  auto with = [&](const char* index, bool bad) {
    std::string c = code;
    c.replace(c.find("INDEX"), 5, index);
    c.replace(c.find("MARK"), 4, bad ? " // BAD" : "");
    return c;
  };
  CHECK(flagged("java", with("1", false), standard("java")).empty());
  check_marked("java", with("2", true), standard("java"));
  check_marked("java", with("0", true), standard("java"));
  // Out of range: charAt would throw; not folded, every case counts.
  CHECK(!flagged("java", with("7", false), standard("java")).empty());
}

TEST_CASE("taint precision: small lists and maps are tracked element by element") {
  check_marked("java", R"(
class A {
  void f() {
    String param = source();
    java.util.List<String> values = new java.util.ArrayList<String>();
    values.add("safe");
    values.add(param);
    values.add("moresafe");
    values.remove(0);
    sink(values.get(1));
    sink(values.get(0)); // BAD
    java.util.HashMap<String, Object> map = new java.util.HashMap<String, Object>();
    map.put("keyA-", "a-Value");
    map.put("keyB-", param);
    map.put("keyC", "another-Value");
    String bar = (String) map.get("keyC");
    sink(bar);
    sink(map.get("keyB-")); // BAD
    sink(values); // BAD
    helper(values);
    sink(values.get(1)); // BAD
  }
}
)",
                standard("java"));
  check_marked("python", R"(
def f():
    a = source()
    values = [a, "guest"]
    sink(values[1])
    sink(values[0])  # BAD
    sink(values[-1])
    d = {"x": a, "y": "safe"}
    sink(d["y"])
    sink(d.get("y"))
    sink(d["x"])  # BAD
    d["y"] = a
    sink(d["y"])  # BAD
    lst = []
    lst.append("ok")
    lst.append(a)
    lst.pop()
    sink(lst[0])
    for item in lst:
        sink(lst[0])  # models are not kept through loops: BAD
)",
                standard("python"));
  check_marked("javascript", R"(
function f() {
  const a = source();
  const parts = [a, 'guest'];
  sink(parts[1]);
  sink(parts[0]); // BAD
  const m = new Map();
  m.set('k', a);
  m.set('j', 'fine');
  sink(m.get('j'));
  sink(m.get('k')); // BAD
}
)",
                standard("javascript"));
}

TEST_CASE("taint precision: a literal-only test is a guard") {
  check_marked("python", R"(
def f():
    action = source()
    if action not in ("start", "stop"):
        return None
    sink(action)
    other = source()
    if other != "a" and other != "b":
        raise ValueError(other)
    sink(other)
    third = source()
    if third in ("x", "y"):
        sink(third)
    sink(third)  # BAD
    fourth = source()
    if fourth not in ("x", "y"):
        log(fourth)
    sink(fourth)  # BAD
)",
                standard("python"));
  check_marked("java", R"(
class A {
  void f() {
    String sort = source();
    if (!java.util.List.of("name", "date").contains(sort)) {
      return;
    }
    sink(sort);
    String s2 = source();
    if (!"admin".equals(s2)) { throw new IllegalArgumentException(); }
    sink(s2);
    String s3 = source();
    if (s3.isEmpty()) { return; }
    sink(s3); // BAD
  }
}
)",
                standard("java"));
  check_marked("javascript", R"(
function f() {
  const action = source();
  if (action !== 'start' && action !== 'stop') {
    return null;
  }
  sink(action);
  const b = source();
  if (!['x', 'y'].includes(b)) return;
  sink(b);
  const c = source();
  if (c.length > 3) return;
  sink(c); // BAD
}
)",
                standard("javascript"));
}

namespace {

// sink(X) only: parameters are the only possible source.
match::TaintSpec sink_only(std::string_view lang) {
  match::TaintSpec spec;
  spec.sinks.push_back({call(lang, R"(sink\(.*\))", {{"X", 0}}), "X"});
  spec.sanitizers.push_back({call(lang, R"((clean|int)\(.*\))"), {}, false});
  return spec;
}

std::vector<match::TaintFinding> run_with_parameters(std::string_view lang_name, const std::string& code,
                                                     const match::TaintSpec& spec, bool parameters) {
  const auto& lang = *grammars::by_name(lang_name);
  auto snap = document::Snapshot::parse("t", lang, code);
  match::MatchInput in{snap->text, &lang};
  match::TaintOptions options;
  options.parameters = parameters;
  auto findings = match::find_taint(spec, in, snap->root(), std::nullopt, options);
  static std::vector<std::shared_ptr<const document::Snapshot>> keep;  // the findings' nodes point into it
  keep.push_back(snap);
  return findings;
}

std::vector<uint32_t> parameter_lines(std::string_view lang, const std::string& code, const match::TaintSpec& spec) {
  std::vector<uint32_t> out;
  for (const auto& f : run_with_parameters(lang, code, spec, true)) {
    CHECK(f.from_parameter);
    out.push_back(ts_node_start_point(f.node).row + 1);
  }
  return out;
}

}  // namespace

TEST_CASE("taint: parameters as sources under the analysis policy") {
  const std::string py = R"(
def get_user(conn, name, limit=10, verbose=False):
    sink("q" + name)  # BAD
    sink("q" + conn)
    sink("q" + limit)
    sink("q" + verbose)
def typed(user_id: int, label: str, enabled: bool, cfg: Config):
    sink(f"{user_id}")
    sink(f"{label}")  # BAD
    sink(f"{enabled}")
    sink(f"{cfg}")
def test_helper(name):
    sink("q" + name)
def wrapper(sql):
    sink(sql)
class C:
    def method(self, path):
        sink(f"{self}")
        sink(f"{path}")  # BAD
rows = [sink(r) for r in []]
)";
  CHECK(parameter_lines("python", py, sink_only("python")) == expected(py));
  // Off: no parameter is a source.
  CHECK(run_with_parameters("python", py, sink_only("python"), false).empty());
  // A rule that says `parameters: false` never takes them.
  auto refusing = sink_only("python");
  match::TaintSource never{nullptr, false, {}};
  never.no_parameters = true;
  refusing.sources.push_back(never);
  CHECK(run_with_parameters("python", py, refusing, true).empty());

  const std::string java = R"(
class A {
  String f(Connection conn, String name, int count, boolean flag, HttpServletRequest request, Logger log) {
    sink("q" + name); // BAD
    sink("q" + count);
    sink("q" + flag);
    sink("q" + conn);
    sink("q" + log);
    sink(name);
    return name;
  }
}
)";
  CHECK(parameter_lines("java", java, sink_only("java")) == expected(java));

  const std::string js = R"(
function runCmd(dir, retries = 3) {
  sink('ls ' + dir); // BAD
  sink('n' + retries);
  [1, 2].map((x) => sink('v' + x));
}
const handler = (req, res, next) => { sink('a' + req); sink('b' + res.body); };
)";
  CHECK(parameter_lines("javascript", js, sink_only("javascript")) == expected(js));

  const std::string go = R"(
package p
func readFile(ctx context.Context, db *sql.DB, base, name string, n int) {
	sink("a" + name) // BAD
	sink(base + "/x")
	sink(fmt.Sprint(n))
	sink(fmt.Sprint(db))
	sink(fmt.Sprint(ctx))
}
)";
  CHECK(parameter_lines("go", go, sink_only("go")) == expected(go));

  const std::string c = R"(
void ls(const char *dir, int depth, size_t len, char buf[], pid_t pid, mode_t mode) {
  sink(concat("ls ", dir)); // BAD
  sink(concat("d", depth));
  sink(concat("l", len));
  sink(concat("b", buf)); // BAD
  sink(concat("/proc/", pid));
  sink(concat("m", mode));
  sink(dir);
}
)";
  CHECK(parameter_lines("c", c, sink_only("c")) == expected(c));

  // C++: c_str()/string() hand out the same text (a wrapper still passes its parameter through
  // unchanged); `+=` builds a new value.
  const std::string cpp = R"(
void run(const std::string& cmd, const std::filesystem::path& p, const std::string& name) {
  sink(cmd.c_str());
  sink(p.string());
  std::string q = "x";
  q += name;
  sink(q.c_str()); // BAD
  sink((q + cmd).c_str()); // BAD
}
)";
  CHECK(parameter_lines("cpp", cpp, sink_only("cpp")) == expected(cpp));

  // A rule's own source wins over a parameter: the finding is not a parameter finding.
  auto spec = standard("python");
  auto both = run_with_parameters("python", "def f(name):\n    x = name + source()\n    sink(x)\n", spec, true);
  REQUIRE(both.size() == 1);
  CHECK_FALSE(both[0].from_parameter);
}
