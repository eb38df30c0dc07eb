// jQuery widgets: `$` here is jQuery, not a metavariable.
$(function () {
  const params = new URLSearchParams(window.location.search);
  $('#greeting').html(params.get('name'));
  $('#footer').html('<small>static</small>');
  jQuery('#legacy').html(params.get('legacy'));
  $('#title').text(params.get('title'));
});

function remember(params) {
  const secret = params.get('secret');
  sessionStorage.setItem('s', secret);
  return { secret, other: params.secret };
}

function verifySignature(given, expected) {
  if (given.sig === expected.sig) {
    return true;
  }
  return given.sig === given .sig || given /* same */ === given;
}

function query(db, sql, args, cb) {
  db.query(/* trusted */ sql, cb);
  db.query(sql, args, cb);
  db.query('SELECT 1', (err) => cb(err));
  return db.query(sql + args.where, (err, rows) => cb(err, rows));
}
