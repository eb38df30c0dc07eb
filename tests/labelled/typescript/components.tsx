// React components in TSX as an assistant writes them (labelled per function).
import React, { useEffect, useRef } from "react";

interface CommentProps {
  body: string;
  author: string;
}

// vuln: xss
export function Comment({ body, author }: CommentProps) {
  return (
    <div className="comment">
      <strong>{author}</strong>
      <div dangerouslySetInnerHTML={{ __html: body }} />
    </div>
  );
}

// safe: xss
export function CommentSafe({ body, author }: CommentProps) {
  return (
    <div className="comment">
      <strong>{author}</strong>
      <p>{body}</p>
    </div>
  );
}

// vuln: xss
export function SearchBanner() {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const q = new URLSearchParams(window.location.search).get("q") ?? "";
    if (ref.current) ref.current.innerHTML = "Results for " + q;
  }, []);
  return <div ref={ref} />;
}

// safe: xss
export function SearchBannerSafe() {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const q = new URLSearchParams(window.location.search).get("q") ?? "";
    if (ref.current) ref.current.textContent = "Results for " + q;
  }, []);
  return <div ref={ref} />;
}

// vuln: open-redirect
export function goToReturnUrl(): void {
  const target = new URLSearchParams(window.location.search).get("returnUrl");
  if (target) window.location.href = target;
}

// safe: open-redirect
export function goToReturnUrlSafe(): void {
  const target = new URLSearchParams(window.location.search).get("returnUrl") ?? "/";
  window.location.href = target.startsWith("/") && !target.startsWith("//") ? target : "/";
}

// vuln: weak-random
export function makeCsrfToken(): string {
  return Math.random().toString(36).slice(2);
}

// safe: weak-random
export function makeCsrfTokenSafe(): string {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// vuln: postmessage
export function listenForLogin(onToken: (t: string) => void): void {
  window.addEventListener("message", (event: MessageEvent) => {
    onToken(event.data.token);
  });
}

// safe: postmessage
export function listenForLoginSafe(onToken: (t: string) => void): void {
  window.addEventListener("message", (event: MessageEvent) => {
    if (event.origin !== "https://auth.example.com") return;
    onToken(event.data.token);
  });
}
