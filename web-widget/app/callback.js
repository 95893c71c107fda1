// The callback screens: the form (phone, safe times among the helpline's opening hours, may we
// leave a message, may we say who is calling), the check of what will be sent (Send, Change,
// Cancel) and the confirmation of what was requested (from `callback_requested`).
import { st, on, setScreen } from './state.js';
import { t, raw, tNodes, translate } from './i18n.js';
import { $, el, hide, phoneNumber } from './dom.js';
import { requestCallback, cancelCallback } from './protocol.js';
import { announce } from './screens.js';

const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MAX_TIMES = 14;
const STEP = 30; // minutes between the times offered
const DAY_MINUTES = 24 * 60;

const pad = (n) => String(n).padStart(2, '0');
const minutes = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmm = (m) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;

// The helpline's time zone: safe times are in it.
const hours = () => (st.welcome && st.welcome.hours) || null;
const tz = () => hours() && hours().timezone;

/** The visitor's clock: their browser's locale when it is a variant of the page's language. */
function clockLocale() {
  const mine = (navigator.languages || [navigator.language]).find((l) => l && l.split('-')[0] === st.lang);
  return mine || raw('clock_locale') || st.lang;
}

function clock(m) {
  try {
    return new Intl.DateTimeFormat(clockLocale(), { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' })
      .format(new Date(Date.UTC(2000, 0, 1) + (m % DAY_MINUTES) * 60000));
  } catch {
    return hhmm(m);
  }
}

/** Open ranges in minutes per day, { mon: [[540, 1020]], ... }, from `welcome.hours`. */
function openRanges() {
  const h = hours();
  const out = {};
  for (const d of WEEK) out[d] = !h || h.always_open ? [[0, DAY_MINUTES]] : [];
  if (h && !h.always_open && Array.isArray(h.weekly)) {
    for (const r of h.weekly) {
      if (!r || !Object.hasOwn(out, r.day) || !/^\d\d:\d\d$/.test(r.open) || !/^\d\d:\d\d$/.test(r.close)) continue;
      const from = minutes(r.open);
      const to = minutes(r.close);
      if (from < to) out[r.day].push([from, to]);
    }
    for (const d of WEEK) out[d].sort((a, b) => a[0] - b[0]);
  }
  return out;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function weekday(ms) {
  try {
    const name = new Intl.DateTimeFormat('en-GB', { timeZone: tz() || 'UTC', weekday: 'short' }).format(new Date(ms));
    return name.slice(0, 3).toLowerCase();
  } catch {
    return WEEK[(new Date(ms).getUTCDay() + 6) % 7];
  }
}

/**
 * The day choices: the open days, starting with today (or, when the line is closed now, the day
 * it opens next); first "any day we're open" when every open day has the same hours.
 */
function dayChoices() {
  const ranges = openRanges();
  const h = hours();
  const from = weekday(h && !h.open_now && h.next_open_at ? h.next_open_at : Date.now());
  const i = Math.max(0, WEEK.indexOf(from));
  const open = [...WEEK.slice(i), ...WEEK.slice(0, i)].filter((d) => ranges[d].length);
  const choices = open.map((d) => ({ value: d, label: t(`day_${d}`), ranges: ranges[d] }));
  if (open.length > 1 && open.every((d) => same(ranges[d], ranges[open[0]]))) {
    const label = t(open.length === WEEK.length ? 'day_any' : 'day_any_open');
    choices.unshift({ value: 'any', label, ranges: ranges[open[0]], days: open.length === WEEK.length ? ['any'] : open });
  }
  return choices;
}

/** Start times within the ranges, every STEP minutes. */
function starts(ranges) {
  const out = [];
  for (const [open, close] of ranges) for (let m = open; m < close; m += STEP) out.push(m);
  return out;
}

/** End times after `from` within the same range (every end of every range when from is null). */
function ends(ranges, from) {
  const out = [];
  for (const [open, close] of ranges) {
    if (from !== null && (from < open || from >= close)) continue;
    for (let m = open + STEP; m < close; m += STEP) if (from === null || m > from) out.push(m);
    out.push(close);
  }
  return [...new Set(out)];
}

/** Replaces a select's options: a "choose" prompt, then `items` ({ value, label }); keeps the choice if it is still there. */
function fill(select, prompt, items) {
  const keep = select.value;
  select.textContent = '';
  const first = el('option', '', t(prompt));
  first.value = '';
  select.append(first);
  for (const it of items) {
    const o = el('option', '', it.label);
    o.value = it.value;
    select.append(o);
  }
  select.value = items.some((it) => it.value === keep) ? keep : '';
}

/** Redraws one row's choices for its day (and its start time). */
function drawRow(li) {
  const day = li.querySelector('.day');
  const choices = dayChoices();
  fill(day, 'choose_day', choices);
  const choice = choices.find((c) => c.value === day.value);
  const ranges = choice ? choice.ranges : [];
  const from = li.querySelector('.from');
  fill(from, 'choose_time', starts(ranges).map((m) => ({ value: hhmm(m), label: clock(m) })));
  const to = li.querySelector('.to');
  fill(to, 'choose_time', ends(ranges, from.value ? minutes(from.value) : null).map((m) => ({ value: hhmm(m), label: clock(m) })));
}

function addTime() {
  const list = $('cb-times');
  if (list.children.length >= MAX_TIMES) return;
  const li = $('t-time').content.firstElementChild.cloneNode(true);
  translate(li);
  li.querySelector('.day').addEventListener('change', () => drawRow(li));
  li.querySelector('.from').addEventListener('change', () => drawRow(li));
  li.querySelector('.remove').addEventListener('click', () => {
    li.remove();
    syncTimes();
    $('cb-add').focus();
  });
  list.append(li);
  drawRow(li);
  syncTimes();
  return li;
}

function syncTimes() {
  const rows = $('cb-times').children;
  for (const r of rows) r.querySelector('.remove').hidden = rows.length < 2;
  $('cb-add').hidden = rows.length >= MAX_TIMES;
}

/** "Monday to Friday, 09:00 to 17:00": the hours, consecutive days with the same hours together. */
function hoursText() {
  const ranges = openRanges();
  const parts = [];
  for (let i = 0; i < WEEK.length; i += 1) {
    const r = ranges[WEEK[i]];
    if (!r.length) continue;
    let j = i;
    while (j + 1 < WEEK.length && same(ranges[WEEK[j + 1]], r)) j += 1;
    const day = i === j ? t(`day_${WEEK[i]}`) : t('day_span', { first: t(`day_${WEEK[i]}`), last: t(`day_${WEEK[j]}`) });
    for (const [open, close] of r) parts.push(t('time_range', { day, from: clock(open), to: clock(close) }));
    i = j;
  }
  return parts.join('; ');
}

/** The hints above the times: the time zone, the hours, and when closed, the earliest call. */
function drawHints() {
  const h = hours();
  $('cb-tz').replaceChildren(tNodes('safe_times_hint', { tz: tz() || 'UTC' }));
  const always = !h || h.always_open;
  const text = always ? '' : hoursText();
  $('cb-hours').textContent = always ? '' : text ? t('callback_hours', { hours: text }) : t('callback_no_hours');
  hide('cb-hours', always);
  let next = '';
  if (h && !h.open_now && h.next_open_at) {
    try {
      next = new Intl.DateTimeFormat(clockLocale(), { timeZone: tz(), weekday: 'long', hour: 'numeric', minute: '2-digit' }).format(new Date(h.next_open_at));
    } catch {
      next = '';
    }
  }
  $('cb-next').textContent = next ? t('callback_next_open', { when: next }) : '';
  hide('cb-next', !next);
}

function clearErrors() {
  $('cb-phone-error').hidden = true;
  $('cb-times-error').hidden = true;
  $('cb-times-many').hidden = true;
  $('cb-phone').removeAttribute('aria-invalid');
}

/** Opens an empty form; Back returns to the screen it was opened from. */
export function openCallback() {
  st.back = st.screen;
  $('cb-form').reset();
  $('cb-times').textContent = '';
  addTime();
  drawHints();
  clearErrors();
  setScreen('callback');
}

function relabel() {
  for (const li of $('cb-times').children) {
    translate(li);
    drawRow(li);
  }
  drawHints();
  if (pending) drawCheck(pending);
}

function validPhone(p) {
  const digits = p.replace(/\D/g, '').length;
  return /^[0-9 +\-()]{7,20}$/.test(p) && digits >= 7 && digits <= 15;
}

/** One row's window, or null when something is missing or outside the hours. */
function readRow(li) {
  const choice = dayChoices().find((c) => c.value === li.querySelector('.day').value);
  const from = li.querySelector('.from').value;
  const to = li.querySelector('.to').value;
  if (!choice || !from || !to) return null;
  if (!starts(choice.ranges).includes(minutes(from)) || !ends(choice.ranges, minutes(from)).includes(minutes(to))) return null;
  return { choice, from, to };
}

/** Reads and checks the form; returns the request fields or null (errors shown, focus moved). */
function read() {
  const phone = $('cb-phone').value.trim();
  const phoneOk = validPhone(phone);
  $('cb-phone-error').hidden = phoneOk;
  if (phoneOk) $('cb-phone').removeAttribute('aria-invalid');
  else $('cb-phone').setAttribute('aria-invalid', 'true');
  const rows = [];
  let missing = null;
  for (const li of $('cb-times').children) {
    const r = readRow(li);
    if (r) rows.push(r);
    else if (!missing) missing = [...li.querySelectorAll('select')].find((s) => !s.value) || li.querySelector('.day');
  }
  const safe = [];
  for (const r of rows) {
    for (const day of r.choice.days || [r.choice.value]) {
      if (!safe.some((s) => s.day === day && s.from === r.from && s.to === r.to)) safe.push({ day, from: r.from, to: r.to });
    }
  }
  const tooMany = !missing && safe.length > MAX_TIMES;
  $('cb-times-error').hidden = !missing;
  $('cb-times-many').hidden = !tooMany;
  if (!phoneOk) {
    $('cb-phone').focus();
    return null;
  }
  if (missing || tooMany) {
    (missing || $('cb-times').querySelector('.day')).focus();
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
  return { req, rows };
}

const yesNo = (b) => t(b ? 'yes' : 'no');
const rangeText = (day, from, to) => t('time_range', { day, from: clock(minutes(from)), to: clock(minutes(to)) });

let pending = null; // what the check screen shows, not sent yet

/** The check screen: what will be sent, before it is sent. */
function drawCheck({ req, rows }) {
  $('cbc-phone').textContent = t('callback_check_phone', { phone: req.phone });
  const list = $('cbc-times');
  list.textContent = '';
  for (const r of rows) {
    const label = (dayChoices().find((c) => c.value === r.choice.value) || r.choice).label;
    list.append(el('li', '', rangeText(label, r.from, r.to)));
  }
  $('cbc-leave').textContent = t('callback_done_message', { answer: yesNo(req.may_leave_message) });
  $('cbc-saywho').textContent = t('callback_done_say_who', { answer: yesNo(req.may_say_who_is_calling) });
  $('cbc-note').textContent = req.note ? t('callback_check_note', { note: req.note }) : '';
  hide('cbc-note', !req.note);
}

function cancel() {
  pending = null;
  $('cb-form').reset();
  $('cb-times').textContent = '';
  announce(t('callback_cancelled'));
  setScreen(st.back);
}

let requestedId = null; // the request on the confirmation screen, while it can be taken back

export function initCallback() {
  on((what, x) => {
    if (what === 'lang') relabel();
    if (what === 'callback_requested') done(x);
    if (what === 'callback_cancelled' && x && x.callback_id === requestedId) {
      // Taken back: nobody will call. Say so where the confirmation was.
      requestedId = null;
      hide('cbd-cancel');
      $('cbd-cancelled').textContent = t('callback_request_cancelled');
      hide('cbd-cancelled', false);
      announce(t('callback_request_cancelled'));
    }
    // Send works once; again after an error or on another screen.
    if (what === 'screen' || (what === 'status' && x)) $('cbc-send').disabled = false;
  });
  $('cb-add').addEventListener('click', () => {
    const li = addTime();
    if (li) li.querySelector('.day').focus();
  });
  $('closed-callback').addEventListener('click', openCallback);
  $('offer-callback').addEventListener('click', openCallback);
  $('cb-form').addEventListener('submit', (e) => {
    e.preventDefault();
    pending = read();
    if (!pending) return;
    drawCheck(pending);
    setScreen('cb-check');
  });
  $('cb-back').addEventListener('click', () => setScreen(st.back));
  $('cbc-send').addEventListener('click', () => {
    if (!pending) return;
    $('cbc-send').disabled = true;
    requestCallback(pending.req);
  });
  $('cbc-change').addEventListener('click', () => {
    pending = null;
    setScreen('callback');
  });
  $('cbc-cancel').addEventListener('click', cancel);
  $('cbd-back').addEventListener('click', () => setScreen('chat'));
  $('cbd-cancel').addEventListener('click', () => { if (requestedId) cancelCallback(requestedId); });
}

/** Fills the confirmation screen from a `callback_requested` reply. */
function done(m) {
  pending = null;
  requestedId = m.callback_id || null;
  hide('cbd-cancel', !requestedId);
  hide('cbd-cancelled');
  $('cbd-phone').replaceChildren(tNodes('callback_done_phone', { digits: phoneNumber(m.phone_last_digits || '') }));
  let when = '';
  if (m.due_at) {
    try {
      when = new Intl.DateTimeFormat(clockLocale(), { timeZone: tz(), dateStyle: 'full', timeStyle: 'short' }).format(new Date(m.due_at));
    } catch {
      when = '';
    }
  }
  $('cbd-due').textContent = when ? t('callback_done_due', { when }) : '';
  hide('cbd-due', !when);
  const list = $('cbd-times');
  list.textContent = '';
  for (const s of Array.isArray(m.safe_times) ? m.safe_times : []) {
    if (!s || !/^\d\d:\d\d$/.test(s.from) || !/^\d\d:\d\d$/.test(s.to)) continue;
    list.append(el('li', '', rangeText(t(`day_${s.day}`), s.from, s.to)));
  }
  $('cbd-leave').textContent = t('callback_done_message', { answer: yesNo(m.may_leave_message) });
  $('cbd-saywho').textContent = t('callback_done_say_who', { answer: yesNo(m.may_say_who_is_calling) });
  $('cb-form').reset();
  $('cb-times').textContent = '';
  hide('cbd-back', !(st.conv && st.conv.state !== 'ended'));
}
