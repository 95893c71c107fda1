/* Helpline chat widget loader.
 *   <script src="https://HOST/widget/widget.js" data-lang="en"
 *           data-exit-url="https://www.bbc.co.uk/weather" data-callback-after-minutes="10"
 *           data-title-notice="on" async></script>
 * Adds a launcher and a quick-exit button, and opens the chat app in a sandboxed iframe served
 * from HOST. Quick exit (button, or Shift pressed 3 times) blanks the page at once, asks the app
 * to close its socket and wipe its storage, removes the iframe and replaces this page with the
 * exit URL, so Back does not return. Loading it twice does nothing the second time. */
(() => {
  'use strict';
  if (window.helplineWidget) return;
  const script = document.currentScript || document.querySelector('script[src*="/widget/widget.js"]');
  if (!script) return;
  const origin = new URL(script.src, location.href).origin;
  const base = `${origin}/widget/`;
  const data = script.dataset;
  const lang = /^[a-z]{2,3}$/.test(data.lang || '') ? data.lang : 'en';
  const exitUrl = /^https?:\/\//i.test(data.exitUrl || '') ? data.exitUrl : 'https://www.bbc.co.uk/weather';
  const cb = data.callbackAfterMinutes || '';
  // Changing the page title can be seen on a shared screen: only when the host page opts in.
  const titleNotice = data.titleNotice === 'on';

  let host; let root; let bar; let launch; let badge; let live; let exitBtn; let panel; let blank; let frame = null;
  let leaving = false; let gone = false;
  let l = {}; // the launcher's strings
  let unread = 0; let ownTitle = null; let hostTitle = '';

  const mk = (tag, cls, parent) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    parent.append(e);
    return e;
  };

  function post(type, extra) {
    if (frame && frame.contentWindow) frame.contentWindow.postMessage({ hl: type, ...extra }, origin);
  }

  // The same query as loader.css: there the chat covers the whole page, which it then keeps focus in.
  const phone = matchMedia('(max-width: 480px), (max-height: 520px)');
  const layout = () => post('layout', { full: phone.matches });
  phone.addEventListener('change', layout);

  function open() {
    if (leaving || !root) return;
    if (!frame) {
      frame = mk('iframe', '', panel);
      frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox');
      frame.referrerPolicy = 'no-referrer';
      frame.title = root.dataset.title || '';
      const q = new URLSearchParams({ origin: location.origin, lang, exit: exitUrl, cb });
      frame.src = `${base}app/index.html?${q}`;
    }
    panel.hidden = false;
    bar.hidden = true;
    launch.setAttribute('aria-expanded', 'true');
    setUnread(0);
    frame.focus();
    post('focus');
    layout();
  }

  const fill = (s, n) => String(s || '').replace('{count}', n);

  // Unread advisor events while minimised: a badge and name on the launcher, and (if allowed) the title.
  function setUnread(n) {
    unread = n;
    badge.textContent = n ? String(n) : '';
    badge.hidden = !n;
    if (n) launch.setAttribute('aria-label', fill(l.open_unread, n));
    else launch.removeAttribute('aria-label');
    if (titleNotice && n) {
      if (ownTitle === null || document.title !== ownTitle) hostTitle = document.title;
      ownTitle = `(${n}) ${hostTitle}`;
      document.title = ownTitle;
    } else if (ownTitle !== null) {
      if (document.title === ownTitle) document.title = hostTitle;
      ownTitle = null;
    }
  }

  function notify(kind) {
    if (!panel.hidden || leaving) return;
    setUnread(unread + 1);
    const text = kind === 'joined' ? l.notice_joined : l.notice_message;
    if (!text) return;
    live.textContent = '';
    const p = document.createElement('p');
    p.textContent = text;
    live.append(p);
  }

  function minimise() {
    if (!root) return;
    panel.hidden = true;
    bar.hidden = false;
    launch.setAttribute('aria-expanded', 'false');
    launch.focus();
  }

  function leave() {
    if (gone) return;
    gone = true;
    if (frame) frame.remove();
    frame = null;
    location.replace(exitUrl);
  }

  function exit() {
    if (leaving) return;
    leaving = true;
    if (root) {
      blank.hidden = false;
      panel.hidden = true;
      bar.hidden = true;
    }
    if (frame) {
      post('exit');
      setTimeout(leave, 400); // the app answers 'exited' once its storage is wiped
    } else {
      leave();
    }
  }

  let shifts = 0; let shiftTimer = 0;
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Shift') { shifts = 0; return; }
    if (e.repeat) return;
    shifts += 1;
    clearTimeout(shiftTimer);
    shiftTimer = setTimeout(() => { shifts = 0; }, 5000);
    if (shifts >= 3) exit();
  }, true);

  // Full screen the host page is hidden behind the chat: focus that lands there goes back in.
  document.addEventListener('focusin', (e) => {
    if (phone.matches && frame && !panel.hidden && !leaving && e.target !== host) {
      frame.focus();
      post('focus');
    }
  });

  window.addEventListener('message', (e) => {
    if (!frame || e.source !== frame.contentWindow || e.origin !== origin) return;
    const m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.hl === 'minimise') minimise();
    else if (m.hl === 'exited') { exit(); leave(); }
    else if (m.hl === 'lang') label(m.lang);
    else if (m.hl === 'notify') notify(m.kind);
    else if (m.hl === 'ready' && !panel.hidden) {
      post('focus');
      layout();
    }
  });

  async function label(code) {
    let s;
    try {
      const res = await fetch(`${base}app/locales/${encodeURIComponent(code)}.json`, { credentials: 'omit' });
      s = await res.json();
    } catch {
      return false;
    }
    l = s.loader || {};
    root.lang = s.lang || code;
    root.dir = s.dir || 'ltr';
    root.dataset.title = l.frame_title || '';
    launch.firstChild.textContent = l.open || '';
    if (unread) launch.setAttribute('aria-label', fill(l.open_unread, unread));
    exitBtn.textContent = l.exit || '';
    exitBtn.title = l.exit_hint || '';
    root.setAttribute('aria-label', l.frame_title || '');
    if (frame) frame.title = l.frame_title || '';
    return true;
  }

  async function init() {
    host = document.createElement('div');
    host.id = 'helpline-widget';
    const shadow = host.attachShadow({ mode: 'open' });
    const css = mk('link', '', shadow);
    css.rel = 'stylesheet';
    css.href = `${base}loader.css`;
    const styled = new Promise((resolve) => { css.onload = resolve; css.onerror = resolve; });
    root = mk('aside', 'hlw', shadow);
    bar = mk('div', 'bar', root);
    bar.hidden = true;
    exitBtn = mk('button', 'exit', bar);
    launch = mk('button', 'launch', bar);
    for (const b of [exitBtn, launch]) b.type = 'button';
    launch.setAttribute('aria-expanded', 'false');
    mk('span', '', launch);
    badge = mk('span', 'badge', launch);
    badge.hidden = true;
    badge.setAttribute('aria-hidden', 'true');
    live = mk('div', 'sr', root);
    live.setAttribute('aria-live', 'polite');
    exitBtn.addEventListener('click', exit);
    launch.addEventListener('click', open);
    panel = mk('div', 'panel', root);
    panel.hidden = true;
    blank = mk('div', 'blank', root);
    blank.hidden = true;
    document.body.append(host);
    const ok = (await label(lang)) || (await label('en'));
    await styled;
    if (ok && !leaving) bar.hidden = false;
  }

  window.helplineWidget = { open, minimise, exit };
  if (document.body) init();
  else document.addEventListener('DOMContentLoaded', init);
})();
