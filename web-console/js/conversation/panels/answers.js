// The visitor's screening answers, as the queue and the offer showed them.
import { h, fill } from '../../dom.js';
import { t } from '../../i18n.js';
import { answersList } from '../../labels.js';

export class AnswersPanel {
  constructor(conv) {
    this.conv = conv;
    this.el = h('section', { class: 'side-answers' });
  }

  render() {
    fill(this.el, h('h3', {}, t('answers.title')), answersList(this.conv.record.answers));
  }
}
