// Transfer to a colleague picked from a list (presence, languages, load) or to any supervisor,
// with a note that travels with the conversation so the visitor never repeats themselves. The
// visitor is told they are being passed on, and the transcript marks the transfer.
import { h, fill } from '../../dom.js';
import { t } from '../../i18n.js';
import { kbd } from '../../shortcuts.js';
import { languageName } from '../../labels.js';

const PRESENCE_ORDER = { available: 0, away: 1, offline: 2 };

export class TransferPanel {
  constructor(conv) {
    this.conv = conv;
    this.el = h('section', { class: 'side-transfer' });
    this.choice = 'supervisor';
  }

  // Colleagues who could take it: available first, then by load; never oneself.
  colleagues() {
    const { app } = this.conv;
    const list = app.supervisorView ? app.supervisorView.advisors : (app.advisorsList || []);
    return list.filter((a) => !app.me || a.id !== app.me.id)
      .sort((a, b) => (PRESENCE_ORDER[a.presence] ?? 3) - (PRESENCE_ORDER[b.presence] ?? 3) || (a.load || 0) - (b.load || 0) || String(a.name).localeCompare(String(b.name)));
  }

  describe(a) {
    const parts = [t(`presence.${a.presence || 'offline'}`)];
    if (Array.isArray(a.languages) && a.languages.length) parts.push(a.languages.map(languageName).join(', '));
    if (Number.isFinite(a.load) && Number.isFinite(a.capacity)) parts.push(t('transfer.load', { load: a.load, capacity: a.capacity }));
    return parts.join(' · ');
  }

  render() {
    const { app, state } = this.conv;
    const el = this.el;
    if (state !== 'active' && state !== 'queued') { fill(el); return; }
    const wasOpen = el.querySelector('details') ? el.querySelector('details').open : false;
    // Made once, so what is typed survives re-renders.
    if (!this.note) this.note = h('textarea', { class: 'transfer-note-input', rows: '2', maxlength: '2000', 'aria-label': t('transfer.note') });
    const name = `transfer-${this.conv.id}`;
    const option = (value, label, detail, role) => h('li', {},
      h('label', { class: 'transfer-option' },
        h('input', { type: 'radio', name, value, checked: this.choice === value, onchange: () => { this.choice = value; } }),
        ' ', h('span', { class: 'transfer-name' }, label), role ? [' ', h('span', { class: 'chip' }, role)] : null,
        detail ? h('span', { class: 'muted transfer-detail' }, detail) : null));
    const people = this.colleagues();
    fill(el, h('details', { class: 'transfer', open: wasOpen, ontoggle: (e) => { if (e.target.open) this.refresh(); } }, h('summary', { onclick: () => { if (!this.el.querySelector('details').open) this.refresh(true); } }, t('transfer.title'), ' ', kbd('transfer')),
      h('form', { onsubmit: (e) => { e.preventDefault(); this.transfer(); } },
        h('fieldset', { class: 'transfer-targets' },
          h('legend', {}, t('transfer.to')),
          h('ul', { class: 'transfer-list' },
            option('supervisor', t('transfer.any_supervisor'), t('transfer.any_supervisor_hint')),
            people.map((a) => option(a.id, a.name, this.describe(a), a.role === 'supervisor' || a.role === 'admin' ? t(`role.${a.role}`) : null)))),
        h('label', { for: `${name}-note` }, t('transfer.note')),
        Object.assign(this.note, { id: `${name}-note` }),
        h('p', { class: 'hint' }, t('transfer.visitor_told')),
        h('button', { type: 'submit' }, t('transfer.submit')))));
    if (!this.asked) this.refresh();
  }

  // Presence and load change by the minute: read them again when the panel is opened (a redraw
  // of an open panel reads them at most every few seconds).
  refresh(now = false) {
    const { app } = this.conv;
    if (!now && this.lastRefresh && performance.now() - this.lastRefresh < 5000) return;
    this.lastRefresh = performance.now();
    this.asked = true;
    if (app.supervisorView) { app.supervisorView.advisorsSoon(); return; }
    if (!app.features.available('advisors') || this.loading) return;
    this.loading = true;
    app.conn.request({ type: 'advisors' }).then((r) => {
      const fresh = r.advisors || [];
      const changed = JSON.stringify(fresh) !== JSON.stringify(app.advisorsList || []);
      app.advisorsList = fresh;
      if (changed) this.conv.renderSide();
    }, () => { this.asked = false; }).finally(() => { this.loading = false; });
  }

  open() {
    const d = this.el.querySelector('details');
    if (d) {
      this.refresh(true);
      d.open = true;
      const checked = d.querySelector('input[type=radio]:checked') || d.querySelector('input[type=radio]');
      if (checked) checked.focus();
    }
  }

  async transfer() {
    const { app, id } = this.conv;
    const to = this.choice;
    const who = to === 'supervisor' ? t('transfer.any_supervisor') : ((this.colleagues().find((a) => a.id === to) || {}).name || to);
    try {
      await app.conn.request({ type: 'transfer', conversation_id: id, to, note: this.note.value.trim() });
      app.notify(t('transfer.done', { to: who }));
      app.closeConversation(id);
    } catch (err) { app.error(err); }
  }
}
