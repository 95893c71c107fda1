// What every screen shares: showing the current one (focus on its heading), the status line,
// the polite announcements, and the connection state on <body> for styles.
import { st, on } from './state.js';
import { t } from './i18n.js';
import { $, el } from './dom.js';

export function announce(text) {
  const a = $('announce');
  a.append(el('p', '', text));
  while (a.childElementCount > 3) a.firstElementChild.remove();
}

/** Moves focus to `target` only when focus was lost (its element hidden or removed). */
export function keepFocus(target) {
  const a = document.activeElement;
  if ((!a || a === document.body) && document.hasFocus() && !target.closest('[hidden]')) target.focus();
}

export function initScreens() {
  on((what, x) => {
    if (what === 'screen') {
      for (const s of document.querySelectorAll('.screen')) s.hidden = s.id !== `s-${st.screen}`;
      const h = x && document.querySelector(`#s-${st.screen} h2`);
      if (h) h.focus({ preventScroll: true });
    }
    if (what === 'status') {
      $('status').textContent = x ? t(x) : '';
      $('status').hidden = !x;
    }
    if (what === 'conn') document.body.dataset.conn = x;
  });
}
