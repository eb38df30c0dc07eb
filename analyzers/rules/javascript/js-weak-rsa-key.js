const crypto = require("crypto");
const forge = require("node-forge");

function makeKeyPair() {
  // ruleid: js-weak-rsa-key
  return crypto.generateKeyPairSync("rsa", { modulusLength: 1024 });
}

function makeDsa(cb) {
  // ruleid: js-weak-rsa-key
  crypto.generateKeyPair("dsa", { modulusLength: 1024, divisorLength: 160 }, cb);
}

function forgeKeys() {
  // ruleid: js-weak-rsa-key
  return forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
}

function strong() {
  // ok: js-weak-rsa-key
  return crypto.generateKeyPairSync("rsa", { modulusLength: 3072 });
}

function curve() {
  // ok: js-weak-rsa-key
  return crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
}
