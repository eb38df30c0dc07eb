// ruleid: js-ts-ignore
// @ts-nocheck
const { verify } = require("./auth");

function check(req) {
  // ruleid: js-ts-ignore
  // @ts-ignore
  const user = verify(req.headers.authorization, { ignoreExpiration: 1 });
  // ruleid: js-ts-ignore
  /* @ts-ignore -- the types are wrong */
  req.user = user.claims;
  // ok: js-ts-ignore
  // @ts-expect-error: the legacy client passes a number here on purpose
  const legacy = verify(42);
  // ok: js-ts-ignore
  // Never use @ts-ignore in this file: fix the types instead.
  // ok: js-ts-ignore
  const note = "// @ts-ignore";
  return { user, legacy, note };
}

module.exports = { check };
