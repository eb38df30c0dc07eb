// Session cookies set in different styles: comments and trailing commas inside the call,
// nested calls, and non-ASCII text before a match on the same line.
const express = require('express');
const app = express();

app.post('/login', (req, res) => {
  const token = issue(req.body.user);
  res.cookie('session', token);
  res.cookie('session', /* signed elsewhere */ token);
  res.cookie('session', token,);
  res.cookie('session',
    // the raw token
    token);
  res.cookie('session', token, { httpOnly: true, secure: true, sameSite: 'strict' });
  res.cookie(res.cookie('prefs', req.body.prefs), 'x');
  const greeting = 'héllo 👋 — welcome'; res.cookie('greeting', greeting);
  res.send('ok');
});

app.get('/debug', (req, res) => {
  if (req.query.a == req.query.b) {
    res.send(eval(eval(req.query.code)));
  }
  const same = req.query.a == req.query.a;
  res.send(String(same));
});

module.exports = app;
