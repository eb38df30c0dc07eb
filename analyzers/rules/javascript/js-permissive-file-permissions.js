const fs = require("fs");
const fsp = require("fs/promises");

async function publish(uploadDir, report) {
  fs.mkdirSync(uploadDir, { recursive: true });
  // ruleid: js-permissive-file-permissions
  fs.chmodSync(uploadDir, 0o777);
  // ruleid: js-permissive-file-permissions
  await fsp.chmod(report, 0o666);
  // ruleid: js-permissive-file-permissions
  fs.chmodSync(report, "777");
  const fh = await fsp.open(report, "r+");
  // ruleid: js-permissive-file-permissions
  await fh.chmod(0o666);
}

async function publishOk(uploadDir, keyFile) {
  // ok: js-permissive-file-permissions
  fs.mkdirSync(uploadDir, { recursive: true, mode: 0o750 });
  // ok: js-permissive-file-permissions
  await fsp.chmod(keyFile, 0o600);
  // ok: js-permissive-file-permissions
  fs.writeFileSync(keyFile, "secret", { mode: 0o600, flag: "wx" });
  // ok: js-permissive-file-permissions
  fs.chmodSync("/srv/shared/tmp", 0o1777);
  // ok: js-permissive-file-permissions
  fs.writeFileSync("/srv/shared/report.txt", "data", { mode: 0o666 });
}
