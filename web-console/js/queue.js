// The queue (ordered as the server routes it) and offers (alert, sound, accept/decline).
import { kbd } from './shortcuts.js';
import { h } from './dom.js';
import { t, formatDuration } from './i18n.js';
import { beep } from './sound.js';
import { levelBadge, callerType, languageName, answersList, categoryChips, errorText, shortId } from './labels.js';

export class QueueView {
  constructor(app) {
    this.app = app;
    this.entries = [];
    this.receivedAt = performance.now();
    this.offers = new Map(); // id -> {conversation, deadline}
    this.root = h('section', { class: 'queue-panel', 'aria-labelledby': 'queue-title' });
    this.timer = setInterval(() => this.tick(), 1000);
    this.render();
  }

  tabLabel() {
    return [t('tabs.queue'), ' ', h('span', { class: 'count', dataset: { count: this.entries.length } }, String(this.entries.length))];
  }

  setQueue(frame) {
    this.entries = frame.entries || [];
    this.available = frame.advisors_available;
    this.receivedAt = performance.now();
    this.render();
    this.app.refreshTabLabels();
    if (this.app.supervisorView) this.app.supervisorView.renderQueue();
  }

  waited(entry) { return entry.waited_seconds + (performance.now() - this.receivedAt) / 1000; }

  tick() {
    for (const el of this.root.querySelectorAll('[data-waited]')) {
      const entry = this.entries.find((e) => e.id === el.dataset.waited);
      if (entry) el.textContent = formatDuration(this.waited(entry));
    }
    for (const [id, offer] of this.offers) {
      const el = document.querySelector(`.offer[data-conversation="${CSS.escape(id)}"] .offer-expires`);
      if (el) el.textContent = t('offer.expires', { seconds: Math.max(0, Math.ceil((offer.deadline - performance.now()) / 1000)) });
      const w = document.querySelector(`.offer[data-conversation="${CSS.escape(id)}"] .offer-waited`);
      if (w) w.textContent = formatDuration(offer.conversation.waited_seconds + (performance.now() - offer.received) / 1000);
    }
    if (this.app.supervisorView) this.app.supervisorView.tick();
  }

  render() {
    const rows = this.entries.map((e, i) => h('li', { class: `queue-entry level-${e.level || 'none'}`, dataset: { conversation: e.id, state: e.state } },
      h('div', { class: 'queue-line' },
        h('span', { class: 'position', 'aria-label': t('queue.position', { n: i + 1 }) }, String(i + 1)),
        levelBadge(e.level),
        h('span', { class: 'caller-type' }, callerType(e.caller_type)),
        h('span', { class: 'lang' }, languageName(e.lang)),
        h('span', { class: 'waited' }, t('queue.waiting'), ' ', h('time', { dataset: { waited: e.id } }, formatDuration(this.waited(e)))),
        h('span', { class: 'state' }, t(`state.${e.state}`)),
        e.transfer ? h('span', { class: 'chip' }, t('queue.transfer')) : null,
        categoryChips(e.categories),
        this.app.isAtLeast('supervisor') ? h('button', { type: 'button', onclick: () => this.app.join(e.id) }, t('supervisor.join')) : null),
      h('details', { class: 'queue-answers' }, h('summary', {}, t('answers.title')), answersList(e.answers))));
    this.root.replaceChildren(
      h('h2', { id: 'queue-title' }, t('queue.title')),
      h('p', { class: 'muted' }, t('queue.help')),
      rows.length ? h('ol', { class: 'queue-list', 'aria-label': t('queue.title') }, rows) : h('p', { class: 'empty' }, t('queue.empty')));
  }

  addOffer(frame) {
    const c = frame.conversation;
    const isNew = !this.offers.has(c.id);
    this.offers.set(c.id, { conversation: c, deadline: performance.now() + (frame.expires_in || 30) * 1000, received: performance.now() });
    this.renderOffers();
    if (isNew) {
      beep(c.level === 'imminent' ? 'alert' : 'offer');
      document.title = `(${this.offers.size}) ${t('offer.title_flash')}`;
      if (c.level === 'imminent') this.app.showGuidanceBanner(c.id);
    }
  }

  withdraw(frame) {
    if (!this.offers.delete(frame.conversation_id)) return;
    this.app.announce(t(`offer.withdrawn_${frame.reason || 'taken'}`));
    this.renderOffers();
  }

  renderOffers() {
    const box = document.getElementById('offers');
    const blocked = this.app.wrapUpPending();
    box.replaceChildren(...[...this.offers.values()].map(({ conversation: c }) => h('div', {
      class: `offer level-${c.level || 'none'}`, role: 'alert', dataset: { conversation: c.id },
    },
    h('div', { class: 'offer-head' },
      h('strong', {}, t('offer.title')), ' ', levelBadge(c.level),
      h('span', {}, callerType(c.caller_type)), h('span', {}, languageName(c.lang)),
      h('span', {}, t('queue.waiting'), ' ', h('time', { class: 'offer-waited' }, formatDuration(c.waited_seconds))),
      h('span', { class: 'offer-expires' }, '')),
    c.transfer_note ? h('p', { class: 'transfer-note' }, h('strong', {}, t('offer.transfer_note')), ' ', c.transfer_note) : null,
    c.interpreter_may_be_needed ? h('p', { class: 'warn' }, t('offer.interpreter')) : null,
    c.screening_unavailable
      ? h('p', { class: 'warn screening-unavailable' }, t('conversation.screening_unavailable', { lang: c.visitor_lang || '' })) : null,
    categoryChips(c.categories),
    h('details', { open: true }, h('summary', {}, t('answers.title')), answersList(c.answers)),
    blocked ? h('p', { class: 'warn', role: 'status' }, t('wrapup.banner')) : null,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary accept', disabled: blocked, onclick: () => this.accept(c.id) },
        t('offer.accept'), ' ', kbd('accept')),
      h('button', { type: 'button', class: 'decline', onclick: () => this.decline(c.id) }, t('offer.decline'), ' ', kbd('decline'))))));
    if (!this.offers.size) document.title = t('app.title');
    this.tick();
  }

  firstOffer() { return [...this.offers.keys()][0]; }

  async accept(id = this.firstOffer()) {
    if (!id) return;
    if (this.app.wrapUpPending()) { this.app.notify(t('wrapup.banner'), 'error'); return; }
    try {
      const reply = await this.app.conn.request({ type: 'accept', conversation_id: id });
      this.offers.delete(id);
      this.renderOffers();
      const view = this.app.openConversation(reply.conversation, 'owner');
      this.app.selectTab(`conv:${id}`);
      view.focusComposer();
    } catch (err) {
      if (err.code === 'conflict' || err.code === 'not_found' || err.code === 'wrong_state') { this.offers.delete(id); this.renderOffers(); }
      this.app.notify(errorText(err), 'error');
    }
  }

  async decline(id = this.firstOffer()) {
    if (!id) return;
    this.offers.delete(id);
    this.renderOffers();
    try { await this.app.conn.request({ type: 'decline', conversation_id: id }); } catch (err) { if (err.code !== 'conflict') this.app.error(err); }
  }
}

