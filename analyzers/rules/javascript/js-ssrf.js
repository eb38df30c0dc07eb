const axios = require("axios");

const WEBHOOKS = { slack: "https://hooks.slack.com/services/T000/B000/XXX" };

app.get("/preview", async (req, res) => {
  // ruleid: js-ssrf
  const page = await fetch(req.query.url);
  res.send(await page.text());
});

app.post("/proxy", async (req, res) => {
  const target = `http://${req.body.host}:8080/status`;
  // ruleid: js-ssrf
  const { data } = await axios.get(target);
  res.json(data);
});

app.get("/users/:id", async (req, res) => {
  // ok: js-ssrf
  const user = await axios.get(`https://api.example.com/users/${req.params.id}`);
  // ok: js-ssrf
  const hook = await axios.post(WEBHOOKS.slack, { text: req.query.msg });
  // ok: js-ssrf
  const search = await fetch("https://api.example.com/search?q=" + encodeURIComponent(req.query.q));
  res.json({ user: user.data, hook: hook.status, search: await search.json() });
});
