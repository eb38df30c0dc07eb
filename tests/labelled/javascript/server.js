// Express handlers (labelled per function).
const express = require('express');
const { exec } = require('child_process');
const app = express();

// vuln: xss
app.get('/hello', (req, res) => {
  res.send('<h1>Hello ' + req.query.name + '</h1>');
});

// safe: xss
app.get('/hello2', (req, res) => {
  const escapeHtml = require('escape-html');
  res.send('<h1>Hello ' + escapeHtml(req.query.name) + '</h1>');
});

// vuln: xss
function renderComment(el, comment) {
  el.innerHTML = '<p>' + comment + '</p>';
}

// safe: xss
function renderCommentSafe(el, comment) {
  el.textContent = comment;
}

// vuln: open-redirect
app.get('/login/done', (req, res) => {
  res.redirect(req.query.next);
});

// safe: open-redirect
app.get('/login/done2', (req, res) => {
  const next = req.query.next;
  res.redirect(['/home', '/account'].includes(next) ? next : '/home');
});

// vuln: trust-boundary
app.post('/prefs', (req, res) => {
  req.session.role = req.body.role;
  res.sendStatus(204);
});

// safe: trust-boundary
app.post('/prefs2', (req, res) => {
  req.session.theme = req.body.theme === 'dark' ? 'dark' : 'light';
  res.sendStatus(204);
});

// vuln: insecure-cookie
app.get('/remember', (req, res) => {
  res.cookie('session', req.sessionID, { secure: false, httpOnly: false });
  res.send('ok');
});

// safe: insecure-cookie
app.get('/remember2', (req, res) => {
  res.cookie('session', req.sessionID, { secure: true, httpOnly: true, sameSite: 'lax' });
  res.send('ok');
});

// vuln: command-injection
app.get('/ping', (req, res) => {
  exec('ping -c 1 ' + req.query.host, (err, out) => res.send(out));
});

// safe: command-injection
app.get('/ping2', (req, res) => {
  require('child_process').execFile('ping', ['-c', '1', String(req.query.host)], (err, out) => res.send(out));
});

// vuln: cleartext
async function login(user, password) {
  return fetch('http://auth.example.com/login', { method: 'POST', body: JSON.stringify({ user, password }) });
}

// safe: cleartext
async function loginSafe(user, password) {
  return fetch('https://auth.example.com/login', { method: 'POST', body: JSON.stringify({ user, password }) });
}

// vuln: deserialization
function restoreSession(cookieValue) {
  const serialize = require('node-serialize');
  return serialize.unserialize(Buffer.from(cookieValue, 'base64').toString());
}

// safe: deserialization
function restoreSessionSafe(cookieValue) {
  return JSON.parse(Buffer.from(cookieValue, 'base64').toString());
}

// vuln: xxe
function parseXml(xml) {
  const libxmljs = require('libxmljs');
  return libxmljs.parseXml(xml, { noent: true });
}

// safe: xxe
function parseXmlSafe(xml) {
  const libxmljs = require('libxmljs');
  return libxmljs.parseXml(xml);
}

module.exports = app;
