// Urgent help for a visitor whose conversation reached high or imminent risk (the server's
// `safety` frame, or `welcome.conversation.safety` after a reload): a warm acknowledgement, the
// emergency number and the lines that fit their caller type, and "stay in this chat". It stays
// below the conversation, next to the message box, so it is where the visitor is looking; once an
// advisor joins it folds to its heading, one tap from open again.
import { st, on } from './state.js';
import { t, tNodes } from './i18n.js';
import { $, el, auto, link, phoneNumber, telHref } from './dom.js';
import { announce } from './screens.js';

let shown = null; // the level on screen

function render(frame) {
  const box = $('chat-safety');
  const imminent = frame.level === 'imminent';
  const details = el('details', `safety ${imminent ? 'imminent' : 'high'}`);
  details.open = !(st.conv && st.conv.state === 'active');
  const summary = el('summary', '', t(imminent ? 'safety_heading_imminent' : 'safety_heading_high'));
  details.append(summary);
  details.append(el('p', '', t('safety_thanks')));
  const list = el('ul', 'service-list');
  for (const s of Array.isArray(frame.urgent_help) ? frame.urgent_help : []) {
    const li = el('li', 'service');
    li.append(auto(el('p', 'name', s.name || '')));
    if (s.description) li.append(auto(el('p', '', s.description)));
    if (s.phone) {
      // The number reads left to right in an Arabic page too (dom.js, phoneNumber).
      const call = link(telHref(s.phone), tNodes('call', { phone: phoneNumber(s.phone) }));
      call.classList.add('call');
      li.append(call);
    }
    if (s.url) {
      li.append(' ');
      li.append(link(s.url, t('website', { name: s.name || '' })));
    }
    list.append(li);
  }
  details.append(list);
  details.append(el('p', 'stay', t('safety_stay')));
  box.replaceChildren(details);
  box.hidden = false;
  details.scrollIntoView({ block: 'nearest' });
  announce(`${summary.textContent} ${t('safety_stay')}`);
}

export function initSafety() {
  on((what, x) => {
    if (what === 'safety' && x && (x.level === 'imminent' || x.level === 'high')) {
      if (shown === 'imminent' && x.level === 'high') return;
      shown = x.level;
      render(x);
    } else if (what === 'reset') {
      shown = null;
      $('chat-safety').replaceChildren();
      $('chat-safety').hidden = true;
    } else if (what === 'joined') {
      // The advisor is there now: fold the box, keep it one tap away.
      const d = $('chat-safety').querySelector('details');
      if (d) d.open = false;
    }
  });
}
