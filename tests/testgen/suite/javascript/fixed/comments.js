// Renders one comment of the discussion thread as HTML.
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function renderComment(author, body) {
  return `<article class="comment"><b>${escapeHtml(author)}</b><p>${escapeHtml(body)}</p></article>`;
}

module.exports = { renderComment };
