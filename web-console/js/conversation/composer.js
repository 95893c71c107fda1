// What the advisor writes in one conversation: the message box (Enter sends, Shift+Enter is a
// new line), the messages sent and not yet back from the server, typing signals to the visitor,
// and inserting suggested or canned text at the caret. A private note (team: true) goes to the
// advisors and supervisors on the conversation only; a supervisor watching can write nothing else
// (the server refuses it too) until they take over.
import { h, uid, fill } from '../dom.js';
import { t } from '../i18n.js';
import { userText } from '../user_text.js';

let clientCounter = 0;
function clientId() { clientCounter += 1; return `a-${Date.now().toString(36)}-${clientCounter}`; }

// A reply being written survives a reload of this browser tab, and nothing longer: drafts can
// hold what the visitor disclosed, so they live in sessionStorage (gone with the tab), are
// removed once sent, when the conversation's tab closes, and at logout (forgetDrafts).
const DRAFT_KEY = 'helpline.console.draft.';
function draftKey(id) { return `${DRAFT_KEY}${id}`; }
function storeDraft(id, text) {
  try { if (text) sessionStorage.setItem(draftKey(id), text); else sessionStorage.removeItem(draftKey(id)); } catch { /* storage full or off: the draft stays on screen */ }
}
export function forgetDraft(id) { storeDraft(id, ''); }
export function forgetDrafts() {
  for (const k of Object.keys(sessionStorage)) if (k.startsWith(DRAFT_KEY)) sessionStorage.removeItem(k);
}

export class Composer {
  constructor(conv) {
    this.conv = conv;
    this.input = h('textarea', { class: 'composer-input', rows: '3', maxlength: '4000' });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.send(); }
    });
    this.input.addEventListener('input', () => { this.saveDraft(); this.typing(); });
    this.input.value = sessionStorage.getItem(draftKey(conv.id)) || '';
    this.button = h('button', { type: 'submit', class: 'primary' });
    this.label = h('label', { for: uid('composer') });
    this.input.id = this.label.htmlFor;
    // The advisor's own choice; a watcher writes notes whatever it says, and taking over starts
    // with replies (the choice made while watching does not carry over).
    this.privateChosen = false;
    this.privateBox = h('input', { type: 'checkbox', class: 'private-toggle', onchange: () => {
      if (!this.watching) this.privateChosen = this.privateBox.checked;
      this.stopTyping();
      this.render();
    } });
    this.privateLabel = h('label', { class: 'private-choice' }, this.privateBox, ' ', h('span', {}));
    this.form = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); this.send(); } },
      this.label, this.input, h('div', { class: 'composer-actions' }, this.privateLabel, this.button));
    this.pendingEl = h('ul', { class: 'pending-messages' });
  }

  get app() { return this.conv.app; }

  // Watching (a supervisor who joined, or an advisor whose chat was taken over): notes only.
  get watching() { return this.conv.role !== 'owner' || !!this.conv.tab.takenOverBy; }
  get isPrivate() { return this.watching || this.privateChosen; }

  render() {
    const state = this.conv.state;
    const watching = this.watching;
    const priv = this.isPrivate;
    // A note can be left while the visitor waits and during wrap-up; a reply only in an active chat.
    const noteStates = ['queued', 'offered', 'active', 'wrap_up'];
    const open = priv ? noteStates.includes(state) && !(this.conv.tab.takenOverBy && this.conv.role === 'owner') : state === 'active';
    this.open = state === 'active' && !priv; // typing signals: only for a reply
    this.privateBox.checked = priv;
    this.privateBox.disabled = watching || !noteStates.includes(state);
    this.privateLabel.hidden = !noteStates.includes(state);
    this.privateLabel.lastElementChild.textContent = t(watching ? 'composer.private_only' : 'composer.private');
    this.form.classList.toggle('private', priv);
    this.label.textContent = t(priv ? 'composer.private_label' : 'composer.label');
    this.input.placeholder = !open ? t('composer.closed') : t(priv ? 'composer.private_placeholder' : 'composer.placeholder');
    this.input.disabled = !open;
    this.button.disabled = !open;
    this.button.textContent = t(priv ? 'composer.private_send' : 'composer.send');
  }

  renderPending() {
    fill(this.pendingEl, ...[...this.conv.tab.pending.values()].map((text) => h('li', { class: 'message pending' }, h('span', { class: 'muted' }, t('composer.sending')), ' ', userText(text))));
  }

  focus() { if (!this.input.disabled) this.input.focus(); }

  saveDraft() { storeDraft(this.conv.id, this.input.value); }

  // Sends the box's text, or `text` with a programme `card`. Resolves to whether it went (or
  // waits in the connection's outbox for the next login).
  async send(text = this.input.value, card = null) {
    text = text.trim();
    const team = !card && this.isPrivate;
    if (!text || this.input.disabled || (!team && this.conv.state !== 'active')) return false;
    const { store, id } = this.conv;
    const cid = clientId();
    const frame = { type: 'message', conversation_id: id, client_id: cid, text };
    if (card) frame.card = card;
    if (team) frame.team = true;
    store.addPending(id, cid, text);
    if (!card) { this.input.value = ''; this.saveDraft(); }
    this.stopTyping();
    try {
      await this.app.conn.sendMessage(frame);
      return true;
    } catch (err) {
      if (err.code === 'disconnected' || err.code === 'timeout') return true; // kept in the outbox, resent on reconnect
      if (store.isOpen(id)) store.dropPending(id, cid);
      this.app.conn.outbox.delete(cid);
      if (!card && !this.input.value) { this.input.value = text; this.saveDraft(); }
      this.app.error(err);
      return false;
    }
  }

  typing() {
    if (this.conv.state !== 'active' || this.isPrivate) return; // a note is not a reply on its way
    const now = Date.now();
    if (!this.typingSentAt || now - this.typingSentAt > 3000) {
      this.typingSentAt = now;
      this.app.conn.send({ type: 'typing', conversation_id: this.conv.id, active: true });
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.stopTyping(), 4000);
  }

  stopTyping() {
    clearTimeout(this.typingIdle);
    if (this.typingSentAt) {
      this.typingSentAt = 0;
      if (this.open) this.app.conn.send({ type: 'typing', conversation_id: this.conv.id, active: false });
    }
  }

  insert(text) {
    if (this.input.disabled) return;
    const c = this.input;
    const start = c.selectionStart ?? c.value.length;
    const end = c.selectionEnd ?? c.value.length;
    const before = c.value.slice(0, start);
    const sep = before && !/\s$/.test(before) ? ' ' : '';
    c.value = before + sep + text + c.value.slice(end);
    c.focus();
    const pos = (before + sep + text).length;
    c.setSelectionRange(pos, pos);
    this.saveDraft();
  }
}
