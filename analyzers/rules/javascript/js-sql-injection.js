const mysql = require("mysql2/promise");
const { Pool } = require("pg");

const pool = new Pool();
const USERS = "users";

async function search(req, res, db, prisma) {
  const { name, sort } = req.query;
  // ruleid: js-sql-injection
  const users = await pool.query(`SELECT * FROM users WHERE name = '${name}'`);
  // ruleid: js-sql-injection
  db.query("DELETE FROM sessions WHERE token = '" + req.cookies.session + "'", () => {});
  // ruleid: js-sql-injection
  const rows = await prisma.$queryRawUnsafe(`SELECT id FROM orders WHERE status = ${req.query.status}`);

  let sql = "SELECT * FROM products WHERE 1 = 1";
  sql += ` AND category = '${req.query.category}'`;
  // ruleid: js-sql-injection
  const [products] = await db.execute(sql);

  const q = `UPDATE users SET email = '${req.body.email}' WHERE id = ${req.user.id}`;
  // ruleid: js-sql-injection
  await db.query(q);

  // ok: js-sql-injection
  const safe = await pool.query("SELECT * FROM users WHERE name = $1", [name]);
  // ok: js-sql-injection
  const [byId] = await db.execute("SELECT * FROM users WHERE id = ?", [req.params.id]);
  // ok: js-sql-injection
  const tagged = await prisma.$queryRaw`SELECT * FROM users WHERE name = ${name}`;
  const ids = req.body.ids;
  // ok: js-sql-injection
  const many = await db.query(`SELECT * FROM users WHERE id IN (${ids.map(() => "?").join(",")})`, ids);
  // ok: js-sql-injection
  const count = await pool.query(`SELECT COUNT(*) FROM ${USERS}`);
  // ok: js-sql-injection
  const limited = await pool.query(`SELECT * FROM logs ORDER BY ts DESC LIMIT ${Number(req.query.n)}`);
  // ok: js-sql-injection
  const escaped = await db.query(`SELECT * FROM users WHERE name = ${mysql.escape(name)}`);
  const label = `Select a ${sort} from the list`;
  // ok: js-sql-injection
  const match = label.match(/Select/);
  const table = req.params.table === "archive" ? "orders_archive" : "orders";
  // ok: js-sql-injection
  const recent = await pool.query(`SELECT * FROM ${table} WHERE created_at > $1`, [req.query.since]);
  // ruleid: js-sql-injection
  const sorted = await pool.query(`SELECT * FROM products ORDER BY ${sort}`);
  res.json({ recent, sorted, users, rows, products, safe, byId, tagged, many, count, limited, escaped, match });
}

module.exports = { search };

// Route handlers name their request parameter freely (Express, Fastify).
app.post("/users/:id/email", async (request, response) => {
  // ruleid: js-sql-injection
  await pool.query(`UPDATE users SET email = '${request.body.email}' WHERE id = ${request.params.id}`);
  response.sendStatus(204);
});

router.get("/search", function (incoming, reply) {
  // ruleid: js-sql-injection
  pool.query("SELECT * FROM items WHERE name = '" + incoming.query.q + "'");
  reply.end();
});

// fetch's Request is outgoing data, not the client's; a callback that is no route handler.
async function auditFetch() {
  const request = new Request("https://api.example.com/items");
  // ok: js-sql-injection
  await pool.query(`INSERT INTO fetch_log (url) VALUES ('${request.url}')`);
  jobs.forEach((job) => {
    // ok: js-sql-injection
    pool.query(`DELETE FROM jobs WHERE path = '${job.path}'`);
  });
}
