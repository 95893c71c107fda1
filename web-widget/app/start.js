// The first screens: who is getting in touch (services at once for someone experiencing abuse),
// the language, start or ask for a call; and, when the line is closed, when it opens again.
import { st, on } from './state.js';
import { t, raw } from './i18n.js';
import { $, hide } from './dom.js';
import { servicesBox, servicesForAnyone } from './cards.js';
import { start } from './protocol.js';

function formatTime(ms) {
  const tz = (st.welcome && st.welcome.hours && st.welcome.hours.timezone) || undefined;
  try {
    return new Intl.DateTimeFormat(st.lang, { timeZone: tz, weekday: 'long', hour: 'numeric', minute: '2-digit' }).format(new Date(ms));
  } catch {
    return new Date(ms).toUTCString();
  }
}

function showClosed() {
  const w = st.welcome || {};
  const next = w.hours && w.hours.next_open_at;
  $('opens-at').textContent = next ? t('opens_at', { when: formatTime(next) }) : '';
  const box = $('closed-services');
  box.textContent = '';
  box.append(servicesForAnyone());
}

export function initStart() {
  const form = $('start-form');
  on((what, x) => {
    if (what === 'screen' && st.screen === 'closed') showClosed();
    if (what === 'starting') form.querySelector('[type=submit]').disabled = x;
  });
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
    start(caller);
  });
}
