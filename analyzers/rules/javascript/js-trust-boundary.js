app.post("/prefs", (req, res) => {
  // ruleid: js-trust-boundary
  req.session.role = req.body.role;
  res.sendStatus(204);
});

app.post("/cart", (req, res) => {
  const item = req.query.item;
  // ruleid: js-trust-boundary
  req.session.lastItem = item;
  res.sendStatus(204);
});

app.post("/prefs2", (req, res) => {
  // ok: js-trust-boundary
  req.session.theme = req.body.theme === "dark" ? "dark" : "light";
  res.sendStatus(204);
});

app.post("/page", (req, res) => {
  // ok: js-trust-boundary
  req.session.page = Number(req.query.page);
  res.sendStatus(204);
});
