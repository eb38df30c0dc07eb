const vm = require("vm");

const DEFAULT_EXPR = "1 + 1";

function calculate(req, res) {
  const formula = req.query.formula;
  // ruleid: js-eval-injection
  const result = eval(formula);
  // ruleid: js-eval-injection
  const fn = new Function("row", `return ${req.body.expression};`);
  // ruleid: js-eval-injection
  setTimeout("refresh('" + req.query.panel + "')", 1000);
  // ruleid: js-eval-injection
  const out = vm.runInNewContext(req.body.code, { Math });
  // ruleid: js-eval-injection
  window.eval(`render_${req.query.view}()`);
  // ok: js-eval-injection
  const sum = eval("2 + 2");
  // ok: js-eval-injection
  const parsed = JSON.parse(req.body.data);
  // ok: js-eval-injection
  setTimeout(() => refresh(req.query.panel), 1000);
  // ok: js-eval-injection
  setInterval(poll, 5000);
  // ok: js-eval-injection
  const add = new Function("a", "b", "return a + b");
  // ok: js-eval-injection
  const score = scorer.eval(formula);
  // ok: js-eval-injection
  const two = eval(DEFAULT_EXPR);
  // ok: js-eval-injection
  const tpl = eval(`6 * 7`);
  res.json({ result, fn, out, sum, parsed, add, score, two, tpl });
}

module.exports = { calculate };
