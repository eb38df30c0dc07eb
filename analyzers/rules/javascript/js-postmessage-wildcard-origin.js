function shareSession(popup, session) {
  // ruleid: js-postmessage-wildcard-origin
  popup.postMessage({ token: session.accessToken }, "*");
}

function reportLogin(user) {
  // ruleid: js-postmessage-wildcard-origin
  window.parent.postMessage({ type: "login", email: user.email }, '*');
}

function shareSessionOk(popup, session) {
  // ok: js-postmessage-wildcard-origin
  popup.postMessage({ token: session.accessToken }, "https://app.example.com");
}

function reply(event, result) {
  // ok: js-postmessage-wildcard-origin
  event.source.postMessage(result, event.origin);
  // ok: js-postmessage-wildcard-origin
  worker.postMessage(result, [result.buffer]);
}
