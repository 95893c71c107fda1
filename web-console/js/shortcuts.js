// Keyboard shortcuts for the frequent actions (Alt+Shift+key, so they never clash with typing
// or with the browser's own Alt shortcuts), listed in the help panel.
import { h, fill } from './dom.js';
import { t } from './i18n.js';

export const SHORTCUTS = [
  { id: 'accept', code: 'KeyA', run: (app) => app.queueView && app.queueView.accept() },
  { id: 'decline', code: 'KeyD', run: (app) => app.queueView && app.queueView.decline() },
  { id: 'presence', code: 'KeyV', run: (app) => app.togglePresence() },
  { id: 'queue', code: 'KeyQ', run: (app) => app.selectTab('queue') },
  { id: 'callbacks', code: 'KeyC', run: (app) => app.selectTab('callbacks') },
  { id: 'supervisor', code: 'KeyS', run: (app) => app.selectTab('supervisor') },
  { id: 'next_tab', code: 'Period', label: '.', run: (app) => app.cycleTab(1) },
  { id: 'prev_tab', code: 'Comma', label: ',', run: (app) => app.cycleTab(-1) },
  { id: 'conversation_n', code: 'Digit1-9', label: '1…9', run: null },
  { id: 'composer', code: 'KeyM', run: (app, v) => v && v.focusComposer() },
  { id: 'canned', code: 'KeyR', run: (app, v) => v && v.focusCanned() },
  { id: 'programmes', code: 'KeyP', run: (app, v) => v && v.focusProgrammes() },
  { id: 'transfer', code: 'KeyT', run: (app, v) => v && v.openTransfer() },
  { id: 'end', code: 'KeyE', run: (app, v) => v && v.askEnd() },
  { id: 'wrapup', code: 'KeyW', run: (app, v) => v && v.focusWrapUp() },
  { id: 'alert', code: 'KeyL', run: () => { const b = document.querySelector('.risk-alert button'); if (b) b.focus(); } },
];

export function keyLabel(id) {
  const s = SHORTCUTS.find((x) => x.id === id);
  if (!s) return '';
  return `Alt+Shift+${s.label || s.code.replace(/^Key/, '')}`;
}

export function kbd(id) { return h('kbd', { class: 'shortcut' }, keyLabel(id)); }

function currentView(app) {
  return app.active && app.active.startsWith('conv:') ? app.convs.get(app.active.slice(5)) : null;
}

export function installShortcuts(app) {
  document.addEventListener('keydown', (e) => {
    if (!app.me) return;
    const inField = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName) || e.target.isContentEditable;
    if (e.key === '?' && !inField && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      document.getElementById('help-dialog').showModal();
      return;
    }
    if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return;
    const digit = /^Digit([1-9])$/.exec(e.code);
    if (digit) {
      e.preventDefault();
      const convTabs = app.tabs.filter((x) => x.kind === 'conversation');
      const tab = convTabs[Number(digit[1]) - 1];
      if (tab) { app.selectTab(tab.id); tab.button.focus(); }
      return;
    }
    const s = SHORTCUTS.find((x) => x.code === e.code && x.run);
    if (!s) return;
    e.preventDefault();
    s.run(app, currentView(app));
  });
}

export function renderHelp() {
  const list = document.getElementById('help-list');
  fill(list, ...SHORTCUTS.flatMap((s) => [h('dt', {}, h('kbd', {}, keyLabel(s.id))), h('dd', {}, t(`shortcut.${s.id}`))]),
    h('dt', {}, h('kbd', {}, '?')), h('dd', {}, t('shortcut.help')),
    h('dt', {}, h('kbd', {}, 'Enter')), h('dd', {}, t('shortcut.send')),
    h('dt', {}, h('kbd', {}, 'Shift+Enter')), h('dd', {}, t('shortcut.newline')));
}
