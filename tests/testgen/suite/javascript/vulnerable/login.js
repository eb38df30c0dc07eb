// Express handler: after a successful login, go back where the user came from.
function afterLogin(req, res) {
  const next = req.query.next || '/';
  res.redirect(next);
}

module.exports = { afterLogin };
