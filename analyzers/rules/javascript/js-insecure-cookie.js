const session = require("express-session");
const nodemailer = require("nodemailer");

app.use(
  session({
    secret: process.env.SESSION_SECRET,
    cookie: {
      // ruleid: js-insecure-cookie
      httpOnly: false,
      // ruleid: js-insecure-cookie
      secure: false,
      sameSite: "lax",
    },
  })
);

app.post("/login", (req, res) => {
  // ruleid: js-insecure-cookie
  res.cookie("sid", createSession(req.body.user), { httpOnly: false, sameSite: "strict" });
  // ok: js-insecure-cookie
  res.cookie("theme", req.body.theme, { httpOnly: true, secure: true });
  res.sendStatus(204);
});

const transport = nodemailer.createTransport({
  host: "smtp.example.com",
  port: 587,
  // ok: js-insecure-cookie
  secure: false,
});

// ok: js-insecure-cookie
const cache = new Map([["secure", false]]);
