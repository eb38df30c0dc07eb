import DOMPurify from "dompurify";
import { marked } from "marked";

const FOOTER_HTML = "<p>&copy; Example Inc.</p>";

export function Post({ post, query }) {
  return (
    <article>
      <div
        className="post-body"
        // ruleid: js-react-dangerous-html
        dangerouslySetInnerHTML={{ __html: post.body }}
      />
      <section
        // ruleid: js-react-dangerous-html
        dangerouslySetInnerHTML={{ __html: marked(post.markdown) }}
      />
      <h2
        // ruleid: js-react-dangerous-html
        dangerouslySetInnerHTML={{ __html: `Results for <b>${query}</b>` }}
      />
      <div
        // ok: js-react-dangerous-html
        dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(post.body) }}
      />
      <footer
        // ok: js-react-dangerous-html
        dangerouslySetInnerHTML={{ __html: FOOTER_HTML }}
      />
      <p
        // ok: js-react-dangerous-html
        title={post.title}
      >
        {post.body}
      </p>
      <hr
        // ok: js-react-dangerous-html
        dangerouslySetInnerHTML={{ __html: "<span>&mdash;</span>" }}
      />
    </article>
  );
}
