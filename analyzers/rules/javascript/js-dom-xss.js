import DOMPurify from "dompurify";

const EMPTY_STATE = "<p>No results</p>";

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderResults(container, results, params) {
  const query = params.get("q");
  // ruleid: js-dom-xss
  container.innerHTML = `<h2>Results for ${query}</h2>`;
  for (const r of results) {
    // ruleid: js-dom-xss
    container.innerHTML += "<li>" + r.title + "</li>";
  }
  // ruleid: js-dom-xss
  document.getElementById("bio").innerHTML = results[0].bio;
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
  container.innerHTML = DOMPurify.sanitize(results[0].bio);
  // ok: js-dom-xss
  container.innerHTML = `<h2>Results for ${escapeHtml(query)}</h2><p>${results.length} found</p>`;
  // ok: js-dom-xss
  container.insertAdjacentHTML("beforeend", "<hr>");
  // ok: js-dom-xss
  document.writeln("<p>loading</p>");
}

export function decorate(block) {
  const buttons = document.createElement("div");
  // ok: js-dom-xss
  buttons.innerHTML = '<button title="Show hidden lines" \
aria-label="Show hidden lines"></button>';
  // ok: js-dom-xss
  buttons.firstChild.innerHTML = document.getElementById("fa-eye").innerHTML;
  block.appendChild(buttons);
}

export function probe(el) {
  // ok: js-dom-xss
  el.innerHTML = "<a href='' disabled='disabled'></a>" +
    "<select disabled='disabled'><option/></select>";
}
