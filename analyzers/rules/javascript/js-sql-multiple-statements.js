const mysql = require("mysql2/promise");

const pool = mysql.createPool({
  host: process.env.DB_HOST,
  user: process.env.DB_USER,
  password: process.env.DB_PASSWORD,
  // ruleid: js-sql-multiple-statements
  multipleStatements: true,
});

const config = {
  // ruleid: js-sql-multiple-statements
  "multipleStatements": true,
  connectionLimit: 5,
};

const safePool = mysql.createPool({
  host: process.env.DB_HOST,
  // ok: js-sql-multiple-statements
  multipleStatements: false,
});

// ok: js-sql-multiple-statements
const migrations = { multipleStatementsAllowed: true };
