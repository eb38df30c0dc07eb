'use strict';
const express = require('express');
const { exec, execFile, spawn } = require('child_process');
const crypto = require('crypto');
const mysql = require('mysql');
const jwt = require('jsonwebtoken');

const app = express();
const db = mysql.createConnection({ host: 'localhost', user: 'shop' });
const API_SECRET = 'c2VjcmV0LWtleS1kby1ub3Qtc2hpcA==';
const port = process.env.PORT || 3000;

app.get('/user', (req, res) => {
  const id = req.query.id;
  db.query('SELECT * FROM users WHERE id = ' + id, (err, rows) => res.json(rows));
  db.query(`SELECT * FROM users WHERE name = '${req.query.name}'`, (err, rows) => res.json(rows));
  db.query('SELECT * FROM users WHERE id = ?', [id], (err, rows) => res.json(rows));
  db.query('SELECT count(*) FROM users');
});

app.get('/ping', function (req, res) {
  const host = req.query.host;
  exec('ping -c 1 ' + host, (err, out) => res.send(out));
  exec(`nslookup ${host}`);
  execFile('ping', ['-c', '1', host], (err, out) => res.send(out));
  spawn('ls', ['-l'], { shell: true });
  exec('uptime');
});

app.post('/calc', (req, res) => {
  const result = eval(req.body.expr);
  const fn = new Function('a', 'b', req.body.code);
  setTimeout('refresh()', 1000);
  setTimeout(() => refresh(), 1000);
  res.send(String(result + fn(1, 2)));
});

function hashPassword(pw) {
  return crypto.createHash('md5').update(pw).digest('hex');
}

function checksum(buf) {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

function makeToken() {
  return Math.random().toString(36).slice(2);
}

function jitter(ms) {
  return ms + Math.floor(Math.random() * 100);
}

function verify(token) {
  const a = jwt.verify(token, API_SECRET, { algorithms: ['none', 'HS256'] });
  const b = jwt.decode(token);
  const c = jwt.verify(token, API_SECRET, { algorithms: ['HS256'] });
  return a && b && c;
}

function sameOrigin(a, b) {
  if (a.origin === a.origin) {
    return true;
  }
  return a.origin === b.origin;
}

app.use((req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  next();
});

app.listen(port, () => console.log(`listening on ${port}`));
