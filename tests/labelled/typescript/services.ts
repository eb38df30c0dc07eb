// TypeScript service helpers as an assistant writes them (labelled per function).
// Written for issue 15 before reading the JavaScript/TypeScript rules: typed parameters,
// ES imports, async/await, classes.
import { exec, execSync, execFile, spawn } from "child_process";
import * as fs from "fs";
import { promises as fsp } from "fs";
import * as path from "path";
import * as crypto from "crypto";
import { Pool } from "pg";
import mysql from "mysql2/promise";
import axios from "axios";
import jwt from "jsonwebtoken";
import { MongoClient, Db } from "mongodb";
import ldap from "ldapjs";
import * as https from "https";

type Role = "admin" | "user";

// vuln: command-injection
export function listDirectory(dir: string): string {
  return execSync(`ls -la ${dir}`).toString();
}

// safe: command-injection
export function listDirectorySafe(dir: string): string {
  return execFileSyncWrapper(["-la", dir]);
}

function execFileSyncWrapper(args: string[]): string {
  return require("child_process").execFileSync("ls", args).toString();
}

// vuln: command-injection
export async function compressFolder(folder: string, archive: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    exec("tar -czf " + archive + " " + folder, (err) => (err ? reject(err) : resolve()));
  });
}

// safe: command-injection
export async function compressFolderSafe(folder: string, archive: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile("tar", ["-czf", archive, "--", folder], (err) => (err ? reject(err) : resolve()));
  });
}

// vuln: command-injection
export function pingHost(host: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", `ping -c 1 ${host}`]);
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", () => resolve(out));
  });
}

// safe: command-injection
export function pingHostSafe(host: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn("ping", ["-c", "1", host]);
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", () => resolve(out));
  });
}

// safe: command-injection
export function killProcess(pid: number): void {
  execSync("kill -9 " + pid);
}

// vuln: sql-injection
export async function findUserByEmail(pool: Pool, email: string) {
  const result = await pool.query(`SELECT id, name FROM users WHERE email = '${email}'`);
  return result.rows[0];
}

// safe: sql-injection
export async function findUserByEmailSafe(pool: Pool, email: string) {
  const result = await pool.query("SELECT id, name FROM users WHERE email = $1", [email]);
  return result.rows[0];
}

// vuln: sql-injection
export async function searchProducts(conn: mysql.Connection, term: string, category: string) {
  const sql = "SELECT * FROM products WHERE name LIKE '%" + term + "%' AND category = '" + category + "'";
  const [rows] = await conn.execute(sql);
  return rows;
}

// safe: sql-injection
export async function searchProductsSafe(conn: mysql.Connection, term: string, category: string) {
  const [rows] = await conn.execute("SELECT * FROM products WHERE name LIKE ? AND category = ?", [
    `%${term}%`,
    category,
  ]);
  return rows;
}

// safe: sql-injection
export async function getOrder(pool: Pool, orderId: number) {
  const result = await pool.query("SELECT * FROM orders WHERE id = " + orderId);
  return result.rows[0];
}

// vuln: sql-injection
export async function deleteUser(pool: Pool, userId: string): Promise<void> {
  await pool.query("DELETE FROM users WHERE id = " + userId);
}

// vuln: path-traversal
export function readUpload(filename: string): Buffer {
  return fs.readFileSync(path.join(__dirname, "uploads", filename));
}

// safe: path-traversal
export function readUploadSafe(filename: string): Buffer {
  const base = path.resolve(__dirname, "uploads");
  const target = path.resolve(base, filename);
  if (!target.startsWith(base + path.sep)) {
    throw new Error("invalid path");
  }
  return fs.readFileSync(target);
}

// vuln: path-traversal
export async function saveAvatar(userName: string, data: Buffer): Promise<void> {
  await fsp.writeFile("/var/app/avatars/" + userName + ".png", data);
}

// safe: path-traversal
export async function saveAvatarSafe(userName: string, data: Buffer): Promise<void> {
  const safeName = path.basename(userName);
  await fsp.writeFile(path.join("/var/app/avatars", safeName + ".png"), data);
}

// vuln: path-traversal
export async function removeTempFile(name: string): Promise<void> {
  await fsp.unlink(`/tmp/app/${name}`);
}

// vuln: ssrf
export async function fetchProfileImage(userId: string, host: string) {
  const response = await axios.get(`https://${host}/avatars/${userId}.png`, { responseType: "arraybuffer" });
  return response.data;
}

// safe: ssrf
export async function fetchProfileImageSafe(userId: string) {
  const response = await axios.get(`https://cdn.example.com/avatars/${encodeURIComponent(userId)}.png`, {
    responseType: "arraybuffer",
  });
  return response.data;
}

// vuln: ssrf
export async function getWeather(city: string, apiBase: string): Promise<unknown> {
  const res = await fetch(apiBase + "/weather?q=" + city);
  return res.json();
}

// vuln: code-injection
export function calculate(expression: string): number {
  return eval(expression);
}

// safe: code-injection
export function calculateSafe(expression: string): number {
  if (!/^[0-9+\-*/ ().]+$/.test(expression)) {
    throw new Error("bad expression");
  }
  return Number(expression.length);
}

// vuln: code-injection
export function buildFilter(condition: string): (row: Record<string, unknown>) => boolean {
  return new Function("row", "return " + condition) as (row: Record<string, unknown>) => boolean;
}

// vuln: weak-hash
export function hashPassword(password: string): string {
  return crypto.createHash("md5").update(password).digest("hex");
}

// safe: weak-hash
export function hashPasswordSafe(password: string): string {
  const salt = crypto.randomBytes(16);
  return salt.toString("hex") + ":" + crypto.scryptSync(password, salt, 64).toString("hex");
}

// vuln: weak-hash
export function signPayload(payload: string, secret: string): string {
  return crypto.createHash("sha1").update(secret + payload).digest("hex");
}

// safe: weak-hash
export function etagFor(body: string): string {
  return crypto.createHash("sha256").update(body).digest("base64");
}

// vuln: weak-random
export function generateResetToken(): string {
  return Math.random().toString(36).substring(2) + Math.random().toString(36).substring(2);
}

// safe: weak-random
export function generateResetTokenSafe(): string {
  return crypto.randomBytes(32).toString("hex");
}

// vuln: weak-random
export function createSessionId(): string {
  let id = "";
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (let i = 0; i < 24; i++) {
    id += chars.charAt(Math.floor(Math.random() * chars.length));
  }
  return id;
}

// safe: weak-random
export function pickBannerColor(colors: string[]): string {
  return colors[Math.floor(Math.random() * colors.length)];
}

// vuln: weak-cipher
export function encryptLegacy(data: string, key: Buffer): string {
  const cipher = crypto.createCipheriv("des-ede3-cbc", key, Buffer.alloc(8));
  return cipher.update(data, "utf8", "hex") + cipher.final("hex");
}

// vuln: weak-cipher
export function encryptBlock(data: Buffer, key: Buffer): Buffer {
  const cipher = crypto.createCipheriv("aes-128-ecb", key, null);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

// safe: weak-cipher
export function encryptSafe(data: string, key: Buffer): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const enc = Buffer.concat([cipher.update(data, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), enc]).toString("base64");
}

// vuln: weak-key
export function createSigningKeys() {
  return crypto.generateKeyPairSync("rsa", { modulusLength: 1024 });
}

// safe: weak-key
export function createSigningKeysSafe() {
  return crypto.generateKeyPairSync("rsa", { modulusLength: 3072 });
}

// vuln: hardcoded-secret
export function issueToken(userId: string): string {
  return jwt.sign({ sub: userId }, "s3cr3t-signing-key-2024", { expiresIn: "1h" });
}

// safe: hardcoded-secret
export function issueTokenSafe(userId: string): string {
  const secret = process.env.JWT_SECRET;
  if (!secret) throw new Error("JWT_SECRET is not set");
  return jwt.sign({ sub: userId }, secret, { expiresIn: "1h" });
}

// vuln: jwt
export function readClaims(token: string): unknown {
  return jwt.decode(token);
}

// safe: jwt
export function readClaimsSafe(token: string, key: string): unknown {
  return jwt.verify(token, key, { algorithms: ["HS256"] });
}

// vuln: jwt
export function verifyAnyAlgorithm(token: string, key: string): unknown {
  return jwt.verify(token, key, { algorithms: ["none", "HS256"] });
}

// vuln: tls
export function createInsecureAgent(): https.Agent {
  return new https.Agent({ rejectUnauthorized: false });
}

// safe: tls
export function createAgent(ca: Buffer): https.Agent {
  return new https.Agent({ ca, rejectUnauthorized: true });
}

// vuln: nosql-injection
export async function findAccount(db: Db, username: string, password: unknown) {
  return db.collection("accounts").findOne({ username, password });
}

// safe: nosql-injection
export async function findAccountSafe(db: Db, username: string, password: unknown) {
  if (typeof password !== "string") throw new Error("bad input");
  return db.collection("accounts").findOne({ username: String(username), password: String(password) });
}

// vuln: nosql-injection
export async function countByFilter(client: MongoClient, expr: string): Promise<number> {
  return client.db("app").collection("events").countDocuments({ $where: "this.type == '" + expr + "'" });
}

// vuln: ldap-injection
export function findLdapUser(client: ldap.Client, uid: string): void {
  client.search("ou=people,dc=example,dc=com", { filter: "(uid=" + uid + ")", scope: "sub" }, () => {});
}

// safe: ldap-injection
export function findLdapUserSafe(client: ldap.Client, uid: string): void {
  const filter = new ldap.EqualityFilter({ attribute: "uid", value: uid });
  client.search("ou=people,dc=example,dc=com", { filter, scope: "sub" }, () => {});
}

// vuln: regex-injection
export function highlight(text: string, word: string): string {
  return text.replace(new RegExp(word, "g"), (m) => `<b>${m}</b>`);
}

// safe: regex-injection
export function highlightSafe(text: string, word: string): string {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(escaped, "g"), (m) => `<b>${m}</b>`);
}

// vuln: prototype-pollution
export function deepMerge(target: Record<string, any>, source: Record<string, any>): Record<string, any> {
  for (const key of Object.keys(source)) {
    if (typeof source[key] === "object" && source[key] !== null) {
      if (!target[key]) target[key] = {};
      deepMerge(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

// safe: prototype-pollution
export function deepMergeSafe(target: Record<string, any>, source: Record<string, any>): Record<string, any> {
  for (const key of Object.keys(source)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
    if (typeof source[key] === "object" && source[key] !== null) {
      if (!Object.prototype.hasOwnProperty.call(target, key)) target[key] = {};
      deepMergeSafe(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

// vuln: cleartext
export async function uploadReport(user: string, password: string, report: string): Promise<void> {
  await axios.post(`http://reports.example.com/upload`, report, { auth: { username: user, password } });
}

// safe: cleartext
export async function uploadReportSafe(user: string, password: string, report: string): Promise<void> {
  await axios.post(`https://reports.example.com/upload`, report, { auth: { username: user, password } });
}

// safe: sql-injection
export async function countByRole(pool: Pool, role: Role): Promise<number> {
  const table = role === "admin" ? "admins" : "members";
  const result = await pool.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(result.rows[0].n);
}

export class ReportService {
  constructor(private readonly pool: Pool, private readonly outDir: string) {}

  // vuln: sql-injection
  async reportsFor(owner: string) {
    return this.pool.query("SELECT * FROM reports WHERE owner = '" + owner + "' ORDER BY created");
  }

  // safe: sql-injection
  async reportsForSafe(owner: string) {
    return this.pool.query("SELECT * FROM reports WHERE owner = $1 ORDER BY created", [owner]);
  }

  // vuln: command-injection
  exportPdf(reportName: string): void {
    execSync(`wkhtmltopdf /srv/reports/${reportName}.html ${this.outDir}/${reportName}.pdf`);
  }

  // safe: command-injection
  exportPdfSafe(reportName: string): void {
    const name = path.basename(reportName);
    require("child_process").execFileSync("wkhtmltopdf", [`/srv/reports/${name}.html`, `${this.outDir}/${name}.pdf`]);
  }
}
