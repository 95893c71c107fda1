// Supervisor view: alerts, every live conversation, the queue by level, advisors and their load.
// Conversations, the queue and alerts are drawn from the store; advisors are read here.
import { h, fill } from './dom.js';
import { t, formatDuration, formatClock } from './i18n.js';
import { levelBadge, callerType, languageName, categoryChips, shortId, errorText } from './labels.js';
import { levels, levelRank } from './taxonomy.js';
import { refreshLive } from './sync.js';
import { userText } from './user_text.js';

export class SupervisorView {
  constructor(app) {
    this.app = app;
    this.store = app.store;
    this.advisors = [];
    this.root = h('section', { class: 'supervisor-panel', 'aria-labelledby': 'supervisor-title' });
    this.alertsEl = h('section', { class: 'sup-alerts' });
    this.convsEl = h('section', { class: 'sup-conversations' });
    this.queueEl = h('section', { class: 'sup-queue' });
    this.advisorsEl = h('section', { class: 'sup-advisors' });
    this.root.append(h('h2', { id: 'supervisor-title' }), this.alertsEl, this.convsEl, this.queueEl, this.advisorsEl);
    app.features.onChange(() => { if (this.app.supervisorView === this) { this.loadAdvisors(); this.render(); } });
    this.off = this.store.on((change) => {
      if (change.what === 'live') this.renderConversations();
      else if (change.what === 'alerts') this.renderAlerts();
      else if ((change.changed || []).some((id) => this.store.live.has(id))) this.renderConversations();
      if (change.what === 'queue') this.renderQueue();
    });
    this.render();
    this.timer = setInterval(() => this.tick(), 1000);
    // The server does not push advisors' load: re-read it while this panel is open.
    this.advisorTimer = setInterval(() => { if (this.app.active === 'supervisor' && !document.hidden) this.loadAdvisors(); }, 5000);
  }

  destroy() { clearInterval(this.timer); clearInterval(this.advisorTimer); this.off(); }

  onShow() { this.loadAdvisors(); }

  advisorsSoon() {
    clearTimeout(this.advisorsTimer);
    this.advisorsTimer = setTimeout(() => this.loadAdvisors(), 400);
  }

  setAdvisors(list) {
    this.advisors = list;
    this.renderAdvisors();
    for (const v of this.app.convs.values()) v.renderSide(); // transfer targets
  }

  async loadAdvisors() {
    if (!this.app.features.available('advisors') || this.advisorsLoading) return;
    this.advisorsLoading = true;
    try { this.setAdvisors((await this.app.conn.request({ type: 'advisors' })).advisors || []); } catch { /* shown as before */ }
    this.advisorsLoading = false;
  }

  tick() {
    for (const el of this.root.querySelectorAll('[data-sup-waited]')) {
      const c = this.store.live.has(el.dataset.supWaited) && this.store.get(el.dataset.supWaited);
      if (c) el.textContent = formatDuration(this.store.waited(c));
    }
  }

  render() {
    this.root.querySelector('h2').textContent = t('supervisor.title');
    this.renderAlerts();
    this.renderConversations();
    this.renderQueue();
    this.renderAdvisors();
  }

  renderAlerts() {
    const alerts = [...this.store.alerts.values()];
    fill(this.alertsEl, h('h3', {}, t('supervisor.alerts')),
      alerts.length ? h('ul', {}, alerts.map((a) => h('li', { class: 'level-imminent', dataset: { conversation: a.conversation_id } },
        levelBadge(a.level), ' ', t('alert.text', { id: shortId(a.conversation_id), advisor: a.advisor ? a.advisor.name : t('alert.unassigned') }),
        ' ', h('time', {}, formatClock(a.ts)), ' ', categoryChips(a.categories), ' ',
        h('button', { type: 'button', onclick: () => this.app.join(a.conversation_id) }, t('alert.join'))))) : h('p', { class: 'empty' }, t('supervisor.no_alerts')));
  }

  renderConversations() {
    const list = [...this.store.live].map((id) => this.store.get(id)).sort((a, b) => levelRank(b.level) - levelRank(a.level) || (a.created_at || 0) - (b.created_at || 0));
    fill(this.convsEl, h('h3', {}, t('supervisor.live'), ` (${list.length})`),
      list.length ? h('table', { class: 'sup-table' },
        h('thead', {}, h('tr', {}, ['supervisor.col_level', 'supervisor.col_state', 'supervisor.col_caller', 'supervisor.col_lang', 'supervisor.col_advisor', 'supervisor.col_waited', 'supervisor.col_risk', 'supervisor.col_action'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, list.map((c) => h('tr', { dataset: { conversation: c.id, level: c.level } },
          h('td', {}, levelBadge(c.level)), h('td', {}, t(`state.${c.state}`)), h('td', {}, callerType(c.caller_type)), h('td', {}, languageName(c.lang)),
          h('td', {}, c.advisor ? c.advisor.name : '—'),
          h('td', {}, c.accepted_at ? '' : h('time', { dataset: { supWaited: c.id } }, formatDuration(c.waited_seconds))),
          h('td', {}, categoryChips(c.categories), this.planCell(c)),
          h('td', { class: 'sup-actions' }, this.store.isOpen(c.id) ? h('button', { type: 'button', onclick: () => this.app.selectTab(`conv:${c.id}`) }, t('alert.open'))
            : h('button', { type: 'button', class: 'join', onclick: () => this.app.join(c.id) }, t('supervisor.join')),
          this.canTakeOver(c) ? [' ', h('button', { type: 'button', class: 'danger take-over', 'aria-label': t('takeover.button_for', { name: c.advisor.name, id: shortId(c.id) }),
            onclick: () => this.app.takeOver(c.id) }, t('takeover.button'))] : null))))) : h('p', { class: 'empty' }, t('supervisor.no_live')));
  }

  // Someone else's active conversation, and the server lets this account take it over.
  canTakeOver(c) {
    return c.state === 'active' && c.advisor && this.app.me && c.advisor.id !== this.app.me.id && this.app.features.available('take_over');
  }

  // Four-eyes: a plan awaiting a supervisor's confirmation (when the server records plans).
  planCell(c) {
    if (levelRank(c.level) < levelRank('high') || !this.app.features.available('plan_confirm')) return null;
    const p = c.plan;
    if (!p) return h('div', { class: 'plan-cell warn', dataset: { plan: 'none' } }, t('plan.none_yet'));
    if (p.confirmed_by) return h('div', { class: 'plan-cell ok', dataset: { plan: p.id, confirmed: 'yes' } }, t('plan.confirmed', { name: p.confirmed_by.name, time: formatClock(p.confirmed_at) }));
    const mine = p.proposed_by && this.app.me && p.proposed_by.id === this.app.me.id;
    return h('div', { class: 'plan-cell warn', dataset: { plan: p.id, confirmed: 'no' } },
      h('span', { class: 'plan-by' }, t('plan.proposed', { name: p.proposed_by ? p.proposed_by.name : '', time: formatClock(p.proposed_at) })), ' ',
      h('q', { class: 'plan-text-shown' }, userText(p.text)), ' ',
      p.acted_first ? h('span', { class: 'chip warn' }, t('plan.acted_first_short')) : null, ' ',
      h('span', { class: 'plan-awaiting' }, t('plan.awaiting')), ' ',
      mine ? h('span', { class: 'muted four-eyes' }, t('plan.other_supervisor'))
        : h('button', { type: 'button', class: 'plan-confirm', onclick: async () => {
          try {
            const reply = await this.app.conn.request({ type: 'plan_confirm', conversation_id: c.id, plan_id: p.id });
            this.store.setPlan(c.id, reply.plan);
            this.app.announce(t('plan.confirmed_now'));
          } catch (err) {
            this.app.notify(err.code === 'not_found' ? t('plan.superseded') : err.code === 'forbidden' ? t('plan.other_supervisor') : errorText(err), 'error');
          }
          refreshLive(this.app);
        } }, t('plan.confirm')));
  }

  renderQueue() {
    const entries = this.store.queue.map((id) => this.store.get(id));
    const byLevel = levels().slice().reverse().map((l) => [l, entries.filter((e) => (e.level || 'none') === l)]);
    fill(this.queueEl, h('h3', {}, t('supervisor.queue_by_level')),
      h('ul', { class: 'queue-by-level' }, byLevel.map(([l, list]) => h('li', { dataset: { level: l, count: list.length } }, levelBadge(l), ' ', t('supervisor.waiting_count', { n: list.length })))));
  }

  renderAdvisors() {
    const head = h('h3', {}, t('supervisor.advisors'));
    if (!this.app.features.available('advisors')) { fill(this.advisorsEl, head, h('p', { class: 'muted unavailable' }, t('feature.unavailable'))); return; }
    fill(this.advisorsEl, head, h('table', { class: 'sup-table' },
      h('thead', {}, h('tr', {}, ['supervisor.col_name', 'presence.label', 'supervisor.col_load', 'supervisor.col_langs'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, this.advisors.map((a) => h('tr', { dataset: { advisor: a.id } },
        h('td', {}, a.name, a.role && a.role !== 'advisor' ? h('span', { class: 'muted' }, ` (${t(`role.${a.role}`)})`) : null),
        h('td', { class: 'advisor-presence' }, t(`presence.${a.presence || 'offline'}`)),
        h('td', { class: 'advisor-load', dataset: { load: a.load ?? 0, capacity: a.capacity ?? 0 } }, t('supervisor.load', { load: a.load ?? 0, capacity: a.capacity ?? 0 })),
        h('td', {}, (a.languages || []).map(languageName).join(', ')))))));
  }
}
