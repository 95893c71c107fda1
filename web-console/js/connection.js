// The advisor WebSocket: login (password or token), requests matched by `ref`, events to
// listeners, reconnect with backoff, a client-side rate limit under the server's flood limit,
// and an outbox that resends unacknowledged messages with the same client_id after a drop.

import { language } from './i18n.js';

const TOKEN_KEY = 'helpline.console.token';
const REQUEST_TIMEOUT_MS = 15000;

export class ProtocolError extends Error {
  constructor(code, message) { super(message || code); this.code = code; }
}

export class Connection {
  constructor() {
    this.ws = null;
    this.state = 'idle'; // idle | connecting | open | logged_in | closed
    this.listeners = new Map();
    this.pending = new Map();
    this.nextRef = 1;
    this.sendQueue = [];
    this.tokens = 12;
    this.lastRefill = performance.now();
    this.pumpTimer = null;
    this.backoff = 500;
    this.reconnectTimer = null;
    this.wanted = false;
    this.outbox = new Map(); // client_id -> request
  }

  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
    return () => this.listeners.get(type).delete(fn);
  }

  emit(type, payload) {
    for (const fn of this.listeners.get(type) || []) {
      try { fn(payload); } catch (e) { console.error('listener failed', type, e && e.message); }
    }
  }

  static storedToken() { return sessionStorage.getItem(TOKEN_KEY); }
  static forgetToken() { sessionStorage.removeItem(TOKEN_KEY); }

  url() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${location.host}/ws/advisor`;
  }

  // Opens the socket; resolves when it is open.
  open() {
    this.wanted = true;
    if (this.ws && (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)) {
      return this.opened;
    }
    this.setState('connecting');
    const ws = new WebSocket(this.url());
    this.ws = ws;
    this.opened = new Promise((resolve, reject) => {
      ws.addEventListener('open', () => {
        this.backoff = 500;
        this.setState('open');
        resolve();
      }, { once: true });
      ws.addEventListener('close', () => reject(new ProtocolError('disconnected')), { once: true });
    });
    this.opened.catch(() => {});
    ws.addEventListener('message', (ev) => this.onFrame(ev.data));
    ws.addEventListener('close', (ev) => this.onClose(ws, ev));
    return this.opened;
  }

  setState(state) {
    this.state = state;
    this.emit('state', state);
  }

  onFrame(data) {
    let frame;
    try { frame = JSON.parse(data); } catch { return; }
    if (!frame || typeof frame.type !== 'string') return;
    if (frame.ref !== undefined && this.pending.has(String(frame.ref))) {
      const p = this.pending.get(String(frame.ref));
      this.pending.delete(String(frame.ref));
      clearTimeout(p.timer);
      if (frame.type === 'error') p.reject(new ProtocolError(frame.code, frame.message));
      else p.resolve(frame);
      if (frame.type === 'error') return; // a request's error belongs to its caller
    }
    if (frame.type === 'ack' && frame.client_id) this.outbox.delete(frame.client_id);
    this.emit(frame.type, frame);
    this.emit('*', frame);
  }

  onClose(ws, ev) {
    if (ws !== this.ws) return;
    for (const [, p] of this.pending) { clearTimeout(p.timer); p.reject(new ProtocolError('disconnected')); }
    this.pending.clear();
    this.sendQueue = [];
    this.setState('closed');
    this.emit('disconnected', { code: ev.code });
    if (!this.wanted) return;
    clearTimeout(this.reconnectTimer);
    const delay = this.backoff + Math.floor(Math.random() * 250);
    this.backoff = Math.min(this.backoff * 2, 10000);
    this.reconnectTimer = setTimeout(() => this.reconnect(), delay);
  }

  async reconnect() {
    const token = Connection.storedToken();
    if (!token || !this.wanted) return;
    try {
      await this.open();
      await this.loginWithToken(token);
    } catch (e) {
      if (e.code === 'bad_credentials') { Connection.forgetToken(); this.emit('logged_out', { reason: 'expired' }); }
      // otherwise the close handler schedules the next attempt
    }
  }

  // Network state changes: try at once instead of waiting for the backoff.
  nudge() {
    if (!this.wanted || this.state === 'logged_in' || this.state === 'connecting') return;
    clearTimeout(this.reconnectTimer);
    this.backoff = 500;
    this.reconnect();
  }

  async loginWithPassword(username, password) {
    await this.open();
    const reply = await this.request({ type: 'login', username, password, lang: language() });
    return this.loggedIn(reply);
  }

  async loginWithToken(token) {
    await this.open();
    const reply = await this.request({ type: 'login', token, lang: language() });
    return this.loggedIn(reply);
  }

  loggedIn(reply) {
    sessionStorage.setItem(TOKEN_KEY, reply.token);
    this.setState('logged_in');
    this.emit('login', reply);
    for (const req of this.outbox.values()) this.send(req); // same client_id: idempotent
    return reply;
  }

  logout() {
    this.wanted = false;
    Connection.forgetToken();
    clearTimeout(this.reconnectTimer);
    this.outbox.clear();
    if (this.ws) this.ws.close(1000);
  }

  // Fire and forget (still rate limited).
  send(frame) {
    this.sendQueue.push(frame);
    this.pump();
  }

  // Sends a message and keeps it until acked; resent after a reconnect.
  sendMessage(frame) {
    this.outbox.set(frame.client_id, frame);
    return this.request(frame);
  }

  request(frame) {
    const ref = `c${this.nextRef++}`;
    const out = { ...frame, ref };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(ref);
        reject(new ProtocolError('timeout'));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(ref, { resolve, reject, timer });
      this.sendQueue.push(out);
      this.pump();
    });
  }

  pump() {
    if (this.pumpTimer) return;
    const now = performance.now();
    this.tokens = Math.min(12, this.tokens + ((now - this.lastRefill) / 1000) * 6);
    this.lastRefill = now;
    while (this.sendQueue.length && this.tokens >= 1) {
      const frame = this.sendQueue.shift();
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
        this.failRef(frame.ref);
        continue;
      }
      this.ws.send(JSON.stringify(frame));
      this.tokens -= 1;
    }
    if (this.sendQueue.length) {
      this.pumpTimer = setTimeout(() => { this.pumpTimer = null; this.pump(); }, 170);
    }
  }

  failRef(ref) {
    if (ref === undefined || !this.pending.has(ref)) return;
    const p = this.pending.get(ref);
    this.pending.delete(ref);
    clearTimeout(p.timer);
    p.reject(new ProtocolError('disconnected'));
  }
}
