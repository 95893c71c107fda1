// Small DOM helpers shared by the app's modules. Text always goes in as textContent.

export const $ = (id) => document.getElementById(id);

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

/** Text the server sent, in whatever language it is (a fallback may be English in an Arabic
 * chat): its direction comes from its own letters, so punctuation stays where it belongs. */
export function auto(e) {
  e.dir = 'auto';
  return e;
}

/** A phone number, always left to right and isolated from the text around it (in an Arabic
 * sentence the groups of "0808 2000 247" would otherwise read backwards). */
export function phoneNumber(phone) {
  const b = el('bdi', 'tel', phone);
  b.dir = 'ltr';
  return b;
}

/** A link that opens outside the widget, or plain text when the address is not http(s)/tel/mailto.
 * `content` is text or a node. */
export function link(href, content) {
  const node = (tag) => {
    const e = el(tag);
    e.append(content);
    return e;
  };
  if (!/^(https?:\/\/|tel:|mailto:)/i.test(href)) return node('span');
  const a = node('a');
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
