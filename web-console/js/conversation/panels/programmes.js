// Programme suggestions for the visitor's area, risk and needs (the `programmes` request), each
// sendable to the visitor as a card in their language.
import { h, field, fill } from '../../dom.js';
import { t, tIn, preload } from '../../i18n.js';
import { kbd } from '../../shortcuts.js';

export class ProgrammesPanel {
  constructor(conv) {
    this.conv = conv;
    this.el = h('section', { class: 'side-programmes' });
    this.results = null; // the last suggestions; null before a search or after a failed one
  }

  render() {
    if (!this.conv.app.features.available('programmes')) { fill(this.el, h('h3', {}, t('programmes.title')), h('p', { class: 'muted unavailable' }, t('feature.unavailable'))); return; }
    // The inputs outlive re-renders: what the advisor typed or chose stays.
    if (!this.location) {
      this.location = h('input', { class: 'programme-location', autocomplete: 'off', maxlength: '16' });
      this.oneToOne = h('input', { type: 'checkbox' });
      this.gender = h('select', {});
      this.relationship = h('select', {});
    }
    const keep = (sel, values, prefix) => {
      const v = sel.value;
      fill(sel, ...values.map((x) => h('option', { value: x }, t(`${prefix}.${x || 'any'}`))));
      sel.value = v || '';
    };
    keep(this.gender, ['', 'male', 'female'], 'programmes.gender');
    keep(this.relationship, ['', 'different_sex', 'same_sex'], 'programmes.relationship');
    const form = h('form', { class: 'programme-form', onsubmit: (e) => { e.preventDefault(); this.find(); } },
      field(t('programmes.location'), this.location, t('programmes.location_hint')),
      field(t('programmes.gender_label'), this.gender), field(t('programmes.relationship_label'), this.relationship),
      h('label', { class: 'inline' }, this.oneToOne, ' ', t('programmes.one_to_one')),
      h('button', { type: 'submit' }, t('programmes.find'), ' ', kbd('programmes')));
    fill(this.el, h('h3', {}, t('programmes.title')), form, this.renderResults());
  }

  renderResults() {
    if (!this.results) return null;
    if (!this.results.length) return h('p', { class: 'muted' }, t('programmes.none'));
    return h('ol', { class: 'programme-results' }, this.results.map((p) => h('li', { class: 'card programme', dataset: { programme: p.id } },
      h('strong', {}, p.name), h('div', {}, p.organisation), h('div', { class: 'muted' }, p.type_label || p.type),
      p.distance_km !== null && p.distance_km !== undefined ? h('div', {}, t('programmes.distance', { km: p.distance_km })) : null,
      h('ul', { class: 'reasons', 'aria-label': t('programmes.reasons') }, (p.reasons || []).map((r) => h('li', {}, r))),
      h('button', { type: 'button', class: 'primary send-card', disabled: this.conv.state !== 'active', onclick: () => this.sendCard(p) }, t('programmes.send')))));
  }

  async find() {
    const { app, id, level, lang } = this.conv;
    const location = this.location.value.trim();
    if (!location) { this.location.focus(); return; }
    try {
      const reply = await app.conn.request({
        type: 'programmes', conversation_id: id, location, postcode: location, level, lang,
        ...(this.oneToOne.checked ? { one_to_one: true } : {}),
        ...(this.gender.value ? { gender: this.gender.value } : {}),
        ...(this.relationship.value ? { relationship: this.relationship.value } : {}),
      });
      this.results = reply.suggestions || [];
    } catch (err) {
      app.error(err);
      this.results = null;
    }
    this.conv.renderSide();
  }

  // The card's words are in the visitor's language, not the advisor's.
  async sendCard(p) {
    const { lang } = this.conv;
    await preload(lang);
    const card = {
      kind: 'programme', id: p.id, name: p.name, organisation: p.organisation, programme_type: p.type, type_label: p.type_label,
      contact: p.contact, length: p.length, fees: p.fees, waiting_weeks: p.waiting_weeks, referral: p.referral,
    };
    const ok = await this.conv.send(tIn(lang, 'programmes.card_text', { name: p.name, organisation: p.organisation }), card);
    if (ok) this.conv.app.announce(t('programmes.sent'));
  }

  focus() { if (this.location) this.location.focus(); }
}
