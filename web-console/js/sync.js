// Keeps the store (store.js) in step with the server: frames the server pushes go into it (the
// views redraw from it), with what a frame must also do at once (a sound, the emergency
// guidance, a notification); after every (re)login the queue, the conversations and what was
// missed are read again; after partial events a supervisor re-reads the full list.
import { t } from './i18n.js';
import { beep } from './sound.js';
import { shortId, callerType, languageName } from './labels.js';
import { keyLabel } from './shortcuts.js';

export function wireFrames(app) {
  const { conn: c, store } = app;
  c.on('queue', (f) => { if (f.entries) store.setQueue(f); });
  c.on('offer', (f) => {
    const conv = f.conversation;
    if (!store.addOffer(f)) return;
    beep(conv.level === 'imminent' ? 'alert' : 'offer');
    const record = store.get(conv.id);
    app.announceUrgent(t('offer.announce', {
      level: t(`level.${record.level || 'none'}`), caller_type: callerType(record.caller_type),
      language: languageName(record.lang), key: keyLabel('accept'),
    }));
    document.title = `(${store.offers.size}) ${t('offer.title_flash')}`;
    if (conv.level === 'imminent') app.showGuidanceBanner(conv.id);
  });
  c.on('offer_withdrawn', (f) => {
    if (store.removeOffer(f.conversation_id)) app.announce(t(`offer.withdrawn_${f.reason || 'taken'}`));
  });
  c.on('message', (f) => store.addMessages(f.conversation_id, [f]));
  c.on('typing', (f) => store.typing(f.conversation_id, f.active));
  c.on('risk', (f) => {
    const id = f.conversation_id;
    const listed = store.live.has(id);
    store.risk(f);
    // The server says `risk` only when the level rises, so imminent comes once: whatever list
    // brought the level here first, this is the moment to tell the advisor what to do.
    if (f.level === 'imminent' && store.isOpen(id) && store.get(id).open.role === 'owner') app.showGuidanceBanner(id);
    if (app.supervisorView && !listed) refreshLive(app);
  });
  c.on('alert', (f) => app.showAlert(f));
  c.on('ended', (f) => store.ended(f.conversation_id, f.by, f.reason));
  c.on('taken_over', (f) => {
    const id = f.conversation_id;
    if (!store.isOpen(id)) return;
    store.takenOver(id, f.by);
    app.notify(t('takeover.notify', { id: shortId(id), name: f.by && f.by.name ? f.by.name : t('alert.unassigned') }), 'error');
  });
  c.on('conversation_update', (f) => {
    store.stateUpdate(f);
    const r = store.get(f.conversation_id);
    if (r && r.open && r.open.role === 'watcher' && f.state === 'closed') store.markClosed(f.conversation_id);
    if (app.supervisorView) { refreshLive(app); app.supervisorView.advisorsSoon(); }
  });
  c.on('plan', (f) => { store.setPlan(f.conversation_id, f.plan); if (app.supervisorView) refreshLive(app); });
  c.on('disclosure_recorded', (f) => { store.addDisclosure(f.conversation_id, f.disclosure); if (app.supervisorView) refreshLive(app); });
}

// Updates arrive as partial events: re-read the full list shortly after (coalesced).
let refreshTimer = 0;
export function refreshLive(app) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    const since = app.store.stamp;
    try { app.store.setLive((await app.conn.request({ type: 'conversations' })).conversations || [], since); } catch { /* the next event retries */ }
  }, 400);
}

// After a (re)login: the queue, the live conversations (tabs for any of mine not shown, e.g.
// after a reload), and for each open tab what it missed; a tab that is no longer mine goes.
export async function resync(app) {
  const { conn, store } = app;
  const since = store.stamp;
  const [, convs] = await Promise.all([
    conn.request({ type: 'queue' }).then((q) => store.setQueue(q)),
    conn.request({ type: 'conversations' }),
  ]);
  const list = convs.conversations || [];
  const live = new Map(list.map((c) => [c.id, c]));
  for (const c of list) {
    const mine = c.advisor && c.advisor.id === app.me.id;
    if (mine && !store.isOpen(c.id)) app.openConversation({ ...c, messages: [] }, 'owner');
  }
  for (const id of store.openIds()) {
    if (!store.isOpen(id)) continue; // closed meanwhile
    if (store.get(id).open.role === 'watcher') {
      if (!live.has(id)) { store.markClosed(id); continue; }
      try { app.openConversation((await conn.request({ type: 'join', conversation_id: id })).conversation, 'watcher'); } catch (err) { store.markClosed(id); }
      continue;
    }
    const summary = live.get(id);
    if (!summary || (summary.advisor && summary.advisor.id !== app.me.id)) { app.dropConversation(id); continue; }
    store.open(summary, 'owner');
    const hist = await conn.request({ type: 'history', conversation_id: id, after_seq: store.get(id).open.lastSeq });
    store.addMessages(id, hist.messages || []);
  }
  if (app.isAtLeast('supervisor')) store.setLive(list, since);
}
