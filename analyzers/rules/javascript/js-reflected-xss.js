const express = require('express');
const escapeHtml = require('escape-html');

const app = express();

app.get('/hello', (req, res) => {
  // ruleid: js-reflected-xss
  res.send('<h1>Hello ' + req.query.name + '</h1>');
});

app.get('/search', (req, res) => {
  const q = req.query.q;
  // ruleid: js-reflected-xss
  res.status(200).send(`<p>No results for <em>${q}</em></p>`);
});

app.get('/profile/:user', (req, res) => {
  res.write('<html><body>');
  // ruleid: js-reflected-xss
  res.write('<h2>' + req.params.user + '</h2>');
  res.end('</body></html>');
});

app.get('/hello-safe', (req, res) => {
  // ok: js-reflected-xss
  res.send('<h1>Hello ' + escapeHtml(req.query.name) + '</h1>');
});

app.get('/hello-text', (req, res) => {
  res.set('Content-Type', 'text/plain');
  // ok: js-reflected-xss
  res.send('<h1>Hello ' + req.query.name);
});

app.get('/echo', (req, res) => {
  // ok: js-reflected-xss
  res.json({ message: 'Hello ' + req.query.name });
});

app.get('/count', (req, res) => {
  // ok: js-reflected-xss
  res.send('<p>' + Number(req.query.n) * 2 + '</p>');
});

app.get('/render', (req, res) => {
  // ok: js-reflected-xss
  res.render('hello', { name: req.query.name });
});

module.exports = app;
