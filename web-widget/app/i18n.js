// Strings come from locales/<lang>.json; markup names them with data-t (text), data-t-title and
// data-t-aria-label (attributes). Placeholders are {name}.

export const LOCALES = { en: 'English', es: 'Español', pl: 'Polski', ar: 'العربية' };

let strings = {};

export async function loadLocale(lang) {
  const code = Object.hasOwn(LOCALES, lang) ? lang : 'en';
  const res = await fetch(`locales/${code}.json`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`locale ${code}: ${res.status}`);
  strings = await res.json();
  document.documentElement.lang = strings.lang;
  document.documentElement.dir = strings.dir;
  return code;
}

export function t(key, vars) {
  const s = typeof strings[key] === 'string' ? strings[key] : key;
  return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)) : s;
}

export function raw(key) {
  return strings[key];
}

export function translate(root) {
  for (const el of root.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of root.querySelectorAll('[data-t-title]')) el.title = t(el.dataset.tTitle);
  for (const el of root.querySelectorAll('[data-t-aria-label]')) el.setAttribute('aria-label', t(el.dataset.tAriaLabel));
}
