const express = require('express');
const xpath = require('xpath');
const { DOMParser } = require('@xmldom/xmldom');
const libxmljs = require('libxmljs');
const fs = require('fs');

const app = express();
const users = new DOMParser().parseFromString(fs.readFileSync('users.xml', 'utf8'));

app.post('/login', (req, res) => {
  const { name, password } = req.body;
  // ruleid: js-xpath-injection
  const hits = xpath.select("//user[@name='" + name + "' and @password='" + password + "']", users);
  res.json({ ok: hits.length > 0 });
});

app.get('/books', (req, res) => {
  // ruleid: js-xpath-injection
  const title = xpath.select1(`//book[author='${req.query.author}']/title/text()`, users);
  res.send(String(title));
});

app.get('/books-safe', (req, res) => {
  // ok: js-xpath-injection
  const nodes = xpath.parse('//book[author=$author]/title').select({ node: users, variables: { author: req.query.author } });
  res.json(nodes.length);
});

function emailOf(doc, userId) {
  // ruleid: js-xpath-injection
  const node = doc.get("//user[@id='" + userId + "']/email");
  return node && node.text();
}

function emailOfSafe(doc, userId) {
  // ok: js-xpath-injection
  const all = doc.find('//user');
  return all.filter((u) => u.attr('id').value() === userId);
}

function countActive(doc) {
  // ok: js-xpath-injection
  return xpath.select("//user[@active='true']", doc).length;
}

function lookup(cache, key) {
  // ok: js-xpath-injection
  return cache.get('/users/' + key);
}

function highlight(rootEl, name) {
  // ruleid: js-xpath-injection
  return document.evaluate(".//span[text()='" + name + "']", rootEl, null, XPathResult.ANY_TYPE, null);
}

function firstMatch(items, name) {
  // ok: js-xpath-injection
  return items.find((i) => i.name === name);
}

module.exports = { app, emailOf, emailOfSafe, countActive, lookup, highlight, firstMatch, libxmljs };
