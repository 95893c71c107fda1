// Confidentiality breaks: the decisions recorded for this conversation (who decided, why, shared
// with whom) and the form to record one; all three fields are required.
import { h, field, fill } from '../../dom.js';
import { t, formatTime } from '../../i18n.js';
import { levelRank } from '../../taxonomy.js';
import { errorText } from '../../labels.js';
import { userText, tUser } from '../../user_text.js';

export class DisclosurePanel {
  constructor(conv) {
    this.conv = conv;
    this.el = h('section', { class: 'side-disclosure' });
  }

  // Made once, so what is typed survives re-renders.
  inputs() {
    if (!this.decided) {
      const { me } = this.conv.app;
      this.decided = h('input', { class: 'disclosure-decided', value: me ? me.name : '', maxlength: '2000', required: true });
      this.reason = h('textarea', { class: 'disclosure-reason', rows: '2', maxlength: '2000', required: true });
      this.shared = h('input', { class: 'disclosure-shared', maxlength: '2000', required: true });
      this.errors = h('p', { class: 'error disclosure-error', role: 'alert' });
    }
    return this;
  }

  render() {
    const { app, id, record, level } = this.conv;
    const el = this.el;
    // Open by default once the level is high; after that it stays as the advisor left it.
    const wasOpen = el.querySelector('details') ? el.querySelector('details').open : levelRank(level) >= levelRank('high');
    const disclosures = record.disclosures || [];
    const list = disclosures.length ? h('ul', { class: 'disclosures' }, disclosures.map((d) => h('li', { dataset: { disclosure: d.id } },
      tUser('disclosure.entry', { decided_by: d.decided_by, shared_with: d.shared_with }, { time: formatTime(d.at) }), h('div', { class: 'muted' }, userText(d.reason)),
      d.recorded_by ? h('div', { class: 'muted' }, t('disclosure.recorded_by', { name: d.recorded_by.name })) : null))) : null;
    if (!app.features.available('disclosure_record')) {
      fill(el, h('details', { open: wasOpen }, h('summary', {}, t('disclosure.title')), list, h('p', { class: 'muted unavailable' }, t('feature.unavailable'))));
      return;
    }
    const { decided, reason, shared, errors } = this.inputs();
    const fields = [[decided, 'disclosure.decided_by'], [reason, 'disclosure.reason'], [shared, 'disclosure.shared_with']];
    const form = h('form', { class: 'disclosure-form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const missing = fields.filter(([input]) => !input.value.trim());
      for (const [input] of fields) input.setAttribute('aria-invalid', missing.some(([m]) => m === input) ? 'true' : 'false');
      if (missing.length) {
        errors.textContent = t('disclosure.missing_fields', { fields: missing.map(([, key]) => t(key)).join(', ') });
        missing[0][0].focus();
        return;
      }
      errors.textContent = '';
      try {
        const reply = await app.conn.request({ type: 'disclosure_record', conversation_id: id, decided_by: decided.value.trim(), reason: reason.value.trim(), shared_with: shared.value.trim() });
        app.store.addDisclosure(id, reply.disclosure);
        this.conv.renderSide();
        reason.value = '';
        shared.value = '';
        app.announce(t('disclosure.saved'));
      } catch (err) { errors.textContent = errorText(err); }
    } }, fields.map(([input, key]) => field(t(key), input)), errors,
    h('button', { type: 'submit' }, t('disclosure.submit')));
    fill(el, h('details', { open: wasOpen }, h('summary', {}, t('disclosure.title')), list, form));
  }
}
