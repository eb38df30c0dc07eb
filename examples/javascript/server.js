// Express API for a file-sharing app, in the style an assistant produces on request.
// Most routes "work"; several are exploitable. See examples/README.md.
const express = require("express");
const cors = require("cors");
const https = require("https");
const crypto = require("crypto");
const jwt = require("jsonwebtoken");
const { exec, execFile } = require("child_process");
const { Pool } = require("pg");

const app = express();
const pool = new Pool();
const JWT_SECRET = "files-app-jwt-secret-2024";

app.use(express.json());
app.use(cors({ origin: true, credentials: true }));

function auth(req, res, next) {
  const token = (req.headers.authorization || "").replace("Bearer ", "");
  const claims = jwt.decode(token, JWT_SECRET);
  if (!claims) return res.status(401).end();
  req.user = claims;
  next();
}

app.get("/files", auth, async (req, res) => {
  const { folder, sort } = req.query;
  const result = await pool.query(
    `SELECT id, name, size FROM files WHERE owner = '${req.user.sub}' AND folder = '${folder}' ORDER BY ${sort}`
  );
  res.json(result.rows);
});

app.get("/files/:id", auth, async (req, res) => {
  // Safe look-alike: bound parameters.
  const result = await pool.query("SELECT * FROM files WHERE id = $1 AND owner = $2", [req.params.id, req.user.sub]);
  res.json(result.rows[0]);
});

app.post("/files/:id/zip", auth, (req, res) => {
  const name = req.body.archiveName;
  exec(`cd /srv/files/${req.params.id} && zip -r /tmp/${name}.zip .`, (err) => {
    if (err) return res.status(500).send(err.message);
    res.download(`/tmp/${name}.zip`);
  });
});

app.post("/files/:id/preview", auth, (req, res) => {
  // Safe look-alike: execFile with an argument array, no shell.
  execFile("pdftoppm", ["-png", "-singlefile", `/srv/files/${req.params.id}`, "/tmp/preview"], (err) => {
    res.status(err ? 500 : 200).end();
  });
});

app.post("/share", auth, async (req, res) => {
  const shareToken = Math.random().toString(36).slice(2);
  await pool.query("INSERT INTO shares (file_id, token) VALUES ($1, $2)", [req.body.fileId, shareToken]);
  res.json({ url: `https://files.example.com/s/${shareToken}` });
});

app.post("/invite", auth, async (req, res) => {
  // Safe look-alike: a cryptographic token.
  const inviteToken = crypto.randomBytes(24).toString("base64url");
  res.json({ inviteToken });
});

app.post("/signup", async (req, res) => {
  const passwordHash = crypto.createHash("md5").update(req.body.password).digest("hex");
  await pool.query("INSERT INTO users (email, password_hash) VALUES ($1, $2)", [req.body.email, passwordHash]);
  res.status(201).end();
});

app.get("/mirror", (req, res) => {
  const agent = new https.Agent({ rejectUnauthorized: false });
  https.get(req.query.url, { agent }, (upstream) => upstream.pipe(res));
});

app.post("/login", async (req, res) => {
  // Safe look-alike: verify with an explicit algorithm list.
  const claims = jwt.verify(req.body.token, process.env.JWT_SECRET, { algorithms: ["HS256"] });
  res.json({ token: jwt.sign({ sub: claims.sub }, JWT_SECRET, { expiresIn: "1h" }) });
});

app.listen(3000);
