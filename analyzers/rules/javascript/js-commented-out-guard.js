const express = require("express");
const app = express();

// ruleid: js-commented-out-guard
// app.use(requireAuth);
app.use(express.json());

app.delete("/users/:id", async (req, res) => {
  // ruleid: js-commented-out-guard
  // if (!req.user.isAdmin) return res.sendStatus(403);
  await db.users.delete(req.params.id);
  res.sendStatus(204);
});

app.post("/webhook", async (req, res) => {
  // ruleid: js-commented-out-guard
  // verifySignature(req.rawBody, req.get("X-Signature"), process.env.HOOK_SECRET);
  await handle(req.body);
  res.sendStatus(204);
});

app.get("/health", (req, res) => {
  // ok: js-commented-out-guard
  // No auth here: the load balancer calls this endpoint without a token.
  // ok: js-commented-out-guard
  // if (!cache.valid) we rebuild it below
  res.send("ok");
});
