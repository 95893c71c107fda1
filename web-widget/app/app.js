// The chat app inside the widget's iframe: it owns the WebSocket (docs/protocol.md, visitor
// endpoint). The resume token lives in sessionStorage only and is wiped on end and quick exit.
// No message text or phone number is ever logged.
import { Conn } from './conn.js';
import { LOCALES, loadLocale, t, raw, translate } from './i18n.js';
import { $, el, hide } from './dom.js';
import { programmeCard, servicesBox } from './cards.js';
import { initCallbackForm, readCallbackForm, resetCallbackForm, relabelCallbackForm, showCallbackDone } from './callback.js';

const STORE = 'helpline.chat';
const params = new URLSearchParams(location.search);
const parentOrigin = originOf(params.get('origin'));
const embedded = window.parent !== window && parentOrigin;
const callbackAfterSeconds = Math.max(0, Number(params.get('cb')) || 10) * 60;
const exitUrl = /^https?:\/\//i.test(params.get('exit') || '') ? params.get('exit') : 'https://www.bbc.co.uk/weather';

const st = {
  lang: 'en',
  welcome: null,
  token: null,
  conv: null, // { id, state, caller_type } while there is a conversation on screen
  lastSeq: 0,
  question: null,
  mine: new Map(), // client_id -> message element, for messages this page sent
  screen: 'start',
  back: 'start', // where the callback form's Back goes
  refs: {},
  typingSent: 0,
  typingTimer: 0,
  theirTypingTimer: 0,
  leaving: false,
};

function originOf(s) {
  try {
    const u = new URL(s);
    return /^https?:$/.test(u.protocol) ? u.origin : null;
  } catch {
    return null;
  }
}

function toParent(msg) {
  if (embedded) window.parent.postMessage({ hl: msg.type, ...msg }, parentOrigin);
}

function store() {
  try {
    if (st.token) sessionStorage.setItem(STORE, JSON.stringify({ token: st.token, lang: st.lang }));
    else sessionStorage.removeItem(STORE);
  } catch {
    // storage may be blocked; the chat still works without resume across reloads
  }
}

function stored() {
  try {
    return JSON.parse(sessionStorage.getItem(STORE) || 'null');
  } catch {
    return null;
  }
}

/** Removes everything the widget put in this origin's storage. */
function wipeStorage() {
  for (const s of [sessionStorage, localStorage]) {
    try {
      for (let i = s.length - 1; i >= 0; i -= 1) {
        const k = s.key(i);
        if (k && k.startsWith('helpline.')) s.removeItem(k);
      }
    } catch {
      // blocked storage holds nothing of ours
    }
  }
}

const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/visitor`;
const conn = new Conn(wsUrl, {
  hello: () => (st.token ? { lang: st.lang, resume: st.token, last_seq: st.lastSeq } : { lang: st.lang }),
  onState,
  onFrame,
});

// ---------------------------------------------------------------- screens and status

function show(screen, focus = true) {
  st.screen = screen;
  for (const s of document.querySelectorAll('.screen')) s.hidden = s.id !== `s-${screen}`;
  if (focus) {
    const h = document.querySelector(`#s-${screen} h2`);
    if (h) h.focus({ preventScroll: true });
  }
}

function status(text) {
  $('status').textContent = text || '';
  $('status').hidden = !text;
}

function announce(text) {
  const a = $('announce');
  a.append(el('p', '', text));
  while (a.childElementCount > 3) a.firstElementChild.remove();
}

function onState(state) {
  document.body.dataset.conn = state;
  if (state === 'connecting' && !st.welcome) status(t('connecting'));
  if (state === 'closed') {
    status(t('reconnecting'));
    for (const [id, li] of st.mine) if (conn.outbox.has(id)) setMeta(li, 'not_sent');
  }
  if (state === 'open') status('');
}

function showStart() {
  if (st.welcome && st.welcome.open === false) {
    showClosed();
    return;
  }
  show('start');
}

function showClosed() {
  const w = st.welcome || {};
  const next = w.hours && w.hours.next_open_at;
  $('opens-at').textContent = next ? t('opens_at', { when: formatTime(next) }) : '';
  const box = $('closed-services');
  box.textContent = '';
  box.append(servicesBox(raw('services') || []));
  show('closed');
}

function formatTime(ms) {
  const tz = (st.welcome && st.welcome.hours && st.welcome.hours.timezone) || undefined;
  try {
    return new Intl.DateTimeFormat(st.lang, { timeZone: tz, weekday: 'long', hour: 'numeric', minute: '2-digit' }).format(new Date(ms));
  } catch {
    return new Date(ms).toUTCString();
  }
}

// ---------------------------------------------------------------- the conversation log

function scrollDown() {
  const s = $('chat-scroll');
  s.scrollTop = s.scrollHeight;
}

function bubble(kind, text, who) {
  const li = el('li', `msg ${kind}`);
  li.append(el('p', 'who', who));
  li.append(el('p', 'text', text));
  $('log').append(li);
  scrollDown();
  return li;
}

function sysLine(text) {
  const li = el('li', 'sys', text);
  $('log').append(li);
  scrollDown();
  announce(text);
  return li;
}

function setMeta(li, key) {
  let m = li.querySelector('.meta');
  if (!m) {
    m = el('p', 'meta');
    li.append(m);
  }
  m.textContent = t(key);
  li.dataset.status = key;
}

function resetChat() {
  $('log').textContent = '';
  $('chat-services').textContent = '';
  st.lastSeq = 0;
  st.question = null;
  st.mine.clear();
  conn.outbox.clear();
  hide('queue');
  hide('cb-offer');
  hide('ended');
  hide('typing');
  hide('end-chat', false);
}

function setComposer() {
  const state = st.conv && st.conv.state;
  const q = st.question;
  const free = state === 'screening' && q && q.kind === 'free_text';
  const canWrite = free || state === 'queued' || state === 'active';
  hide('composer', !canWrite);
  hide('skip', !free);
  $('text-label').textContent = t(free ? 'your_answer' : 'your_message');
}

function renderServices(list) {
  const box = $('chat-services');
  box.textContent = '';
  if (list && list.length) box.append(servicesBox(list));
}

function renderQuestion(q, focus) {
  st.question = q;
  const li = bubble('them question', q.text, t('helpline'));
  li.dataset.question = q.id;
  announce(q.text);
  if (q.kind === 'choice' && Array.isArray(q.options)) {
    const group = el('div', 'options');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', q.text);
    for (const o of q.options) {
      const b = el('button', 'btn option', o.label);
      b.type = 'button';
      b.dataset.value = o.value;
      b.addEventListener('click', () => answer(q, o.value, o.label));
      group.append(b);
    }
    li.append(group);
    if (focus) group.firstElementChild.focus();
  }
  setComposer();
  if (focus && q.kind === 'free_text') $('text').focus();
  scrollDown();
}

function answer(q, value, label) {
  if (st.question !== q) return;
  const ref = conn.ref();
  if (!conn.send({ type: 'answer', question_id: q.id, value, ref })) {
    status(t('reconnecting'));
    return;
  }
  st.refs[ref] = 'answer';
  for (const li of document.querySelectorAll(`#log [data-question="${CSS.escape(q.id)}"]:not([data-answered])`)) {
    li.dataset.answered = '1';
    const opts = li.querySelector('.options');
    if (opts) opts.remove();
  }
  st.question = null;
  bubble('me', label, t('you'));
  setComposer();
}

function onChatMessage(m) {
  if (typeof m.seq === 'number') {
    if (m.seq <= st.lastSeq) return; // already shown (a replay after resume)
    st.lastSeq = m.seq;
  }
  if (m.from === 'visitor') {
    const mine = m.client_id && st.mine.get(m.client_id);
    if (mine) setMeta(mine, 'sent');
    else bubble('me', m.text, t('you'));
    return;
  }
  const name = m.from === 'advisor' ? m.name || t('advisor') : t('helpline');
  const li = bubble(m.from === 'advisor' ? 'them' : 'them system', m.text || '', name);
  if (m.card && m.card.kind === 'programme') li.append(programmeCard(m.card));
  hide('typing');
  announce(t('says', { name, text: m.text || '' }));
}

function renderQueue(q) {
  const appearing = $('queue').hidden;
  hide('queue', false);
  $('queue-pos').textContent = q.position <= 1 ? t('queue_next') : t('queue_position', { position: q.position });
  const w = q.estimated_wait_seconds;
  let wait;
  if (w === null || w === undefined) wait = t('queue_wait_unknown');
  else if (w < 60) wait = t('queue_wait_short');
  else wait = t('queue_wait', { minutes: Math.ceil(w / 60) });
  $('queue-wait').textContent = wait;
  const long = w === null || w === undefined || w > callbackAfterSeconds;
  hide('cb-offer', !long);
  if (appearing) scrollDown();
}

function joined(name, key) {
  st.conv.state = 'active';
  st.advisor = name;
  hide('queue');
  hide('cb-offer');
  sysLine(t(key, { name: name || t('advisor') }));
  setComposer();
  keepFocus($('text'));
}

/** Moves focus to `el` only when focus was lost (its element hidden or removed). */
function keepFocus(el) {
  const a = document.activeElement;
  if ((!a || a === document.body) && document.hasFocus() && !el.closest('[hidden]')) el.focus();
}

function ended(by) {
  if (st.conv) st.conv.state = 'ended';
  st.token = null;
  st.question = null;
  store();
  for (const b of document.querySelectorAll('#log .options')) b.remove();
  hide('queue');
  hide('cb-offer');
  hide('typing');
  hide('composer');
  hide('end-chat');
  const key = by === 'visitor' ? 'ended_visitor' : by === 'advisor' ? 'ended_advisor' : 'ended_system';
  $('ended-text').textContent = t(key);
  hide('ended', false);
  announce(t(key));
  if (st.screen === 'chat') $('new-chat').focus();
}

// ---------------------------------------------------------------- frames from the server

function restore(c) {
  const fresh = !st.conv || st.conv.id !== c.id;
  if (fresh) resetChat();
  st.conv = { id: c.id, state: c.state, caller_type: c.caller_type };
  if (fresh) {
    if (c.caller_type === 'experiencing_abuse') renderServices(raw('services'));
    show('chat');
  }
  if (c.state === 'screening' && c.question && (!st.question || st.question.id !== c.question.id)) {
    renderQuestion(c.question, false);
  }
  if (c.state === 'queued' && c.queue) renderQueue(c.queue);
  if (c.state === 'active') {
    hide('queue');
    hide('cb-offer');
    if (c.advisor && st.advisor !== c.advisor.name) joined(c.advisor.name, 'advisor_joined');
  }
  setComposer();
}

function onWelcome(w) {
  st.welcome = w;
  if (w.resume === 'ok' && w.conversation) {
    restore(w.conversation);
    conn.flush();
    for (const [id, li] of st.mine) if (conn.outbox.has(id)) setMeta(li, 'sending');
    return;
  }
  if (w.resume === 'expired') {
    st.token = null;
    store();
    if (st.conv && st.conv.state !== 'ended') {
      ended('system');
      return;
    }
  }
  if (st.screen === 'start' && w.open === false) showClosed();
  else if (st.screen === 'closed' && w.open) show('start');
}

const handlers = {
  welcome: onWelcome,
  started(m) {
    resetChat();
    st.conv = { id: m.conversation_id, state: m.state || 'screening', caller_type: st.callerType };
    st.token = m.resume_token;
    st.advisor = null;
    store();
    const services = Array.isArray(m.services) && m.services.length ? m.services
      : st.callerType === 'experiencing_abuse' ? raw('services') : [];
    renderServices(services);
    show('chat');
    $('start-form').querySelector('[type=submit]').disabled = false;
  },
  question(m) {
    if (!st.conv || st.conv.state !== 'screening') return;
    renderQuestion(m.question, true);
  },
  queue(m) {
    if (!st.conv || st.conv.state === 'active' || st.conv.state === 'ended') return;
    const first = st.conv.state !== 'queued';
    st.conv.state = 'queued';
    st.question = null;
    renderQueue(m);
    if (first) {
      setComposer();
      keepFocus($('text'));
      announce(`${$('queue-pos').textContent} ${$('queue-wait').textContent}`);
    }
  },
  advisor_joined(m) {
    if (st.conv) joined(m.advisor && m.advisor.name, 'advisor_joined');
  },
  transferred(m) {
    if (st.conv) joined(m.advisor && m.advisor.name, 'transferred');
  },
  message: onChatMessage,
  ack(m) {
    const li = st.mine.get(m.client_id);
    if (li) setMeta(li, 'sent');
  },
  typing(m) {
    clearTimeout(st.theirTypingTimer);
    hide('typing', !m.active);
    if (m.active) {
      $('typing').textContent = t('typing', { name: st.advisor || t('advisor') });
      st.theirTypingTimer = setTimeout(() => hide('typing'), 8000);
    }
  },
  ended(m) {
    if (st.conv && st.conv.state !== 'ended') ended(m.by);
  },
  callback_requested(m) {
    const tz = st.welcome && st.welcome.hours && st.welcome.hours.timezone;
    showCallbackDone(m, tz, st.lang);
    $('cb-phone').value = '';
    hide('cbd-back', !(st.conv && st.conv.state !== 'ended'));
    show('cb-done');
  },
  error(m) {
    const what = m.ref !== undefined ? st.refs[m.ref] : undefined;
    if (conn.outbox.has(m.ref)) {
      // a chat message: retry later unless it can never be stored
      if (m.code === 'unavailable' || m.code === 'rate_limited') setTimeout(() => conn.flush(), 2000);
      else {
        conn.outbox.delete(m.ref);
        const li = st.mine.get(m.ref);
        if (li) setMeta(li, m.code === 'too_long' ? 'error_too_long' : 'error_generic');
      }
      if (m.code === 'rate_limited') status(t('error_rate_limited'));
      return;
    }
    if (what === 'start') {
      $('start-form').querySelector('[type=submit]').disabled = false;
      if (m.code === 'line_closed') {
        st.welcome = { ...(st.welcome || {}), open: false };
        showClosed();
        return;
      }
    }
    const key = { too_long: 'error_too_long', rate_limited: 'error_rate_limited', limit_reached: 'error_limit_reached', line_closed: 'error_closed' }[m.code];
    status(t(key || 'error_generic'));
  },
};

function onFrame(m) {
  const h = Object.hasOwn(handlers, m.type) ? handlers[m.type] : null;
  if (h) h(m);
}

// ---------------------------------------------------------------- visitor actions

function sendText(e) {
  e.preventDefault();
  const box = $('text');
  const text = box.value.trim();
  if (!text || !st.conv) return;
  if (st.conv.state === 'screening' && st.question && st.question.kind === 'free_text') {
    answer(st.question, text, text);
    box.value = '';
    return;
  }
  const id = conn.message(text); // sent with ref = client_id, so an error names its message
  const li = bubble('me', text, t('you'));
  st.mine.set(id, li);
  setMeta(li, conn.ready ? 'sending' : 'not_sent');
  box.value = '';
  stopTyping();
  box.focus();
}

function stopTyping() {
  clearTimeout(st.typingTimer);
  if (st.typingSent) {
    st.typingSent = 0;
    if (st.conv && st.conv.state === 'active') conn.send({ type: 'typing', active: false });
  }
}

function onInput() {
  if (!st.conv || st.conv.state !== 'active') return;
  const now = Date.now();
  if (now - st.typingSent > 3000 && conn.send({ type: 'typing', active: true })) st.typingSent = now;
  clearTimeout(st.typingTimer);
  st.typingTimer = setTimeout(stopTyping, 4000);
}

function openCallback() {
  st.back = st.screen;
  resetCallbackForm(st.welcome && st.welcome.hours && st.welcome.hours.timezone);
  show('callback');
}

function submitCallback(e) {
  e.preventDefault();
  const req = readCallbackForm();
  if (!req) return;
  const ref = conn.ref();
  const caller = st.conv ? st.conv.caller_type : st.callerType;
  const frame = { type: 'callback_request', ref, lang: st.lang, ...req };
  if (caller) frame.caller_type = caller;
  if (!conn.send(frame)) {
    status(t('reconnecting'));
    return;
  }
  st.refs[ref] = 'callback';
}

function quickExit() {
  if (st.leaving) return;
  st.leaving = true;
  document.body.classList.add('gone');
  conn.stop();
  st.token = null;
  wipeStorage();
  if (embedded) toParent({ type: 'exited' });
  else location.replace(exitUrl);
}

async function setLang(code) {
  st.lang = await loadLocale(code);
  translate(document);
  const sel = $('lang');
  sel.value = st.lang;
  relabelCallbackForm(st.welcome && st.welcome.hours && st.welcome.hours.timezone);
  toParent({ type: 'lang', lang: st.lang });
}

function wire() {
  $('exit').addEventListener('click', quickExit);
  $('minimise').addEventListener('click', () => toParent({ type: 'minimise' }));
  hide('minimise', !embedded);

  let shifts = 0;
  let shiftTimer = 0;
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Shift') {
      shifts = 0;
      return;
    }
    if (e.repeat) return;
    shifts += 1;
    clearTimeout(shiftTimer);
    shiftTimer = setTimeout(() => { shifts = 0; }, 5000);
    if (shifts >= 3) quickExit();
  }, true);

  const sel = $('lang');
  for (const [code, name] of Object.entries(LOCALES)) {
    const o = el('option', '', name);
    o.value = code;
    o.lang = code;
    sel.append(o);
  }
  sel.addEventListener('change', () => setLang(sel.value));

  const form = $('start-form');
  form.addEventListener('change', (e) => {
    if (e.target.name !== 'caller') return;
    hide('who-error');
    const box = $('start-services');
    box.textContent = '';
    if (e.target.value === 'experiencing_abuse') box.append(servicesBox(raw('services') || []));
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const caller = form.elements.caller.value;
    if (!caller) {
      hide('who-error', false);
      form.querySelector('[name=caller]').focus();
      return;
    }
    st.callerType = caller;
    const ref = conn.ref();
    if (!conn.send({ type: 'start', caller_type: caller, lang: st.lang, ref })) {
      status(t('reconnecting'));
      return;
    }
    st.refs[ref] = 'start';
    form.querySelector('[type=submit]').disabled = true;
  });
  $('prefer-call').addEventListener('click', () => {
    st.callerType = form.elements.caller.value || undefined;
    openCallback();
  });
  $('closed-callback').addEventListener('click', openCallback);
  $('offer-callback').addEventListener('click', openCallback);
  initCallbackForm();
  $('cb-form').addEventListener('submit', submitCallback);
  $('cb-back').addEventListener('click', () => show(st.back));
  $('cbd-back').addEventListener('click', () => show('chat'));

  $('composer').addEventListener('submit', sendText);
  $('text').addEventListener('input', onInput);
  $('text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) sendText(e);
  });
  $('skip').addEventListener('click', () => {
    if (st.question) answer(st.question, t('skip_value'), t('skip_value'));
  });

  const dialog = $('end-dialog');
  $('end-chat').addEventListener('click', () => dialog.showModal());
  $('end-no').addEventListener('click', () => dialog.close());
  $('end-yes').addEventListener('click', () => {
    dialog.close();
    if (!conn.send({ type: 'end', ref: conn.ref() })) ended('visitor');
  });
  dialog.addEventListener('close', () => {
    if (st.conv && st.conv.state !== 'ended') $('end-chat').focus();
  });
  $('new-chat').addEventListener('click', () => {
    st.conv = null;
    resetChat();
    showStart();
  });

  window.addEventListener('message', (e) => {
    if (!embedded || e.source !== window.parent || e.origin !== parentOrigin) return;
    const m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.hl === 'exit') quickExit();
    if (m.hl === 'focus') {
      const target = st.screen === 'chat' && !$('composer').hidden ? $('text') : document.querySelector('.screen:not([hidden]) h2');
      if (target) target.focus({ preventScroll: true });
    }
  });
  window.addEventListener('online', () => conn.nudge());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') conn.nudge();
  });
}

async function main() {
  const saved = stored();
  if (saved && saved.token) st.token = saved.token;
  const want = (saved && saved.lang) || params.get('lang') || 'en';
  wire();
  await setLang(want);
  show('start', false);
  conn.connect();
  toParent({ type: 'ready' });
}

main().catch(() => status(t('connection_failed')));
