// Order lookups for the support dashboard (node-postgres pool passed in).
async function findOrders(pool, customerEmail) {
  const sql = "SELECT id, total, status FROM orders WHERE email = '" + customerEmail + "' ORDER BY id DESC";
  const result = await pool.query(sql);
  return result.rows;
}

module.exports = { findOrders };
