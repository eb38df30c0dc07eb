const _ = require("lodash");

const settings = {};

app.post("/settings", (req, res) => {
  const { key, value } = req.body;
  // ruleid: js-prototype-pollution
  settings[key] = value;
  res.json(settings);
});

app.post("/profile", (req, res) => {
  const profile = loadProfile(req.user.id);
  // ruleid: js-prototype-pollution
  _.merge(profile, req.body);
  // ruleid: js-prototype-pollution
  _.set(profile, req.query.path, req.query.value);
  res.json(profile);
});

app.post("/settings-safe", (req, res) => {
  const store = new Map();
  // ok: js-prototype-pollution
  store.set(req.body.key, req.body.value);
  // ok: js-prototype-pollution
  settings["theme"] = req.body.theme;
  // ok: js-prototype-pollution
  const profile = _.merge({}, DEFAULTS, { name: String(req.body.name) });
  res.json({ profile, size: store.size });
});
