// The transcript of one conversation: messages in seq order with their risk evidence marked
// where it is in the text (category and why), cues, programme cards, and whether the visitor is
// typing. Messages come from the store; each is drawn once, and again only for a new language.
import { h } from '../dom.js';
import { t, formatClock } from '../i18n.js';
import { segments, spanText } from '../evidence.js';
import { levelRank } from '../taxonomy.js';
import { category, severity, cueName } from '../labels.js';
import { flagWhy, flagChip, isModelFlag, markedSpans } from '../flag_view.js';
import { userText, visibleControls, tUser } from '../user_text.js';

export class Transcript {
  constructor(conv) {
    this.conv = conv;
    this.list = h('ol', { class: 'transcript-list' });
    this.el = h('div', { class: 'transcript', role: 'log', 'aria-live': 'polite', tabindex: '0', 'aria-label': '' }, this.list);
    this.typingEl = h('p', { class: 'typing muted', hidden: true });
  }

  label() { this.el.setAttribute('aria-label', t('conversation.transcript')); }

  add(m) {
    let after = null;
    for (const other of this.list.children) { if (Number(other.dataset.seq) > m.seq) { after = other; break; } }
    this.list.insertBefore(renderMessage(m), after);
  }

  relabel() {
    const messages = this.conv.tab.messages;
    for (const li of this.list.children) {
      const m = messages.get(Number(li.dataset.seq));
      if (m) li.replaceWith(renderMessage(m));
    }
  }

  scrollToEnd() { this.el.scrollTop = this.el.scrollHeight; }

  scrollTo(seq) {
    const li = this.list.querySelector(`li[data-seq="${seq}"]`);
    if (li) { li.scrollIntoView({ block: 'center' }); li.classList.add('focus-flash'); setTimeout(() => li.classList.remove('focus-flash'), 1500); }
  }

  showTyping(active) {
    this.typingEl.hidden = !active;
    this.typingEl.textContent = t('conversation.visitor_typing');
    clearTimeout(this.typingShown);
    if (active) this.typingShown = setTimeout(() => { this.typingEl.hidden = true; }, 6000);
  }
}

function renderMessage(m) {
  const from = m.from || 'system';
  const who = from === 'visitor' ? t('message.visitor') : from === 'advisor' ? (m.name ? userText(m.name) : t('message.advisor')) : t('message.system');
  if (m.team) {
    // A note between colleagues: never shown to the visitor, and it must not look like a reply.
    return h('li', { class: 'message team-note', dataset: { seq: m.seq, from: 'team' } },
      h('div', { class: 'message-meta' }, h('span', { class: 'chip team' }, t('message.private')), ' ',
        h('span', { class: 'message-from' }, m.name ? userText(m.name) : t('message.advisor')), ' ', h('time', {}, formatClock(m.ts)), ' ', h('span', { class: 'muted' }, `#${m.seq}`)),
      h('p', { class: 'message-text user-text', dir: 'auto' }, visibleControls(m.text || '')));
  }
  if (m.notice === 'supervisor_joined' || m.notice === 'transferring') {
    // Events the visitor was told about, in the advisor's words (the stored text is the visitor's).
    return h('li', { class: `message from-system notice notice-${m.notice}`, dataset: { seq: m.seq, from: 'system' } },
      h('div', { class: 'message-meta' }, h('span', { class: 'message-from' }, t('message.system')), ' ', h('time', {}, formatClock(m.ts)), ' ', h('span', { class: 'muted' }, `#${m.seq}`)),
      h('p', { class: 'message-text' }, t(`message.${m.notice}`, { name: m.name || t('message.advisor') })));
  }
  // Content-rule flags mark the words they rest on; a model flag marks nothing (it is a judgement).
  const spans = [...(m.flags || []).flatMap((f) => markedSpans(f).map((s) => ({ ...s, kind: 'flag' }))), ...(m.cues || []).map((c) => ({ ...c, kind: 'cue' }))];
  // The text is isolated (dir=auto) and its direction controls shown (user_text.js).
  const body = h('p', { class: 'message-text user-text', dir: 'auto' }, segments(m.text || '', spans).map((seg) => {
    if (!seg.spans.length) return visibleControls(seg.text);
    const flags = seg.spans.filter((s) => s.kind === 'flag');
    const cues = seg.spans.filter((s) => s.kind === 'cue');
    const top = flags.sort((a, b) => levelRank(severity(b.category)) - levelRank(severity(a.category)))[0];
    const label = [...flags.map((f) => `${category(f.category)} (${t(`level.${severity(f.category)}`)})`), ...cues.map((c) => t('cue.label', { cue: cueName(c.cue) }))].join('; ');
    return h('mark', {
      class: top ? `flag sev-${severity(top.category)}` : 'cue',
      dataset: { categories: flags.map((f) => f.category).join(' '), cues: cues.map((c) => c.cue).join(' '), seq: m.seq },
      title: label,
    }, visibleControls(seg.text));
  }));
  const ruled = (m.flags || []).filter((f) => !isModelFlag(f));
  const judged = (m.flags || []).filter(isModelFlag);
  const evidence = ruled.length ? h('ul', { class: 'evidence' }, ruled.map((f) => evidenceItem(f, m))) : null;
  const model = judged.length ? h('ul', { class: 'evidence model', 'aria-label': t('flag.model_list') }, judged.map((f) => evidenceItem(f, m))) : null;
  const cues = (m.cues || []).length ? h('ul', { class: 'evidence cues' }, m.cues.map((c) => h('li', { class: 'cue-label', dataset: { cue: c.cue } },
    h('span', { class: 'chip cue' }, cueName(c.cue)), ' ', tUser('cue.why', { text: spanText(m.text, c) })))) : null;
  return h('li', { class: `message from-${from}`, dataset: { seq: m.seq, from } },
    h('div', { class: 'message-meta' }, h('span', { class: 'message-from' }, who), ' ', h('time', {}, formatClock(m.ts)), ' ', h('span', { class: 'muted' }, `#${m.seq}`)),
    body, m.card ? renderCard(m.card) : null, evidence, model, cues);
}

function evidenceItem(f, m) {
  return h('li', { class: `flag-label sev-${severity(f.category)}${isModelFlag(f) ? ' model-flag' : ''}`, dataset: { category: f.category, seq: m ? m.seq : '', source: f.source || 'phrase' } },
    flagChip(f), ' ', flagWhy(f, m ? m.text : ''));
}

// A programme card the advisor sent, as the advisor sees it.
function renderCard(card) {
  return h('div', { class: 'card programme-card' },
    h('strong', {}, card.name || card.organisation || ''), card.organisation && card.name ? h('div', {}, card.organisation) : null,
    card.type_label ? h('div', { class: 'muted' }, card.type_label) : null,
    card.contact ? h('div', {}, [card.contact.phone, card.contact.url].filter(Boolean).join(' · ')) : null);
}
