// The wrap-up the owner must finish before taking the next contact: caller type, outcome,
// referral, actions taken (at least one; "none" excludes the others) and notes.
import { h, field, uid, fill } from '../../dom.js';
import { t } from '../../i18n.js';
import { callerType, errorText } from '../../labels.js';

const CALLER_TYPES = ['own_behaviour', 'professional', 'friend_family', 'experiencing_abuse'];
const OUTCOMES = ['information_given', 'referred', 'callback_arranged', 'safeguarding_escalated', 'disconnected', 'other'];
const ACTIONS = ['none', 'police_called', 'ambulance_called', 'children_services_referral', 'marac_referral', 'safeguarding_lead_informed', 'supervisor_consulted'];
const PROGRAMME_TYPES = ['early_response', 'dapp', 'one_to_one', 'high_risk_high_harm', 'womens_use_of_violence', 'same_sex_relationships', 'other'];

export class WrapUpPanel {
  constructor(conv) {
    this.conv = conv;
    this.el = h('section', { class: 'side-wrapup' });
  }

  render() {
    const { app, id, record, state, role } = this.conv;
    const el = this.el;
    if (state !== 'wrap_up' || role !== 'owner') { fill(el); return; }
    // Made once: a re-render must not lose what was filled in.
    if (this.form) { fill(el, this.form); return; }
    const ct = h('select', { name: 'caller_type', required: true },
      h('option', { value: '' }, t('common.choose')), CALLER_TYPES.map((c) => h('option', { value: c, selected: c === record.caller_type }, callerType(c))));
    const outcome = h('select', { name: 'outcome', required: true },
      h('option', { value: '' }, t('common.choose')), OUTCOMES.map((o) => h('option', { value: o }, t(`outcome.${o}`))));
    const refName = uid('referral');
    const refYes = h('input', { type: 'radio', name: refName, value: 'yes' });
    const refNo = h('input', { type: 'radio', name: refName, value: 'no' });
    const progType = h('select', { name: 'referral_programme_type' }, h('option', { value: '' }, t('common.none')),
      PROGRAMME_TYPES.map((p) => h('option', { value: p }, t(`programme_type.${p}`))));
    const progField = field(t('wrapup.programme_type'), progType);
    progField.hidden = true;
    refYes.addEventListener('change', () => { progField.hidden = !refYes.checked; });
    refNo.addEventListener('change', () => { progField.hidden = true; });
    const actions = ACTIONS.map((a) => h('input', { type: 'checkbox', name: 'actions', value: a }));
    const notes = h('textarea', { name: 'notes', rows: '3', maxlength: '4000' });
    const errors = h('div', { class: 'error', role: 'alert' });
    const form = h('form', { class: 'wrapup-form', novalidate: true, 'aria-labelledby': uid('wrapup') },
      h('h3', { id: null, class: 'wrapup-title' }, t('wrapup.title')),
      h('p', {}, t('wrapup.help')),
      field(t('wrapup.caller_type'), ct),
      field(t('wrapup.outcome'), outcome),
      h('fieldset', { class: 'referral' }, h('legend', {}, t('wrapup.referral_made')),
        h('label', { class: 'inline' }, refYes, ' ', t('common.yes')), h('label', { class: 'inline' }, refNo, ' ', t('common.no'))),
      progField,
      h('fieldset', { class: 'actions-set' }, h('legend', {}, t('wrapup.actions')),
        actions.map((cb) => h('label', { class: 'inline block' }, cb, ' ', t(`action.${cb.value}`)))),
      field(t('wrapup.notes'), notes, t('wrapup.notes_hint')),
      errors,
      h('button', { type: 'submit', class: 'primary' }, t('wrapup.submit')));
    form.querySelector('h3').id = form.getAttribute('aria-labelledby');
    // "none" excludes the other actions.
    actions[0].addEventListener('change', () => { if (actions[0].checked) for (const a of actions.slice(1)) a.checked = false; });
    for (const a of actions.slice(1)) a.addEventListener('change', () => { if (a.checked) actions[0].checked = false; });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const missing = [];
      if (!ct.value) missing.push(t('wrapup.caller_type'));
      if (!outcome.value) missing.push(t('wrapup.outcome'));
      if (!refYes.checked && !refNo.checked) missing.push(t('wrapup.referral_made'));
      const chosen = actions.filter((a) => a.checked).map((a) => a.value);
      if (!chosen.length) missing.push(t('wrapup.actions'));
      if (missing.length) {
        errors.textContent = t('wrapup.missing', { fields: missing.join(', ') });
        return;
      }
      errors.textContent = '';
      const frame = { type: 'wrap_up', conversation_id: id, caller_type: ct.value, outcome: outcome.value, referral_made: refYes.checked, actions: chosen, notes: notes.value.trim() };
      if (refYes.checked && progType.value) frame.referral_programme_type = progType.value;
      try {
        await app.conn.request(frame);
        app.notify(t('wrapup.saved'));
        app.closeConversation(id);
      } catch (err) {
        errors.textContent = errorText(err);
      }
    });
    this.form = form;
    fill(el, form);
  }

  focus() {
    const first = this.el.querySelector('select, input');
    if (first) { first.scrollIntoView({ block: 'center' }); first.focus(); }
  }
}
