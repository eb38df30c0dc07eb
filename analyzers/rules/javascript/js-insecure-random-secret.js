const crypto = require("crypto");

function issue(user) {
  // ruleid: js-insecure-random-secret
  const resetToken = Math.random().toString(36).substring(2);
  // ruleid: js-insecure-random-secret
  user.verificationCode = Math.floor(100000 + Math.random() * 900000);
  const session = {
    userId: user.id,
    // ruleid: js-insecure-random-secret
    sessionId: `${Date.now()}-${Math.random()}`,
  };
  // ok: js-insecure-random-secret
  const csrfToken = crypto.randomBytes(32).toString("hex");
  // ok: js-insecure-random-secret
  const elementId = `field-${Math.random().toString(36).slice(2)}`;
  // ok: js-insecure-random-secret
  const jitter = Math.random() * 1000;
  // ok: js-insecure-random-secret
  const apiKey = crypto.randomUUID();
  // ok: js-insecure-random-secret
  const tokenCount = Math.floor(Math.random() * 10);
  // ok: js-insecure-random-secret
  const secretName = `db-password-${Math.random().toString(36).slice(2)}`;
  return { secretName, resetToken, session, csrfToken, elementId, jitter, apiKey, tokenCount };
}

// ruleid: js-insecure-random-secret
const generateApiKey = () => "sk_" + Math.random().toString(36).slice(2);

function generatePassword(length) {
  let out = "";
  // todoruleid: js-insecure-random-secret -- built in a loop; needs taint mode
  for (let i = 0; i < length; i++) out += String.fromCharCode(33 + Math.floor(Math.random() * 94));
  return out;
}

function generateToken() {
  // ruleid: js-insecure-random-secret
  return Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}

function pickColor(colors) {
  // ok: js-insecure-random-secret
  return colors[Math.floor(Math.random() * colors.length)];
}

module.exports = { issue, generateApiKey, generatePassword, generateToken, pickColor };
