// Express handler: after a successful login, go back where the user came from.
function afterLogin(req, res) {
  const next = req.query.next || '/';
  // Only paths on this site: "/x" but not "//host" or "/\host".
  const safe = typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\');
  res.redirect(safe ? next : '/');
}

module.exports = { afterLogin };
