// Four eyes: a high or imminent conversation needs a plan, recorded here (acted first or not) and
// confirmed by a different supervisor, who can confirm it from here too.
import { h, field, fill } from '../../dom.js';
import { t, formatTime } from '../../i18n.js';
import { levelRank } from '../../taxonomy.js';
import { errorText } from '../../labels.js';
import { userText, tUser } from '../../user_text.js';

export class PlanPanel {
  constructor(conv) {
    this.conv = conv;
    this.el = h('section', { class: 'side-plan' });
  }

  render() {
    const { app, id, record, level } = this.conv;
    const el = this.el;
    if (levelRank(level) < levelRank('high')) { fill(el); el.hidden = true; return; }
    el.hidden = false;
    const head = h('h3', {}, t('plan.title'));
    if (!app.features.available('plan')) { fill(el, head, h('p', { class: 'warn unavailable' }, t('plan.unavailable'))); return; }
    const p = record.plan;
    const mine = p && p.proposed_by && app.me && p.proposed_by.id === app.me.id;
    const canConfirm = p && !p.confirmed_by && app.isAtLeast('supervisor') && app.features.available('plan_confirm');
    const current = p ? h('div', { class: 'plan-status', dataset: { plan: p.id, confirmed: p.confirmed_by ? 'yes' : 'no' } },
      h('p', {}, tUser('plan.proposed', { name: p.proposed_by ? p.proposed_by.name : '' }, { time: formatTime(p.proposed_at) })),
      h('blockquote', { class: 'plan-text-shown' }, userText(p.text)),
      p.acted_first ? h('p', { class: 'warn acted-first' }, t('plan.acted_first')) : null,
      p.confirmed_by ? h('p', { class: 'ok plan-confirmed' }, t('plan.confirmed', { name: p.confirmed_by.name, time: formatTime(p.confirmed_at) }))
        : h('p', { class: 'warn plan-awaiting' }, t('plan.awaiting')),
      canConfirm && mine ? h('p', { class: 'muted four-eyes' }, t('plan.other_supervisor')) : null,
      canConfirm && !mine ? h('button', { type: 'button', class: 'primary plan-confirm', onclick: () => this.confirm() }, t('plan.confirm')) : null)
      : h('p', { class: 'warn' }, t('plan.needed'));
    // The inputs outlive re-renders (messages arrive while the plan is written).
    if (!this.text) {
      this.text = h('textarea', { class: 'plan-text', rows: '3', maxlength: '2000' });
      this.acted = h('input', { type: 'checkbox' });
    }
    const { text, acted } = this;
    const form = h('form', { class: 'plan-form', onsubmit: async (e) => {
      e.preventDefault();
      if (!text.value.trim()) { text.focus(); return; }
      try {
        const reply = await app.conn.request({ type: 'plan', conversation_id: id, plan: text.value.trim(), acted_first: acted.checked });
        app.store.setPlan(id, reply.plan);
        text.value = '';
        acted.checked = false;
        app.announce(t('plan.saved'));
        this.conv.renderSide();
      } catch (err) { app.error(err); }
    } }, field(t(p ? 'plan.replace_text' : 'plan.text'), text), h('label', { class: 'inline' }, acted, ' ', t('plan.acted_first_label')),
    h('button', { type: 'submit' }, t(p ? 'plan.replace' : 'plan.submit')));
    fill(el, head, current, form);
  }

  async confirm() {
    const { app, id, record } = this.conv;
    try {
      const reply = await app.conn.request({ type: 'plan_confirm', conversation_id: id, plan_id: record.plan.id });
      app.store.setPlan(id, reply.plan);
      app.announce(t('plan.confirmed_now'));
      this.conv.renderSide();
    } catch (err) {
      // not_found: the plan was replaced meanwhile; forbidden: the proposer cannot confirm (four eyes).
      app.notify(err.code === 'not_found' ? t('plan.superseded') : err.code === 'forbidden' ? t('plan.other_supervisor') : errorText(err), 'error');
    }
  }
}
