const { ObjectId } = require("mongodb");

app.post("/login", async (req, res) => {
  // ruleid: js-nosql-injection
  const user = await User.findOne({ email: req.body.email, password: req.body.password });
  if (!user) return res.sendStatus(401);
  res.json({ id: user.id });
});

app.get("/orders", async (req, res) => {
  const filter = { status: req.query.status };
  // ruleid: js-nosql-injection
  const orders = await db.collection("orders").find(filter).toArray();
  res.json(orders);
});

app.post("/login-safe", async (req, res) => {
  // ok: js-nosql-injection
  const user = await User.findOne({ email: String(req.body.email) });
  // ok: js-nosql-injection
  const order = await db.collection("orders").findOne({ _id: new ObjectId(req.params.id) });
  // ok: js-nosql-injection
  const item = cart.items.find((i) => i.sku === req.body.sku);
  res.json({ ok: !!user, order, item });
});

app.get('/events', async (req, res) => {
  // ruleid: js-nosql-injection
  const n = await client.db('app').collection('events').countDocuments({ type: req.query.type });
  // ok: js-nosql-injection
  const m = await client.db('app').collection('events').countDocuments({ type: String(req.query.type) });
  res.json({ n, m });
});
