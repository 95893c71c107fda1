// Text someone typed (a visitor's message, a note, an answer, a name) shown isolated from the
// text around it, with its invisible direction controls made visible. An override character
// (U+202E and friends) could otherwise make a note display the opposite of what it says, or
// spill over into the console's own words next to it.
import { h } from './dom.js';
import { t } from './i18n.js';

const CONTROLS = {
  '\u202A': 'LRE', '\u202B': 'RLE', '\u202C': 'PDF', '\u202D': 'LRO', '\u202E': 'RLO',
  '\u2066': 'LRI', '\u2067': 'RLI', '\u2068': 'FSI', '\u2069': 'PDI',
  '\u200E': 'LRM', '\u200F': 'RLM', '\u061C': 'ALM',
};
const CONTROL_RE = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const SPLIT_RE = /([\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C])/;

export function hasControls(text) { return CONTROL_RE.test(String(text ?? '')); }

// The text as nodes: plain runs, and a visible marker (⟪RLO⟫, with a title saying what it is)
// in place of each direction control.
export function visibleControls(text) {
  const s = String(text ?? '');
  if (!CONTROL_RE.test(s)) return [s];
  return s.split(SPLIT_RE).filter((part) => part !== '').map((part) => (CONTROLS[part]
    ? h('span', { class: 'bidi-control', dir: 'ltr', title: t('bidi.control', { name: CONTROLS[part] }) }, `⟪${CONTROLS[part]}⟫`)
    : part));
}

// One piece of user text, isolated (<bdi>: its direction is its own, worked out from its first
// strong character) and with its controls visible.
export function userText(text, cls) {
  return h('bdi', { class: cls ? `user-text ${cls}` : 'user-text' }, visibleControls(text));
}

// A translated sentence with user text in it: "{name} recorded {text}" where the values of
// `nodes` are user text (isolated) and `vars` plain values.
export function tUser(key, nodes, vars = {}) {
  const template = t(key, vars);
  return template.split(/(\{\w+\})/).filter((part) => part !== '').map((part) => {
    const m = /^\{(\w+)\}$/.exec(part);
    if (!m || !(m[1] in nodes)) return part;
    const v = nodes[m[1]];
    return v instanceof Node ? v : userText(v);
  });
}
