const serialize = require("node-serialize");
const yaml = require("js-yaml");

function restoreSession(req) {
  // ruleid: js-unsafe-deserialization
  return serialize.unserialize(Buffer.from(req.cookies.profile, "base64").toString());
}

function loadConfig(text) {
  // ruleid: js-unsafe-deserialization
  const cfg = yaml.load(text, { schema: yaml.DEFAULT_FULL_SCHEMA });
  // ruleid: js-unsafe-deserialization
  const legacy = require("node-serialize").unserialize(text);
  return [cfg, legacy];
}

function loadOk(req, text) {
  // ok: js-unsafe-deserialization
  const profile = JSON.parse(Buffer.from(req.cookies.profile, "base64").toString());
  // ok: js-unsafe-deserialization
  const cfg = yaml.load(text, { schema: yaml.JSON_SCHEMA });
  // ok: js-unsafe-deserialization
  const out = serialize.serialize(profile);
  return [cfg, out];
}
