const { exec, execFile, execSync, spawn } = require("child_process");
const cp = require("child_process");
const { exec: runShell } = require("node:child_process");
const proc = require("child_process");
const shellQuote = require("shell-quote");

const BUILD_CMD = "npm run build";

async function convert(req, res) {
  const { file, width } = req.body;
  // ruleid: js-child-process-injection
  exec(`convert uploads/${file} -resize ${width} out.png`, (err) => res.send(err ? "fail" : "ok"));
  // ruleid: js-child-process-injection
  const size = execSync("du -sh " + req.query.dir).toString();
  // ruleid: js-child-process-injection
  cp.exec(`git log --author=${req.query.author}`);
  // ruleid: js-child-process-injection
  spawn(`tar czf ${req.query.name}.tgz data`, { shell: true });
  const cmd = `ping -c 1 ${req.query.host}`;
  // ruleid: js-child-process-injection
  const output = execSync(cmd, { encoding: "utf8" });
  // ruleid: js-child-process-injection
  require("child_process").exec("rm -rf /tmp/" + req.params.id);

  // ok: js-child-process-injection
  execFile("convert", [`uploads/${file}`, "-resize", String(width), "out.png"]);
  // ok: js-child-process-injection
  exec("ls -la /srv/uploads");
  // ok: js-child-process-injection
  exec(`ping -c 1 ${shellQuote.quote([req.query.host])}`);
  // ok: js-child-process-injection
  spawn("tar", ["czf", `${req.query.name}.tgz`, "data"]);
  // ok: js-child-process-injection
  execSync(BUILD_CMD, { stdio: "inherit" });
  // ok: js-child-process-injection
  const m = /id=(\d+)/.exec(`id=${req.query.id}`);
  const pattern = new RegExp("^" + req.query.prefix);
  // ok: js-child-process-injection
  const hit = pattern.exec("user:" + req.query.name);
  res.json({ size, output, m, hit });
}

module.exports = { convert };

function pingHost(host) {
  // ruleid: js-child-process-injection
  return require('child_process').spawnSync('sh', ['-c', `ping -c 1 ${host}`]);
}

function pingHostSafe(host) {
  // ok: js-child-process-injection
  return require('child_process').spawnSync('ping', ['-c', '1', host]);
}

function runScript(path) {
  // ok: js-child-process-injection
  return require('child_process').spawnSync('sh', [path]);
}

module.exports.more = { pingHost, pingHostSafe, runScript };

// Allowlists kept in a variable: a name bound once to literals and never changed is a guard.
const ALLOWED_TOOLS = new Set(["gzip", "bzip2"]);
const FORMATS = ["png", "jpg"];

function compress(req, res) {
  const tool = req.query.tool;
  if (!ALLOWED_TOOLS.has(tool)) return res.status(400).end();
  // ok: js-child-process-injection
  exec(tool + " -k data.tar", () => res.end());
}

function thumbnail(req, res) {
  const fmt = req.query.fmt;
  if (!FORMATS.includes(fmt)) throw new Error("format");
  // ok: js-child-process-injection
  exec(`convert in.img out.${fmt}`, () => res.end());
}

function archive(folder) {
  // ruleid: js-child-process-injection
  runShell("tar czf backup.tgz " + folder);
  // ruleid: js-child-process-injection
  return proc.execSync(`du -sh ${folder}`).toString();
}

function archiveSafely(folder) {
  // ok: js-child-process-injection
  return proc.execFileSync("du", ["-sh", "--", folder]).toString();
}

const pattern = /^(\w+)$/;
function parseName(name) {
  // ok: js-child-process-injection
  return pattern.exec(name);
}
