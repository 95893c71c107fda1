// Canned responses for the conversation's language and caller type, inserted into the message
// box; "{advisor}" in a text becomes the advisor's name.
import { h, field, fill } from '../../dom.js';
import { t } from '../../i18n.js';
import { languageName } from '../../labels.js';
import { kbd } from '../../shortcuts.js';

export class CannedPanel {
  constructor(conv) {
    this.conv = conv;
    this.el = h('section', { class: 'side-canned' });
    this.select = null;
  }

  render() {
    const { app, record, lang, state } = this.conv;
    const content = app.content.get(lang);
    const available = app.features.available('content');
    if (!content && available) app.loadContent(lang).then((c) => c && this.conv.renderSide());
    // 'no': content cannot be loaded; 'yes': loaded (an empty list means none); else loading.
    const status = !available ? 'no' : content ? 'yes' : 'loading';
    const ct = record.caller_type;
    const canned = (content && content.canned ? content.canned : []).filter((c) => !c.caller_types || !c.caller_types.length || !ct || c.caller_types.includes(ct));
    // The choice and focus survive re-renders (messages keep arriving while the advisor picks).
    const previous = this.select;
    const keepValue = previous ? previous.value : '';
    const hadFocus = previous && document.activeElement === previous;
    const select = h('select', { class: 'canned-select' }, h('option', { value: '' }, t('canned.choose')),
      canned.map((c) => h('option', { value: c.id }, c.title || c.text.slice(0, 60))));
    if (canned.some((c) => c.id === keepValue)) select.value = keepValue;
    fill(this.el, h('h3', {}, t('canned.title'), ' ', kbd('canned')),
      status === 'no' ? h('p', { class: 'muted unavailable' }, t('feature.unavailable_content'))
        : !canned.length ? h('p', { class: 'muted' }, t(status === 'yes' ? 'canned.none' : 'cues.loading'))
          : h('div', { class: 'canned' }, field(t('canned.label', { lang: languageName(lang) }), select),
            h('button', { type: 'button', disabled: state !== 'active', onclick: () => { const c = canned.find((x) => x.id === select.value); if (c) this.conv.insert(this.fill(c.text)); } }, t('cues.insert'))));
    if (hadFocus && canned.length) select.focus();
    this.select = canned.length ? select : null;
  }

  fill(text) {
    const { me } = this.conv.app;
    return text.replace(/\{advisor\}/g, me ? me.name : '');
  }

  focus() { if (this.select) this.select.focus(); }
}
