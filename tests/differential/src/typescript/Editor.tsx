import React from 'react';

interface EditorProps {
  value: string;
  preview: string;
  onChange: (v: string) => void;
}

export default function Editor({ value, preview, onChange }: EditorProps) {
  const props = { dangerouslySetInnerHTML: { __html: preview } };
  return (
    <section>
      {/* live preview of the user's markdown */}
      <div {...props} />
      <div
        className="preview"
        // rendered on the server already
        dangerouslySetInnerHTML={{ __html: preview }}
      />
      <textarea value={value} onChange={(e) => onChange(e.target.value)} />
      <a href={`javascript:${value}`}>run</a>
      <a href={'https://example.com/' + value} target="_blank" rel="noreferrer">open</a>
    </section>
  );
}
