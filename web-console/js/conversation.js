// One conversation tab: transcript with risk evidence, level and how it got there, cues with
// suggested responses, canned responses, programme cards, transfer, end, wrap-up, and the
// four-eyes plan and disclosure records where the server supports them.
import { kbd } from './shortcuts.js';
import { h, field, uid } from './dom.js';
import { t, tIn, formatClock, formatTime, preload } from './i18n.js';
import { segments, spanText, levelRank } from './evidence.js';
import { levelBadge, callerType, languageName, category, severity, cueName, answersList, categoryChips, errorText, shortId } from './labels.js';
import { featureRequest } from './features.js';

const CALLER_TYPES = ['own_behaviour', 'professional', 'friend_family', 'experiencing_abuse'];
const OUTCOMES = ['information_given', 'referred', 'callback_arranged', 'safeguarding_escalated', 'disconnected', 'other'];
const ACTIONS = ['none', 'police_called', 'ambulance_called', 'children_services_referral', 'marac_referral', 'safeguarding_lead_informed', 'supervisor_consulted'];
const PROGRAMME_TYPES = ['early_response', 'dapp', 'one_to_one', 'high_risk_high_harm', 'womens_use_of_violence', 'same_sex_relationships', 'other'];

let clientCounter = 0;
function clientId() { clientCounter += 1; return `a-${Date.now().toString(36)}-${clientCounter}`; }

export class ConversationView {
  constructor(app, id, role) {
    this.app = app;
    this.id = id;
    this.role = role; // owner | watcher
    this.summary = {};
    this.messages = new Map();
    this.lastSeq = 0;
    this.state = 'active';
    this.levelHistory = [];
    this.plan = null;
    this.disclosures = [];
    this.pending = new Map(); // client_id -> text
    this.unread = 0;
    this.build();
  }

  get lang() { return this.summary.lang || 'en'; }
  get level() { return this.summary.level || 'none'; }

  tabLabel() {
    const parts = [levelBadge(this.level), ' ', callerType(this.summary.caller_type), ' ', h('span', { class: 'muted' }, `#${shortId(this.id)}`)];
    if (this.state === 'wrap_up') parts.push(' ', h('span', { class: 'chip warn' }, t('state.wrap_up')));
    if (this.takenOverBy) parts.push(' ', h('span', { class: 'chip warn taken-over' }, t('takeover.tab')));
    if (this.unread) parts.push(' ', h('span', { class: 'count unread' }, String(this.unread)));
    return parts;
  }

  build() {
    this.headerEl = h('header', { class: 'conv-header' });
    this.guidanceEl = h('div', { class: 'guidance', role: 'alert', hidden: true });
    this.noticeEl = h('div', { class: 'conv-notice', role: 'status' });
    this.transcriptEl = h('ol', { class: 'transcript-list' });
    this.logEl = h('div', { class: 'transcript', role: 'log', 'aria-live': 'polite', tabindex: '0', 'aria-label': '' }, this.transcriptEl);
    this.typingEl = h('p', { class: 'typing muted', hidden: true });
    this.composer = h('textarea', { class: 'composer-input', rows: '3', maxlength: '4000' });
    this.composer.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.send(); }
    });
    this.composer.addEventListener('input', () => this.typing());
    this.sendButton = h('button', { type: 'submit', class: 'primary' });
    this.composerLabel = h('label', { for: uid('composer') });
    this.composer.id = this.composerLabel.htmlFor;
    this.composerForm = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); this.send(); } },
      this.composerLabel, this.composer, h('div', { class: 'composer-actions' }, this.sendButton));
    this.pendingEl = h('ul', { class: 'pending-messages' });
    this.sideEl = h('aside', { class: 'conv-side' });
    this.root = h('section', { class: 'conversation', dataset: { conversation: this.id } },
      this.headerEl, this.guidanceEl, this.noticeEl,
      h('div', { class: 'conv-body' },
        h('div', { class: 'conv-main' }, this.logEl, this.pendingEl, this.typingEl, this.composerForm),
        this.sideEl));
    this.sections = {
      risk: h('section', { class: 'side-risk' }),
      answers: h('section', { class: 'side-answers' }),
      cues: h('section', { class: 'side-cues' }),
      canned: h('section', { class: 'side-canned' }),
      programmes: h('section', { class: 'side-programmes' }),
      plan: h('section', { class: 'side-plan' }),
      disclosure: h('section', { class: 'side-disclosure' }),
      transfer: h('section', { class: 'side-transfer' }),
      end: h('section', { class: 'side-end' }),
      wrapup: h('section', { class: 'side-wrapup' }),
    };
    this.sideEl.append(...Object.values(this.sections));
    this.programmeResults = null;
    this.app.features.onChange(() => this.renderSide());
  }

  load(payload) {
    this.updateSummary(payload);
    if (payload.plan) this.plan = payload.plan;
    if (payload.disclosures) this.disclosures = payload.disclosures;
    if (payload.messages) this.addMessages(payload.messages);
    this.rerender();
  }

  updateSummary(s) {
    const before = this.level;
    this.summary = { ...this.summary, ...s };
    delete this.summary.messages;
    if (s.state) this.state = s.state;
    if (s.level && levelRank(s.level) > levelRank(before) && this.levelHistory.length) this.levelHistory.push({ level: s.level, at: Date.now() });
    if (!this.levelHistory.length) this.levelHistory.push({ level: this.level, at: s.accepted_at || s.queued_at || Date.now() });
    this.rerender();
  }

  rerender() {
    this.renderHeader();
    this.renderSide();
    this.renderComposer();
    this.renderGuidance();
    for (const li of this.transcriptEl.children) {
      const m = this.messages.get(Number(li.dataset.seq));
      if (m) li.replaceWith(this.renderMessage(m));
    }
    this.app.refreshTabLabels();
  }

  renderHeader() {
    const s = this.summary;
    this.headerEl.replaceChildren(
      h('h2', {}, t('conversation.title', { id: shortId(this.id) })),
      h('dl', { class: 'conv-facts' },
        h('dt', {}, t('conversation.level')), h('dd', { class: 'conv-level' }, levelBadge(this.level)),
        h('dt', {}, t('conversation.caller_type')), h('dd', {}, callerType(s.caller_type)),
        h('dt', {}, t('conversation.language')), h('dd', {}, languageName(s.lang)),
        h('dt', {}, t('conversation.state')), h('dd', { class: 'conv-state' }, t(`state.${this.state}`)),
        s.advisor ? [h('dt', {}, t('conversation.advisor')), h('dd', {}, s.advisor.name)] : null,
        this.role === 'watcher' ? [h('dt', {}, t('conversation.you')), h('dd', {}, t('conversation.watching'))] : null),
      this.role === 'watcher' && this.state === 'active' && this.app.features.available('take_over')
        ? h('button', { type: 'button', class: 'danger take-over', onclick: () => this.app.takeOver(this.id) }, t('takeover.button')) : null,
      this.role === 'watcher' || this.state === 'closed'
        ? h('button', { type: 'button', class: 'close-tab', onclick: () => this.app.closeConversation(this.id) }, t('conversation.close_tab')) : null,
      s.interpreter_may_be_needed ? h('p', { class: 'warn' }, t('offer.interpreter')) : null,
      s.screening_unavailable
        ? h('p', { class: 'warn screening-unavailable', role: 'note' }, t('conversation.screening_unavailable', { lang: s.visitor_lang || '' })) : null,
      s.transfer_note ? h('p', { class: 'transfer-note' }, h('strong', {}, t('offer.transfer_note')), ' ', s.transfer_note) : null);
  }

  renderGuidance() {
    const show = this.level === 'imminent';
    this.guidanceEl.hidden = !show;
    if (show) {
      this.guidanceEl.replaceChildren(h('strong', {}, t('guidance.title')), ' ', h('span', { class: 'guidance-text' }, this.app.guidance || t('guidance.fallback')));
    }
  }

  renderComposer() {
    const open = this.state === 'active';
    this.composerLabel.textContent = t('composer.label');
    this.logEl.setAttribute('aria-label', t('conversation.transcript'));
    this.composer.placeholder = open ? t('composer.placeholder') : t('composer.closed');
    this.composer.disabled = !open;
    this.sendButton.disabled = !open;
    this.sendButton.textContent = t('composer.send');
  }

  focusComposer() { if (!this.composer.disabled) this.composer.focus(); }

  onShow() {
    this.unread = 0;
    this.app.refreshTabLabels();
    this.logEl.scrollTop = this.logEl.scrollHeight;
  }

  // ---- messages --------------------------------------------------------------------------

  addMessages(list) {
    let added = false;
    for (const m of list) {
      if (typeof m.seq !== 'number' || this.messages.has(m.seq)) continue; // dedupe by seq
      this.messages.set(m.seq, m);
      added = true;
      if (m.client_id && this.pending.has(m.client_id)) { this.pending.delete(m.client_id); this.renderPending(); }
      const li = this.renderMessage(m);
      let after = null;
      for (const other of this.transcriptEl.children) { if (Number(other.dataset.seq) > m.seq) { after = other; break; } }
      this.transcriptEl.insertBefore(li, after);
      if (m.from === 'visitor' && this.app.active !== `conv:${this.id}`) this.unread += 1;
    }
    while (this.messages.has(this.lastSeq + 1)) this.lastSeq += 1;
    if (added) {
      this.logEl.scrollTop = this.logEl.scrollHeight;
      this.renderSide();
      this.app.refreshTabLabels();
    }
  }

  renderMessage(m) {
    const from = m.from || 'system';
    const who = from === 'visitor' ? t('message.visitor') : from === 'advisor' ? (m.name || t('message.advisor')) : t('message.system');
    const spans = [...(m.flags || []).map((f) => ({ ...f, kind: 'flag' })), ...(m.cues || []).map((c) => ({ ...c, kind: 'cue' }))];
    const body = h('p', { class: 'message-text' }, segments(m.text || '', spans).map((seg) => {
      if (!seg.spans.length) return seg.text;
      const flags = seg.spans.filter((s) => s.kind === 'flag');
      const cues = seg.spans.filter((s) => s.kind === 'cue');
      const top = flags.sort((a, b) => levelRank(severity(b.category)) - levelRank(severity(a.category)))[0];
      const label = [...flags.map((f) => `${category(f.category)} (${t(`level.${severity(f.category)}`)})`), ...cues.map((c) => t('cue.label', { cue: cueName(c.cue) }))].join('; ');
      return h('mark', {
        class: top ? `flag sev-${severity(top.category)}` : 'cue',
        dataset: { categories: flags.map((f) => f.category).join(' '), cues: cues.map((c) => c.cue).join(' '), seq: m.seq },
        title: label,
      }, seg.text);
    }));
    const evidence = (m.flags || []).length ? h('ul', { class: 'evidence' }, m.flags.map((f) => this.evidenceItem(f, m))) : null;
    const cues = (m.cues || []).length ? h('ul', { class: 'evidence cues' }, m.cues.map((c) => h('li', { class: 'cue-label', dataset: { cue: c.cue } },
      h('span', { class: 'chip cue' }, cueName(c.cue)), ' ', t('cue.why', { text: spanText(m.text, c) })))) : null;
    return h('li', { class: `message from-${from}`, dataset: { seq: m.seq, from } },
      h('div', { class: 'message-meta' }, h('span', { class: 'message-from' }, who), ' ', h('time', {}, formatClock(m.ts)), ' ', h('span', { class: 'muted' }, `#${m.seq}`)),
      body, m.card ? this.renderCard(m.card) : null, evidence, cues);
  }

  evidenceItem(f, m) {
    return h('li', { class: `flag-label sev-${severity(f.category)}`, dataset: { category: f.category, seq: m ? m.seq : '' } },
      h('span', { class: `chip sev-${severity(f.category)}` }, category(f.category)), ' ',
      h('span', { class: 'why' }, t('flag.why', { text: m ? spanText(m.text, f) : (f.match || ''), rule: f.rule || f.match || '' })));
  }

  renderCard(card) {
    return h('div', { class: 'card programme-card' },
      h('strong', {}, card.name || card.organisation || ''), card.organisation && card.name ? h('div', {}, card.organisation) : null,
      card.type_label ? h('div', { class: 'muted' }, card.type_label) : null,
      card.contact ? h('div', {}, [card.contact.phone, card.contact.url].filter(Boolean).join(' · ')) : null);
  }

  renderPending() {
    this.pendingEl.replaceChildren(...[...this.pending.values()].map((text) => h('li', { class: 'message pending' }, h('span', { class: 'muted' }, t('composer.sending')), ' ', text)));
  }

  async send(text = this.composer.value, card = null) {
    text = text.trim();
    if (!text || this.state !== 'active') return false;
    const cid = clientId();
    const frame = { type: 'message', conversation_id: this.id, client_id: cid, text };
    if (card) frame.card = card;
    this.pending.set(cid, text);
    this.renderPending();
    if (!card) this.composer.value = '';
    this.stopTyping();
    try {
      await this.app.conn.sendMessage(frame);
      return true;
    } catch (err) {
      if (err.code === 'disconnected' || err.code === 'timeout') return true; // kept in the outbox, resent on reconnect
      this.pending.delete(cid);
      this.app.conn.outbox.delete(cid);
      this.renderPending();
      if (!card && !this.composer.value) this.composer.value = text;
      this.app.error(err);
      return false;
    }
  }

  typing() {
    if (this.state !== 'active') return;
    const now = Date.now();
    if (!this.typingSentAt || now - this.typingSentAt > 3000) {
      this.typingSentAt = now;
      this.app.conn.send({ type: 'typing', conversation_id: this.id, active: true });
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.stopTyping(), 4000);
  }

  stopTyping() {
    clearTimeout(this.typingIdle);
    if (this.typingSentAt) {
      this.typingSentAt = 0;
      if (this.state === 'active') this.app.conn.send({ type: 'typing', conversation_id: this.id, active: false });
    }
  }

  showTyping(active) {
    this.typingEl.hidden = !active;
    this.typingEl.textContent = t('conversation.visitor_typing');
    clearTimeout(this.typingShown);
    if (active) this.typingShown = setTimeout(() => { this.typingEl.hidden = true; }, 6000);
  }

  insert(text) {
    if (this.composer.disabled) return;
    const c = this.composer;
    const start = c.selectionStart ?? c.value.length;
    const end = c.selectionEnd ?? c.value.length;
    const before = c.value.slice(0, start);
    const sep = before && !/\s$/.test(before) ? ' ' : '';
    c.value = before + sep + text + c.value.slice(end);
    c.focus();
    const pos = (before + sep + text).length;
    c.setSelectionRange(pos, pos);
  }

  // ---- events ----------------------------------------------------------------------------

  onRisk(f) {
    const before = this.level;
    this.summary.level = f.level;
    this.summary.categories = f.categories;
    if (levelRank(f.level) > levelRank(before)) this.levelHistory.push({ level: f.level, at: Date.now(), categories: f.categories });
    this.rerender();
    if (f.level === 'imminent' && before !== 'imminent' && this.role === 'owner') this.app.showGuidanceBanner(this.id);
  }

  onEnded(f) {
    this.state = this.role === 'owner' ? 'wrap_up' : 'closed';
    this.noticeEl.textContent = t(`conversation.ended_by_${f.by === 'visitor' ? 'visitor' : f.by === 'advisor' ? 'advisor' : 'system'}`);
    this.rerender();
    this.app.updateWrapUpBlock();
    if (this.role === 'owner' && this.app.active === `conv:${this.id}`) this.focusWrapUp();
  }

  onExtra(type, f) {
    if (type === 'plan') this.plan = f.plan;
    if (type === 'disclosure_recorded' && f.disclosure && !this.disclosures.some((d) => d.id === f.disclosure.id)) this.disclosures.push(f.disclosure);
    this.renderSide();
  }

  // A supervisor took this conversation over: it stays readable here but is no longer ours.
  onTakenOver(f) {
    const name = f.by && f.by.name ? f.by.name : t('alert.unassigned');
    this.takenOverBy = f.by || {};
    this.state = 'closed';
    this.summary.advisor = f.by || this.summary.advisor;
    this.pending.clear();
    this.renderPending();
    this.noticeEl.replaceChildren(h('strong', {}, t('takeover.notice_title')), ' ', t('takeover.notice', { name }));
    this.noticeEl.classList.add('warn', 'taken-over-notice');
    this.rerender();
    this.app.updateWrapUpBlock();
    this.app.notify(t('takeover.notify', { id: shortId(this.id), name }), 'error');
  }

  markGone() {
    this.app.notify(t('conversation.gone', { id: shortId(this.id) }));
    this.app.closeConversation(this.id);
  }

  markClosed() {
    this.state = 'closed';
    this.noticeEl.textContent = t('conversation.closed');
    this.rerender();
  }

  // ---- side panel ------------------------------------------------------------------------

  allFlags() {
    const out = [];
    for (const a of this.summary.answers || []) {
      for (const f of a.flags || []) out.push({ ...f, source: 'answer', answer: a });
    }
    const seqs = [...this.messages.keys()].sort((a, b) => a - b);
    for (const seq of seqs) {
      const m = this.messages.get(seq);
      for (const f of m.flags || []) out.push({ ...f, seq, source: 'message', message: m });
    }
    return out;
  }

  renderSide() {
    // Persistent inputs are moved into fresh forms: give back the focus (and caret) they had.
    const active = document.activeElement;
    const refocus = active && active !== document.body && this.sideEl.contains(active) ? active : null;
    const caret = refocus && typeof refocus.selectionStart === 'number' ? [refocus.selectionStart, refocus.selectionEnd] : null;
    this.renderSideSections();
    if (refocus && refocus.isConnected && document.activeElement !== refocus) {
      refocus.focus({ preventScroll: true });
      if (caret) { try { refocus.setSelectionRange(...caret); } catch { /* not a text field */ } }
    }
  }

  renderSideSections() {
    const s = this.sections;
    this.renderRisk(s.risk);
    s.answers.replaceChildren(h('h3', {}, t('answers.title')), answersList(this.summary.answers));
    this.renderCues(s.cues);
    this.renderCanned(s.canned);
    this.renderProgrammes(s.programmes);
    this.renderPlan(s.plan);
    this.renderDisclosure(s.disclosure);
    this.renderTransfer(s.transfer);
    this.renderEnd(s.end);
    this.renderWrapUp(s.wrapup);
  }

  renderRisk(el) {
    const flags = this.allFlags();
    const explained = new Set(flags.map((f) => f.category));
    const fromAnswers = [];
    for (const a of this.summary.answers || []) for (const c of a.categories || []) if (!explained.has(c)) { explained.add(c); fromAnswers.push({ c, a }); }
    const unexplained = (this.summary.categories || []).filter((c) => !explained.has(c));
    el.replaceChildren(
      h('h3', {}, t('risk.title')),
      h('p', { class: 'risk-level' }, t('risk.level'), ' ', levelBadge(this.level), ' ', categoryChips(this.summary.categories)),
      h('h4', {}, t('risk.how')),
      flags.length || fromAnswers.length || unexplained.length ? h('ol', { class: 'risk-path' },
        fromAnswers.map(({ c, a }) => h('li', { class: `sev-${severity(c)}`, dataset: { category: c } },
          h('span', { class: `chip sev-${severity(c)}` }, category(c)), ' ', t('risk.from_answer', { question: a.question || a.question_id, answer: a.label || a.value }))),
        flags.map((f) => h('li', { class: `sev-${severity(f.category)}`, dataset: { category: f.category, seq: f.seq || '' } },
          h('span', { class: `chip sev-${severity(f.category)}` }, category(f.category)), ' ',
          f.source === 'answer' ? t('risk.in_answer', { question: f.answer.question || f.answer.question_id })
            : h('button', { type: 'button', class: 'link', onclick: () => this.scrollTo(f.seq) }, t('risk.in_message', { seq: f.seq })),
          ' ', t('flag.why', { text: f.message ? spanText(f.message.text, f) : (f.match || ''), rule: f.rule || f.match || '' }))),
        unexplained.map((c) => h('li', { class: `sev-${severity(c)}`, dataset: { category: c } }, h('span', { class: `chip sev-${severity(c)}` }, category(c)), ' ', t('risk.from_screening'))))
        : h('p', { class: 'muted' }, t('risk.no_flags')),
      this.levelHistory.length > 1 ? h('ul', { class: 'level-history' }, this.levelHistory.slice(1).map((x) => h('li', {}, t('risk.rose', { level: t(`level.${x.level}`), time: formatClock(x.at) })))) : null);
  }

  scrollTo(seq) {
    const li = this.transcriptEl.querySelector(`li[data-seq="${seq}"]`);
    if (li) { li.scrollIntoView({ block: 'center' }); li.classList.add('focus-flash'); setTimeout(() => li.classList.remove('focus-flash'), 1500); }
  }

  renderCues(el) {
    const cues = [];
    for (const m of this.messages.values()) for (const c of m.cues || []) cues.push({ ...c, seq: m.seq, text: spanText(m.text, c) });
    cues.sort((a, b) => a.seq - b.seq);
    const content = this.app.content.get(this.lang);
    const unavailable = this.app.features.status('content') === 'no';
    if (!content && !unavailable && cues.length) this.app.loadContent(this.lang).then((c) => c && this.renderSide());
    el.replaceChildren(h('h3', {}, t('cues.title')),
      !cues.length ? h('p', { class: 'muted' }, t('cues.none')) : h('ul', { class: 'cue-list' }, cues.map((c) => {
        const suggestions = content && content.cue_responses ? (content.cue_responses[c.cue] || []) : [];
        return h('li', { dataset: { cue: c.cue } },
          h('span', { class: 'chip cue' }, cueName(c.cue)), ' ', t('cues.in_message', { seq: c.seq, text: c.text }),
          suggestions.length ? h('ul', { class: 'suggestions' }, suggestions.map((sug) => {
            const text = typeof sug === 'string' ? sug : sug.text;
            return h('li', {}, h('span', { class: 'suggestion-text' }, text), ' ',
              h('button', { type: 'button', class: 'small', disabled: this.state !== 'active', onclick: () => this.insert(text) }, t('cues.insert')));
          })) : h('p', { class: 'muted' }, unavailable ? t('feature.unavailable_content') : t('cues.loading')));
      })));
  }

  renderCanned(el) {
    const status = this.app.features.status('content');
    const content = this.app.content.get(this.lang);
    if (!content && status === 'yes') this.app.loadContent(this.lang).then((c) => c && this.renderSide());
    const ct = this.summary.caller_type;
    const canned = (content && content.canned ? content.canned : []).filter((c) => !c.caller_types || !c.caller_types.length || !ct || c.caller_types.includes(ct));
    // The choice and focus survive re-renders (messages keep arriving while the advisor picks).
    const previous = this.cannedSelect;
    const keepValue = previous ? previous.value : '';
    const hadFocus = previous && document.activeElement === previous;
    const select = h('select', { class: 'canned-select' }, h('option', { value: '' }, t('canned.choose')),
      canned.map((c) => h('option', { value: c.id }, c.title || c.text.slice(0, 60))));
    if (canned.some((c) => c.id === keepValue)) select.value = keepValue;
    el.replaceChildren(h('h3', {}, t('canned.title'), ' ', kbd('canned')),
      status === 'no' ? h('p', { class: 'muted unavailable' }, t('feature.unavailable_content'))
        : !canned.length ? h('p', { class: 'muted' }, t(status === 'yes' ? 'canned.none' : 'cues.loading'))
          : h('div', { class: 'canned' }, field(t('canned.label', { lang: languageName(this.lang) }), select),
            h('button', { type: 'button', disabled: this.state !== 'active', onclick: () => { const c = canned.find((x) => x.id === select.value); if (c) this.insert(this.fillCanned(c.text)); } }, t('cues.insert'))));
    if (hadFocus && canned.length) select.focus();
    this.cannedSelect = canned.length ? select : null;
  }

  // Canned texts may name the advisor: "My name is {advisor}".
  fillCanned(text) {
    const name = this.app.me ? this.app.me.name : '';
    return text.replace(/\{advisor\}/g, name);
  }

  renderProgrammes(el) {
    const status = this.app.features.status('programmes');
    if (status === 'no') { el.replaceChildren(h('h3', {}, t('programmes.title')), h('p', { class: 'muted unavailable' }, t('feature.unavailable'))); return; }
    if (!this.locationInput) {
      this.locationInput = h('input', { class: 'programme-location', autocomplete: 'off', maxlength: '16' });
      this.oneToOne = h('input', { type: 'checkbox' });
      this.gender = h('select', {});
      this.relationship = h('select', {});
    }
    const keep = (sel, values, prefix) => {
      const v = sel.value;
      sel.replaceChildren(...values.map((x) => h('option', { value: x }, t(`${prefix}.${x || 'any'}`))));
      sel.value = v || '';
    };
    keep(this.gender, ['', 'male', 'female'], 'programmes.gender');
    keep(this.relationship, ['', 'different_sex', 'same_sex'], 'programmes.relationship');
    const form = h('form', { class: 'programme-form', onsubmit: (e) => { e.preventDefault(); this.findProgrammes(); } },
      field(t('programmes.location'), this.locationInput, t('programmes.location_hint')),
      field(t('programmes.gender_label'), this.gender), field(t('programmes.relationship_label'), this.relationship),
      h('label', { class: 'inline' }, this.oneToOne, ' ', t('programmes.one_to_one')),
      h('button', { type: 'submit' }, t('programmes.find'), ' ', kbd('programmes')));
    el.replaceChildren(h('h3', {}, t('programmes.title')), form, this.renderProgrammeResults());
  }

  renderProgrammeResults() {
    if (!this.programmeResults) return null;
    if (!this.programmeResults.length) return h('p', { class: 'muted' }, t('programmes.none'));
    return h('ol', { class: 'programme-results' }, this.programmeResults.map((p) => h('li', { class: 'card programme', dataset: { programme: p.id } },
      h('strong', {}, p.name), h('div', {}, p.organisation), h('div', { class: 'muted' }, p.type_label || p.type),
      p.distance_km !== null && p.distance_km !== undefined ? h('div', {}, t('programmes.distance', { km: p.distance_km })) : null,
      h('ul', { class: 'reasons', 'aria-label': t('programmes.reasons') }, (p.reasons || []).map((r) => h('li', {}, r))),
      h('button', { type: 'button', class: 'primary send-card', disabled: this.state !== 'active', onclick: () => this.sendProgramme(p) }, t('programmes.send')))));
  }

  async findProgrammes() {
    const location = this.locationInput.value.trim();
    if (!location) { this.locationInput.focus(); return; }
    try {
      const reply = await featureRequest(this.app, 'programmes', {
        type: 'programmes', conversation_id: this.id, location, postcode: location, level: this.level, lang: this.lang,
        ...(this.oneToOne.checked ? { one_to_one: true } : {}),
        ...(this.gender.value ? { gender: this.gender.value } : {}),
        ...(this.relationship.value ? { relationship: this.relationship.value } : {}),
      });
      this.programmeResults = reply.suggestions || [];
    } catch (err) {
      this.app.error(err);
      this.programmeResults = null;
    }
    this.renderSide();
  }

  async sendProgramme(p) {
    await preload(this.lang);
    const card = {
      kind: 'programme', id: p.id, name: p.name, organisation: p.organisation, programme_type: p.type, type_label: p.type_label,
      contact: p.contact, length: p.length, fees: p.fees, reasons: p.reasons,
    };
    const ok = await this.send(tIn(this.lang, 'programmes.card_text', { name: p.name, organisation: p.organisation }), card);
    if (ok) this.app.announce(t('programmes.sent'));
  }

  // Forms keep their inputs and open state across re-renders (messages arrive while typing).
  inputs() {
    if (!this.inp) {
      this.inp = {
        planText: h('textarea', { class: 'plan-text', rows: '3', maxlength: '2000' }),
        planActed: h('input', { type: 'checkbox' }),
        decided: h('input', { class: 'disclosure-decided', value: this.app.me ? this.app.me.name : '', maxlength: '2000', required: true }),
        reason: h('textarea', { class: 'disclosure-reason', rows: '2', maxlength: '2000', required: true }),
        shared: h('input', { class: 'disclosure-shared', maxlength: '2000', required: true }),
        disclosureError: h('p', { class: 'error disclosure-error', role: 'alert' }),
        transferTo: h('input', { class: 'transfer-to', value: 'supervisor', list: uid('advisors'), autocomplete: 'off', maxlength: '64' }),
        transferNote: h('textarea', { class: 'transfer-note-input', rows: '2', maxlength: '2000' }),
      };
      this.inp.transferList = h('datalist', { id: this.inp.transferTo.getAttribute('list') });
      this.transferTo = this.inp.transferTo;
      this.transferNote = this.inp.transferNote;
    }
    return this.inp;
  }

  renderPlan(el) {
    if (levelRank(this.level) < levelRank('high')) { el.replaceChildren(); el.hidden = true; return; }
    el.hidden = false;
    const status = this.app.features.status('plan');
    const head = h('h3', {}, t('plan.title'));
    if (status === 'no') { el.replaceChildren(head, h('p', { class: 'warn unavailable' }, t('plan.unavailable'))); return; }
    const p = this.plan;
    const mine = p && p.proposed_by && this.app.me && p.proposed_by.id === this.app.me.id;
    const canConfirm = p && !p.confirmed_by && this.app.isAtLeast('supervisor') && this.app.features.available('plan_confirm');
    const current = p ? h('div', { class: 'plan-status', dataset: { plan: p.id, confirmed: p.confirmed_by ? 'yes' : 'no' } },
      h('p', {}, t('plan.proposed', { name: p.proposed_by ? p.proposed_by.name : '', time: formatTime(p.proposed_at) })),
      h('blockquote', { class: 'plan-text-shown' }, p.text),
      p.acted_first ? h('p', { class: 'warn acted-first' }, t('plan.acted_first')) : null,
      p.confirmed_by ? h('p', { class: 'ok plan-confirmed' }, t('plan.confirmed', { name: p.confirmed_by.name, time: formatTime(p.confirmed_at) }))
        : h('p', { class: 'warn plan-awaiting' }, t('plan.awaiting')),
      canConfirm && mine ? h('p', { class: 'muted four-eyes' }, t('plan.other_supervisor')) : null,
      canConfirm && !mine ? h('button', { type: 'button', class: 'primary plan-confirm', onclick: () => this.confirmPlan() }, t('plan.confirm')) : null)
      : h('p', { class: 'warn' }, t('plan.needed'));
    const { planText: text, planActed: acted } = this.inputs();
    const form = h('form', { class: 'plan-form', onsubmit: async (e) => {
      e.preventDefault();
      if (!text.value.trim()) { text.focus(); return; }
      try {
        const reply = await featureRequest(this.app, 'plan', { type: 'plan', conversation_id: this.id, plan: text.value.trim(), acted_first: acted.checked });
        if (reply.plan) this.plan = reply.plan;
        text.value = '';
        acted.checked = false;
        this.app.announce(t('plan.saved'));
        this.renderSide();
      } catch (err) { this.app.error(err); }
    } }, field(t(p ? 'plan.replace_text' : 'plan.text'), text), h('label', { class: 'inline' }, acted, ' ', t('plan.acted_first_label')),
    h('button', { type: 'submit' }, t(p ? 'plan.replace' : 'plan.submit')));
    el.replaceChildren(head, current, form);
  }

  async confirmPlan() {
    try {
      const reply = await featureRequest(this.app, 'plan_confirm', { type: 'plan_confirm', conversation_id: this.id, plan_id: this.plan.id });
      if (reply.plan) this.plan = reply.plan;
      this.app.announce(t('plan.confirmed_now'));
      this.renderSide();
    } catch (err) {
      // not_found: the plan was replaced meanwhile; forbidden: the proposer cannot confirm (four eyes).
      this.app.notify(err.code === 'not_found' ? t('plan.superseded') : err.code === 'forbidden' ? t('plan.other_supervisor') : errorText(err), 'error');
    }
  }

  renderDisclosure(el) {
    const status = this.app.features.status('disclosure_record');
    const wasOpen = el.querySelector('details') ? el.querySelector('details').open : levelRank(this.level) >= levelRank('high');
    const list = this.disclosures.length ? h('ul', { class: 'disclosures' }, this.disclosures.map((d) => h('li', { dataset: { disclosure: d.id } },
      t('disclosure.entry', { decided_by: d.decided_by, shared_with: d.shared_with, time: formatTime(d.at) }), h('div', { class: 'muted' }, d.reason),
      d.recorded_by ? h('div', { class: 'muted' }, t('disclosure.recorded_by', { name: d.recorded_by.name })) : null))) : null;
    if (status === 'no') {
      el.replaceChildren(h('details', { open: wasOpen }, h('summary', {}, t('disclosure.title')), list, h('p', { class: 'muted unavailable' }, t('feature.unavailable'))));
      return;
    }
    const { decided, reason, shared, disclosureError: errors } = this.inputs();
    const fields = [[decided, 'disclosure.decided_by'], [reason, 'disclosure.reason'], [shared, 'disclosure.shared_with']];
    const form = h('form', { class: 'disclosure-form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const missing = fields.filter(([input]) => !input.value.trim());
      for (const [input] of fields) input.setAttribute('aria-invalid', missing.some(([m]) => m === input) ? 'true' : 'false');
      if (missing.length) {
        errors.textContent = t('disclosure.missing_fields', { fields: missing.map(([, key]) => t(key)).join(', ') });
        missing[0][0].focus();
        return;
      }
      errors.textContent = '';
      try {
        const reply = await featureRequest(this.app, 'disclosure_record', { type: 'disclosure_record', conversation_id: this.id, decided_by: decided.value.trim(), reason: reason.value.trim(), shared_with: shared.value.trim() });
        this.onExtra('disclosure_recorded', reply);
        reason.value = '';
        shared.value = '';
        this.app.announce(t('disclosure.saved'));
      } catch (err) { errors.textContent = errorText(err); }
    } }, fields.map(([input, key]) => field(t(key), input)), errors,
    h('button', { type: 'submit' }, t('disclosure.submit')));
    el.replaceChildren(h('details', { open: wasOpen }, h('summary', {}, t('disclosure.title')), list, form));
  }

  renderTransfer(el) {
    if (this.state !== 'active' && this.state !== 'queued') { el.replaceChildren(); return; }
    const wasOpen = el.querySelector('details') ? el.querySelector('details').open : false;
    const { transferTo, transferNote, transferList } = this.inputs();
    const advisors = this.app.supervisorView ? this.app.supervisorView.advisors : (this.app.advisorsList || []);
    transferList.replaceChildren(h('option', { value: 'supervisor' }, t('transfer.any_supervisor')),
      advisors.filter((a) => !this.app.me || a.id !== this.app.me.id).map((a) => h('option', { value: a.id }, `${a.name} (${t(`presence.${a.presence || 'away'}`)})`)));
    el.replaceChildren(h('details', { class: 'transfer', open: wasOpen }, h('summary', {}, t('transfer.title'), ' ', kbd('transfer')),
      h('form', { onsubmit: (e) => { e.preventDefault(); this.transfer(); } },
        field(t('transfer.to'), transferTo, t('transfer.to_hint')), transferList,
        field(t('transfer.note'), transferNote),
        h('button', { type: 'submit' }, t('transfer.submit')))));
    if (!this.app.supervisorView && this.app.features.available('advisors') && !this.app.advisorsList) {
      this.app.advisorsList = [];
      this.app.conn.request({ type: 'advisors' }).then((r) => { this.app.advisorsList = r.advisors || []; this.renderSide(); }, () => {});
    }
  }

  openTransfer() {
    const d = this.sections.transfer.querySelector('details');
    if (d) { d.open = true; this.transferTo.focus(); }
  }

  async transfer() {
    const to = this.transferTo.value.trim();
    if (!to) { this.transferTo.focus(); return; }
    try {
      await this.app.conn.request({ type: 'transfer', conversation_id: this.id, to, note: this.transferNote.value.trim() });
      this.app.notify(t('transfer.done', { to: to === 'supervisor' ? t('transfer.any_supervisor') : to }));
      this.app.closeConversation(this.id);
    } catch (err) { this.app.error(err); }
  }

  renderEnd(el) {
    if (this.state !== 'active') { el.replaceChildren(); this.endAsked = false; return; }
    // The question stays open across re-renders (content, advisors and messages arrive meanwhile).
    const hadFocus = el.contains(document.activeElement) && document.activeElement.classList.contains('confirm-end');
    const confirmBox = h('div', { class: 'end-confirm', hidden: !this.endAsked },
      h('p', {}, t('end.confirm')),
      h('button', { type: 'button', class: 'danger confirm-end', onclick: () => this.end() }, t('end.yes')),
      h('button', { type: 'button', onclick: () => { this.endAsked = false; confirmBox.hidden = true; } }, t('common.cancel')));
    el.replaceChildren(h('button', { type: 'button', class: 'end-button', onclick: () => { this.endAsked = true; confirmBox.hidden = false; confirmBox.querySelector('.confirm-end').focus(); } },
      t('end.button'), ' ', kbd('end')), confirmBox);
    if (hadFocus) confirmBox.querySelector('.confirm-end').focus();
  }

  askEnd() {
    const b = this.sections.end.querySelector('.end-button');
    if (b) b.click();
  }

  async end() {
    try {
      await this.app.conn.request({ type: 'end', conversation_id: this.id });
      this.onEnded({ by: 'advisor' });
    } catch (err) { this.app.error(err); }
  }

  renderWrapUp(el) {
    if (this.state !== 'wrap_up' || this.role !== 'owner') { el.replaceChildren(); return; }
    if (this.wrapForm) { el.replaceChildren(this.wrapForm); return; }
    const ct = h('select', { name: 'caller_type', required: true },
      h('option', { value: '' }, t('common.choose')), CALLER_TYPES.map((c) => h('option', { value: c, selected: c === this.summary.caller_type }, callerType(c))));
    const outcome = h('select', { name: 'outcome', required: true },
      h('option', { value: '' }, t('common.choose')), OUTCOMES.map((o) => h('option', { value: o }, t(`outcome.${o}`))));
    const refName = uid('referral');
    const refYes = h('input', { type: 'radio', name: refName, value: 'yes' });
    const refNo = h('input', { type: 'radio', name: refName, value: 'no' });
    const progType = h('select', { name: 'referral_programme_type' }, h('option', { value: '' }, t('common.none')),
      PROGRAMME_TYPES.map((p) => h('option', { value: p }, t(`programme_type.${p}`))));
    const progField = field(t('wrapup.programme_type'), progType);
    progField.hidden = true;
    refYes.addEventListener('change', () => { progField.hidden = !refYes.checked; });
    refNo.addEventListener('change', () => { progField.hidden = true; });
    const actions = ACTIONS.map((a) => h('input', { type: 'checkbox', name: 'actions', value: a }));
    const notes = h('textarea', { name: 'notes', rows: '3', maxlength: '4000' });
    const errors = h('div', { class: 'error', role: 'alert' });
    const form = h('form', { class: 'wrapup-form', novalidate: true, 'aria-labelledby': uid('wrapup') },
      h('h3', { id: null, class: 'wrapup-title' }, t('wrapup.title')),
      h('p', {}, t('wrapup.help')),
      field(t('wrapup.caller_type'), ct),
      field(t('wrapup.outcome'), outcome),
      h('fieldset', { class: 'referral' }, h('legend', {}, t('wrapup.referral_made')),
        h('label', { class: 'inline' }, refYes, ' ', t('common.yes')), h('label', { class: 'inline' }, refNo, ' ', t('common.no'))),
      progField,
      h('fieldset', { class: 'actions-set' }, h('legend', {}, t('wrapup.actions')),
        actions.map((cb) => h('label', { class: 'inline block' }, cb, ' ', t(`action.${cb.value}`)))),
      field(t('wrapup.notes'), notes, t('wrapup.notes_hint')),
      errors,
      h('button', { type: 'submit', class: 'primary' }, t('wrapup.submit')));
    form.querySelector('h3').id = form.getAttribute('aria-labelledby');
    // "none" excludes the other actions.
    actions[0].addEventListener('change', () => { if (actions[0].checked) for (const a of actions.slice(1)) a.checked = false; });
    for (const a of actions.slice(1)) a.addEventListener('change', () => { if (a.checked) actions[0].checked = false; });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const missing = [];
      if (!ct.value) missing.push(t('wrapup.caller_type'));
      if (!outcome.value) missing.push(t('wrapup.outcome'));
      if (!refYes.checked && !refNo.checked) missing.push(t('wrapup.referral_made'));
      const chosen = actions.filter((a) => a.checked).map((a) => a.value);
      if (!chosen.length) missing.push(t('wrapup.actions'));
      if (missing.length) {
        errors.textContent = t('wrapup.missing', { fields: missing.join(', ') });
        return;
      }
      errors.textContent = '';
      const frame = { type: 'wrap_up', conversation_id: this.id, caller_type: ct.value, outcome: outcome.value, referral_made: refYes.checked, actions: chosen, notes: notes.value.trim() };
      if (refYes.checked && progType.value) frame.referral_programme_type = progType.value;
      try {
        await this.app.conn.request(frame);
        this.app.notify(t('wrapup.saved'));
        this.app.closeConversation(this.id);
      } catch (err) {
        errors.textContent = errorText(err);
      }
    });
    this.wrapForm = form;
    el.replaceChildren(form);
  }

  focusWrapUp() {
    const first = this.sections.wrapup.querySelector('select, input');
    if (first) { first.scrollIntoView({ block: 'center' }); first.focus(); }
  }

  focusCanned() { if (this.cannedSelect) this.cannedSelect.focus(); }
  focusProgrammes() { if (this.locationInput) this.locationInput.focus(); }
}
