// The callback screens: the form (phone, safe times, may we leave a message, may we say who is
// calling) and the confirmation of what was requested (from `callback_requested`).
import { st, on, setScreen } from './state.js';
import { t, tNodes, translate } from './i18n.js';
import { $, el, hide, phoneNumber } from './dom.js';
import { requestCallback } from './protocol.js';

const DAYS = ['any', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MAX_TIMES = 14;

function addTime() {
  const list = $('cb-times');
  if (list.children.length >= MAX_TIMES) return;
  const li = $('t-time').content.firstElementChild.cloneNode(true);
  translate(li);
  const day = li.querySelector('.day');
  for (const d of DAYS) {
    const o = el('option', '', t(`day_${d}`));
    o.value = d;
    day.append(o);
  }
  li.querySelector('.remove').addEventListener('click', () => {
    li.remove();
    syncTimes();
    $('cb-add').focus();
  });
  list.append(li);
  syncTimes();
  return li;
}

function syncTimes() {
  const rows = $('cb-times').children;
  for (const r of rows) r.querySelector('.remove').hidden = rows.length < 2;
  $('cb-add').hidden = rows.length >= MAX_TIMES;
}

// The helpline's time zone: safe times are in it.
const tz = () => st.welcome && st.welcome.hours && st.welcome.hours.timezone;

/** Opens an empty form; Back returns to the screen it was opened from. */
export function openCallback() {
  st.back = st.screen;
  $('cb-form').reset();
  $('cb-times').textContent = '';
  addTime();
  $('cb-tz').replaceChildren(tNodes('safe_times_hint', { tz: tz() || 'UTC' }));
  $('cb-phone-error').hidden = true;
  $('cb-times-error').hidden = true;
  $('cb-phone').removeAttribute('aria-invalid');
  setScreen('callback');
}

function relabel() {
  for (const li of $('cb-times').children) {
    translate(li);
    const options = li.querySelector('.day').options;
    for (let i = 0; i < options.length; i += 1) options[i].textContent = t(`day_${options[i].value}`);
  }
  $('cb-tz').replaceChildren(tNodes('safe_times_hint', { tz: tz() || 'UTC' }));
}

function validPhone(p) {
  const digits = p.replace(/\D/g, '').length;
  return /^[0-9 +\-()]{7,20}$/.test(p) && digits >= 7 && digits <= 15;
}

/** Reads and checks the form; returns the request fields or null (errors shown, focus moved). */
function read() {
  const phone = $('cb-phone').value.trim();
  const phoneOk = validPhone(phone);
  $('cb-phone-error').hidden = phoneOk;
  if (phoneOk) $('cb-phone').removeAttribute('aria-invalid');
  else $('cb-phone').setAttribute('aria-invalid', 'true');
  const safe = [];
  let timesOk = true;
  for (const li of $('cb-times').children) {
    const from = li.querySelector('.from').value;
    const to = li.querySelector('.to').value;
    if (!from || !to || from >= to) timesOk = false;
    safe.push({ day: li.querySelector('.day').value, from, to });
  }
  $('cb-times-error').hidden = timesOk;
  if (!phoneOk) {
    $('cb-phone').focus();
    return null;
  }
  if (!timesOk) {
    $('cb-times').querySelector('.from').focus();
    return null;
  }
  const form = $('cb-form');
  const req = {
    phone,
    safe_times: safe,
    may_leave_message: form.elements.leave.value === 'yes',
    may_say_who_is_calling: form.elements.saywho.value === 'yes',
  };
  const note = $('cb-note').value.trim();
  if (note) req.note = note;
  return req;
}

export function initCallback() {
  on((what, x) => {
    if (what === 'lang') relabel();
    if (what === 'callback_requested') done(x);
  });
  $('cb-add').addEventListener('click', () => {
    const li = addTime();
    if (li) li.querySelector('.day').focus();
  });
  $('closed-callback').addEventListener('click', openCallback);
  $('offer-callback').addEventListener('click', openCallback);
  $('cb-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const req = read();
    if (req) requestCallback(req);
  });
  $('cb-back').addEventListener('click', () => setScreen(st.back));
  $('cbd-back').addEventListener('click', () => setScreen('chat'));
}

/** Fills the confirmation screen from a `callback_requested` reply. */
function done(m) {
  const yesNo = (b) => t(b ? 'yes' : 'no');
  $('cbd-phone').replaceChildren(tNodes('callback_done_phone', { digits: phoneNumber(m.phone_last_digits || '') }));
  let when = '';
  if (m.due_at) {
    try {
      when = new Intl.DateTimeFormat(st.lang, { timeZone: tz(), dateStyle: 'full', timeStyle: 'short' }).format(new Date(m.due_at));
    } catch {
      when = new Date(m.due_at).toUTCString();
    }
  }
  $('cbd-due').textContent = when ? t('callback_done_due', { when }) : '';
  const list = $('cbd-times');
  list.textContent = '';
  for (const s of Array.isArray(m.safe_times) ? m.safe_times : []) {
    list.append(el('li', '', t('time_range', { day: t(`day_${s.day}`), from: s.from, to: s.to })));
  }
  $('cbd-leave').textContent = t('callback_done_message', { answer: yesNo(m.may_leave_message) });
  $('cbd-saywho').textContent = t('callback_done_say_who', { answer: yesNo(m.may_say_who_is_calling) });
  $('cb-phone').value = '';
  hide('cbd-back', !(st.conv && st.conv.state !== 'ended'));
}
