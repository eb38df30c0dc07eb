// Browser code for the file-sharing dashboard. See examples/README.md.
import DOMPurify from "dompurify";

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function renderFiles(listEl) {
  const params = new URLSearchParams(location.search);
  const folder = params.get("folder") || "";
  const res = await fetch(`/files?folder=${encodeURIComponent(folder)}`);
  const files = await res.json();

  document.getElementById("title").innerHTML = `<h1>Files in ${folder}</h1>`;
  for (const f of files) {
    listEl.innerHTML += "<li><a href='/files/" + f.id + "'>" + f.name + "</a></li>";
  }
  // Safe look-alikes: text, escaped or sanitized HTML, constants.
  document.getElementById("count").textContent = `${files.length} files`;
  document.getElementById("crumb").innerHTML = `<span>${escapeHtml(folder)}</span>`;
  document.getElementById("notes").innerHTML = DOMPurify.sanitize(files[0] ? files[0].notes : "");
  document.getElementById("footer").innerHTML = "<small>Shared with care</small>";
}

export function applyFilter(expr, files) {
  // eslint-disable-next-line no-eval
  return files.filter((f) => eval(expr));
}

export function scheduleRefresh(panel) {
  setTimeout("refreshPanel('" + panel + "')", 5000);
  // Safe look-alike: a callback, not a string.
  setTimeout(() => window.refreshPanel(panel), 5000);
}
