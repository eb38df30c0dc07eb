app.post("/login", async (req, res) => {
  await login(req.body.user, req.body.password);
  // ruleid: js-open-redirect
  res.redirect(req.query.next || "/");
});

app.get("/sso/callback", (req, res) => {
  const returnTo = req.cookies.returnTo;
  // ruleid: js-open-redirect
  res.redirect(302, returnTo);
});

function goBack() {
  const target = new URLSearchParams(location.search).get("return");
  // ruleid: js-open-redirect
  window.location.href = target;
}

app.get("/items/:id/edit", (req, res) => {
  // ok: js-open-redirect
  res.redirect(`/items/${encodeURIComponent(req.params.id)}`);
  // ok: js-open-redirect
  res.redirect("/dashboard");
});

function goHome() {
  // ok: js-open-redirect
  window.location.href = "/";
}

app.get("/bounce", (req, res) => {
  // ruleid: js-open-redirect
  res.redirect("/" + req.query.to);
});

function openDoc() {
  const code = location.hash.slice(1);
  // ok: js-open-redirect
  window.location.replace("./error_codes/" + code + ".html");
}

app.get("/continue", (req, res) => {
  const next = String(req.query.next || "/");
  if (!next.startsWith("/") || next.startsWith("//")) return res.redirect("/");
  // ok: js-open-redirect
  res.redirect(next);
});
