const jwt = require("jsonwebtoken");
const crypto = require("crypto");

function authenticate(req, res, next) {
  const token = (req.headers.authorization || "").replace("Bearer ", "");
  try {
    req.user = jwt.verify(token, process.env.JWT_SECRET, { algorithms: ["HS256"] });
    // ruleid: js-auth-exception-swallowed
  } catch (err) {}
  next();
}

async function webhook(req, res) {
  const sig = Buffer.from(req.get("X-Signature") || "", "hex");
  try {
    crypto.timingSafeEqual(sig, expectedSignature(req.rawBody));
    // ruleid: js-auth-exception-swallowed
  } catch {
    // signature header may be missing
  }
  await handle(req.body);
  res.sendStatus(204);
}

function authenticateOk(req, res, next) {
  try {
    req.user = jwt.verify(req.cookies.token, process.env.JWT_SECRET, { algorithms: ["HS256"] });
    // ok: js-auth-exception-swallowed
  } catch (err) {
    return res.status(401).json({ error: "invalid token" });
  }
  next();
}

function readConfig(path) {
  try {
    return JSON.parse(fs.readFileSync(path, "utf8"));
    // ok: js-auth-exception-swallowed
  } catch {}
  return {};
}

function trustedKeys(keys, metadata) {
  const signing = new Set();
  keys.forEach((key) => {
    try {
      key.verifySignature(metadata);
      signing.add(key.keyID);
      // ok: js-auth-exception-swallowed
    } catch (error) {
      // try the next key
    }
  });
  return signing;
}
