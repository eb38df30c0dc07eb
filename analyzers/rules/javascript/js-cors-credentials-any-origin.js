const express = require("express");
const cors = require("cors");

const app = express();
// ruleid: js-cors-credentials-any-origin
app.use(cors({ origin: "*", credentials: true }));
// ruleid: js-cors-credentials-any-origin
app.use("/api", cors({ credentials: true, origin: true, maxAge: 600 }));

app.use((req, res, next) => {
  // ruleid: js-cors-credentials-any-origin
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin);
  res.setHeader("Access-Control-Allow-Credentials", "true");
  next();
});

// ruleid: js-cors-credentials-any-origin
const corsOptions = {
  origin: "*",
  methods: ["GET", "POST"],
  credentials: true,
};
app.use("/v2", cors(corsOptions));

const ALLOWED = ["https://app.example.com", "https://admin.example.com"];
// ok: js-cors-credentials-any-origin
app.use(cors({ origin: ALLOWED, credentials: true }));
// ok: js-cors-credentials-any-origin
app.use("/public", cors({ origin: "*" }));
// ok: js-cors-credentials-any-origin
app.use("/partner", cors({ origin: "https://partner.example.com", credentials: true }));

app.use((req, res, next) => {
  // ok: js-cors-credentials-any-origin
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Cache-Control", "no-store");
  next();
});

module.exports = app;
