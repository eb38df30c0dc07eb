// Helpers that import what they use under another name (labelled: vuln/safe per function).
const { exec: runShell, execFile } = require("node:child_process");
const proc = require("child_process");
const util = require("util");

const execFileAsync = util.promisify(execFile);

// vuln: command-injection
function archiveDir(dir) {
  return new Promise((resolve, reject) => {
    runShell(`tar czf /tmp/out.tgz ${dir}`, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

// safe: command-injection
function archiveDirSafe(dir) {
  return execFileAsync("tar", ["czf", "/tmp/out.tgz", "--", dir]);
}

// vuln: command-injection
function diskUsage(path) {
  return proc.execSync("du -sh " + path).toString();
}

// safe: command-injection
function diskUsageSafe(path) {
  return proc.execFileSync("du", ["-sh", "--", path]).toString();
}

// vuln: command-injection
function gitShow(ref) {
  const child = proc.spawn("sh", ["-c", `git show ${ref}`]);
  return child.stdout;
}

// safe: command-injection
function gitShowSafe(ref) {
  const child = proc.spawn("git", ["show", "--", ref]);
  return child.stdout;
}

module.exports = { archiveDir, archiveDirSafe, diskUsage, diskUsageSafe, gitShow, gitShowSafe };
