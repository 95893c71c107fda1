// What the advisor writes in one conversation: the message box (Enter sends, Shift+Enter is a
// new line), the messages sent and not yet back from the server, typing signals to the visitor,
// and inserting suggested or canned text at the caret.
import { h, uid, fill } from '../dom.js';
import { t } from '../i18n.js';
import { userText } from '../user_text.js';

let clientCounter = 0;
function clientId() { clientCounter += 1; return `a-${Date.now().toString(36)}-${clientCounter}`; }

export class Composer {
  constructor(conv) {
    this.conv = conv;
    this.input = h('textarea', { class: 'composer-input', rows: '3', maxlength: '4000' });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.send(); }
    });
    this.input.addEventListener('input', () => this.typing());
    this.button = h('button', { type: 'submit', class: 'primary' });
    this.label = h('label', { for: uid('composer') });
    this.input.id = this.label.htmlFor;
    this.form = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); this.send(); } },
      this.label, this.input, h('div', { class: 'composer-actions' }, this.button));
    this.pendingEl = h('ul', { class: 'pending-messages' });
  }

  get app() { return this.conv.app; }

  render() {
    const open = this.conv.state === 'active';
    this.open = open; // as last drawn: a typing stop may come after the tab closed
    this.label.textContent = t('composer.label');
    this.input.placeholder = open ? t('composer.placeholder') : t('composer.closed');
    this.input.disabled = !open;
    this.button.disabled = !open;
    this.button.textContent = t('composer.send');
  }

  renderPending() {
    fill(this.pendingEl, ...[...this.conv.tab.pending.values()].map((text) => h('li', { class: 'message pending' }, h('span', { class: 'muted' }, t('composer.sending')), ' ', userText(text))));
  }

  focus() { if (!this.input.disabled) this.input.focus(); }

  // Sends the box's text, or `text` with a programme `card`. Resolves to whether it went (or
  // waits in the connection's outbox for the next login).
  async send(text = this.input.value, card = null) {
    text = text.trim();
    if (!text || this.conv.state !== 'active') return false;
    const { store, id } = this.conv;
    const cid = clientId();
    const frame = { type: 'message', conversation_id: id, client_id: cid, text };
    if (card) frame.card = card;
    store.addPending(id, cid, text);
    if (!card) this.input.value = '';
    this.stopTyping();
    try {
      await this.app.conn.sendMessage(frame);
      return true;
    } catch (err) {
      if (err.code === 'disconnected' || err.code === 'timeout') return true; // kept in the outbox, resent on reconnect
      if (store.isOpen(id)) store.dropPending(id, cid);
      this.app.conn.outbox.delete(cid);
      if (!card && !this.input.value) this.input.value = text;
      this.app.error(err);
      return false;
    }
  }

  typing() {
    if (this.conv.state !== 'active') return;
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
  }
}
