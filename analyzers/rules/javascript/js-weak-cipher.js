const crypto = require("crypto");

function encryptCard(key, iv, pan) {
  // ruleid: js-weak-cipher
  const cipher = crypto.createCipheriv("des-ede3-cbc", key, iv);
  return cipher.update(pan, "utf8", "hex") + cipher.final("hex");
}

function encryptToken(key, token) {
  // ruleid: js-weak-cipher
  const cipher = crypto.createCipheriv("aes-128-ecb", key, null);
  return Buffer.concat([cipher.update(token), cipher.final()]);
}

function legacy(password, text) {
  // ruleid: js-weak-cipher
  const c = crypto.createCipher("aes-256-cbc", password);
  // ruleid: js-weak-cipher
  const d = crypto.createDecipheriv('rc4', password, '');
  return [c.update(text), d];
}

function encryptOk(key, text) {
  const iv = crypto.randomBytes(12);
  // ok: js-weak-cipher
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
  // ok: js-weak-cipher
  const hash = crypto.createHash("sha256").update(data).digest("hex");
  // ok: js-weak-cipher
  const d = crypto.createDecipheriv("chacha20-poly1305", key, iv, { authTagLength: 16 });
  return { iv, data, tag: cipher.getAuthTag(), hash, d };
}
