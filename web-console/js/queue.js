// The queue (ordered as the server routes it) and offers (alert, sound, accept/decline), drawn
// from the store: the queue's order and entries, the offers and the conversations' records.
import { kbd } from './shortcuts.js';
import { userText } from './user_text.js';
import { h, fill } from './dom.js';
import { t, tn, formatDuration } from './i18n.js';
import { levelBadge, callerType, languageName, answersList, categoryChips, errorText, presenceChip } from './labels.js';

const WARN_SECONDS = 10; // an offer about to end is announced once, this many seconds before

export class QueueView {
  constructor(app) {
    this.app = app;
    this.store = app.store;
    this.root = h('section', { class: 'queue-panel', 'aria-labelledby': 'queue-title' });
    this.timer = setInterval(() => this.tick(), 1000);
    this.off = this.store.on((change) => {
      const { queue, offers } = this.store;
      const changed = change.changed || [];
      if (change.what === 'queue') { this.render(); app.refreshTabLabels(); } else if (changed.some((id) => queue.includes(id))) this.render();
      if (change.what === 'offers' || changed.some((id) => offers.has(id))) this.renderOffers();
    });
    this.render();
  }

  destroy() { clearInterval(this.timer); this.off(); }

  tabLabel() {
    const n = this.store.queue.length;
    return [t('tabs.queue'), ' ', h('span', { class: 'count', dataset: { count: n } }, String(n))];
  }

  tick() {
    const { store } = this;
    for (const el of this.root.querySelectorAll('[data-waited]')) {
      const r = store.queue.includes(el.dataset.waited) && store.get(el.dataset.waited);
      if (r) el.textContent = formatDuration(store.waited(r));
    }
    for (const [id, offer] of store.offers) {
      const el = document.querySelector(`.offer[data-conversation="${CSS.escape(id)}"] .offer-expires`);
      const seconds = Math.max(0, Math.ceil((offer.deadline - performance.now()) / 1000));
      if (el) el.textContent = t('offer.expires', { seconds });
      // The countdown is a timer, read when asked; said aloud once, when little time is left
      // (unless the offer came with little time left, and was just announced).
      if (seconds <= WARN_SECONDS && seconds > 0 && !offer.warned && (offer.deadline - offer.received) / 1000 > WARN_SECONDS + 1) {
        offer.warned = true;
        this.app.announceUrgent(tn('offer.expires_soon', seconds));
      }
      const w = document.querySelector(`.offer[data-conversation="${CSS.escape(id)}"] .offer-waited`);
      if (w) w.textContent = formatDuration(store.waited(store.get(id)));
    }
  }

  render() {
    const rows = this.store.queue.map((id, i) => {
      const e = this.store.get(id);
      const { state, transfer } = e.queue || {};
      return h('li', { class: `queue-entry level-${e.level || 'none'}`, dataset: { conversation: e.id, state } },
        h('div', { class: 'queue-line' },
          h('span', { class: 'position', 'aria-label': t('queue.position', { n: i + 1 }) }, String(i + 1)),
          levelBadge(e.level),
          h('span', { class: 'caller-type' }, callerType(e.caller_type)),
          h('span', { class: 'lang' }, h('bdi', {}, languageName(e.visitor_lang || e.lang))),
          h('span', { class: 'waited' }, t('queue.waiting'), ' ', h('time', { dataset: { waited: e.id } }, formatDuration(this.store.waited(e)))),
          h('span', { class: 'state' }, t(`state.${state}`)),
          presenceChip(e.presence),
          transfer ? h('span', { class: 'chip' }, t('queue.transfer')) : null,
          categoryChips(e.categories),
          this.app.isAtLeast('supervisor') ? h('button', { type: 'button', onclick: () => this.app.join(e.id) }, t('supervisor.join')) : null),
        h('details', { class: 'queue-answers' }, h('summary', {}, t('answers.title')), answersList(e.answers)));
    });
    fill(this.root, 
      h('h2', { id: 'queue-title' }, t('queue.title')),
      h('p', { class: 'muted' }, t('queue.help')),
      rows.length ? h('ol', { class: 'queue-list', 'aria-label': t('queue.title') }, rows) : h('p', { class: 'empty' }, t('queue.empty')));
  }

  // Not a live region: sync.js announces an offer once when it comes (announceUrgent), and a
  // redraw here (a level rising, a wrap-up finished) must not read it out again.
  renderOffers() {
    const box = document.getElementById('offers');
    const blocked = this.store.wrapUpPending();
    // A redraw replaces the buttons: the one the keyboard was on keeps the focus.
    const active = document.activeElement;
    const refocus = active && box.contains(active) && active.closest('.offer')
      ? { id: active.closest('.offer').dataset.conversation, cls: active.classList.contains('accept') ? 'accept' : 'decline' } : null;
    fill(box, ...[...this.store.offers.keys()].map((id) => this.store.get(id)).map((c) => h('section', {
      class: `offer level-${c.level || 'none'}`, 'aria-labelledby': `offer-title-${c.id}`, dataset: { conversation: c.id },
    },
    h('div', { class: 'offer-head' },
      h('strong', { id: `offer-title-${c.id}` }, t('offer.title')), ' ', levelBadge(c.level),
      h('span', {}, callerType(c.caller_type)), h('span', {}, h('bdi', {}, languageName(c.visitor_lang || c.lang))),
      h('span', {}, t('queue.waiting'), ' ', h('time', { class: 'offer-waited' }, formatDuration(c.waited_seconds))),
      h('span', { class: 'offer-expires', role: 'timer' }, ''), presenceChip(c.presence)),
    c.transfer_note ? h('p', { class: 'transfer-note' }, h('strong', {}, t('offer.transfer_note')), ' ', userText(c.transfer_note)) : null,
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
    if (!this.store.offers.size) document.title = t('app.title');
    if (refocus) {
      const button = box.querySelector(`.offer[data-conversation="${CSS.escape(refocus.id)}"] button.${refocus.cls}`);
      if (button) button.focus();
    }
    this.tick();
  }

  async accept(id = this.store.firstOffer()) {
    if (!id) return;
    if (this.store.wrapUpPending()) { this.app.notify(t('wrapup.banner'), 'error'); return; }
    try {
      const reply = await this.app.conn.request({ type: 'accept', conversation_id: id });
      this.store.removeOffer(id);
      const view = this.app.openConversation(reply.conversation, 'owner');
      this.app.selectTab(`conv:${id}`);
      view.focusComposer();
    } catch (err) {
      if (err.code === 'conflict' || err.code === 'not_found' || err.code === 'wrong_state') this.store.removeOffer(id);
      this.app.notify(errorText(err), 'error');
    }
  }

  async decline(id = this.store.firstOffer()) {
    if (!id) return;
    this.store.removeOffer(id);
    try { await this.app.conn.request({ type: 'decline', conversation_id: id }); } catch (err) { if (err.code !== 'conflict') this.app.error(err); }
  }
}
