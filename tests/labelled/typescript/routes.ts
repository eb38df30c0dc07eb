// Express routes in TypeScript as an assistant writes them (labelled per function).
import express, { Request, Response, NextFunction } from "express";
import * as child_process from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Pool } from "pg";
import serialize from "node-serialize";
import libxmljs from "libxmljs";
import * as xpath from "xpath";
import { DOMParser } from "@xmldom/xmldom";
import cors from "cors";

const app = express();
const pool = new Pool();
const router = express.Router();

// vuln: xss
app.get("/hello", (req: Request, res: Response) => {
  const name = req.query.name as string;
  res.send("<h1>Hello " + name + "</h1>");
});

// safe: xss
app.get("/hello-safe", (req: Request, res: Response) => {
  const name = String(req.query.name ?? "");
  res.type("text/plain").send("Hello " + name);
});

// vuln: xss
router.get("/search", async (req: Request, res: Response) => {
  const q = req.query.q as string;
  res.status(200).send(`<p>No results for <em>${q}</em></p>`);
});

// safe: xss
router.get("/search-safe", async (req: Request, res: Response) => {
  const q = req.query.q as string;
  res.render("search", { query: q });
});

// vuln: open-redirect
app.get("/login/callback", (req: Request, res: Response) => {
  const next = req.query.next as string;
  res.redirect(next);
});

// safe: open-redirect
app.get("/login/callback-safe", (req: Request, res: Response) => {
  const next = (req.query.next as string) || "/";
  if (!next.startsWith("/") || next.startsWith("//")) {
    return res.redirect("/");
  }
  res.redirect(next);
});

// vuln: command-injection
app.post("/convert", (req: Request, res: Response) => {
  const { file, format } = req.body;
  child_process.exec(`convert uploads/${file} out.${format}`, (err, stdout) => {
    res.send(err ? "failed" : stdout);
  });
});

// safe: command-injection
app.post("/convert-safe", (req: Request, res: Response) => {
  const file = path.basename(String(req.body.file));
  const format = req.body.format === "png" ? "png" : "jpg";
  child_process.execFile("convert", [`uploads/${file}`, `out.${format}`], (err, stdout) => {
    res.send(err ? "failed" : stdout);
  });
});

// vuln: sql-injection
router.get("/users/:id", async (req: Request, res: Response) => {
  const { rows } = await pool.query("SELECT * FROM users WHERE id = '" + req.params.id + "'");
  res.json(rows);
});

// safe: sql-injection
router.get("/users-safe/:id", async (req: Request, res: Response) => {
  const { rows } = await pool.query("SELECT * FROM users WHERE id = $1", [req.params.id]);
  res.json(rows);
});

// vuln: sql-injection
router.get("/orders", async (req: Request, res: Response) => {
  const sort = req.query.sort as string;
  const { rows } = await pool.query(`SELECT * FROM orders WHERE status = 'open' ORDER BY ${sort}`);
  res.json(rows);
});

// safe: sql-injection
router.get("/orders-safe", async (req: Request, res: Response) => {
  const allowed: Record<string, string> = { date: "created_at", total: "total" };
  const column = allowed[String(req.query.sort)] ?? "created_at";
  const { rows } = await pool.query(`SELECT * FROM orders WHERE status = 'open' ORDER BY ${column}`);
  res.json(rows);
});

// vuln: path-traversal
app.get("/download", (req: Request, res: Response) => {
  const file = req.query.file as string;
  res.sendFile(path.join(__dirname, "files", file));
});

// safe: path-traversal
app.get("/download-safe", (req: Request, res: Response) => {
  const file = path.basename(req.query.file as string);
  res.sendFile(file, { root: path.join(__dirname, "files") });
});

// vuln: path-traversal
app.get("/logs", (req: Request, res: Response) => {
  fs.createReadStream("/var/log/app/" + req.query.name).pipe(res);
});

// vuln: ssrf
app.get("/proxy", async (req: Request, res: Response) => {
  const target = req.query.url as string;
  const upstream = await fetch(target);
  res.send(await upstream.text());
});

// safe: ssrf
app.get("/proxy-safe", async (req: Request, res: Response) => {
  const target = new URL(req.query.url as string);
  if (target.hostname !== "api.example.com") {
    return res.status(400).send("host not allowed");
  }
  const upstream = await fetch(`https://api.example.com${target.pathname}`);
  res.send(await upstream.text());
});

// vuln: deserialization
app.post("/prefs", (req: Request, res: Response) => {
  const prefs = serialize.unserialize(Buffer.from(req.cookies.prefs, "base64").toString());
  res.json(prefs);
});

// safe: deserialization
app.post("/prefs-safe", (req: Request, res: Response) => {
  const prefs = JSON.parse(Buffer.from(req.cookies.prefs, "base64").toString());
  res.json(prefs);
});

// vuln: xxe
app.post("/import", (req: Request, res: Response) => {
  const doc = libxmljs.parseXml(req.body.xml, { noent: true });
  res.json({ root: doc.root()?.name() });
});

// safe: xxe
app.post("/import-safe", (req: Request, res: Response) => {
  const doc = libxmljs.parseXml(req.body.xml, { noent: false, nonet: true });
  res.json({ root: doc.root()?.name() });
});

// vuln: xpath-injection
app.get("/catalog", (req: Request, res: Response) => {
  const doc = new DOMParser().parseFromString(fs.readFileSync("catalog.xml", "utf8"));
  const nodes = xpath.select("//book[author='" + req.query.author + "']/title", doc as any);
  res.json(nodes.length);
});

// safe: xpath-injection
app.get("/catalog-safe", (req: Request, res: Response) => {
  const doc = new DOMParser().parseFromString(fs.readFileSync("catalog.xml", "utf8"));
  const nodes = xpath.select("//book/title", doc as any);
  res.json(nodes.length);
});

// vuln: insecure-cookie
app.post("/session", (req: Request, res: Response) => {
  res.cookie("session", req.body.sessionId, { httpOnly: false, secure: false });
  res.sendStatus(204);
});

// safe: insecure-cookie
app.post("/session-safe", (req: Request, res: Response) => {
  res.cookie("session", req.body.sessionId, { httpOnly: true, secure: true, sameSite: "strict" });
  res.sendStatus(204);
});

// vuln: trust-boundary
app.post("/impersonate", (req: Request, res: Response) => {
  (req as any).session.role = req.body.role;
  res.sendStatus(204);
});

// safe: trust-boundary
app.post("/theme", (req: Request, res: Response) => {
  (req as any).session.theme = req.body.theme === "dark" ? "dark" : "light";
  res.sendStatus(204);
});

// vuln: cors
app.use(cors({ origin: true, credentials: true }));

// safe: cors
app.use("/public", cors({ origin: "https://app.example.com", credentials: true }));

// vuln: code-injection
app.post("/rules", (req: Request, res: Response) => {
  const vm = require("vm");
  const result = vm.runInNewContext(req.body.rule, { order: req.body.order });
  res.json({ result });
});

// safe: code-injection
app.post("/rules-safe", (req: Request, res: Response) => {
  const rules: Record<string, (total: number) => boolean> = { big: (t) => t > 100, small: (t) => t <= 100 };
  const rule = rules[String(req.body.rule)];
  res.json({ result: rule ? rule(Number(req.body.total)) : false });
});

// vuln: regex-injection
app.get("/filter", (req: Request, res: Response) => {
  const re = new RegExp(String(req.query.pattern));
  res.json(["alpha", "beta"].filter((s) => re.test(s)));
});

// safe: xss
app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
  res.status(500).json({ error: "internal error" });
});

export default app;
