const axios = require('axios');

async function uploadReport(user, password, report) {
  // ruleid: js-cleartext-credentials
  await axios.post('http://reports.example.com/upload', report, { auth: { username: user, password } });
}

async function uploadReportTls(user, password, report) {
  // ok: js-cleartext-credentials
  await axios.post('https://reports.example.com/upload', report, { auth: { username: user, password } });
}

async function listOrders(apiKey) {
  // ruleid: js-cleartext-credentials
  const res = await fetch(`http://api.example.com/orders?limit=10`, { headers: { 'X-Api-Key': apiKey } });
  return res.json();
}

async function login(username, password) {
  // ruleid: js-cleartext-credentials
  return fetch('http://auth.example.com/login', { method: 'POST', body: JSON.stringify({ username, password }) });
}

async function localLogin(username, password) {
  // ok: js-cleartext-credentials
  return fetch('http://localhost:3000/login', { method: 'POST', body: JSON.stringify({ username, password }) });
}

async function publicPage() {
  // ok: js-cleartext-credentials
  return (await fetch('http://example.com/index.html')).text();
}

module.exports = { uploadReport, uploadReportTls, listOrders, login, localLogin, publicPage };
