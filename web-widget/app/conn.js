// The visitor's WebSocket (docs/protocol.md, visitor endpoint): hello on every connection,
// resume with the token and the highest seq shown, reconnect with exponential backoff, and an
// outbox of messages that are resent with the same client_id until acknowledged.

const NO_RECONNECT = new Set([1003, 1007, 1009]);
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

export class Conn {
  // handlers: onFrame(msg), onState('connecting'|'open'|'closed'), hello() -> hello fields
  constructor(url, handlers) {
    this.url = url;
    this.h = handlers;
    this.ws = null;
    this.ready = false; // welcome received on the current socket
    this.attempt = 0;
    this.timer = 0;
    this.stopped = false;
    this.outbox = new Map(); // client_id -> text, in send order
    this.seqNo = 0;
    this.refNo = 0;
  }

  connect() {
    if (this.stopped || (this.ws && this.ws.readyState <= 1)) return;
    clearTimeout(this.timer);
    this.h.onState('connecting');
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    this.ready = false;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', v: 1, ...this.h.hello() }));
    ws.onmessage = (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      if (!msg || typeof msg.type !== 'string') return;
      if (msg.type === 'welcome') {
        this.ready = true;
        this.attempt = 0;
        this.h.onState('open');
      }
      if (msg.type === 'ack') this.outbox.delete(msg.client_id);
      this.h.onFrame(msg);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.ready = false;
      if (this.stopped) return;
      this.h.onState('closed', e.code);
      if (!NO_RECONNECT.has(e.code)) this.retry();
    };
  }

  retry() {
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), base + Math.floor(Math.random() * base * 0.3));
  }

  /** Reconnects now if a retry is pending (the browser came back online, the tab is visible). */
  nudge() {
    if (!this.stopped && !this.ws) {
      this.attempt = 0;
      this.connect();
    }
  }

  /** Sends a frame if the connection is ready; returns false otherwise. */
  send(obj) {
    if (!this.ready || !this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(JSON.stringify(obj));
    return true;
  }

  ref() {
    this.refNo += 1;
    return `r${this.refNo}`;
  }

  /** Queues a chat message; it is sent now if possible and again after every reconnect until acked. */
  message(text) {
    this.seqNo += 1;
    const id = `m-${Date.now().toString(36)}-${this.seqNo}`;
    this.outbox.set(id, text);
    this.send({ type: 'message', client_id: id, text, ref: id });
    return id;
  }

  /** Resends every unacknowledged message with its original client_id, in order. */
  flush() {
    for (const [id, text] of this.outbox) this.send({ type: 'message', client_id: id, text, ref: id });
  }

  /** Stops for good: no reconnect, the socket closed, the outbox dropped. */
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.outbox.clear();
    if (this.ws) {
      try {
        this.ws.close(1000);
      } catch {
        // already closing
      }
    }
    this.ws = null;
  }
}
