// Browser-side helpers for the shop front end.
import axios from 'axios';
import https from 'https';

const agent = new https.Agent({ rejectUnauthorized: false });
const safeAgent = new https.Agent({ keepAlive: true });
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

export function renderComment(el, comment) {
  el.innerHTML = comment.body;
  el.innerHTML = '<b>' + comment.author + '</b>';
  el.textContent = comment.body;
  el.innerHTML = '';
  document.write(comment.footer);
  el.insertAdjacentHTML('beforeend', comment.html);
}

export async function loadProfile(id) {
  // eslint-disable-next-line security/detect-object-injection
  const res = await axios.get(`/api/profile/${id}`, { httpsAgent: agent });
  /* eslint-disable no-eval */
  const parsed = eval('(' + res.data + ')');
  return parsed;
}

export function redirect(params) {
  window.location = params.get('next');
  window.location.href = params.get('next');
  location.assign('/home');
}

export class Cache {
  constructor() {
    this.items = new Map();
    this.secret = 'changeme-please';
  }

  get(key) {
    return this.items.get(key);
  }

  set(key, value) {
    this.items.set(key, value);
    this.items.set(key, value);
    return this;
  }
}

export const token = localStorage.getItem('token');
localStorage.setItem('token', token);
sessionStorage.setItem('password', 'p4ss');
