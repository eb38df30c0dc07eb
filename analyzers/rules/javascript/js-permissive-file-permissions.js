const fs = require("fs");
const fsp = require("fs/promises");

async function publish(uploadDir, report) {
  // ruleid: js-permissive-file-permissions
  fs.mkdirSync(uploadDir, { recursive: true, mode: 0o777 });
  // ruleid: js-permissive-file-permissions
  await fsp.chmod(report, 0o666);
  // ruleid: js-permissive-file-permissions
  fs.chmodSync(report, "777");
  // ruleid: js-permissive-file-permissions
  fs.writeFileSync(report, "data", { mode: 0o666 });
}

async function publishOk(uploadDir, keyFile) {
  // ok: js-permissive-file-permissions
  fs.mkdirSync(uploadDir, { recursive: true, mode: 0o750 });
  // ok: js-permissive-file-permissions
  await fsp.chmod(keyFile, 0o600);
  // ok: js-permissive-file-permissions
  fs.writeFileSync(keyFile, "secret", { mode: 0o600, flag: "wx" });
  // ok: js-permissive-file-permissions
  fs.mkdirSync("/srv/shared/tmp", { mode: 0o1777 });
}
