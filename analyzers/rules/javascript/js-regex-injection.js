const escapeStringRegexp = require("escape-string-regexp");

app.get("/search", async (req, res) => {
  // ruleid: js-regex-injection
  const re = new RegExp(req.query.q, "i");
  res.json(products.filter((p) => re.test(p.name)));
});

app.get("/users", async (req, res) => {
  const prefix = req.query.prefix;
  // ruleid: js-regex-injection
  const users = await User.find({ name: { $regex: RegExp("^" + prefix) } });
  res.json(users);
});

app.get("/search-safe", async (req, res) => {
  // ok: js-regex-injection
  const re = new RegExp(escapeStringRegexp(req.query.q), "i");
  const q = req.query.q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // ok: js-regex-injection
  const re2 = new RegExp(`^${q}`);
  // ok: js-regex-injection
  const slug = new RegExp("^[a-z0-9-]+$");
  res.json({ a: re.source, b: re2.source, c: slug.test(req.query.slug) });
});
