const https = require("https");
const tls = require("tls");

const server = https.createServer({
  key: process.env.TLS_KEY,
  cert: process.env.TLS_CERT,
  // ruleid: js-weak-tls-version
  minVersion: "TLSv1",
});

// ruleid: js-weak-tls-version
const legacy = tls.connect(443, "bank.example", { secureProtocol: "TLSv1_method" });

// ruleid: js-weak-tls-version
tls.DEFAULT_MIN_VERSION = "TLSv1.1";

const modern = https.createServer({
  key: process.env.TLS_KEY,
  cert: process.env.TLS_CERT,
  // ok: js-weak-tls-version
  minVersion: "TLSv1.2",
});

// ok: js-weak-tls-version
const pinned = tls.connect(443, "bank.example", { secureProtocol: "TLSv1_2_method" });
