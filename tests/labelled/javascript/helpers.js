// Node helpers as an assistant writes them (labelled per function).
const cp = require('child_process');
const { exec, execFile } = require('child_process');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const mysql = require('mysql2');
const axios = require('axios');

// vuln: command-injection
function runCmd(dir) {
  return cp.execSync('ls -la ' + dir).toString();
}

// safe: command-injection
function runCmdSafe(dir) {
  return cp.execFileSync('ls', ['-la', dir]).toString();
}

// vuln: command-injection
function gitClone(repoUrl, dest) {
  exec(`git clone ${repoUrl} ${dest}`, (err) => {
    if (err) console.error(err);
  });
}

// safe: command-injection
function gitCloneSafe(repoUrl, dest) {
  execFile('git', ['clone', '--', repoUrl, dest], (err) => {
    if (err) console.error(err);
  });
}

// vuln: command-injection
const convertVideo = (input, output) => {
  const cmd = 'ffmpeg -i ' + input + ' ' + output;
  return require('child_process').execSync(cmd);
};

// safe: command-injection
const convertVideoSafe = (input, output) => {
  return require('child_process').spawnSync('ffmpeg', ['-i', input, output]);
};

// vuln: command-injection
async function diskUsage(folder) {
  return new Promise((resolve) => cp.exec('du -sh ' + folder, (e, out) => resolve(out)));
}

// vuln: sql-injection
function getUser(connection, username) {
  return connection.query("SELECT * FROM users WHERE username = '" + username + "'");
}

// safe: sql-injection
function getUserSafe(connection, username) {
  return connection.query('SELECT * FROM users WHERE username = ?', [username]);
}

// vuln: sql-injection
async function findOrders(pool, customerId, status) {
  const [rows] = await pool.execute(`SELECT * FROM orders WHERE customer_id = ${customerId} AND status = '${status}'`);
  return rows;
}

// safe: sql-injection
async function findOrdersSafe(pool, customerId, status) {
  const [rows] = await pool.execute('SELECT * FROM orders WHERE customer_id = ? AND status = ?', [customerId, status]);
  return rows;
}

// vuln: sql-injection
function deleteItem(db, id) {
  const sql = 'DELETE FROM items WHERE id = ' + id;
  db.run(sql);
}

// safe: sql-injection
function deleteItemSafe(db, id) {
  db.run('DELETE FROM items WHERE id = ?', id);
}

// vuln: sql-injection
async function sortProducts(knex, column) {
  return knex.raw('SELECT * FROM products ORDER BY ' + column);
}

// safe: sql-injection
async function sortProductsSafe(knex, column) {
  const allowed = ['name', 'price'];
  if (!allowed.includes(column)) throw new Error('bad column');
  return knex('products').orderBy(column);
}

// vuln: nosql-injection
async function login(users, username, password) {
  return users.findOne({ $where: "this.username == '" + username + "' && this.password == '" + password + "'" });
}

// safe: nosql-injection
async function loginSafe(users, username, password) {
  return users.findOne({ username: String(username), password: String(password) });
}

// vuln: path-traversal
function readUpload(uploadDir, filename) {
  return fs.readFileSync(path.join(uploadDir, filename), 'utf8');
}

// safe: path-traversal
function readUploadSafe(uploadDir, filename) {
  const base = path.resolve(uploadDir);
  const target = path.resolve(base, filename);
  if (!target.startsWith(base + path.sep)) throw new Error('outside upload dir');
  return fs.readFileSync(target, 'utf8');
}

// vuln: path-traversal
function removeAvatar(name) {
  fs.unlinkSync('/var/www/avatars/' + name);
}

// safe: path-traversal
function removeAvatarSafe(name) {
  fs.unlinkSync(path.join('/var/www/avatars', path.basename(name)));
}

// vuln: path-traversal
function writeLog(logName, line) {
  fs.appendFileSync(`./logs/${logName}.log`, line + '\n');
}

// vuln: ssrf
async function fetchPreview(url) {
  const res = await axios.get(url);
  return res.data;
}

// safe: ssrf
async function fetchPreviewSafe(url) {
  const host = new URL(url).hostname;
  if (!['api.example.com', 'cdn.example.com'].includes(host)) throw new Error('host not allowed');
  const res = await axios.get('https://api.example.com/preview', { params: { url } });
  return res.data;
}

// vuln: ssrf
async function getAvatar(userHost) {
  const res = await fetch('http://' + userHost + '/avatar.png');
  return res.arrayBuffer();
}

// vuln: weak-hash
function hashPassword(password) {
  return crypto.createHash('md5').update(password).digest('hex');
}

// safe: weak-hash
function hashPasswordSafe(password, salt) {
  return crypto.scryptSync(password, salt, 64).toString('hex');
}

// vuln: weak-hash
function signatureOf(payload) {
  return crypto.createHash('sha1').update(JSON.stringify(payload)).digest('hex');
}

// safe: weak-hash
function signatureOfSafe(payload, key) {
  return crypto.createHmac('sha256', key).update(JSON.stringify(payload)).digest('hex');
}

// vuln: weak-random
function generateToken() {
  return Math.random().toString(36).substring(2) + Math.random().toString(36).substring(2);
}

// safe: weak-random
function generateTokenSafe() {
  return crypto.randomBytes(32).toString('hex');
}

// vuln: weak-random
function resetCode() {
  const code = Math.floor(Math.random() * 1000000);
  return String(code).padStart(6, '0');
}

// safe: weak-random
function randomColor() {
  const colors = ['red', 'green', 'blue'];
  return colors[Math.floor(Math.random() * colors.length)];
}

// vuln: weak-cipher
function encryptLegacy(key, text) {
  const cipher = crypto.createCipheriv('des-ecb', key, null);
  return cipher.update(text, 'utf8', 'hex') + cipher.final('hex');
}

// vuln: weak-cipher
function encryptEcb(key, text) {
  const cipher = crypto.createCipheriv('aes-128-ecb', key, null);
  return cipher.update(text, 'utf8', 'hex') + cipher.final('hex');
}

// safe: weak-cipher
function encryptGcm(key, text) {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  return Buffer.concat([iv, cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]);
}

// vuln: weak-key
function makeKeyPair() {
  return crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
}

// safe: weak-key
function makeKeyPairSafe() {
  return crypto.generateKeyPairSync('rsa', { modulusLength: 3072 });
}

// vuln: code-injection
function calculate(expr) {
  return eval(expr);
}

// safe: code-injection
function calculateSafe(expr) {
  return JSON.parse(expr);
}

// vuln: code-injection
function makeFilter(body) {
  return new Function('item', 'return ' + body);
}

// vuln: regex-injection
function findMatches(pattern, text) {
  return text.match(new RegExp(pattern, 'g'));
}

// safe: regex-injection
function findMatchesSafe(word, text) {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.match(new RegExp(escaped, 'g'));
}

// vuln: prototype-pollution
function mergeDeep(target, source) {
  for (const key of Object.keys(source)) {
    if (typeof source[key] === 'object' && source[key] !== null) {
      if (!target[key]) target[key] = {};
      mergeDeep(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

// safe: prototype-pollution
function mergeDeepSafe(target, source) {
  for (const key of Object.keys(source)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    if (typeof source[key] === 'object' && source[key] !== null) {
      target[key] = mergeDeepSafe(target[key] || {}, source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

// vuln: hardcoded-secret
function stripeClient() {
  const apiKey = 'sk_live_51HxQ2bKz9vT3mN8pR4sW7yU1aB';
  return require('stripe')(apiKey);
}

// safe: hardcoded-secret
function stripeClientSafe() {
  return require('stripe')(process.env.STRIPE_KEY);
}

// vuln: tls
function insecureAgent() {
  return new (require('https').Agent)({ rejectUnauthorized: false });
}

// safe: tls
function secureAgent() {
  return new (require('https').Agent)({ rejectUnauthorized: true });
}

// vuln: ldap-injection
function findLdapUser(client, uid, cb) {
  client.search('ou=people,dc=example,dc=com', { filter: '(uid=' + uid + ')', scope: 'sub' }, cb);
}

// safe: ldap-injection
function findLdapUserSafe(client, cb) {
  client.search('ou=people,dc=example,dc=com', { filter: '(objectClass=person)', scope: 'sub' }, cb);
}

// safe: command-injection
function deadBranch(dir) {
  let target = '.';
  if (2 + 2 === 5) {
    target = dir;
  }
  return cp.execSync('ls ' + target).toString();
}

// safe: command-injection
function literalGuard(action) {
  if (action !== 'start' && action !== 'stop') {
    return null;
  }
  return cp.execSync('systemctl ' + action + ' nginx').toString();
}

// safe: sql-injection
function arrayDecoy(db, name) {
  const parts = [name, 'guest'];
  const who = parts[1];
  return db.query("SELECT * FROM users WHERE name = '" + who + "'");
}

// safe: sql-injection
function countActive(db, limit) {
  return db.query('SELECT COUNT(*) FROM users WHERE active = 1 LIMIT ' + Number(limit));
}

// safe: path-traversal
function readConfig(env) {
  const name = env === 'production' ? 'prod' : 'dev';
  return fs.readFileSync(path.join(__dirname, 'config', name + '.json'), 'utf8');
}

// vuln: path-traversal
function serveStatic(root, requestPath) {
  return fs.createReadStream(root + '/' + requestPath);
}

// safe: path-traversal
function serveStaticSafe(root, requestPath) {
  const resolved = path.resolve(root, '.' + path.normalize('/' + requestPath));
  if (!resolved.startsWith(path.resolve(root))) throw new Error('forbidden');
  return fs.createReadStream(resolved);
}

// vuln: sql-injection
function searchUsers(db, term) {
  return db.all(`SELECT id, name FROM users WHERE name LIKE '%${term}%'`);
}

// safe: sql-injection
function searchUsersSafe(db, term) {
  return db.all('SELECT id, name FROM users WHERE name LIKE ?', [`%${term}%`]);
}

// vuln: command-injection
function openInBrowser(url) {
  require('child_process').exec('xdg-open ' + url);
}

// safe: command-injection
function openInBrowserSafe(url) {
  require('child_process').spawn('xdg-open', [url]);
}

// safe: ssrf
async function fetchWeather(city) {
  const res = await axios.get('https://api.weather.example.com/v1/current', { params: { city } });
  return res.data;
}
