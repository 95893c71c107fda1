// The console's one model of the conversations it knows: offers, `queue` frames, `conversations`
// lists, `conversation` payloads and events all land in one record per conversation, and the
// queue, offers, supervisor and conversation views render from these records. Views learn of
// changes through on(); nothing here touches the DOM.
//
// A record holds the server's summary fields (docs/protocol.md), merged from whichever source
// spoke last, plus:
//   waitedAt  performance.now() when waited_seconds arrived (clocks count on from there)
//   touched   the stamp of the last event or reply about it alone (see setLive)
//   queue     {state, offered_to, transfer} while it is in the last `queue` frame
//   open      this console's own part while it has a tab for it: {role: owner|watcher, state
//             (what the tab allows: active, queued, wrap_up, closed), messages (seq -> message),
//             lastSeq (highest contiguous), levelHistory, pending (client_id -> text, sent and not
//             yet back), takenOverBy, notice}. The tab's state is not the server's: a watcher's
//             tab is closed once the conversation ended, while the server says wrap_up.
//
// A change is {what, id?, changed?}: `changed` lists the records whose summary fields changed.
//   what: queue | offers | live | alerts | summary | loaded (a payload for an open tab) |
//         messages (+added, pendingChanged) | pending | state (+cause: ended|taken_over|closed,
//         by) | typing (+active) | left (the tab is gone)
import { levelRank } from './taxonomy.js';

// They change with every clock tick or message: no reason to redraw a view.
const QUIET = new Set(['waited_seconds', 'last_seq']);
// Parts of a `conversation` payload that are not summary fields, and frame fields.
const NOT_SUMMARY = new Set(['messages', 'flags', 'cues', 'type', 'ref', 'conversation_id']);

const same = (a, b) => a === b || JSON.stringify(a) === JSON.stringify(b);

// A plan is only ever replaced by a newer one or confirmed, never removed (four eyes).
function newerPlan(current, next) {
  if (!next) return !current;
  if (!current) return true;
  if (next.id !== current.id) return (next.proposed_at || 0) >= (current.proposed_at || 0);
  return !(current.confirmed_by && !next.confirmed_by);
}

// Disclosure records only accumulate: keep any this console saw that a list does not have yet.
function withDisclosures(current, next) {
  const ids = new Set(next.map((d) => d.id));
  return [...next, ...(current || []).filter((d) => !ids.has(d.id))];
}

export class Store {
  constructor() {
    this.records = new Map();
    this.queue = []; // ids, in the order the server routes them
    this.advisorsAvailable = undefined;
    this.live = new Set(); // the last `conversations` list (for a supervisor: every live one), minus those closed since
    this.offers = new Map(); // id -> {deadline, received} in performance.now() time
    this.alerts = new Map(); // conversation id -> alert frame, until acknowledged
    this.stamp = 0; // counts events
    this.listeners = new Set();
  }

  on(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); }

  emit(change) {
    for (const fn of [...this.listeners]) {
      try { fn(change); } catch (e) { console.error('store listener failed', change.what, e && e.message); }
    }
  }

  get(id) { return this.records.get(id); }
  isOpen(id) { const r = this.records.get(id); return Boolean(r && r.open); }
  openIds() { return [...this.records.values()].filter((r) => r.open).map((r) => r.id); }

  // Merges summary fields into a record (made if need be); returns true if any field a view
  // shows changed. Levels never fall (docs/protocol.md): a lower level is an older answer, and
  // so are its categories. `touch`: an event or a reply about this one conversation, which a
  // list asked for before it must not undo (see setLive).
  merge(id, fields, { create = true, touch = false, categoriesOnRise } = {}) {
    let r = this.records.get(id);
    if (!r) {
      if (!create) return false;
      r = { id };
      this.records.set(id, r);
    }
    const before = r.level;
    const stale = fields.level !== undefined && levelRank(fields.level) < levelRank(r.level);
    let shown = false;
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined || NOT_SUMMARY.has(k) || k === 'id') continue;
      if (stale && (k === 'level' || k === 'categories')) continue;
      if (k === 'plan' && !newerPlan(r.plan, v)) continue;
      const value = k === 'disclosures' ? withDisclosures(r.disclosures, v || []) : v;
      if (same(r[k], value)) continue;
      r[k] = value;
      if (!QUIET.has(k)) shown = true;
    }
    if (fields.waited_seconds !== undefined) r.waitedAt = performance.now();
    if (touch) { this.stamp += 1; r.touched = this.stamp; }
    // The tab shows how the level got where it is.
    if (r.open && r.open.levelHistory.length && levelRank(r.level) > levelRank(before)) {
      r.open.levelHistory.push({ level: r.level, at: Date.now(), ...(categoriesOnRise ? { categories: fields.categories } : {}) });
    }
    return shown;
  }

  // Seconds a conversation has waited, counted on from when the server last said.
  waited(r) { return (r.waited_seconds || 0) + (performance.now() - (r.waitedAt || performance.now())) / 1000; }

  // Records nothing refers to any more are dropped.
  prune() {
    for (const [id, r] of this.records) {
      if (!r.open && !r.queue && !this.live.has(id) && !this.offers.has(id)) this.records.delete(id);
    }
  }

  // Another account logs in: what the previous one was shown goes (alerts stay, as their
  // banners stay on screen).
  reset() {
    for (const r of this.records.values()) delete r.queue;
    this.queue = [];
    this.live.clear();
    this.offers.clear();
    this.prune();
  }

  // ---- lists ---------------------------------------------------------------------------------

  setQueue(frame) {
    const changed = [];
    const ids = [];
    for (const e of frame.entries || []) {
      const { state, offered_to: offeredTo, transfer, ...fields } = e;
      if (this.merge(e.id, fields)) changed.push(e.id);
      // The entry's own state (queued, offered) is where it stands in the queue; the record's state
      // comes from summaries and updates, which a queue snapshot taken a moment earlier must not undo.
      this.records.get(e.id).queue = { state, offered_to: offeredTo, transfer };
      ids.push(e.id);
    }
    const inQueue = new Set(ids);
    for (const id of this.queue) if (!inQueue.has(id) && this.records.has(id)) delete this.records.get(id).queue;
    this.queue = ids;
    this.advisorsAvailable = frame.advisors_available;
    this.prune();
    this.emit({ what: 'queue', changed });
  }

  // The `conversations` list. `since` is the stamp when it was requested: a record an event
  // changed after that keeps what the event said (the event asks for another list anyway).
  setLive(list, since = Infinity) {
    const changed = [];
    const live = new Set();
    for (const c of list) {
      const r = this.records.get(c.id);
      if (r && r.touched > since) { if (r.state !== 'closed') live.add(c.id); continue; }
      if (this.merge(c.id, c)) changed.push(c.id);
      live.add(c.id);
    }
    for (const id of this.live) { const r = this.records.get(id); if (r && r.touched > since) live.add(id); }
    this.live = live;
    this.prune();
    this.emit({ what: 'live', changed });
  }

  addOffer(frame) {
    const c = frame.conversation;
    const isNew = !this.offers.has(c.id);
    const changed = this.merge(c.id, c, { touch: true }) ? [c.id] : [];
    this.offers.set(c.id, { deadline: performance.now() + (frame.expires_in || 30) * 1000, received: performance.now() });
    this.emit({ what: 'offers', changed });
    return isNew;
  }

  removeOffer(id) {
    if (!this.offers.delete(id)) return false;
    this.prune();
    this.emit({ what: 'offers' });
    return true;
  }

  firstOffer() { return [...this.offers.keys()][0]; }

  addAlert(frame) { this.alerts.set(frame.conversation_id, frame); this.emit({ what: 'alerts' }); }
  removeAlert(id) { if (this.alerts.delete(id)) this.emit({ what: 'alerts' }); }

  // ---- events --------------------------------------------------------------------------------

  // Fields an event carries for a conversation this console knows (unknown ones are not made).
  update(id, fields, extra = {}) {
    if (!this.records.has(id)) return false;
    const shown = this.merge(id, fields, { create: false, touch: true, ...extra });
    if (shown) this.emit({ what: 'summary', id, changed: [id] });
    return shown;
  }

  risk(f) { return this.update(f.conversation_id, { level: f.level, categories: f.categories }, { categoriesOnRise: true }); }

  // conversation_update: a closed conversation leaves the live list.
  stateUpdate(f) {
    const id = f.conversation_id;
    if (!this.records.has(id)) return;
    const shown = this.merge(id, { state: f.state, ...(f.advisor ? { advisor: f.advisor } : {}), ...(f.presence ? { presence: f.presence } : {}) }, { create: false, touch: true });
    const left = f.state === 'closed' && this.live.delete(id);
    if (left) this.prune();
    if (left) this.emit({ what: 'live', changed: [id] });
    else if (shown) this.emit({ what: 'summary', id, changed: [id] });
  }

  setPlan(id, plan) { if (plan) this.update(id, { plan }); }

  addDisclosure(id, d) {
    const r = this.records.get(id);
    if (!r || !d || (r.disclosures || []).some((x) => x.id === d.id)) return;
    this.update(id, { disclosures: [...(r.disclosures || []), d] });
  }

  // ---- conversations open here ---------------------------------------------------------------

  // A `conversation` payload (accept, join, take_over) or, after a reconnect, a summary of one
  // of this advisor's own: opens the tab's record or brings it up to date.
  open(payload, role) {
    const id = payload.id;
    const changed = this.merge(id, payload, { touch: true });
    const r = this.records.get(id);
    if (!r.open) {
      r.open = { role, state: 'active', messages: new Map(), lastSeq: 0, levelHistory: [], pending: new Map(), takenOverBy: null, notice: null };
    } else if (role === 'owner' || r.open.role !== 'owner') {
      r.open.role = role; // joining one's own conversation does not make it someone else's
    }
    if (payload.state) r.open.state = payload.state;
    if (!r.open.levelHistory.length) r.open.levelHistory.push({ level: r.level || 'none', at: payload.accepted_at || payload.queued_at || Date.now() });
    if (payload.messages) this.addMessages(id, payload.messages);
    this.emit({ what: 'loaded', id, changed: changed ? [id] : [] });
    return r;
  }

  addMessages(id, list) {
    const r = this.records.get(id);
    if (!r || !r.open) return [];
    const o = r.open;
    const added = [];
    let pendingChanged = false;
    for (const m of list) {
      if (typeof m.seq !== 'number' || o.messages.has(m.seq)) continue; // dedupe by seq
      o.messages.set(m.seq, m);
      added.push(m);
      if (m.client_id && o.pending.delete(m.client_id)) pendingChanged = true;
    }
    while (o.messages.has(o.lastSeq + 1)) o.lastSeq += 1;
    if (added.length) this.emit({ what: 'messages', id, added, pendingChanged });
    return added;
  }

  addPending(id, clientId, text) { this.records.get(id).open.pending.set(clientId, text); this.emit({ what: 'pending', id }); }
  dropPending(id, clientId) { this.records.get(id).open.pending.delete(clientId); this.emit({ what: 'pending', id }); }

  typing(id, active) { if (this.isOpen(id)) this.emit({ what: 'typing', id, active }); }

  // The conversation ended: the owner has the wrap-up to do, a watcher only reads.
  ended(id, by, reason) {
    const r = this.records.get(id);
    if (!r || !r.open) return;
    r.open.state = r.open.role === 'owner' ? 'wrap_up' : 'closed';
    r.open.notice = { kind: 'ended', by, reason };
    this.emit({ what: 'state', id, cause: 'ended', by });
  }

  // A supervisor took it over: it stays readable here but is no longer ours.
  takenOver(id, by) {
    const r = this.records.get(id);
    if (!r || !r.open) return;
    const changed = by ? this.merge(id, { advisor: by }, { touch: true }) : false;
    r.open.takenOverBy = by || {};
    r.open.state = 'closed';
    r.open.pending.clear();
    r.open.notice = { kind: 'taken_over', name: by && by.name };
    this.emit({ what: 'state', id, cause: 'taken_over', changed: changed ? [id] : [] });
  }

  // A watched conversation is over (or could not be followed again after a reconnect).
  markClosed(id) {
    const r = this.records.get(id);
    if (!r || !r.open) return;
    r.open.state = 'closed';
    r.open.notice = { kind: 'closed' };
    this.emit({ what: 'state', id, cause: 'closed' });
  }

  // The tab is gone (wrap-up done, transferred, closed by the user, logged out).
  leave(id) {
    const r = this.records.get(id);
    if (!r || !r.open) return;
    delete r.open;
    this.prune();
    this.emit({ what: 'left', id });
  }

  // An owner has a wrap-up to finish: no next contact until then.
  wrapUpPending() { return [...this.records.values()].some((r) => r.open && r.open.role === 'owner' && r.open.state === 'wrap_up'); }
}

// Whether a change altered the summary of conversation `id`.
export function touches(change, id) { return Boolean(change.changed && change.changed.includes(id)); }
