// Anonymised statistics for commissioners: SVG charts, date filters, CSV export.
import { h, svg, field, fill } from './dom.js';
import { t, has, formatDuration, formatDate } from './i18n.js';
import { callerType, errorText } from './labels.js';

const MAX_DAYS = 366; // the server's limit on a range (docs/protocol.md, stats)

function dayNumber(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86400000;
}

// How wide text is drawn in a chart (11px, the console's font), so no label is cut off.
let measurer = null;
function textWidth(text) {
  if (!measurer) {
    measurer = document.createElement('canvas').getContext('2d');
    measurer.font = `11px ${getComputedStyle(document.documentElement).fontFamily}`;
  }
  return measurer.measureText(String(text)).width;
}

// The calendar date in the browser's time zone (the server counts in the helpline's zone).
function isoDate(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// A bar chart from [{label, value}] (or stacked: values {key: n} with keys), accessible as a table too.
// The label column is as wide as the longest label and the value column as the largest value.
export function barChart(title, rows, keys, keyLabel) {
  const barH = 18;
  const gap = 6;
  const bars = 420;
  const total = (r) => (keys ? keys.reduce((s, k) => s + (r.values[k] || 0), 0) : r.value);
  const max = Math.max(1, ...rows.map(total));
  const labelW = Math.ceil(Math.max(40, ...rows.map((r) => textWidth(r.label)))) + 10;
  const valueW = Math.ceil(Math.max(...rows.map((r) => textWidth(String(total(r)))), 10)) + 10;
  const width = labelW + bars + valueW;
  if (!rows.length) return h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), h('p', { class: 'muted' }, t('stats.no_data')));
  const height = rows.length * (barH + gap) + gap;
  // Drawn at its own size (11px text), narrower on a narrow screen.
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': title },
    svg('title', { text: title }),
    rows.map((r, i) => {
      const y = gap + i * (barH + gap);
      let x = labelW;
      const parts = keys ? keys.map((k, ki) => {
        const w = ((r.values[k] || 0) / max) * bars;
        const rect = svg('rect', { x, y, width: Math.max(0, w), height: barH, class: `series-${ki % 6}` }, svg('title', { text: `${keyLabel(k)}: ${r.values[k] || 0}` }));
        x += w;
        return rect;
      }) : [svg('rect', { x, y, width: (r.value / max) * bars, height: barH, class: 'series-0' })];
      x = keys ? x : labelW + (r.value / max) * bars;
      return svg('g', { 'data-key': r.key ?? null }, svg('text', { x: labelW - 6, y: y + barH - 5, 'text-anchor': 'end', class: 'chart-label', text: r.label }), parts,
        svg('text', { x: x + 4, y: y + barH - 5, class: 'chart-value', text: String(total(r)) }));
    }));
  const legend = keys ? h('ul', { class: 'legend' }, keys.map((k, ki) => h('li', {}, h('span', { class: `swatch series-${ki % 6}` }), ' ', keyLabel(k)))) : null;
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), chart, legend);
}

export function toCsv(rows) {
  const cell = (v) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export class StatsView {
  constructor(app) {
    this.app = app;
    this.data = null;
    const today = new Date();
    const start = new Date(today);
    start.setDate(start.getDate() - 27);
    this.from = h('input', { type: 'date', class: 'stats-from', value: isoDate(start), required: true });
    this.to = h('input', { type: 'date', class: 'stats-to', value: isoDate(today), required: true });
    this.out = h('div', { class: 'stats-output' });
    this.root = h('section', { class: 'stats-panel', 'aria-labelledby': 'stats-title' });
    this.render();
    app.features.onChange(() => this.render());
  }

  onShow() { if (!this.data && this.app.features.available('stats')) this.load(); }

  render() {
    const head = h('h2', { id: 'stats-title' }, t('stats.title'));
    if (!this.app.features.available('stats')) { fill(this.root, head, h('p', { class: 'muted unavailable' }, t('feature.unavailable'))); return; }
    fill(this.root, head, h('p', { class: 'muted' }, t('stats.help')),
      h('form', { class: 'stats-filter', onsubmit: (e) => { e.preventDefault(); this.load(); } },
        field(t('stats.from'), this.from), field(t('stats.to'), this.to),
        h('button', { type: 'submit', class: 'stats-load' }, t('stats.load')),
        h('button', { type: 'button', class: 'stats-csv', onclick: () => this.exportCsv(), disabled: !this.data }, t('stats.csv'))),
      this.error ? h('p', { class: 'error stats-error', role: 'alert' }, this.error) : null,
      this.out);
    this.renderData();
  }

  // A refused range clears what was shown: figures on screen are always those of the dates above.
  async load() {
    this.error = null;
    if (!this.from.value || !this.to.value) this.error = t('stats.missing_dates');
    else if (this.from.value > this.to.value) this.error = t('stats.bad_range');
    else if (dayNumber(this.to.value) - dayNumber(this.from.value) > MAX_DAYS) this.error = t('stats.too_long', { days: MAX_DAYS });
    if (this.error) {
      this.data = null;
      this.render();
      return;
    }
    try {
      this.data = await this.app.conn.request({ type: 'stats', from: this.from.value, to: this.to.value });
    } catch (err) {
      this.data = null;
      this.error = errorText(err);
    }
    this.render();
  }

  renderData() {
    const d = this.data;
    if (!d) { fill(this.out); return; }
    const days = d.days || [];
    const callerTypes = [...new Set(days.flatMap((x) => Object.keys((x.contacts && x.contacts.by_caller_type) || {})))];
    const channels = [...new Set(days.flatMap((x) => Object.keys((x.contacts && x.contacts.by_channel) || {})))];
    const waits = d.waits || {};
    const obj = (o) => Object.entries(o || {}).map(([label, value]) => ({ label, value }));
    const item = (key, value) => [h('dt', {}, t(`stats.${key}`)), h('dd', { dataset: { stat: key } }, value)];
    const referrals = Object.values(d.referrals_by_programme_type || {}).reduce((a, b) => a + b, 0);
    fill(this.out, 
      h('p', { class: 'muted stats-range' }, t('stats.range', { from: formatDate(d.from || this.from.value), to: formatDate(d.to || this.to.value), timezone: d.timezone || '' })),
      h('dl', { class: 'stats-summary' },
        item('contacts', String(d.contacts ?? days.reduce((s, x) => s + Object.values((x.contacts && x.contacts.by_channel) || {}).reduce((a, b) => a + b, 0), 0))),
        item('waits_count', String(waits.count ?? '—')),
        item('wait_median', waits.median_seconds == null ? '—' : formatDuration(waits.median_seconds)),
        item('wait_p90', waits.p90_seconds == null ? '—' : formatDuration(waits.p90_seconds)),
        item('abandoned', String(d.abandoned ?? '—')),
        item('callbacks_made', String(d.callbacks_made ?? '—')),
        item('referrals_total', String(referrals))),
      barChart(t('stats.per_day_caller'), days.map((x) => ({ key: x.date, label: formatDate(x.date), values: (x.contacts && x.contacts.by_caller_type) || {} })), callerTypes, callerType),
      barChart(t('stats.per_day_channel'), days.map((x) => ({ key: x.date, label: formatDate(x.date), values: (x.contacts && x.contacts.by_channel) || {} })), channels, (k) => t(`channel.${k}`)),
      barChart(t('stats.risk_levels'), obj(d.risk_levels).map((r) => ({ ...r, label: t(`level.${r.label}`) }))),
      barChart(t('stats.referrals'), obj(d.referrals_by_programme_type).map((r) => ({ ...r, label: has(`programme_type.${r.label}`) ? t(`programme_type.${r.label}`) : r.label }))));
  }

  csvRows() {
    const d = this.data;
    const rows = [['section', 'key', 'date', 'value']];
    rows.push(['range', 'from', '', d.from || this.from.value], ['range', 'to', '', d.to || this.to.value], ['range', 'timezone', '', d.timezone || '']);
    rows.push(['contacts', 'total', '', d.contacts ?? '']);
    for (const day of d.days || []) {
      for (const [k, v] of Object.entries((day.contacts && day.contacts.by_caller_type) || {})) rows.push(['contacts_by_caller_type', k, day.date, v]);
      for (const [k, v] of Object.entries((day.contacts && day.contacts.by_channel) || {})) rows.push(['contacts_by_channel', k, day.date, v]);
    }
    for (const [k, v] of Object.entries(d.risk_levels || {})) rows.push(['risk_levels', k, '', v]);
    for (const [k, v] of Object.entries(d.referrals_by_programme_type || {})) rows.push(['referrals_by_programme_type', k, '', v]);
    const w = d.waits || {};
    rows.push(['waits', 'count', '', w.count ?? ''], ['waits', 'median_seconds', '', w.median_seconds ?? ''], ['waits', 'p90_seconds', '', w.p90_seconds ?? '']);
    rows.push(['abandoned', '', '', d.abandoned ?? ''], ['callbacks_made', '', '', d.callbacks_made ?? '']);
    return rows;
  }

  exportCsv() {
    if (!this.data) return;
    const blob = new Blob([toCsv(this.csvRows())], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `helpline-stats-${this.from.value}-${this.to.value}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}
