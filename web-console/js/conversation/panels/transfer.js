// Transfer to a named advisor or to any supervisor, with a note that travels with the
// conversation so the visitor never repeats themselves.
import { h, field, uid, fill } from '../../dom.js';
import { t } from '../../i18n.js';
import { kbd } from '../../shortcuts.js';

export class TransferPanel {
  constructor(conv) {
    this.conv = conv;
    this.el = h('section', { class: 'side-transfer' });
  }

  render() {
    const { app, state } = this.conv;
    const el = this.el;
    if (state !== 'active' && state !== 'queued') { fill(el); return; }
    const wasOpen = el.querySelector('details') ? el.querySelector('details').open : false;
    // Made once, so what is typed survives re-renders.
    if (!this.to) {
      this.to = h('input', { class: 'transfer-to', value: 'supervisor', list: uid('advisors'), autocomplete: 'off', maxlength: '64' });
      this.note = h('textarea', { class: 'transfer-note-input', rows: '2', maxlength: '2000' });
      this.list = h('datalist', { id: this.to.getAttribute('list') });
    }
    // A supervisor's panel keeps the advisors list fresh; an advisor's console asks once.
    const advisors = app.supervisorView ? app.supervisorView.advisors : (app.advisorsList || []);
    fill(this.list, h('option', { value: 'supervisor' }, t('transfer.any_supervisor')),
      advisors.filter((a) => !app.me || a.id !== app.me.id).map((a) => h('option', { value: a.id }, `${a.name} (${t(`presence.${a.presence || 'away'}`)})`)));
    fill(el, h('details', { class: 'transfer', open: wasOpen }, h('summary', {}, t('transfer.title'), ' ', kbd('transfer')),
      h('form', { onsubmit: (e) => { e.preventDefault(); this.transfer(); } },
        field(t('transfer.to'), this.to, t('transfer.to_hint')), this.list,
        field(t('transfer.note'), this.note),
        h('button', { type: 'submit' }, t('transfer.submit')))));
    if (!app.supervisorView && app.features.available('advisors') && !app.advisorsList) {
      app.advisorsList = [];
      app.conn.request({ type: 'advisors' }).then((r) => { app.advisorsList = r.advisors || []; this.conv.renderSide(); }, () => {});
    }
  }

  open() {
    const d = this.el.querySelector('details');
    if (d) { d.open = true; this.to.focus(); }
  }

  async transfer() {
    const { app, id } = this.conv;
    const to = this.to.value.trim();
    if (!to) { this.to.focus(); return; }
    try {
      await app.conn.request({ type: 'transfer', conversation_id: id, to, note: this.note.value.trim() });
      app.notify(t('transfer.done', { to: to === 'supervisor' ? t('transfer.any_supervisor') : to }));
      app.closeConversation(id);
    } catch (err) { app.error(err); }
  }
}
