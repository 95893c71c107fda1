// Callbacks due and overdue: the caller's safety answers come first, the number only once claimed.
import { h, field, fill } from './dom.js';
import { t, formatTime } from './i18n.js';
import { callerType, languageName, errorText } from './labels.js';
import { userText } from './user_text.js';

const OUTCOMES = ['reached', 'no_answer', 'voicemail_left', 'wrong_number', 'not_safe_to_talk'];

function localInputValue(ms) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 16);
}

export class CallbacksView {
  constructor(app) {
    this.app = app;
    this.list = [];
    this.loaded = false;
    this.stamp = 0;
    this.touched = new Map(); // callback id -> stamp of the last local update
    // What the advisor has chosen or typed in an outcome form and not yet recorded. A re-render
    // (another advisor's claim, a periodic refresh) rebuilds the forms; without this it would
    // silently reset a chosen outcome and the advisor could record the wrong thing or nothing.
    this.drafts = new Map(); // callback id -> { outcome, notes, when }
    this.root = h('section', { class: 'callbacks-panel', 'aria-labelledby': 'callbacks-title' });
    this.timer = setInterval(() => { if (this.app.conn.state === 'logged_in') this.refresh(); }, 60000);
    this.render();
  }

  tabLabel() {
    const now = Date.now();
    const overdue = this.list.filter((c) => c.state === 'pending' && c.due_at <= now).length;
    return [t('tabs.callbacks'), ' ', h('span', { class: overdue ? 'count overdue' : 'count' }, String(this.list.filter((c) => c.state === 'pending' || c.state === 'claimed').length))];
  }

  async refresh() {
    const started = this.stamp;
    try {
      const reply = await this.app.conn.request({ type: 'callbacks' });
      // A claim or outcome answered after this refresh was sent is newer than the refresh.
      const newer = [...this.touched.entries()].filter(([, at]) => at > started).map(([id]) => id);
      const local = new Map(this.list.filter((c) => newer.includes(c.id)).map((c) => [c.id, c]));
      this.list = (reply.callbacks || []).filter((c) => !local.has(c.id)).concat([...local.values()]);
      this.list.sort((a, b) => a.due_at - b.due_at);
      this.loaded = true;
      this.render();
      this.app.refreshTabLabels();
    } catch (err) {
      if (err.code !== 'disconnected') this.app.error(err);
    }
  }

  update(cb) {
    this.stamp += 1;
    this.touched.set(cb.id, this.stamp);
    const i = this.list.findIndex((x) => x.id === cb.id);
    if (i >= 0) this.list[i] = cb; else this.list.push(cb);
    this.render(true); // the advisor's own action: show its result at once
    this.app.refreshTabLabels();
  }

  // Not while the advisor is filling in an outcome (its buttons included: a re-render between
  // pressing and releasing "Record" would lose the click): re-render when they leave the form.
  editing() {
    const a = document.activeElement;
    return a && this.root.contains(a) && (/^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName) || Boolean(a.closest('form')));
  }

  render(force = false) {
    if (!force && this.editing()) {
      if (!this.deferred) {
        this.deferred = true;
        this.root.addEventListener('focusout', () => { this.deferred = false; setTimeout(() => this.render(), 0); }, { once: true });
      }
      return;
    }
    const now = Date.now();
    const active = this.list.filter((c) => c.state === 'pending' || c.state === 'claimed');
    for (const id of [...this.drafts.keys()]) {
      if (!active.some((c) => c.id === id && this.isMine(c))) this.drafts.delete(id);
    }
    const overdue = active.filter((c) => c.due_at <= now);
    const due = active.filter((c) => c.due_at > now);
    const section = (titleKey, items, cls) => h('section', { class: `callback-group ${cls}` },
      h('h3', {}, t(titleKey), ` (${items.length})`),
      items.length ? h('ul', { class: 'callback-list' }, items.map((c) => this.renderOne(c, now))) : h('p', { class: 'empty' }, t('callbacks.none')));
    fill(this.root, 
      h('h2', { id: 'callbacks-title' }, t('callbacks.title')),
      h('button', { type: 'button', onclick: () => this.refresh() }, t('common.refresh')),
      section('callbacks.overdue', overdue, 'overdue'),
      section('callbacks.due', due, 'due'));
  }

  isMine(c) {
    return c.state === 'claimed' && Boolean(this.app.me) && c.claimed_by === this.app.me.id;
  }

  renderOne(c, now) {
    const mine = this.isMine(c);
    const yesNo = (v) => (v ? t('common.yes') : t('common.no'));
    const safety = h('div', { class: 'safety', role: 'note', 'aria-label': t('callbacks.safety') },
      h('h4', {}, t('callbacks.safety')),
      h('dl', {},
        h('dt', {}, t('callbacks.may_leave_message')), h('dd', { class: c.may_leave_message ? 'ok' : 'no', dataset: { safety: 'message' } }, yesNo(c.may_leave_message)),
        h('dt', {}, t('callbacks.may_say_who')), h('dd', { class: c.may_say_who_is_calling ? 'ok' : 'no', dataset: { safety: 'who' } }, yesNo(c.may_say_who_is_calling)),
        h('dt', {}, t('callbacks.safe_times')), h('dd', { dataset: { safety: 'times' } }, (c.safe_times || []).map((w) => t('callbacks.window', { day: t(`day.${w.day}`), from: w.from, to: w.to })).join('; '))));
    const overdue = c.due_at <= now;
    const attempts = (c.attempts || []).length ? h('ol', { class: 'attempts' }, c.attempts.map((a) => h('li', {},
      t('callbacks.attempt', { time: formatTime(a.at), by: a.by, outcome: t(`callback_outcome.${a.outcome}`) }), a.notes ? h('div', { class: 'muted' }, userText(a.notes)) : null))) : h('p', { class: 'muted' }, t('callbacks.no_attempts'));
    let actions;
    if (mine) {
      const outcome = h('select', { class: 'callback-outcome' }, h('option', { value: '' }, t('common.choose')), OUTCOMES.map((o) => h('option', { value: o }, t(`callback_outcome.${o}`))));
      const notes = h('textarea', { rows: '2', maxlength: '2000' });
      const when = h('input', { type: 'datetime-local', class: 'callback-reschedule' });
      const err = h('p', { class: 'error', role: 'alert' });
      actions = h('form', { class: 'callback-form', onsubmit: async (e) => {
        e.preventDefault();
        if (!outcome.value) { err.textContent = t('callbacks.outcome_missing'); outcome.focus(); return; }
        const frame = { type: 'callback_outcome', callback_id: c.id, outcome: outcome.value, notes: notes.value.trim() };
        if (when.value) {
          const ms = new Date(when.value).getTime();
          if (!(ms > Date.now())) { err.textContent = t('callbacks.reschedule_past'); return; }
          frame.reschedule_at = ms;
        }
        try {
          const reply = await this.app.conn.request(frame);
          this.update(reply.callback);
          this.app.announce(t('callbacks.recorded'));
        } catch (ex) { err.textContent = errorText(ex); }
      } },
      h('p', { class: 'phone' }, h('span', {}, t('callbacks.phone')), ' ', h('strong', { class: 'phone-number' }, c.phone)),
      field(t('callbacks.outcome'), outcome), field(t('callbacks.notes'), notes), field(t('callbacks.reschedule'), when, t('callbacks.reschedule_hint')), err,
      h('button', { type: 'submit', class: 'primary' }, t('callbacks.record')),
      h('button', { type: 'button', onclick: () => this.act('callback_release', c) }, t('callbacks.release')));
      when.min = localInputValue(Date.now());
      const draft = this.drafts.get(c.id);
      if (draft) { outcome.value = draft.outcome; notes.value = draft.notes; when.value = draft.when; }
      const keep = () => this.drafts.set(c.id, { outcome: outcome.value, notes: notes.value, when: when.value });
      for (const el of [outcome, notes, when]) el.addEventListener('input', keep);
    } else if (c.state === 'claimed') {
      actions = h('p', { class: 'muted' }, t('callbacks.claimed_by', { name: c.claimed_by }));
    } else {
      actions = h('button', { type: 'button', class: 'primary claim', onclick: () => this.act('callback_claim', c) }, t('callbacks.claim'));
    }
    return h('li', { class: `callback ${overdue ? 'is-overdue' : ''} ${mine ? 'is-mine' : ''}`, dataset: { callback: c.id, state: c.state } },
      h('div', { class: 'callback-head' },
        h('strong', {}, overdue ? t('callbacks.overdue_since', { time: formatTime(c.due_at) }) : t('callbacks.due_at', { time: formatTime(c.due_at) })),
        ' ', callerType(c.caller_type), ' · ', languageName(c.lang)),
      safety,
      c.note ? h('p', { class: 'callback-note' }, h('strong', {}, t('callbacks.note')), ' ', userText(c.note)) : null,
      h('h4', {}, t('callbacks.attempts')), attempts,
      actions);
  }

  async act(type, c) {
    try {
      const reply = await this.app.conn.request({ type, callback_id: c.id });
      this.update(reply.callback);
    } catch (err) {
      this.app.notify(errorText(err), 'error');
      if (err.code === 'conflict' || err.code === 'not_found') this.refresh();
    }
  }
}
