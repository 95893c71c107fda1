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

/** Like t(), as nodes: each value is isolated from the sentence around it (a node as given,
 * text in a <bdi>), so a name, number or English word in an Arabic sentence keeps its order. */
export function tNodes(key, vars) {
  const frag = document.createDocumentFragment();
  const s = typeof strings[key] === 'string' ? strings[key] : key;
  let at = 0;
  for (const m of s.matchAll(/\{(\w+)\}/g)) {
    if (!(m[1] in vars)) continue;
    frag.append(s.slice(at, m.index));
    const v = vars[m[1]];
    if (v instanceof Node) frag.append(v);
    else {
      const b = document.createElement('bdi');
      b.textContent = String(v);
      frag.append(b);
    }
    at = m.index + m[0].length;
  }
  frag.append(s.slice(at));
  return frag;
}

export function raw(key) {
  return strings[key];
}

export function translate(root) {
  for (const el of root.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of root.querySelectorAll('[data-t-title]')) el.title = t(el.dataset.tTitle);
  for (const el of root.querySelectorAll('[data-t-aria-label]')) el.setAttribute('aria-label', t(el.dataset.tAriaLabel));
}
