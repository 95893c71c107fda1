// Console entry point: login, tabs, global alerts, keyboard shortcuts. What the console knows
// of conversations is in the store (store.js), fed by sync.js; the views draw from it.
import { h, $, fill } from './dom.js';
import { t, setLanguage, language, UI_LANGUAGES, preload, applyStatic } from './i18n.js';
import { Connection } from './connection.js';
import { beep, unlockAudio } from './sound.js';
import { errorText, languageName, shortId } from './labels.js';
import { Store } from './store.js';
import { wireFrames, resync, refreshLive } from './sync.js';
import { QueueView } from './queue.js';
import { ConversationView } from './conversation/view.js';
import { forgetDraft, forgetDrafts } from './conversation/composer.js';
import { CallbacksView } from './callbacks.js';
import { SupervisorView } from './supervisor.js';
import { StatsView } from './stats.js';
import { AdminView } from './admin.js';
import { installShortcuts, renderHelp } from './shortcuts.js';
import { confirmDialog } from './dialog.js';
import { setTaxonomy } from './taxonomy.js';

const UI_LANG_KEY = 'helpline.console.lang';
const TAB_KEY = 'helpline.console.tab'; // the open tab survives a reload
const RANK = { advisor: 0, supervisor: 1, admin: 2 };

export const app = {
  conn: new Connection(),
  // What this account may use: logged_in.features exactly as the server sent it (the server
  // reads it from its route table for the account's role). Views re-render on a change.
  features: {
    names: new Set(),
    listeners: new Set(),
    available(name) { return this.names.has(name); },
    onChange(fn) { this.listeners.add(fn); },
    set(list, { notify = true } = {}) {
      this.names = new Set(Array.isArray(list) ? list : []);
      if (notify) for (const fn of this.listeners) fn();
    },
  },
  store: new Store(),
  me: null,
  presence: 'away',
  guidance: '',
  convs: new Map(), // id -> ConversationView (its tab; the conversation itself is in the store)
  tabs: [], // [{id, label(), panel, button, kind}]
  active: null,
  content: new Map(), // lang -> content reply
  everLoggedIn: false,
};

function isAtLeast(role) { return app.me && RANK[app.me.role] >= RANK[role]; }
app.isAtLeast = isAtLeast;

// ---- status and alerts -------------------------------------------------------------------

export function announce(text) {
  const region = $('#status-region');
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 30);
}
app.announce = announce;

// Said once, at once (a new offer, an offer about to end): an assertive region holding only
// this text, so nothing that merely updates on screen (a countdown) is read out again.
app.announceUrgent = (text) => {
  const region = $('#urgent-region');
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 30);
};

app.notify = (text, kind = 'info') => {
  const region = $('#alert-region');
  const el = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text,
    h('button', { type: 'button', class: 'link', onclick: () => el.remove() }, t('common.dismiss')));
  region.append(el);
  setTimeout(() => el.remove(), 8000);
};

app.error = (err) => app.notify(errorText(err), 'error');

// An imminent alert: stays on screen (whatever tab is open) until dismissed, with a sound.
app.showAlert = (frame) => {
  const id = frame.conversation_id;
  const existing = document.querySelector(`.risk-alert[data-conversation="${CSS.escape(id)}"]`);
  if (existing) existing.remove();
  app.store.addAlert(frame);
  const who = frame.advisor ? frame.advisor.name : t('alert.unassigned');
  const el = h('div', { class: 'risk-alert', role: 'alert', dataset: { conversation: id, level: frame.level } },
    h('strong', {}, t('alert.title')),
    ' ',
    h('span', {}, t('alert.text', { id: shortId(id), advisor: who })),
    h('span', { class: 'alert-actions' },
      isAtLeast('supervisor') && !app.convs.has(id)
        ? h('button', { type: 'button', class: 'danger', onclick: () => app.join(id) }, t('alert.join')) : null,
      app.convs.has(id) ? h('button', { type: 'button', onclick: () => app.selectTab(`conv:${id}`) }, t('alert.open')) : null,
      h('button', { type: 'button', onclick: () => { el.remove(); app.store.removeAlert(id); } }, t('alert.acknowledge'))));
  $('#alert-region').prepend(el);
  beep('alert');
};

// The advisor's emergency guidance (from configuration) when one of their conversations is imminent.
app.showGuidanceBanner = (id) => {
  if (document.querySelector(`.guidance-alert[data-conversation="${CSS.escape(id)}"]`)) return;
  const el = h('div', { class: 'risk-alert guidance-alert', role: 'alert', dataset: { conversation: id } },
    h('strong', {}, t('guidance.title')), ' ',
    h('span', { class: 'guidance-text' }, app.guidance || t('guidance.fallback')),
    h('span', { class: 'alert-actions' },
      app.convs.has(id) ? h('button', { type: 'button', onclick: () => app.selectTab(`conv:${id}`) }, t('alert.open')) : null,
      h('button', { type: 'button', onclick: () => el.remove() }, t('alert.acknowledge'))));
  $('#alert-region').prepend(el);
  beep('alert');
};

// ---- tabs --------------------------------------------------------------------------------

app.addTab = (tab) => {
  const button = h('button', {
    type: 'button', role: 'tab', id: `tab-${tab.id.replace(/[^\w-]/g, '_')}`, class: `tab tab-${tab.kind}`,
    'aria-selected': 'false', tabindex: '-1', dataset: { tab: tab.id },
    onclick: () => app.selectTab(tab.id),
  });
  tab.button = button;
  tab.panel.setAttribute('role', 'tabpanel');
  tab.panel.setAttribute('aria-labelledby', button.id);
  tab.panel.hidden = true;
  tab.panel.classList.add('panel');
  app.tabs.push(tab);
  $('#tabs').append(button);
  $('#main').append(tab.panel);
  app.refreshTabLabels();
  if (!app.active) app.selectTab(tab.id);
  return tab;
};

app.removeTab = (id) => {
  const i = app.tabs.findIndex((x) => x.id === id);
  if (i < 0) return;
  const [tab] = app.tabs.splice(i, 1);
  tab.button.remove();
  tab.panel.remove();
  if (app.active === id) { app.active = null; app.selectTab((app.tabs[Math.max(0, i - 1)] || app.tabs[0] || {}).id); }
};

app.refreshTabLabels = () => {
  for (const tab of app.tabs) {
    fill(tab.button, ...[].concat(tab.label()));
  }
};

app.selectTab = (id) => {
  const tab = app.tabs.find((x) => x.id === id);
  if (!tab) return;
  app.active = id;
  sessionStorage.setItem(TAB_KEY, id);
  for (const x of app.tabs) {
    const on = x === tab;
    x.button.setAttribute('aria-selected', on ? 'true' : 'false');
    x.button.tabIndex = on ? 0 : -1;
    x.panel.hidden = !on;
  }
  if (tab.onShow) tab.onShow();
};

app.cycleTab = (delta) => {
  const i = app.tabs.findIndex((x) => x.id === app.active);
  const next = app.tabs[(i + delta + app.tabs.length) % app.tabs.length];
  if (next) { app.selectTab(next.id); next.button.focus(); }
};

function tabKeys(e) {
  if (e.target.getAttribute('role') !== 'tab') return;
  if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
    e.preventDefault();
    const rtl = document.documentElement.dir === 'rtl';
    app.cycleTab((e.key === 'ArrowRight') !== rtl ? 1 : -1);
  }
}

// ---- conversations -----------------------------------------------------------------------

// A `conversation` payload (accept, join, take over, reconnect): into the store, and a tab for it.
app.openConversation = (payload, role) => {
  app.store.open(payload, role);
  let view = app.convs.get(payload.id);
  if (!view) {
    view = new ConversationView(app, payload.id);
    app.convs.set(payload.id, view);
    app.addTab({ id: `conv:${payload.id}`, kind: 'conversation', panel: view.root, label: () => view.tabLabel(), onShow: () => view.onShow() });
  }
  preload(payload.lang);
  app.updateWrapUpBlock();
  return view;
};

app.closeConversation = (id) => {
  const view = app.convs.get(id);
  if (!view) return;
  app.convs.delete(id);
  view.destroy();
  forgetDraft(id);
  app.removeTab(`conv:${id}`);
  app.store.leave(id);
  app.updateWrapUpBlock();
};

// One of my conversations is no longer mine (found after a reconnect).
app.dropConversation = (id) => {
  app.notify(t('conversation.gone', { id: shortId(id) }));
  app.closeConversation(id);
};

app.join = async (id) => {
  try {
    const reply = await app.conn.request({ type: 'join', conversation_id: id });
    app.openConversation(reply.conversation, 'watcher');
    app.selectTab(`conv:${id}`);
  } catch (err) { app.error(err); }
};

// Wrap-up pending on any of my conversations blocks taking the next contact.
app.wrapUpPending = () => app.store.wrapUpPending();
app.updateWrapUpBlock = () => {
  const pending = app.wrapUpPending();
  $('#wrapup-banner').hidden = !pending;
  if (app.queueView) app.queueView.renderOffers();
  app.refreshTabLabels();
};

app.loadContent = async (lang) => {
  if (app.content.has(lang)) return app.content.get(lang);
  if (!app.features.available('content')) return null;
  try {
    const reply = await app.conn.request({ type: 'content', lang });
    app.content.set(lang, reply);
    return reply;
  } catch {
    return null;
  }
};

// ---- login and resync --------------------------------------------------------------------

function connectionLabel(state) {
  return t(`connection.${state === 'logged_in' ? 'online' : state === 'closed' ? 'offline' : 'connecting'}`);
}

async function onLogin(reply) {
  const first = !app.me || app.me.id !== reply.advisor.id;
  if (app.me && first) forgetDrafts(); // another account in this tab: the last one's drafts go
  app.me = reply.advisor;
  setTaxonomy(reply.taxonomy);
  app.presence = reply.presence;
  app.guidance = reply.emergency_guidance || '';
  $('#presence-select').value = app.presence;
  $('#me-name').textContent = t('app.signed_in_as', { name: app.me.name, role: t(`role.${app.me.role}`) });
  // The focus was in the login form, which is now hidden (or nowhere, after a reload): it goes to
  // the console's heading, from where Tab reaches the presence. A login again after a dropped
  // connection leaves it where the advisor is working.
  const focusLost = !$('#login-view').hidden || !document.activeElement || document.activeElement === document.body;
  $('#login-view').hidden = true;
  $('#console-view').hidden = false;
  if (focusLost) $('#console-title').focus();
  if (first) {
    restoreTab = sessionStorage.getItem(TAB_KEY);
    // The panels are built for this account's list, and drawn once.
    app.features.set(reply.features, { notify: false });
    buildPanels();
  } else {
    app.features.set(reply.features); // the same account again: its role may have changed
  }
  app.everLoggedIn = true;
  await catchUp();
}

let restoreTab = null;

async function catchUp() {
  try {
    await resync(app);
    if (restoreTab) {
      const saved = restoreTab;
      restoreTab = null;
      if (saved !== app.active) app.selectTab(saved);
    }
    app.callbacksView.refresh();
    app.updateWrapUpBlock();
  } catch (err) {
    if (err.code !== 'disconnected') app.error(err);
  }
}

function buildPanels() {
  for (const tab of [...app.tabs]) app.removeTab(tab.id);
  app.active = null;
  for (const view of [app.queueView, app.supervisorView]) if (view) view.destroy();
  app.store.reset(); // the previous account's queue, offers and list do not carry over
  app.queueView = new QueueView(app);
  app.addTab({ id: 'queue', kind: 'fixed', panel: app.queueView.root, label: () => app.queueView.tabLabel() });
  app.callbacksView = new CallbacksView(app);
  app.addTab({ id: 'callbacks', kind: 'fixed', panel: app.callbacksView.root, label: () => app.callbacksView.tabLabel() });
  if (isAtLeast('supervisor')) {
    app.supervisorView = new SupervisorView(app);
    app.addTab({ id: 'supervisor', kind: 'fixed', panel: app.supervisorView.root, label: () => t('tabs.supervisor'), onShow: () => app.supervisorView.onShow() });
    app.statsView = new StatsView(app);
    app.addTab({ id: 'stats', kind: 'fixed', panel: app.statsView.root, label: () => t('tabs.stats'), onShow: () => app.statsView.onShow() });
  } else {
    app.supervisorView = null;
  }
  app.adminView = null;
  syncAdminTab();
  app.selectTab('queue');
}

// The administration tab exists exactly when logged_in.features lists an administration request.
const ADMIN_FEATURES = ['users', 'hours_get', 'hours_set', 'directory', 'content_reload'];
function syncAdminTab() {
  if (!app.me) return;
  const want = ADMIN_FEATURES.some((f) => app.features.available(f));
  if (want && !app.adminView) {
    app.adminView = new AdminView(app);
    app.addTab({ id: 'admin', kind: 'fixed', panel: app.adminView.root, label: () => t('tabs.admin'), onShow: () => app.adminView.onShow() });
    if (app.active === 'admin') app.adminView.onShow();
  } else if (!want && app.adminView) {
    app.removeTab('admin');
    app.adminView = null;
  }
}

// A supervisor takes over an active conversation: it becomes theirs (composer, end, wrap-up).
app.takeOver = async (id) => {
  const record = app.store.get(id);
  const from = record && record.advisor;
  if (!(await confirmDialog(t('takeover.confirm', { name: from ? from.name : t('alert.unassigned') }), t('takeover.yes'), { danger: true }))) return;
  try {
    const reply = await app.conn.request({ type: 'take_over', conversation_id: id });
    const taken = app.openConversation(reply.conversation, 'owner');
    app.selectTab(`conv:${id}`);
    app.announce(t('takeover.done'));
    taken.focusComposer();
    if (app.supervisorView) refreshLive(app);
  } catch (err) { app.error(err); }
};

function wireEvents() {
  const c = app.conn;
  c.on('state', (state) => {
    const el = $('#connection-state');
    el.textContent = connectionLabel(state);
    el.dataset.state = state;
    document.body.dataset.connection = state;
  });
  c.on('login', (reply) => { onLogin(reply).catch((err) => app.error(err)); });
  c.on('logged_out', () => showLogin(t('login.expired')));
  wireFrames(app);
  // An ended or taken-over conversation changes whether the next contact can be taken.
  app.store.on((change) => { if (change.what === 'state') app.updateWrapUpBlock(); });
  app.features.onChange(syncAdminTab);
  c.on('callbacks_changed', () => app.callbacksView && app.callbacksView.refresh());
  c.on('advisors', (f) => app.supervisorView && app.supervisorView.setAdvisors(f.advisors || []));
  window.addEventListener('online', () => c.nudge());
}

function showLogin(message) {
  $('#console-view').hidden = true;
  $('#login-view').hidden = false;
  const err = $('#login-error');
  err.hidden = !message;
  err.textContent = message || '';
  $('#login-username').focus();
}

function fillLanguageSelect(select) {
  fill(select, ...UI_LANGUAGES.map((l) => h('option', { value: l }, languageName(l))));
  select.value = language();
}

async function changeLanguage(lang) {
  localStorage.setItem(UI_LANG_KEY, lang);
  await setLanguage(lang);
  for (const s of document.querySelectorAll('.language-select')) fillLanguageSelect(s);
  if (app.me) {
    // Category and cue names come from the server's content, in the new language.
    const content = await app.loadContent(lang);
    if (content) setTaxonomy(content.taxonomy);
    $('#me-name').textContent = t('app.signed_in_as', { name: app.me.name, role: t(`role.${app.me.role}`) });
    for (const tab of app.tabs) if (tab.rerender) tab.rerender();
    app.queueView.render();
    app.queueView.renderOffers();
    app.callbacksView.render();
    if (app.supervisorView) app.supervisorView.render();
    for (const v of app.convs.values()) v.relabel();
    app.refreshTabLabels();
  }
  renderHelp();
}

async function start() {
  const saved = localStorage.getItem(UI_LANG_KEY) || (navigator.language || 'en').slice(0, 2);
  await setLanguage(saved);
  for (const s of document.querySelectorAll('.language-select')) {
    fillLanguageSelect(s);
    s.addEventListener('change', () => changeLanguage(s.value));
  }
  renderHelp();
  unlockAudio();
  wireEvents();
  installShortcuts(app);
  $('#tabs').addEventListener('keydown', tabKeys);

  $('#login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const username = $('#login-username').value.trim();
    const password = $('#login-password').value;
    const err = $('#login-error');
    if (!username || !password) { err.hidden = false; err.textContent = t('login.missing'); return; }
    const button = e.submitter || $('#login-form button[type=submit]');
    button.disabled = true;
    try {
      await app.conn.loginWithPassword(username, password);
      $('#login-password').value = '';
    } catch (ex) {
      err.hidden = false;
      err.textContent = errorText(ex);
      if (ex.code !== 'disconnected') app.conn.wanted = true;
    } finally {
      button.disabled = false;
    }
  });

  $('#presence-select').addEventListener('change', (e) => app.setPresence(e.target.value));
  $('#logout-button').addEventListener('click', () => {
    app.conn.logout();
    sessionStorage.removeItem(TAB_KEY);
    for (const id of [...app.convs.keys()]) app.closeConversation(id);
    forgetDrafts();
    app.me = null;
    showLogin('');
  });
  $('#help-button').addEventListener('click', () => $('#help-dialog').showModal());

  const token = Connection.storedToken();
  if (token) {
    try {
      await app.conn.loginWithToken(token);
      return;
    } catch (err) {
      if (err.code === 'bad_credentials') Connection.forgetToken();
      else { app.conn.wanted = true; app.conn.nudge(); }
    }
  }
  if (!app.me) showLogin('');
}

app.setPresence = async (status) => {
  try {
    const reply = await app.conn.request({ type: 'presence', status });
    app.presence = reply.status;
    announce(t(`presence.${reply.status}`));
  } catch (err) {
    app.error(err);
  }
  $('#presence-select').value = app.presence;
};

app.togglePresence = () => app.setPresence(app.presence === 'available' ? 'away' : 'available');

window.addEventListener('DOMContentLoaded', () => { applyStatic(document); start(); });
