// Cues found in the visitor's messages (minimisation, blame...) with the suggested responses
// from content for each, ready to insert into the message box. One entry per cue however often it
// fired (with every place it did); suggestions meant for this caller type only (a professional is
// not offered lines addressed to the person using abuse); "{quote}" filled with the visitor's own
// words, and a suggestion that needs a quotation left out when there is none.
import { h, fill } from '../../dom.js';
import { t } from '../../i18n.js';
import { spanText } from '../../evidence.js';
import { cueName } from '../../labels.js';
import { tUser } from '../../user_text.js';

function suggestionsFor(content, cue, callerType, quote) {
  const list = content && content.cue_responses ? (content.cue_responses[cue] || []) : [];
  const seen = new Set();
  const out = [];
  for (const sug of list) {
    const s = typeof sug === 'string' ? { text: sug, caller_types: [] } : sug;
    const types = Array.isArray(s.caller_types) ? s.caller_types : [];
    if (types.length && callerType && !types.includes(callerType)) continue;
    if (s.text.includes('{quote}') && !quote) continue;
    const text = s.text.replace('{quote}', quote || '');
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(text);
  }
  return out;
}

export class CuesPanel {
  constructor(conv) {
    this.conv = conv;
    this.el = h('section', { class: 'side-cues' });
  }

  render() {
    const { app, tab, lang, state, record } = this.conv;
    const byCue = new Map(); // cue -> occurrences in message order
    for (const m of tab.messages.values()) {
      for (const c of m.cues || []) {
        const text = spanText(m.text, c);
        if (!byCue.has(c.cue)) byCue.set(c.cue, []);
        byCue.get(c.cue).push({ seq: m.seq, text });
      }
    }
    for (const list of byCue.values()) list.sort((a, b) => a.seq - b.seq);
    const content = app.content.get(lang);
    const unavailable = !app.features.available('content');
    if (!content && !unavailable && byCue.size) app.loadContent(lang).then((c) => c && this.conv.renderSide());
    fill(this.el, h('h3', {}, t('cues.title')),
      !byCue.size ? h('p', { class: 'muted' }, t('cues.none')) : h('ul', { class: 'cue-list' }, [...byCue.entries()].map(([cue, seen]) => {
        const latest = seen[seen.length - 1];
        const suggestions = suggestionsFor(content, cue, record.caller_type, latest.text);
        return h('li', { dataset: { cue } },
          h('span', { class: 'chip cue' }, cueName(cue)), ' ',
          h('span', { class: 'cue-where' }, seen.map((o, i) => [i ? '; ' : '', tUser('cues.in_message', { text: o.text }, { seq: o.seq })])),
          suggestions.length ? h('ul', { class: 'suggestions' }, suggestions.map((text) => h('li', {}, h('span', { class: 'suggestion-text' }, text), ' ',
            h('button', { type: 'button', class: 'small', disabled: state !== 'active', onclick: () => this.conv.insert(text) }, t('cues.insert')))))
            : h('p', { class: 'muted' }, unavailable ? t('feature.unavailable_content') : content ? t('cues.no_suggestions') : t('cues.loading')));
      })));
  }
}
