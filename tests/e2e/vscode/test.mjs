// Drives code-server in Debian's chromium as a user would (run.sh starts it): opens the example,
// reads Vigil's findings in the Problems panel, applies a quick-fix and checks the file on disk,
// shows the hover of a finding,
// runs "Vigil: Validate Finding", pastes a block and sees the AI-range gutter decoration.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const url = process.env.VIGIL_E2E_URL;
const project = process.env.VIGIL_E2E_PROJECT;
const shots = process.env.VIGIL_E2E_SHOTS;
const serverCommands = (process.env.VIGIL_E2E_COMMANDS || '').split(',').filter(Boolean);
const file = path.join(project, 'flask_app.py');
const started = Date.now();
const say = (m) => process.stderr.write(`[vscode-e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${m}\n`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
const page = await context.newPage();

async function shot(name) {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`) }).catch(() => {});
}
async function fail(message) {
  await shot('failure');
  say(`FAIL: ${message}`);
  await browser.close();
  process.exit(1);
}
async function waitFor(what, fn, timeout = 30000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await page.waitForTimeout(200);
  }
  await fail(`timed out waiting for ${what} (last: ${last})`);
}
async function palette(command) {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(command);
  await waitFor(`"${command}" in the command palette`, async () =>
    (await page.locator('.quick-input-list .monaco-list-row').first().textContent())?.includes(command.replace(/^>\s*/, '')));
  await page.keyboard.press('Enter');
}
async function goToLine(line, column) {
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
}
// Runs `action` until `check` holds (a menu or widget opened before the server answered is empty).
async function retrying(what, action, check, tries = 5) {
  for (let i = 0; i < tries; i++) {
    await action();
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const got = await check().catch(() => null);
      if (got) return got;
      await page.waitForTimeout(200);
    }
    await page.keyboard.press('Escape');
  }
  await fail(`${what} did not appear after ${tries} tries`);
}
const problemsText = () => page.locator('.markers-panel').innerText();
const notifications = () => page.locator('.notifications-toasts').innerText().catch(() => '');

try {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  say('workbench loaded');

  // Open the example through Quick Open.
  await waitFor('the explorer', async () => (await page.locator('.explorer-folders-view').count()) > 0, 60000);
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type('flask_app.py');
  await waitFor('flask_app.py in Quick Open', async () => (await page.locator('.quick-input-list .monaco-list-row').count()) > 0);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.monaco-editor .view-lines', { timeout: 30000 });
  say('flask_app.py open');

  // Findings in the Problems panel (a virtual list: the filter box narrows it to one rule).
  await page.keyboard.press('Control+Shift+M');
  const count = await waitFor('Vigil findings in the Problems panel', async () => {
    const text = await problemsText();
    const rows = await page.locator('.markers-panel .monaco-list-row').count();
    return text.includes('vigil') && text.includes('py-sql-injection') && rows >= 3 ? rows : null;
  }, 60000);
  const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
  const filtered = async (rule) => {
    await filter.fill(rule);
    await page.waitForTimeout(300);
    return problemsText();
  };
  for (const rule of ['py-sql-injection', 'py-subprocess-shell-injection', 'py-tls-verify-disabled', 'py-flask-debug-enabled'])
    await waitFor(`${rule} in the Problems panel`, async () => (await filtered(rule)).includes(rule));
  say(`Problems panel: ${count} rows shown, among them py-sql-injection, py-subprocess-shell-injection, py-tls-verify-disabled, py-flask-debug-enabled`);
  await shot('problems');

  // The status bar counts them.
  const status = await page.locator('.statusbar-item', { hasText: 'Vigil' }).first().innerText();
  say(`status bar: ${status.trim()}`);

  // Quick-fix on `verify=False` (line 88), through Ctrl+. and the code action menu; then save.
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const tlsLine = lines.findIndex((l) => l.includes('verify=False')) + 1;
  await page.locator('.monaco-editor .view-lines').first().click();
  await goToLine(tlsLine, lines[tlsLine - 1].indexOf('False') + 2);
  const fixTitle = 'Replace `False` with `True`';
  await retrying('the quick-fix menu', () => page.keyboard.press('Control+.'),
    async () => (await page.locator('.action-widget .monaco-list-row', { hasText: fixTitle }).count()) > 0);
  await page.locator('.action-widget .monaco-list-row', { hasText: fixTitle }).first().click();
  await page.keyboard.press('Control+S');
  await waitFor('verify=True on disk', async () => fs.readFileSync(file, 'utf8').split('\n')[tlsLine - 1].includes('verify=True'));
  await waitFor('the TLS finding to leave the Problems panel', async () => !(await filtered('py-tls-verify-disabled')).includes('Ln '));
  await filter.fill('');
  say(`quick-fix applied and saved: line ${tlsLine} is "${fs.readFileSync(file, 'utf8').split('\n')[tlsLine - 1].trim()}"`);

  // Hover on the SQL injection finding ("Show or Focus Hover": the hover at the cursor), then validate it.
  const sqlLine = lines.findIndex((l) => l.includes('.execute(f"SELECT')) + 1;
  await page.locator('.monaco-editor .view-lines').first().click();
  await goToLine(sqlLine, lines[sqlLine - 1].indexOf('f"SELECT') + 2);  // inside the flagged SQL text
  const hover = await retrying('the hover on the finding', () => palette('>Show or Focus Hover'), async () => {
    const text = await page.locator('.monaco-hover').first().innerText().catch(() => '');
    return text.includes('py-sql-injection') && text.includes('CWE-89') ? text : null;
  });
  say(`hover: ${hover.split('\n')[0]} … CWE-89`);
  await page.keyboard.press('Escape');
  await palette('>Vigil: Validate Finding');
  if (!serverCommands.some((c) => /validat/i.test(c))) await fail(`the server lists no validation command: ${serverCommands.join(', ')}`);
  const verdict = await waitFor('a validation verdict', async () => {
    const text = await notifications();
    return /Vigil validation: (confirmed|refuted|uncertain) by deep, confidence \d+%/.test(text) ? text : null;
  }, 60000);
  say(`validation: ${verdict.split('\n')[0]}`);

  // Paste a block at the end of the file: an AI range, shown in the gutter.
  const before = await page.locator('.cgmr').count();
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  const block = 'def pasted(cmd):\n    import os\n    return os.system("sh -c " + cmd)\n';
  await page.evaluate((t) => navigator.clipboard.writeText(t), block);
  await page.keyboard.press('Control+V');
  const marks = await waitFor('an AI-range gutter decoration', async () => {
    const n = await page.locator('.cgmr').evaluateAll((els) =>
      els.filter((e) => getComputedStyle(e).backgroundImage.includes('ai-range')).length);
    return n > 0 ? n : null;
  });
  say(`AI-range gutter marks after the paste: ${marks} (before: ${before})`);
  await shot('ai-range');
  say('PASS');
  await browser.close();
  process.exit(0);
} catch (e) {
  await fail(e.stack || String(e));
}
