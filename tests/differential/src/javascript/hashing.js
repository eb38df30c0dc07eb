const crypto = require('crypto');

function legacyDigest(data) {
  const h = crypto.createHash(/* legacy clients */ 'md5', { outputLength: 16 });
  return crypto.createHash('sha1' /* interop */).update(data).digest('hex') + h.digest('hex');
}

module.exports = { legacyDigest };
