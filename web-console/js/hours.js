// Opening hours editor (admins): time zone, always open, open-close ranges per weekday and
// closures, saved with `hours_set` (docs/protocol.md, "Opening hours (admins)"). The server
// validates and names the bad key (e.g. `hours.weekly.mon`); that error is shown next to the form
// and the field it names is marked.
import { h, field, uid, fill } from './dom.js';
import { t, formatTime } from './i18n.js';
import { errorText } from './labels.js';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function timeZones() {
  try { return Intl.supportedValuesOf('timeZone'); } catch { return ['Europe/London']; }
}

// The editable copy: every weekday present, ranges as [open, close] strings, closures as objects.
function normalise(hours) {
  const src = hours && typeof hours === 'object' ? hours : {};
  const weekly = {};
  for (const d of DAYS) weekly[d] = (src.weekly && Array.isArray(src.weekly[d]) ? src.weekly[d] : []).map((r) => [String(r[0] ?? ''), String(r[1] ?? '')]);
  return {
    ...src,
    timezone: src.timezone || 'Europe/London',
    always_open: Boolean(src.always_open),
    weekly,
    closures: (Array.isArray(src.closures) ? src.closures : []).map((c) => ({ date: c.date || '', reason: c.reason || '' })),
  };
}

// "Open now, closes at ..." / "Closed now; opens ..." from a `status` (the shape of welcome.hours).
export function hoursStatusText(status) {
  if (!status) return '';
  if (status.always_open) return t('hours.status_always');
  if (status.open_now) return status.closes_at ? t('hours.status_open_until', { time: formatTime(status.closes_at) }) : t('hours.status_open');
  return status.next_open_at ? t('hours.status_closed_until', { time: formatTime(status.next_open_at) }) : t('hours.status_closed_no_hours');
}

export class HoursEditor {
  constructor(app) {
    this.app = app;
    this.model = null;
    this.status = null;
    this.error = '';
    this.errorKey = '';
    this.saved = false;
    this.root = h('section', { class: 'admin-hours', 'aria-labelledby': uid('hours-title') });
    this.tzList = h('datalist', { id: uid('tz') }, timeZones().map((z) => h('option', { value: z })));
  }

  async load() {
    try {
      const reply = await this.app.conn.request({ type: 'hours_get' });
      this.model = normalise(reply.hours);
      this.status = reply.status || null;
    } catch (err) { this.error = errorText(err); }
    this.render();
  }

  render() {
    const available = this.app.features.available('hours_get');
    this.root.hidden = !available;
    if (!available) { fill(this.root); return; }
    const title = h('h3', { id: this.root.getAttribute('aria-labelledby') }, t('admin.hours'));
    if (!this.model) { fill(this.root, title, this.error ? h('p', { class: 'error hours-error', role: 'alert' }, this.error) : h('p', { class: 'muted' }, t('cues.loading'))); return; }
    // Keep the focus on the field that had it (ranges are added and removed by re-rendering).
    const active = document.activeElement;
    const focusKey = active && this.root.contains(active) ? active.dataset.key : null;
    const m = this.model;
    const canSave = this.app.features.available('hours_set');
    const tz = this.input('timezone', { value: m.timezone, list: this.tzList.id, autocomplete: 'off', spellcheck: 'false', class: 'hours-timezone' }, (v) => { m.timezone = v.trim(); });
    const always = h('input', { type: 'checkbox', class: 'hours-always', checked: m.always_open, dataset: { key: 'always_open' } });
    always.addEventListener('change', () => { m.always_open = always.checked; this.render(); });
    const form = h('form', { class: 'hours-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); this.save(); } },
      field(t('hours.timezone'), tz, t('hours.timezone_hint')), this.tzList,
      h('label', { class: 'inline' }, always, ' ', t('hours.always_open')),
      h('fieldset', { class: 'hours-weekly', disabled: m.always_open },
        h('legend', {}, t('hours.weekly')),
        m.always_open ? h('p', { class: 'muted' }, t('hours.always_open_note')) : null,
        DAYS.map((d) => this.renderDay(d))),
      this.renderClosures(),
      h('p', { class: 'error hours-error', role: 'alert' }, this.error),
      h('button', { type: 'submit', class: 'primary hours-save', disabled: !canSave }, t('admin.save')));
    fill(this.root, title, h('p', { class: 'muted' }, t('admin.hours_help')), form,
      h('p', { class: `hours-status${this.saved ? ' ok' : ''}`, role: 'status' }, this.status ? [this.saved ? `${t('admin.saved')} ` : '', hoursStatusText(this.status)] : ''));
    if (focusKey) {
      const el = this.root.querySelector(`[data-key="${CSS.escape(focusKey)}"]`);
      if (el) el.focus();
    }
  }

  // A text input bound to the model; `key` identifies it across re-renders.
  input(key, attrs, onInput) {
    const el = h('input', { ...attrs, dataset: { key } });
    el.addEventListener('input', () => { onInput(el.value); this.saved = false; });
    if (this.errorKey && key.startsWith(this.errorKey)) el.setAttribute('aria-invalid', 'true');
    return el;
  }

  renderDay(d) {
    const ranges = this.model.weekly[d];
    const day = t(`hours.day.${d}`);
    const invalid = this.errorKey === `weekly.${d}`;
    return h('fieldset', { class: `hours-day${invalid ? ' invalid' : ''}`, dataset: { day: d } },
      h('legend', {}, day),
      ranges.length ? h('ul', { class: 'hours-ranges' }, ranges.map((r, i) => h('li', { class: 'hours-range' },
        this.timeInput(`weekly.${d}.${i}.0`, r, 0, t('hours.opens_on', { day, n: i + 1 })), ' – ',
        this.timeInput(`weekly.${d}.${i}.1`, r, 1, t('hours.closes_on', { day, n: i + 1 })), ' ',
        h('button', { type: 'button', class: 'small hours-remove-range', dataset: { key: `remove.${d}.${i}` }, 'aria-label': t('hours.remove_range_on', { day, n: i + 1 }),
          onclick: () => { ranges.splice(i, 1); this.changed(`add.${d}`); } }, t('hours.remove'))))) : h('p', { class: 'muted hours-closed-day' }, t('hours.closed_all_day')),
      h('button', { type: 'button', class: 'small hours-add-range', dataset: { key: `add.${d}` }, 'aria-label': t('hours.add_range_on', { day }),
        onclick: () => {
          const last = ranges[ranges.length - 1];
          ranges.push(last ? [last[1], ''] : ['09:00', '17:00']);
          this.changed(`weekly.${d}.${ranges.length - 1}.0`);
        } }, t('hours.add_range')));
  }

  timeInput(key, range, index, label) {
    const invalid = this.errorKey && key.startsWith(this.errorKey);
    const el = h('input', { class: 'hours-time', value: range[index], inputmode: 'numeric', maxlength: '5', size: '5', placeholder: t('hours.time_placeholder'),
      pattern: '[0-9]{2}:[0-9]{2}', 'aria-label': label, 'aria-invalid': invalid ? 'true' : null, dataset: { key } });
    el.addEventListener('input', () => { range[index] = el.value.trim(); this.saved = false; });
    return el;
  }

  renderClosures() {
    const list = this.model.closures;
    return h('fieldset', { class: 'hours-closures' }, h('legend', {}, t('hours.closures')),
      list.length ? h('ul', { class: 'hours-closure-list' }, list.map((c, i) => h('li', { class: 'hours-closure' },
        h('label', { class: 'inline' }, t('hours.closure_date'), ' ',
          this.input(`closures.${i}.date`, { type: 'date', value: c.date, class: 'closure-date' }, (v) => { c.date = v; })),
        h('label', { class: 'inline' }, t('hours.closure_reason'), ' ',
          this.input(`closures.${i}.reason`, { value: c.reason, class: 'closure-reason', maxlength: '200' }, (v) => { c.reason = v; })),
        h('button', { type: 'button', class: 'small hours-remove-closure', dataset: { key: `remove-closure.${i}` }, 'aria-label': t('hours.remove_closure', { n: i + 1 }),
          onclick: () => { list.splice(i, 1); this.changed('add-closure'); } }, t('hours.remove'))))) : h('p', { class: 'muted' }, t('hours.no_closures')),
      h('button', { type: 'button', class: 'small hours-add-closure', dataset: { key: 'add-closure' },
        onclick: () => { list.push({ date: '', reason: '' }); this.changed(`closures.${list.length - 1}.date`); } }, t('hours.add_closure')));
  }

  // Re-render after adding or removing a row and put the focus on `focusKey`.
  changed(focusKey) {
    this.saved = false;
    this.render();
    const el = this.root.querySelector(`[data-key="${CSS.escape(focusKey)}"]`) || this.root.querySelector('.hours-timezone');
    if (el) el.focus();
  }

  async save() {
    const m = this.model;
    const hours = { ...m, closures: m.closures.filter((c) => c.date || c.reason) };
    this.saved = false;
    try {
      const reply = await this.app.conn.request({ type: 'hours_set', hours });
      this.model = normalise(reply.hours || hours);
      this.status = reply.status || null;
      this.error = '';
      this.errorKey = '';
      this.saved = true;
      this.app.announce(t('admin.saved'));
    } catch (err) {
      // bad_request names the key: "config: hours.weekly.mon: no such time "25:00"".
      const named = err.code === 'bad_request' && err.message ? err.message.replace(/^config:\s*/, '') : '';
      this.errorKey = (named.match(/^hours\.([\w.]+)/) || [])[1] || '';
      this.error = named ? t('hours.refused', { reason: named }) : errorText(err);
    }
    this.render();
    if (this.error) {
      const bad = this.root.querySelector('[aria-invalid="true"]');
      if (bad) bad.focus();
    }
  }
}
