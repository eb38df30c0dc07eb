const crypto = require("crypto");
const express = require("express");
const session = require("express-session");
const jwt = require("jsonwebtoken");

const app = express();
// ruleid: js-hardcoded-secret
const JWT_SECRET = "my-super-secret-jwt-key-2024";
// ruleid: js-hardcoded-secret
const stripeApiKey = "sk_live_51H8xYzAbCdEfGhIjKlMn";

app.use(
  session({
    // ruleid: js-hardcoded-secret
    secret: "keyboard cat",
    resave: false,
  })
);

const db = {
  host: "db.internal",
  user: "app",
  // ruleid: js-hardcoded-secret
  password: "P@ssw0rd123!",
};

function login(user) {
  // ruleid: js-hardcoded-secret
  return jwt.sign({ sub: user.id }, "hardcoded-signing-key", { expiresIn: "1h" });
}

function sign(body) {
  // ruleid: js-hardcoded-secret
  return crypto.createHmac("sha256", "webhook-secret-123").update(body).digest("hex");
}

// ok: js-hardcoded-secret
const API_KEY = process.env.API_KEY;
// ok: js-hardcoded-secret
const jwtSecret = process.env.JWT_SECRET || "";
const labels = {
  // ok: js-hardcoded-secret
  password: "Password",
  // ok: js-hardcoded-secret
  confirmPassword: "Confirm your new password:",
};
// ok: js-hardcoded-secret
const privateKey = "./certs/server.key";
// ok: js-hardcoded-secret
const apiKeyEnvVar = "OPENAI_API_KEY";
// ok: js-hardcoded-secret
const secretKey = "<your-secret-key>";
const FIELDS = {
  // ok: js-hardcoded-secret
  clientSecret: "client_secret",
  // ok: js-hardcoded-secret
  resetPassword: "resetPassword",
};

function verify(token) {
  // ok: js-hardcoded-secret
  return jwt.verify(token, process.env.JWT_SECRET, { algorithms: ["HS256"] });
}

module.exports = { FIELDS, app, db, login, sign, verify, stripeApiKey, JWT_SECRET, labels, privateKey, apiKeyEnvVar, secretKey, jwtSecret, API_KEY };
