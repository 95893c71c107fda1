// The chat app inside the widget's iframe (modules: README.md). This one starts it and owns what
// concerns the embedding page: postMessage with the loader, quick exit, the language.
import { LOCALES, loadLocale, translate } from './i18n.js';
import { $, el, hide } from './dom.js';
import { st, on, emit, setScreen, setStatus, saved, wipe } from './state.js';
import { conn } from './protocol.js';
import { initScreens } from './screens.js';
import { initStart } from './start.js';
import { initChat } from './chat.js';
import { initSafety } from './safety.js';
import { initCallback, openCallback } from './callback.js';

const params = new URLSearchParams(location.search);
const parentOrigin = originOf(params.get('origin'));
const embedded = window.parent !== window && parentOrigin;
const exitUrl = /^https?:\/\//i.test(params.get('exit') || '') ? params.get('exit') : 'https://www.bbc.co.uk/weather';
let leaving = false;
let fullScreen = false; // the loader says the chat covers the whole host page (a phone)

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

function quickExit() {
  if (leaving) return;
  leaving = true;
  document.body.classList.add('gone');
  // Tell the server first (the frame leaves before the socket closes): the conversation ends now,
  // marked as a quick exit, instead of waiting in the queue as a ghost or for an advisor.
  if (st.conv && st.conv.state !== 'ended') conn.send({ type: 'end', reason: 'quick_exit' });
  conn.stop();
  st.token = null;
  wipe();
  if (embedded) toParent({ type: 'exited' });
  else location.replace(exitUrl);
}

// What Tab can reach: in the open modal dialog, else anywhere on the page that is shown.
function tabbables() {
  const scope = document.querySelector('dialog[open]') || document.body;
  return [...scope.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .filter((e) => e.tabIndex >= 0 && !e.disabled && !e.closest('[hidden]') && e.checkVisibility());
}

// Full screen, the host page behind the chat is hidden: Tab wraps around inside the chat
// instead of leaving it for links nobody can see.
function trapTab(e) {
  if (!fullScreen || e.key !== 'Tab' || e.altKey || e.ctrlKey || e.metaKey) return;
  const list = tabbables();
  if (!list.length) return;
  const first = list[0];
  const last = list[list.length - 1];
  const a = document.activeElement;
  let to = null;
  if (!a || a === document.body) to = e.shiftKey ? last : first;
  else if (e.shiftKey && a === first) to = last;
  else if (!e.shiftKey && a === last) to = first;
  if (to) {
    e.preventDefault();
    to.focus();
  }
}

async function setLang(code) {
  st.lang = await loadLocale(code);
  translate(document);
  $('lang').value = st.lang;
  emit('lang');
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
  document.addEventListener('keydown', trapTab);
  // Escape minimises (the loader puts focus on the launcher); an open dialog closes first.
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && embedded && !e.defaultPrevented && !document.querySelector('dialog[open]')) {
      toParent({ type: 'minimise' });
    }
  });

  const sel = $('lang');
  for (const [code, name] of Object.entries(LOCALES)) {
    const o = el('option', '', name);
    o.value = code;
    o.lang = code;
    sel.append(o);
  }
  sel.addEventListener('change', () => setLang(sel.value));

  initScreens();
  initStart();
  $('prefer-call').addEventListener('click', () => {
    st.callerType = $('start-form').elements.caller.value || undefined;
    openCallback();
  });
  initCallback();
  initChat();
  initSafety();

  window.addEventListener('message', (e) => {
    if (!embedded || e.source !== window.parent || e.origin !== parentOrigin) return;
    const m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.hl === 'exit') quickExit();
    if (m.hl === 'layout') fullScreen = m.full === true;
    if (m.hl === 'focus') {
      const target = st.screen === 'chat' && !$('composer').hidden ? $('text') : document.querySelector('.screen:not([hidden]) h2');
      if (target) target.focus({ preventScroll: true });
    }
  });
  // The loader shows a badge (and, if the host allows it, a title) while the chat is minimised.
  // It is told only that something happened, never what was said.
  on((what, x) => {
    if (what === 'joined') toParent({ type: 'notify', kind: 'joined' });
    if (what === 'said' && x && x.from === 'advisor') toParent({ type: 'notify', kind: 'message' });
  });
  window.addEventListener('online', () => conn.nudge());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') conn.nudge();
  });
}

async function main() {
  const s = saved();
  if (s && s.token) st.token = s.token;
  const want = (s && s.lang) || params.get('lang') || 'en';
  wire();
  await setLang(want);
  setScreen('start', false);
  conn.connect();
  toParent({ type: 'ready' });
}

main().catch(() => setStatus('connection_failed'));
