// A modal yes/no question (native <dialog>: focus stays inside, Escape cancels). The focus goes
// back to the control that asked.
import { h, uid } from './dom.js';
import { t } from './i18n.js';

export function confirmDialog(text, yesLabel, { danger = false } = {}) {
  const opener = document.activeElement;
  const textId = uid('confirm');
  return new Promise((resolve) => {
    const yes = h('button', { type: 'button', class: `${danger ? 'danger' : 'primary'} confirm-yes` }, yesLabel);
    const no = h('button', { type: 'button', class: 'confirm-no' }, t('common.cancel'));
    const dialog = h('dialog', { class: 'confirm-dialog', 'aria-labelledby': textId },
      h('p', { id: textId }, text), h('div', { class: 'confirm-actions' }, yes, no));
    let answer = false;
    yes.addEventListener('click', () => { answer = true; dialog.close(); });
    no.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}
