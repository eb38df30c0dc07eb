import DOMPurify from "dompurify";

const EMPTY_STATE = "<p>No results</p>";

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderResults(container, results) {
  const params = new URLSearchParams(location.search);
  const query = params.get("q");
  // ruleid: js-dom-xss
  container.innerHTML = `<h2>Results for ${query}</h2>`;
  // ruleid: js-dom-xss
  document.write(location.hash.slice(1));
  // ruleid: js-dom-xss
  container.insertAdjacentHTML("beforeend", `<a href="${params.get("next")}">next</a>`);
  // ok: js-dom-xss
  container.innerHTML = "";
  // ok: js-dom-xss
  container.innerHTML = EMPTY_STATE;
  // ok: js-dom-xss
  container.textContent = `Results for ${query}`;
  // ok: js-dom-xss
  container.innerHTML = `<h2>Results for ${escapeHtml(query)}</h2><p>${results.length} found</p>`;
  // In code an assistant wrote, the caller's `results` are untrusted (taint.parameters: ai).
  // ruleid: js-dom-xss
  container.innerHTML = `<ul>${results.map((r) => `<li>${r.rank}</li>`).join("")}</ul>`;
}

export async function showProfile(el, id) {
  const res = await fetch(`/api/users/${encodeURIComponent(id)}`);
  const user = await res.json();
  // ruleid: js-dom-xss
  el.querySelector(".bio").innerHTML = user.bio;
  // ok: js-dom-xss
  el.querySelector(".bio-safe").innerHTML = DOMPurify.sanitize(user.bio);
  // ok: js-dom-xss
  el.querySelector(".name").textContent = user.name;
}

window.addEventListener("message", (event) => {
  if (event.origin !== "https://app.example.com") return;
  // ruleid: js-dom-xss
  $("#status").html(event.data.statusHtml);
});

export function decorate(block) {
  const buttons = document.createElement("div");
  // ok: js-dom-xss
  buttons.innerHTML = '<button title="Show hidden lines" aria-label="Show hidden lines"></button>';
  // ok: js-dom-xss
  buttons.firstChild.innerHTML = document.getElementById("fa-eye").innerHTML;
  block.appendChild(buttons);
}
