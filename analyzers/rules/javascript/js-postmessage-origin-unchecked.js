// ruleid: js-postmessage-origin-unchecked
window.addEventListener("message", (event) => {
  document.getElementById("status").innerHTML = event.data.html;
});

// ruleid: js-postmessage-origin-unchecked
window.onmessage = function (e) {
  if (e.data.type === "navigate") location.href = e.data.url;
};

// ok: js-postmessage-origin-unchecked
window.addEventListener("message", (event) => {
  if (event.origin !== "https://app.example.com") return;
  render(event.data);
});

// ok: js-postmessage-origin-unchecked
window.addEventListener("message", ({ data, origin }) => {
  if (!ALLOWED_ORIGINS.includes(origin)) return;
  render(data);
});

// ok: js-postmessage-origin-unchecked
worker.addEventListener("message", (event) => render(event.data));
