// Cues found in the visitor's messages (minimisation, blame...) with the suggested responses
// from content for each, ready to insert into the message box.
import { h, fill } from '../../dom.js';
import { t } from '../../i18n.js';
import { spanText } from '../../evidence.js';
import { cueName } from '../../labels.js';
import { tUser } from '../../user_text.js';

export class CuesPanel {
  constructor(conv) {
    this.conv = conv;
    this.el = h('section', { class: 'side-cues' });
  }

  render() {
    const { app, tab, lang, state } = this.conv;
    const cues = [];
    for (const m of tab.messages.values()) for (const c of m.cues || []) cues.push({ ...c, seq: m.seq, text: spanText(m.text, c) });
    cues.sort((a, b) => a.seq - b.seq);
    const content = app.content.get(lang);
    const unavailable = !app.features.available('content');
    if (!content && !unavailable && cues.length) app.loadContent(lang).then((c) => c && this.conv.renderSide());
    fill(this.el, h('h3', {}, t('cues.title')),
      !cues.length ? h('p', { class: 'muted' }, t('cues.none')) : h('ul', { class: 'cue-list' }, cues.map((c) => {
        const suggestions = content && content.cue_responses ? (content.cue_responses[c.cue] || []) : [];
        return h('li', { dataset: { cue: c.cue } },
          h('span', { class: 'chip cue' }, cueName(c.cue)), ' ', tUser('cues.in_message', { text: c.text }, { seq: c.seq }),
          suggestions.length ? h('ul', { class: 'suggestions' }, suggestions.map((sug) => {
            const text = typeof sug === 'string' ? sug : sug.text;
            return h('li', {}, h('span', { class: 'suggestion-text' }, text), ' ',
              h('button', { type: 'button', class: 'small', disabled: state !== 'active', onclick: () => this.conv.insert(text) }, t('cues.insert')));
          })) : h('p', { class: 'muted' }, unavailable ? t('feature.unavailable_content') : t('cues.loading')));
      })));
  }
}
