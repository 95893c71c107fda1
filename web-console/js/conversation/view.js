// One conversation tab: the header (facts, take over, close), the emergency guidance, a notice
// when it ended or was taken over, the transcript, the composer and the side panels. Everything
// is drawn from the conversation's record in the store (store.js); this view only listens for
// the store's changes and hands its parts what they need.
import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { levelBadge, callerType, languageName, shortId, presenceChip } from '../labels.js';
import { touches } from '../store.js';
import { userText } from '../user_text.js';
import { Transcript } from './transcript.js';
import { Composer } from './composer.js';
import { RiskPanel } from './panels/risk.js';
import { AnswersPanel } from './panels/answers.js';
import { CuesPanel } from './panels/cues.js';
import { CannedPanel } from './panels/canned.js';
import { ProgrammesPanel } from './panels/programmes.js';
import { PlanPanel } from './panels/plan.js';
import { DisclosurePanel } from './panels/disclosure.js';
import { TransferPanel } from './panels/transfer.js';
import { EndPanel } from './panels/end.js';
import { WrapUpPanel } from './panels/wrapup.js';

export class ConversationView {
  constructor(app, id) {
    this.app = app;
    this.store = app.store;
    this.id = id;
    this.unread = 0; // visitor messages that arrived while another tab was open
    this.transcript = new Transcript(this);
    this.composer = new Composer(this);
    this.headerEl = h('header', { class: 'conv-header' });
    // What to do now, kept in the tab while the level is imminent. Not an alert: the banner
    // (app.showGuidanceBanner) says it once; this is drawn again with every change.
    this.guidanceEl = h('div', { class: 'guidance', role: 'note', hidden: true });
    this.noticeEl = h('div', { class: 'conv-notice', role: 'status' });
    // In the order they are shown.
    this.panels = {
      risk: new RiskPanel(this),
      answers: new AnswersPanel(this),
      cues: new CuesPanel(this),
      canned: new CannedPanel(this),
      programmes: new ProgrammesPanel(this),
      plan: new PlanPanel(this),
      disclosure: new DisclosurePanel(this),
      transfer: new TransferPanel(this),
      end: new EndPanel(this),
      wrapup: new WrapUpPanel(this),
    };
    this.sideEl = h('aside', { class: 'conv-side' }, Object.values(this.panels).map((p) => p.el));
    this.root = h('section', { class: 'conversation', dataset: { conversation: id } },
      this.headerEl, this.guidanceEl, this.noticeEl,
      h('div', { class: 'conv-body' },
        h('div', { class: 'conv-main' }, this.transcript.el, this.composer.pendingEl, this.transcript.typingEl, this.composer.form),
        this.sideEl));
    this.off = this.store.on((change) => this.onChange(change));
    app.features.onChange(() => this.renderSide());
    const messages = [...this.tab.messages.values()].sort((a, b) => a.seq - b.seq);
    for (const m of messages) this.transcript.add(m);
    this.countUnread(messages);
    this.composer.renderPending();
    this.render();
  }

  // The record and this console's part in it (store.js). A closed tab has neither.
  get record() { return this.store.get(this.id); }
  get tab() { return this.record.open; }
  get role() { return this.tab.role; }
  get state() { return this.store.isOpen(this.id) ? this.tab.state : 'closed'; }
  get lang() { return this.record.lang || 'en'; }
  get level() { return this.record.level || 'none'; }
  get shown() { return !this.gone && this.store.isOpen(this.id); }

  destroy() { this.gone = true; this.off(); }

  onChange(change) {
    if (!this.shown) return;
    if (change.id !== this.id) { if (touches(change, this.id)) this.render(); return; }
    if (change.what === 'summary' || change.what === 'loaded') this.render();
    else if (change.what === 'messages') this.onMessages(change);
    else if (change.what === 'pending') this.composer.renderPending();
    else if (change.what === 'typing') this.transcript.showTyping(change.active);
    else if (change.what === 'state') this.onState(change);
  }

  onMessages({ added, pendingChanged }) {
    if (pendingChanged) this.composer.renderPending();
    for (const m of added) this.transcript.add(m);
    this.countUnread(added);
    this.transcript.scrollToEnd();
    this.renderSide();
    this.app.refreshTabLabels();
  }

  countUnread(messages) {
    if (this.app.active === `conv:${this.id}`) return;
    this.unread += messages.filter((m) => m.from === 'visitor').length;
  }

  onState({ cause }) {
    this.renderNotice();
    if (cause === 'taken_over') this.composer.renderPending();
    this.render();
    if (cause === 'ended' && this.role === 'owner' && this.app.active === `conv:${this.id}`) this.focusWrapUp();
  }

  tabLabel() {
    const parts = [levelBadge(this.level), ' ', callerType(this.record.caller_type), ' ', h('span', { class: 'muted' }, `#${shortId(this.id)}`)];
    if (this.state === 'wrap_up') parts.push(' ', h('span', { class: 'chip warn' }, t('state.wrap_up')));
    if (this.tab.takenOverBy) parts.push(' ', h('span', { class: 'chip warn taken-over' }, t('takeover.tab')));
    if (this.unread) parts.push(' ', h('span', { class: 'count unread' }, String(this.unread)));
    return parts;
  }

  render() {
    if (!this.shown) return;
    this.renderHeader();
    this.renderSide();
    this.composer.render();
    this.transcript.label();
    this.renderGuidance();
    this.app.refreshTabLabels();
  }

  // The interface language changed: messages are drawn again too.
  relabel() {
    this.render();
    if (this.shown) this.transcript.relabel();
  }

  renderHeader() {
    const s = this.record;
    fill(this.headerEl, 
      h('h2', {}, t('conversation.title', { id: shortId(this.id) })),
      h('dl', { class: 'conv-facts' },
        h('dt', {}, t('conversation.level')), h('dd', { class: 'conv-level' }, levelBadge(this.level)),
        h('dt', {}, t('conversation.caller_type')), h('dd', {}, callerType(s.caller_type)),
        // The language the visitor writes in, not the screening pack's fallback.
        h('dt', {}, t('conversation.language')), h('dd', { class: 'conv-lang' }, h('bdi', {}, languageName(s.visitor_lang || s.lang))),
        h('dt', {}, t('conversation.state')), h('dd', { class: 'conv-state' }, t(`state.${this.state}`)),
        ['queued', 'offered', 'active'].includes(this.state) || (this.state === 'wrap_up' && s.presence !== 'connected')
          ? [h('dt', {}, t('conversation.presence')), h('dd', { class: 'conv-presence' }, presenceChip(s.presence))] : null,
        s.advisor ? [h('dt', {}, t('conversation.advisor')), h('dd', {}, userText(s.advisor.name))] : null,
        this.role === 'watcher' ? [h('dt', {}, t('conversation.you')), h('dd', {}, t('conversation.watching'))] : null),
      this.role === 'watcher' && this.state === 'active' && this.app.features.available('take_over')
        ? h('button', { type: 'button', class: 'danger take-over', onclick: () => this.app.takeOver(this.id) }, t('takeover.button')) : null,
      this.role === 'watcher' || this.state === 'closed'
        ? h('button', { type: 'button', class: 'close-tab', onclick: () => this.app.closeConversation(this.id) }, t('conversation.close_tab')) : null,
      s.interpreter_may_be_needed ? h('p', { class: 'warn' }, t('offer.interpreter')) : null,
      s.screening_unavailable
        ? h('p', { class: 'warn screening-unavailable', role: 'note' }, t('conversation.screening_unavailable', { lang: s.visitor_lang || '' })) : null,
      s.transfer_note ? h('p', { class: 'transfer-note' }, h('strong', {}, t('offer.transfer_note')), ' ', userText(s.transfer_note)) : null);
  }

  renderGuidance() {
    const show = this.level === 'imminent';
    this.guidanceEl.hidden = !show;
    if (show) {
      fill(this.guidanceEl, h('strong', {}, t('guidance.title')), ' ', h('span', { class: 'guidance-text' }, this.app.guidance || t('guidance.fallback')));
    }
  }

  // Written when it happens only (a status region: drawing it again would announce it again).
  renderNotice() {
    const n = this.tab.notice;
    if (!n) return;
    if (n.kind === 'taken_over') {
      fill(this.noticeEl, h('strong', {}, t('takeover.notice_title')), ' ', t('takeover.notice', { name: n.name || t('alert.unassigned') }));
      this.noticeEl.classList.add('warn', 'taken-over-notice');
    } else if (n.kind === 'closed') {
      this.noticeEl.textContent = t('conversation.closed');
    } else if (n.reason === 'quick_exit') {
      this.noticeEl.textContent = t('conversation.ended_quick_exit');
    } else {
      this.noticeEl.textContent = t(`conversation.ended_by_${n.by === 'visitor' ? 'visitor' : n.by === 'advisor' ? 'advisor' : 'system'}`);
    }
  }

  renderSide() {
    if (!this.shown) return;
    // Persistent inputs are moved into fresh forms: give back the focus (and caret) they had.
    const active = document.activeElement;
    const refocus = active && active !== document.body && this.sideEl.contains(active) ? active : null;
    const caret = refocus && typeof refocus.selectionStart === 'number' ? [refocus.selectionStart, refocus.selectionEnd] : null;
    for (const panel of Object.values(this.panels)) panel.render();
    // The wrap-up is what is left to do: first in the side panel, not below everything else.
    const wrapUp = this.panels.wrapup.el;
    if (this.state === 'wrap_up' && this.sideEl.firstElementChild !== wrapUp) this.sideEl.prepend(wrapUp);
    if (refocus && refocus.isConnected && document.activeElement !== refocus) {
      refocus.focus({ preventScroll: true });
      if (caret) { try { refocus.setSelectionRange(...caret); } catch { /* not a text field */ } }
    }
  }

  onShow() {
    this.unread = 0;
    this.app.refreshTabLabels();
    this.transcript.scrollToEnd();
  }

  // What the panels use of each other.
  insert(text) { this.composer.insert(text); }
  send(text, card) { return this.composer.send(text, card); }
  scrollTo(seq) { this.transcript.scrollTo(seq); }

  // Keyboard shortcuts (shortcuts.js).
  focusComposer() { this.composer.focus(); }
  focusCanned() { this.panels.canned.focus(); }
  focusProgrammes() { this.panels.programmes.focus(); }
  openTransfer() { this.panels.transfer.open(); }
  askEnd() { this.panels.end.ask(); }
  focusWrapUp() { this.panels.wrapup.focus(); }
}
