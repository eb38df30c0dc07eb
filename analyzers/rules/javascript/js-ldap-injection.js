const express = require('express');
const ldap = require('ldapjs');

const app = express();
const client = ldap.createClient({ url: 'ldaps://ldap.example.com' });

app.post('/login', (req, res) => {
  const opts = {
    filter: '(&(uid=' + req.body.username + ')(objectClass=person))',
    scope: 'sub',
  };
  // ruleid: js-ldap-injection
  client.search('ou=people,dc=example,dc=com', opts, (err, result) => res.json({ ok: !err }));
});

app.get('/people', (req, res) => {
  // ruleid: js-ldap-injection
  client.search('ou=people,dc=example,dc=com', { filter: `(cn=${req.query.q}*)`, scope: 'sub' }, (err) => res.end());
});

function findUser(ldapClient, uid, done) {
  // ruleid: js-ldap-injection
  ldapClient.search('dc=example,dc=com', '(uid=' + uid + ')', done);
}

function findUserSafe(ldapClient, uid, done) {
  const filter = new ldap.EqualityFilter({ attribute: 'uid', value: uid });
  // ok: js-ldap-injection
  ldapClient.search('dc=example,dc=com', { filter, scope: 'sub' }, done);
}

function allPeople(ldapClient, done) {
  // ok: js-ldap-injection
  ldapClient.search('dc=example,dc=com', { filter: '(objectClass=person)', scope: 'sub' }, done);
}

function searchIndex(index, term) {
  // ok: js-ldap-injection
  return index.search('title:' + term);
}

function filterRows(rows, q) {
  // ok: js-ldap-injection
  return rows.filter((r) => r.name.includes(q)).map((r) => ({ filter: q + '*' }));
}

module.exports = { app, findUser, findUserSafe, allPeople, searchIndex, filterRows };
