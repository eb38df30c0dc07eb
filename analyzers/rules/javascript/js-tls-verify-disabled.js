const https = require("https");
const axios = require("axios");
const fs = require("fs");

// ruleid: js-tls-verify-disabled
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";

function client(url) {
  // ruleid: js-tls-verify-disabled
  const agent = new https.Agent({ rejectUnauthorized: false });
  const api = axios.create({
    baseURL: url,
    httpsAgent: new https.Agent({
      // ruleid: js-tls-verify-disabled
      rejectUnauthorized: false,
    }),
  });
  // ruleid: js-tls-verify-disabled
  https.globalAgent.options.rejectUnauthorized = false;
  // ruleid: js-tls-verify-disabled
  process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = 0;
  // ok: js-tls-verify-disabled
  const strict = new https.Agent({ rejectUnauthorized: true, ca: fs.readFileSync("ca.pem") });
  // ok: js-tls-verify-disabled
  const fromEnv = new https.Agent({ rejectUnauthorized: process.env.NODE_ENV === "production" });
  // ok: js-tls-verify-disabled
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "1";
  // ok: js-tls-verify-disabled
  const opts = { keepAlive: false, timeout: 5000 };
  return { agent, api, strict, fromEnv, opts };
}

module.exports = { client };
