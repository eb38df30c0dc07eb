import React, { useEffect, useState } from 'react';

type Props = { bio: string; website: string; avatarUrl: string };

export function Profile({ bio, website, avatarUrl }: Props) {
  const [html, setHtml] = useState<string>('');
  useEffect(() => {
    fetch('/api/bio').then((r) => r.text()).then(setHtml);
  }, []);
  return (
    <div className="profile">
      <div dangerouslySetInnerHTML={{ __html: bio }} />
      <div dangerouslySetInnerHTML={{ __html: html }}></div>
      <a href={website} target="_blank">site</a>
      <a href={website} target="_blank" rel="noopener noreferrer">safe</a>
      <img src={avatarUrl} alt="" />
      <iframe src={website} />
    </div>
  );
}

export function Comment({ text }: { text: string }) {
  // @ts-ignore
  const clean: string = window.DOMPurify.sanitize(text);
  return <p dangerouslySetInnerHTML={{ __html: clean }} />;
}

export const Banner = ({ message }: { message: string }) => <span>{message}</span>;
