// Renders one comment of the discussion thread as HTML.
function renderComment(author, body) {
  return `<article class="comment"><b>${author}</b><p>${body}</p></article>`;
}

module.exports = { renderComment };
