const crypto = require("crypto");
const { createHash: makeHash } = require("node:crypto");

function avatarId(email) {
  // ruleid: js-weak-hash-user-data
  return crypto.createHash("md5").update(email.trim().toLowerCase()).digest("hex");
}

function documentId(req, res) {
  const h = makeHash("sha1");
  // ruleid: js-weak-hash-user-data
  h.update(req.body.content);
  res.json({ id: h.digest("hex") });
}

const userKey = (username) => {
  const hash = crypto.createHash("sha1");
  // ruleid: js-weak-hash-user-data
  hash.update(username, "utf8");
  return hash.digest("hex");
};

function avatarIdSafe(email) {
  // ok: js-weak-hash-user-data
  return crypto.createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
}

function cacheKey(url) {
  // ok: js-weak-hash-user-data
  return crypto.createHash("md5").update(url).digest("hex");
}

function buildStamp() {
  // ok: js-weak-hash-user-data
  return crypto.createHash("md5").update("build-2024-11").digest("hex");
}

function documentIdSafe(req, res) {
  const h = makeHash("sha256");
  // ok: js-weak-hash-user-data
  h.update(req.body.content);
  res.json({ id: h.digest("hex") });
}

function signup(req) {
  // js-weak-hash reports a password's hash; this rule stays quiet.
  // ok: js-weak-hash-user-data
  const passwordHash = crypto.createHash("md5").update(req.body.password).digest("hex");
  return passwordHash;
}

module.exports = { avatarId, documentId, userKey, avatarIdSafe, cacheKey, buildStamp, documentIdSafe };
