// The visitor's side of docs/protocol.md: frames from the server change the state (state.js)
// and are announced with emit() for the screens; the visitor's actions become frames. No DOM
// here; no message text or phone number is ever logged.
import { Conn } from './conn.js';
import { st, emit, setScreen, setStatus, save } from './state.js';

const refs = {}; // ref -> what was asked ('start', 'answer', 'callback'), to place an error
let typingSent = 0;
let typingTimer = 0;

export const conn = new Conn(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/visitor`, {
  hello: () => (st.token ? { lang: st.lang, resume: st.token, last_seq: st.lastSeq } : { lang: st.lang }),
  onState(state) {
    emit('conn', state);
    if (state === 'connecting' && !st.welcome) setStatus('connecting');
    if (state === 'closed') {
      setStatus('reconnecting');
      for (const id of st.mine.keys()) if (conn.outbox.has(id)) mark(id, 'not_sent');
    }
    if (state === 'open') setStatus('');
  },
  onFrame(m) {
    const h = Object.hasOwn(handlers, m.type) ? handlers[m.type] : null;
    if (h) h(m);
  },
});

function mark(id, key) {
  st.mine.set(id, key);
  emit('mine', id);
}

/** Sends a request; false (and a notice) when the connection is not ready. */
function request(what, frame) {
  const ref = conn.ref();
  if (!conn.send({ ...frame, ref })) {
    setStatus('reconnecting');
    return false;
  }
  refs[ref] = what;
  return true;
}

/** The first screen: closed when the line is. */
const home = () => setScreen(st.welcome && st.welcome.open === false ? 'closed' : 'start');

function resetConv() {
  st.lastSeq = 0;
  st.question = null;
  st.mine.clear();
  conn.outbox.clear();
  emit('reset');
}

function ask(q, focus) {
  st.question = q;
  emit('question', { q, focus });
}

function joined(name, key) {
  st.conv.state = 'active';
  st.advisor = name;
  emit('joined', key);
}

function ended(by) {
  if (st.conv) st.conv.state = 'ended';
  st.token = null;
  st.question = null;
  save();
  emit('ended', by);
}

// A conversation the server resumed (after a reload or a reconnect).
function restore(c) {
  const fresh = !st.conv || st.conv.id !== c.id;
  if (fresh) resetConv();
  st.conv = { id: c.id, state: c.state, caller_type: c.caller_type };
  if (fresh) {
    emit('services', []);
    setScreen('chat');
  }
  if (c.state === 'screening' && c.question && (!st.question || st.question.id !== c.question.id)) ask(c.question, false);
  if (c.safety) emit('safety', c.safety);
  if (c.state === 'queued' && c.queue) emit('queue', { q: c.queue });
  if (c.state === 'active') {
    emit('active');
    if (c.advisor && st.advisor !== c.advisor.name) joined(c.advisor.name, 'advisor_joined');
  }
  emit('composer');
}

const handlers = {
  welcome(w) {
    st.welcome = w;
    if (w.resume === 'ok' && w.conversation) {
      restore(w.conversation);
      conn.flush();
      for (const id of st.mine.keys()) {
        if (conn.outbox.has(id)) {
          mark(id, 'sending');
          awaitAck(id);
        }
      }
      return;
    }
    if (w.resume === 'expired') {
      st.token = null;
      save();
      if (st.conv && st.conv.state !== 'ended') {
        ended('system');
        return;
      }
    }
    if (st.screen === 'start' && w.open === false) setScreen('closed');
    else if (st.screen === 'closed' && w.open) setScreen('start');
  },
  started(m) {
    resetConv();
    st.conv = { id: m.conversation_id, state: m.state || 'screening', caller_type: st.callerType };
    st.token = m.resume_token;
    st.advisor = null;
    save();
    emit('services', m.services);
    setScreen('chat');
    emit('starting', false);
  },
  question(m) {
    if (st.conv && st.conv.state === 'screening') ask(m.question, true);
  },
  queue(m) {
    if (!st.conv || st.conv.state === 'active' || st.conv.state === 'ended') return;
    const first = st.conv.state !== 'queued';
    st.conv.state = 'queued';
    st.question = null;
    emit('queue', { q: m, first });
  },
  safety(m) {
    if (st.conv && st.conv.state !== 'ended') emit('safety', m);
  },
  advisor_joined(m) {
    if (st.conv) joined(m.advisor && m.advisor.name, 'advisor_joined');
  },
  transferred(m) {
    if (st.conv) joined(m.advisor && m.advisor.name, 'transferred');
  },
  message(m) {
    if (typeof m.seq === 'number') {
      if (m.seq <= st.lastSeq) return; // already shown (a replay after resume)
      st.lastSeq = m.seq;
    }
    if (m.from === 'visitor' && m.client_id && st.mine.has(m.client_id)) mark(m.client_id, 'sent');
    else emit('said', m);
  },
  ack(m) {
    if (st.mine.has(m.client_id)) mark(m.client_id, 'sent');
  },
  typing(m) {
    emit('typing', m.active);
  },
  ended(m) {
    if (st.conv && st.conv.state !== 'ended') ended(m.by);
  },
  callback_cancelled(m) {
    emit('callback_cancelled', m);
  },
  callback_requested(m) {
    emit('callback_requested', m);
    setScreen('cb-done');
  },
  error(m) {
    const what = m.ref !== undefined ? refs[m.ref] : undefined;
    if (conn.outbox.has(m.ref)) {
      // a chat message: retry later unless it can never be stored
      if (m.code === 'unavailable' || m.code === 'rate_limited') setTimeout(() => conn.flush(), 2000);
      else {
        conn.outbox.delete(m.ref);
        if (st.mine.has(m.ref)) mark(m.ref, { too_long: 'error_too_long', limit_reached: 'error_limit_reached' }[m.code] || 'error_generic');
      }
      if (m.code === 'rate_limited') setStatus('error_rate_limited');
      return;
    }
    if (what === 'start') {
      emit('starting', false);
      if (m.code === 'line_closed') {
        st.welcome = { ...(st.welcome || {}), open: false };
        setScreen('closed');
        return;
      }
    }
    const key = { too_long: 'error_too_long', rate_limited: 'error_rate_limited', limit_reached: 'error_limit_reached', line_closed: 'error_closed', outside_hours: 'error_outside_hours' }[m.code];
    setStatus(key || 'error_generic');
  },
};

// ---------------------------------------------------------------- lengths

// The server counts a message in characters (Unicode code points: docs/protocol.md, `too_long`
// over `limits.max_text_chars`, sent in `welcome`) and a free-text answer in UTF-8 bytes (up to
// 2000). One function measures a text the way the server does, so the box, its counter and the
// server agree.
const LIMITS = { message: 4000, answer: 2000 };
const utf8 = new TextEncoder();

/** { used, limit } in the unit the server counts, for a chat message or a free-text answer. */
export function measure(text, kind = 'message') {
  const limits = (st.welcome && st.welcome.limits) || {};
  if (kind === 'answer') {
    const given = limits.max_answer_bytes;
    return { used: utf8.encode(text).length, limit: Number.isInteger(given) && given > 0 ? given : LIMITS.answer };
  }
  const given = limits.max_text_chars;
  return { used: [...text].length, limit: Number.isInteger(given) && given > 0 ? given : LIMITS.message };
}

// ---------------------------------------------------------------- the visitor's actions

export function start(caller) {
  st.callerType = caller;
  if (request('start', { type: 'start', caller_type: caller, lang: st.lang })) emit('starting', true);
}

export function answer(q, value, label) {
  if (st.question !== q || !request('answer', { type: 'answer', question_id: q.id, value })) return;
  st.question = null;
  emit('answered', { q, label });
}

// A message sent on an open connection and not acknowledged within this time is shown as not
// delivered, with Retry (it stays in the outbox, so a reconnect resends it as well).
const ACK_TIMEOUT_MS = 10000;

function awaitAck(id) {
  setTimeout(() => {
    if (st.mine.get(id) === 'sending' && conn.outbox.has(id)) mark(id, 'not_acked');
  }, ACK_TIMEOUT_MS);
}

/** A chat message; returns its client_id (st.mine says how it is doing). */
export function say(text) {
  const id = conn.message(text); // sent with ref = client_id, so an error names its message
  st.mine.set(id, conn.ready ? 'sending' : 'not_sent');
  if (conn.ready) awaitAck(id);
  stopTyping();
  return id;
}

/** Sends a message that failed again, with the same client_id (the server stores it once). */
export function retry(id, text) {
  conn.outbox.set(id, text);
  const ok = conn.send({ type: 'message', client_id: id, text, ref: id });
  mark(id, ok ? 'sending' : 'not_sent');
  if (ok) awaitAck(id);
}

/** Gives up a message that was not sent (the visitor took it back to edit it). */
export function forget(id) {
  conn.outbox.delete(id);
  st.mine.delete(id);
}

export function stopTyping() {
  clearTimeout(typingTimer);
  if (typingSent) {
    typingSent = 0;
    if (st.conv && st.conv.state === 'active') conn.send({ type: 'typing', active: false });
  }
}

export function typing() {
  if (!st.conv || st.conv.state !== 'active') return;
  const now = Date.now();
  if (now - typingSent > 3000 && conn.send({ type: 'typing', active: true })) typingSent = now;
  clearTimeout(typingTimer);
  typingTimer = setTimeout(stopTyping, 4000);
}

export function end() {
  if (!conn.send({ type: 'end', ref: conn.ref() })) ended('visitor');
}

export function newChat() {
  st.conv = null;
  resetConv();
  home();
}

export function requestCallback(req) {
  const caller = st.conv ? st.conv.caller_type : st.callerType;
  request('callback', { type: 'callback_request', lang: st.lang, ...req, ...(caller ? { caller_type: caller } : {}) });
}

/** Takes back a callback requested on this connection (the confirmation's Cancel). */
export function cancelCallback(id) {
  request('callback_cancel', { type: 'callback_cancel', callback_id: id });
}
