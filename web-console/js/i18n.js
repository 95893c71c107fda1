// Every visible string comes from locales/<lang>.json (flat "area.key" ids, {name} placeholders).

export const UI_LANGUAGES = ['en', 'es', 'pl'];
const cache = new Map();
let current = 'en';

async function load(lang) {
  if (cache.has(lang)) return cache.get(lang);
  let dict = {};
  try {
    const res = await fetch(`locales/${encodeURIComponent(lang)}.json`, { cache: 'no-cache' });
    if (res.ok) dict = await res.json();
  } catch {
    dict = {};
  }
  cache.set(lang, dict);
  return dict;
}

// Load a language's strings (for the UI, or for text sent to a visitor in their language).
export async function preload(lang) {
  if (UI_LANGUAGES.includes(lang)) await load(lang);
}

export async function setLanguage(lang) {
  if (!UI_LANGUAGES.includes(lang)) lang = 'en';
  await load('en');
  await load(lang);
  current = lang;
  document.documentElement.lang = lang;
  document.documentElement.dir = cache.get(lang)['meta.dir'] || 'ltr';
  applyStatic(document);
}

export function language() { return current; }

function format(s, vars) {
  if (!vars) return s;
  // A missing value is left empty: never the text "null" or "undefined".
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? (vars[k] === null || vars[k] === undefined ? '' : String(vars[k])) : m));
}

export function tIn(lang, key, vars) {
  const dict = cache.get(lang) || {};
  const en = cache.get('en') || {};
  const s = dict[key] ?? en[key];
  return format(s ?? key, vars);
}

export function t(key, vars) { return tIn(current, key, vars); }

// A count in words: `key.one`, `key.few`, `key.many` or `key.other` as Intl.PluralRules says for
// the language ("1 problem", "2 problems"; Polish "2 problemy", "5 problemów"), with {n}.
export function tn(key, n, vars = {}) {
  const dict = cache.get(current) || {};
  const form = new Intl.PluralRules(current).select(n);
  const own = dict[`${key}.${form}`] ?? dict[`${key}.other`];
  const en = cache.get('en') || {};
  const s = own ?? en[`${key}.${new Intl.PluralRules('en').select(n)}`] ?? en[`${key}.other`] ?? key;
  return format(s, { n, ...vars });
}

export function has(key) { return (cache.get(current) || {})[key] !== undefined || (cache.get('en') || {})[key] !== undefined; }

// Static markup: data-i18n (text), data-i18n-placeholder, data-i18n-aria-label, data-i18n-title.
export function applyStatic(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}

// The locale dates and numbers are written in: the browser's own when it is a variant of the
// console's language (en-GB for an English console in the UK: 02/12/2026, not 12/2/2026), else
// the console's language.
export function locale() {
  const preferred = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''])
    .find((l) => l && l.split('-')[0].toLowerCase() === current);
  try { return Intl.getCanonicalLocales(preferred || current)[0]; } catch { return current; }
}

export function formatTime(ms) {
  if (!ms) return '';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short' }).format(new Date(ms));
}

export function formatClock(ms) {
  if (!ms) return '';
  return new Intl.DateTimeFormat(locale(), { timeStyle: 'short' }).format(new Date(ms));
}

// A calendar date "2026-12-02" (no time zone: the day as counted) in the console's locale.
export function formatDate(iso, style = 'medium') {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso ?? ''));
  if (!m) return String(iso ?? '');
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(locale(), { dateStyle: style, timeZone: 'UTC' }).format(day);
}

export function formatDuration(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.floor(seconds));
  const m = Math.floor(s / 60);
  const hh = Math.floor(m / 60);
  const pad = (n) => String(n).padStart(2, '0');
  return hh > 0 ? `${hh}:${pad(m % 60)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}
