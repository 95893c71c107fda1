// The chat screen: the log (questions and their options, messages, cards, events), the queue
// box, the typing line, the message box and ending the chat. It draws what protocol.js
// announces and hands the visitor's actions back to it.
import { st, on } from './state.js';
import { t, raw } from './i18n.js';
import { $, el, auto, hide } from './dom.js';
import { programmeCard, servicesBox } from './cards.js';
import { announce, keepFocus } from './screens.js';
import { answer, say, retry, forget, measure, typing, end, newChat } from './protocol.js';

// A callback is offered when the wait is longer than this (the loader's data-callback-after-minutes).
const callbackAfterSeconds = Math.max(0, Number(new URLSearchParams(location.search).get('cb')) || 10) * 60;
const mine = new Map(); // client_id -> the message's <li>
let theirTyping = 0;

function scrollDown() {
  const s = $('chat-scroll');
  s.scrollTop = s.scrollHeight;
}

function bubble(kind, text, who) {
  const li = el('li', `msg ${kind}`);
  li.append(auto(el('p', 'who', who)));
  li.append(auto(el('p', 'text', text)));
  $('log').append(li);
  scrollDown();
  return li;
}

function sysLine(text) {
  $('log').append(el('li', 'sys', text));
  scrollDown();
  announce(text);
}

const FAILED = new Set(['not_acked', 'error_too_long', 'error_generic', 'error_rate_limited', 'error_limit_reached', 'error_closed']);

// A message's state under its bubble; one that failed keeps its text and offers Retry, and Edit
// (back into the box, to shorten or change it).
function setMeta(li, key) {
  let m = li.querySelector('.meta');
  if (!m) {
    m = el('p', 'meta');
    li.append(m);
  }
  const failed = FAILED.has(key);
  m.textContent = failed ? `${t('not_sent_heading')} ${t(key)}` : t(key);
  li.dataset.status = key;
  li.classList.toggle('failed', failed);
  let acts = li.querySelector('.msg-actions');
  if (failed && !acts) {
    acts = el('div', 'msg-actions');
    const again = el('button', 'btn small retry', t('retry'));
    const edit = el('button', 'btn small edit', t('edit_message'));
    for (const b of [again, edit]) b.type = 'button';
    again.addEventListener('click', () => retry(li.dataset.id, li.querySelector('.text').textContent));
    edit.addEventListener('click', () => takeBack(li));
    acts.append(again, edit);
    li.append(acts);
    if (li === $('log').lastElementChild) scrollDown();
    else li.scrollIntoView({ block: 'nearest' });
    announce(m.textContent);
  } else if (!failed && acts) {
    const refocus = acts.contains(document.activeElement);
    acts.remove();
    if (refocus) $('text').focus();
  }
}

/** Puts a failed message back in the box (before anything typed since) and drops its bubble. */
function takeBack(li) {
  const box = $('text');
  const text = li.querySelector('.text').textContent;
  box.value = box.value ? `${text}\n${box.value}` : text;
  forget(li.dataset.id);
  mine.delete(li.dataset.id);
  li.remove();
  box.focus();
  checkLength();
}

/** The remaining-length counter and the over-limit message, counted as the server counts. */
function checkLength() {
  const box = $('text');
  const answering = st.conv && st.conv.state === 'screening';
  const { used, limit } = measure(box.value.trim(), answering ? 'answer' : 'message');
  const over = used > limit;
  const near = used >= limit * 0.8;
  const count = $('text-count');
  count.hidden = !near || over;
  count.textContent = near && !over ? t('length_left', { percent: Math.floor(((limit - used) * 100) / limit) }) : '';
  const err = $('text-error');
  const wasOver = !err.hidden;
  err.hidden = !over;
  err.textContent = over ? t('length_over') : '';
  if (over) box.setAttribute('aria-invalid', 'true');
  else box.removeAttribute('aria-invalid');
  if (over && !wasOver) announce(t('length_over'));
  return !over;
}

function setComposer() {
  const state = st.conv && st.conv.state;
  const q = st.question;
  const free = state === 'screening' && q && q.kind === 'free_text';
  hide('composer', !(free || state === 'queued' || state === 'active'));
  hide('skip', !free);
  $('text-label').textContent = t(free ? 'your_answer' : 'your_message');
  checkLength();
}

// No option is ever focused or pre-selected: a stray Enter must not answer a safety question
// (a "yes" to the danger question raises an imminent alert). Focus goes to the question's text,
// which a screen reader then reads; Tab goes on to the options or the answer box.
function renderQuestion({ q, focus }) {
  const li = bubble('them question', q.text, t('helpline'));
  li.dataset.question = q.id;
  const text = li.querySelector('.text');
  text.tabIndex = -1;
  if (!focus) announce(q.text);
  if (q.kind === 'choice' && Array.isArray(q.options)) {
    const group = el('div', 'options');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', q.text);
    for (const o of q.options) {
      const b = auto(el('button', 'btn option', o.label));
      b.type = 'button';
      b.dataset.value = o.value;
      b.addEventListener('click', () => answer(q, o.value, o.label));
      group.append(b);
    }
    li.append(group);
  }
  setComposer();
  if (focus) text.focus();
  scrollDown();
}

function answered({ q, label }) {
  for (const li of document.querySelectorAll(`#log [data-question="${CSS.escape(q.id)}"]:not([data-answered])`)) {
    li.dataset.answered = '1';
    const opts = li.querySelector('.options');
    if (opts) opts.remove();
  }
  bubble('me', label, t('you'));
  setComposer();
}

function said(m) {
  if (m.from === 'visitor') {
    bubble('me', m.text, t('you'));
    return;
  }
  const name = m.from === 'advisor' ? m.name || t('advisor') : t('helpline');
  // A system event (a supervisor joined...) in the visitor's language; the server's text is English.
  const worded = m.notice ? raw(`notice_${m.notice}`) : '';
  if (worded) {
    sysLine(worded);
    return;
  }
  const li = bubble(m.from === 'advisor' ? 'them' : 'them system', m.text || '', name);
  if (m.card && m.card.kind === 'programme') li.append(programmeCard(m.card));
  hide('typing');
  announce(t('says', { name, text: m.text || '' }));
}

function renderQueue({ q, first }) {
  const appearing = $('queue').hidden;
  hide('queue', false);
  $('queue-pos').textContent = q.position <= 1 ? t('queue_next') : t('queue_position', { position: q.position });
  const w = q.estimated_wait_seconds;
  let wait;
  if (w === null || w === undefined) wait = t('queue_wait_unknown');
  else if (w < 60) wait = t('queue_wait_short');
  else wait = t('queue_wait', { minutes: Math.ceil(w / 60) });
  $('queue-wait').textContent = wait;
  // Someone at risk is moved up: say so, so the jump in position means something to them.
  $('queue-priority').textContent = q.prioritised ? t('queue_prioritised') : '';
  hide('queue-priority', !q.prioritised);
  hide('cb-offer', !(w === null || w === undefined || w > callbackAfterSeconds));
  if (appearing) scrollDown();
  if (first) {
    setComposer();
    keepFocus($('text'));
    announce(`${$('queue-pos').textContent} ${$('queue-wait').textContent}`);
  }
}

// The services box: those the server sent, else (for someone experiencing abuse) the locale's.
function services(list) {
  const box = $('chat-services');
  box.textContent = '';
  if (!(Array.isArray(list) && list.length)) list = st.conv.caller_type === 'experiencing_abuse' ? raw('services') : [];
  if (list && list.length) box.append(servicesBox(list));
}

function reset() {
  $('log').textContent = '';
  $('chat-services').textContent = '';
  mine.clear();
  hide('queue');
  hide('cb-offer');
  hide('ended');
  hide('typing');
  hide('end-chat', false);
}

function ended(by) {
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

function theyType(active) {
  clearTimeout(theirTyping);
  hide('typing', !active);
  if (active) {
    $('typing').textContent = t('typing', { name: st.advisor || t('advisor') });
    theirTyping = setTimeout(() => hide('typing'), 8000);
  }
}

function send(e) {
  e.preventDefault();
  const box = $('text');
  const text = box.value.trim();
  if (!text || !st.conv) return;
  if (!checkLength()) {
    box.focus(); // refused here: the text stays in the box, nothing is sent
    return;
  }
  if (st.conv.state === 'screening' && st.question && st.question.kind === 'free_text') {
    answer(st.question, text, text);
    box.value = '';
    checkLength();
    return;
  }
  const id = say(text);
  const li = bubble('me', text, t('you'));
  li.dataset.id = id;
  mine.set(id, li);
  setMeta(li, st.mine.get(id));
  box.value = '';
  checkLength();
  box.focus();
}

function active() {
  hide('queue');
  hide('cb-offer');
}

function joined(key) {
  active();
  sysLine(t(key, { name: st.advisor || t('advisor') }));
  setComposer();
  keepFocus($('text'));
}

// What protocol.js announces -> how this screen draws it.
const draw = {
  reset,
  services,
  question: renderQuestion,
  answered,
  said,
  mine: (id) => mine.has(id) && setMeta(mine.get(id), st.mine.get(id)),
  queue: renderQueue,
  active,
  joined,
  composer: setComposer,
  typing: theyType,
  ended,
};

export function initChat() {
  on((what, x) => draw[what] && draw[what](x));

  $('composer').addEventListener('submit', send);
  $('text').addEventListener('input', () => {
    checkLength();
    typing();
  });
  $('text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) send(e);
  });
  $('skip').addEventListener('click', () => {
    if (st.question) answer(st.question, t('skip_value'), t('skip_value'));
  });

  const dialog = $('end-dialog');
  $('end-chat').addEventListener('click', () => dialog.showModal());
  $('end-no').addEventListener('click', () => dialog.close());
  $('end-yes').addEventListener('click', () => {
    dialog.close();
    end();
  });
  dialog.addEventListener('close', () => {
    if (st.conv && st.conv.state !== 'ended') $('end-chat').focus();
  });
  $('new-chat').addEventListener('click', newChat);
}
