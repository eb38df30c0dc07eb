const crypto = require("crypto");
const { createHash } = require("crypto");

function register(user, password, apiKey, fileBuffer) {
  // ruleid: js-weak-hash
  user.passwordHash = crypto.createHash("md5").update(password).digest("hex");
  // ruleid: js-weak-hash
  const keyDigest = createHash("sha1").update(apiKey + user.salt).digest("base64");
  // ruleid: js-weak-hash
  const tokenHash = crypto.createHash("sha1").update(user.id + Date.now()).digest("hex");
  // ok: js-weak-hash
  const etag = crypto.createHash("md5").update(fileBuffer).digest("hex");
  // ok: js-weak-hash
  const strong = crypto.createHash("sha256").update(password).digest("hex");
  // ok: js-weak-hash
  const cacheKey = crypto.createHash("sha1").update(JSON.stringify(user.prefs)).digest("hex");
  return { keyDigest, tokenHash, etag, strong, cacheKey };
}

class Auth {
  hashPassword(pw) {
    // ruleid: js-weak-hash
    return crypto.createHash("md5").update(pw).digest("hex");
  }

  checksum(buf) {
    // ok: js-weak-hash
    return crypto.createHash("md5").update(buf).digest("hex");
  }
}

module.exports = { register, Auth };
