const jwt = require("jsonwebtoken");

const SECRET = process.env.JWT_SECRET;

function authenticate(req, res, next) {
  const token = (req.headers.authorization || "").replace("Bearer ", "");
  // ruleid: js-jwt-insecure-verification
  const claims = jwt.verify(token, SECRET, { algorithms: ["HS256", "none"] });
  // ruleid: js-jwt-insecure-verification
  const old = jwt.verify(token, SECRET, { ignoreExpiration: true });
  // ruleid: js-jwt-insecure-verification
  const payload = jwt.decode(token, process.env.JWT_SECRET);
  res.locals.claims = { claims, old, payload };
  next();
}

function currentUser(req, res, next) {
  const token = req.cookies.session;
  // ruleid: js-jwt-insecure-verification
  const decoded = jwt.decode(token);
  req.user = decoded;
  next();
}

function issue(user) {
  // ruleid: js-jwt-insecure-verification
  return jwt.sign({ sub: user.id }, "", { algorithm: "none" });
}

function safeAuth(req, res, next) {
  const token = req.cookies.session;
  // ok: js-jwt-insecure-verification
  req.user = jwt.verify(token, SECRET, { algorithms: ["HS256"] });
  // ok: js-jwt-insecure-verification
  const header = jwt.decode(token, { complete: true }).header;
  // ok: js-jwt-insecure-verification
  const signed = jwt.sign({ sub: req.user.sub }, SECRET, { algorithm: "HS256", expiresIn: "15m" });
  // ok: js-jwt-insecure-verification
  const preview = jwt.decode(token);
  res.locals.kid = header.kid;
  res.locals.preview = preview && preview.exp;
  res.locals.signed = signed;
  next();
}

module.exports = { authenticate, currentUser, issue, safeAuth };
