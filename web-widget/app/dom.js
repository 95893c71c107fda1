// Small DOM helpers shared by the app's modules. Text always goes in as textContent.

export const $ = (id) => document.getElementById(id);

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

/** A link that opens outside the widget, or plain text when the address is not http(s)/tel/mailto. */
export function link(href, text) {
  if (!/^(https?:\/\/|tel:|mailto:)/i.test(href)) return el('span', '', text);
  const a = el('a', '', text);
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

export function telHref(phone) {
  return `tel:${String(phone).replace(/[^0-9+]/g, '')}`;
}

export function hide(id, hidden = true) {
  $(id).hidden = hidden;
}
