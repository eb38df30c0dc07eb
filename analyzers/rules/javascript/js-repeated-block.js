async function transfer(from, to, amount) {
  await from.debit(amount);
  await to.credit(amount);
  audit.log("transfer", from.id, to.id, amount);
  // ruleid: js-repeated-block
  await from.debit(amount);
  await to.credit(amount);
  audit.log("transfer", from.id, to.id, amount);
}

function checkToken(token) {
  if (!token) return false;
  const claims = verify(token, KEY);
  return claims.exp > Date.now() / 1000;
}

// ruleid: js-repeated-block
function checkToken(token) {
  if (!token) return false;
  const claims = verify(token, KEY);
  return claims.exp > Date.now() / 1000;
}

// ok: js-repeated-block
function setup(app) {
  app.get("/a", a);
  app.get("/b", b);
  app.get("/c", c);
  app.get("/d", d);
}

// ok: js-repeated-block
function pad(rows) {
  rows.push("");
  rows.push("");
  return rows;
}
