// Findings silenced with ast-grep's suppression comments (both tools honour them).
function legacy(req, el) {
  // ast-grep-ignore
  el.innerHTML = req.body.html;
  const r = eval(req.query.expr); // ast-grep-ignore: js-eval-nonliteral
  // ast-grep-ignore: js-innerhtml
  el.innerHTML = r;
  // ast-grep-ignore: js-weak-hash
  el.innerHTML = req.body.other;
  return eval(req.query.other);
}
