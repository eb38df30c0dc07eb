const { exec } = require("child_process");

function run(req, res) {
  // ruleid: js-security-lint-suppressed
  // eslint-disable-next-line security/detect-child-process
  exec(req.query.cmd);
  // ruleid: js-security-lint-suppressed
  const value = eval(req.body.expr); // eslint-disable-line no-eval
  // ruleid: js-security-lint-suppressed
  /* eslint-disable no-new-func, security/detect-non-literal-fs-filename */
  const fn = new Function(req.body.src);
  // ruleid: js-security-lint-suppressed
  const html = `<p>${req.query.msg}</p>`; // nosemgrep: javascript.express.security.audit.xss
  // ok: js-security-lint-suppressed
  // eslint-disable-next-line no-console
  console.log(value);
  // ok: js-security-lint-suppressed
  /* eslint-disable max-len */
  const long = "a very long string that would otherwise trip the max-len rule in this codebase";
  // ok: js-security-lint-suppressed
  // We never use eval here; see docs/security.md.
  res.send({ fn, html, long });
}

module.exports = { run };
