const session = require("express-session");

function remember(req, res) {
  // ruleid: js-insecure-cookie
  res.cookie("session", req.sessionID, { secure: false, httpOnly: true });
  res.send("ok");
}

app.use(
  session({
    secret: process.env.SESSION_SECRET,
    // ruleid: js-insecure-cookie
    cookie: { httpOnly: false, secure: true },
  })
);

function good(req, res) {
  // ok: js-insecure-cookie
  res.cookie("session", req.sessionID, { secure: true, httpOnly: true, sameSite: "lax" });
  res.send("ok");
}

// ok: js-insecure-cookie
const options = { secure: false };
