// A protocol client for /ws/advisor (docs/protocol.md) used by tests to play the advisor's side.
//
//   const sam = await Advisor.login(stack, { username: 'sam', password });
//   await sam.request({ type: 'presence', status: 'available' });
//   const offer = await sam.next('offer');
//   await sam.request({ type: 'accept', conversation_id: offer.conversation.id });
import WebSocket from 'ws';

export class ProtocolClient {
  constructor(url) {
    this.url = url;
    this.inbox = [];
    this.waiters = [];
    this.refs = 0;
    this.closed = null;
  }

  open() {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      ws.on('open', () => resolve(this));
      ws.on('error', (e) => reject(e));
      ws.on('message', (data) => {
        let msg;
        try { msg = JSON.parse(data.toString()); } catch { return; }
        this.inbox.push(msg);
        this.wake();
      });
      ws.on('close', (code) => { this.closed = code; this.wake(); });
    });
  }

  wake() {
    for (const w of [...this.waiters]) w();
  }

  send(obj) {
    this.ws.send(JSON.stringify(obj));
  }

  /**
   * Takes the first unconsumed frame matching `pred` (a type name or a function), waiting for it.
   */
  next(pred, timeout = 15000) {
    const match = typeof pred === 'function' ? pred : (m) => m.type === pred;
    return new Promise((resolve, reject) => {
      const check = () => {
        const i = this.inbox.findIndex(match);
        if (i >= 0) {
          const [m] = this.inbox.splice(i, 1);
          done();
          resolve(m);
          return true;
        }
        if (this.closed !== null) {
          done();
          reject(new Error(`connection closed (${this.closed}) while waiting for ${pred}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${typeof pred === 'string' ? pred : 'matching frame'} within ${timeout} ms; unconsumed: ${JSON.stringify(this.inbox.map((m) => m.type))}`));
      }, timeout);
      const waiter = () => check();
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      if (!check()) this.waiters.push(waiter);
    });
  }

  /** Sends a request with a fresh `ref` and returns its direct reply (throws on `error`). */
  async request(obj, timeout = 15000) {
    this.refs += 1;
    const ref = `t${this.refs}`;
    this.send({ ...obj, ref });
    const reply = await this.next((m) => m.ref === ref, timeout);
    if (reply.type === 'error') {
      throw Object.assign(new Error(`${obj.type} failed: ${reply.code}: ${reply.message}`), { reply });
    }
    return reply;
  }

  /** Drops frames received so far (e.g. periodic queue broadcasts). */
  drain(pred = () => true) {
    this.inbox = this.inbox.filter((m) => !pred(m));
  }

  close() {
    if (this.ws && this.ws.readyState <= 1) this.ws.close(1000);
  }
}

export class Advisor extends ProtocolClient {
  static async login(stack, { username, password }) {
    const a = new Advisor(stack.wsUrl('/ws/advisor'));
    await a.open();
    a.info = await a.request({ type: 'login', username, password });
    return a;
  }

  async available() {
    return this.request({ type: 'presence', status: 'available' });
  }

  /** Waits for an offer (optionally for a given conversation) and accepts it. */
  async acceptNext(conversationId) {
    const offer = await this.next((m) => m.type === 'offer' && (!conversationId || m.conversation.id === conversationId), 20000);
    const reply = await this.request({ type: 'accept', conversation_id: offer.conversation.id });
    return { offer, conversation: reply.conversation };
  }

  async say(conversationId, text, extra = {}) {
    this.refs += 1;
    const clientId = `adv-${Date.now()}-${this.refs}`;
    return this.request({ type: 'message', conversation_id: conversationId, client_id: clientId, text, ...extra });
  }

  async end(conversationId) {
    return this.request({ type: 'end', conversation_id: conversationId });
  }

  async wrapUp(conversationId, fields = {}) {
    return this.request({
      type: 'wrap_up', conversation_id: conversationId, caller_type: 'own_behaviour', outcome: 'information_given',
      referral_made: false, actions: ['none'], notes: '', ...fields,
    });
  }

  async history(conversationId, afterSeq = 0) {
    return this.request({ type: 'history', conversation_id: conversationId, after_seq: afterSeq });
  }
}

/**
 * Creates an advisor account, logs it in (closed after the test) and, unless `away`, sets it
 * available for offers. `t` is the test context from harness.mjs.
 */
export async function advisorFor(t, stack, { username = 'sam', name = 'Sam', away = false, ...account } = {}) {
  const user = await stack.addUser({ username, name, ...account });
  const advisor = await Advisor.login(stack, user);
  advisor.user = user;
  t.cleanup(() => advisor.close());
  if (!away) await advisor.available();
  return advisor;
}
