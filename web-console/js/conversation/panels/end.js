// Ending the conversation, after a question that stays open while messages keep arriving.
import { h, fill } from '../../dom.js';
import { t } from '../../i18n.js';
import { kbd } from '../../shortcuts.js';

export class EndPanel {
  constructor(conv) {
    this.conv = conv;
    this.el = h('section', { class: 'side-end' });
    this.asked = false;
  }

  render() {
    const el = this.el;
    if (this.conv.state !== 'active') { fill(el); this.asked = false; return; }
    // The question stays open across re-renders (content, advisors and messages arrive meanwhile).
    const hadFocus = el.contains(document.activeElement) && document.activeElement.classList.contains('confirm-end');
    const confirmBox = h('div', { class: 'end-confirm', hidden: !this.asked },
      h('p', {}, t('end.confirm')),
      h('button', { type: 'button', class: 'danger confirm-end', onclick: () => this.end() }, t('end.yes')),
      h('button', { type: 'button', onclick: () => { this.asked = false; confirmBox.hidden = true; } }, t('common.cancel')));
    fill(el, h('button', { type: 'button', class: 'end-button', onclick: () => { this.asked = true; confirmBox.hidden = false; confirmBox.querySelector('.confirm-end').focus(); } },
      t('end.button'), ' ', kbd('end')), confirmBox);
    if (hadFocus) confirmBox.querySelector('.confirm-end').focus();
  }

  ask() {
    const b = this.el.querySelector('.end-button');
    if (b) b.click();
  }

  async end() {
    const { app, id } = this.conv;
    try {
      await app.conn.request({ type: 'end', conversation_id: id });
      app.store.ended(id, 'advisor');
    } catch (err) { app.error(err); }
  }
}
