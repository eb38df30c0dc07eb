const fs = require("fs");
const fsp = require("fs/promises");
const path = require("path");

const UPLOAD_DIR = path.join(__dirname, "uploads");

app.get("/files/:name", (req, res) => {
  // ruleid: js-path-traversal
  res.sendFile(path.join(UPLOAD_DIR, req.params.name));
});

app.get("/report", async (req, res) => {
  const file = `${UPLOAD_DIR}/${req.query.file}`;
  // ruleid: js-path-traversal
  const text = await fsp.readFile(file, "utf8");
  res.send(text);
});

app.delete("/avatar", (req, res) => {
  // ruleid: js-path-traversal
  fs.unlinkSync(path.resolve(UPLOAD_DIR, req.body.avatar));
  res.sendStatus(204);
});

app.get("/files-safe/:name", async (req, res) => {
  // ok: js-path-traversal
  res.sendFile(req.params.name, { root: UPLOAD_DIR });
  // ok: js-path-traversal
  const text = await fsp.readFile(path.join(UPLOAD_DIR, path.basename(req.query.file)), "utf8");
  // ok: js-path-traversal
  const logo = fs.readFileSync(path.join(__dirname, "static", "logo.png"));
  res.json({ text, size: logo.length });
});

app.get("/export", async (req, res) => {
  const full = path.resolve(UPLOAD_DIR, req.query.file);
  if (!full.startsWith(UPLOAD_DIR + path.sep)) return res.sendStatus(400);
  // ok: js-path-traversal
  res.send(await fsp.readFile(full, "utf8"));
});
