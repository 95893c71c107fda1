// The risk panel: the level, its categories, and how it got there: each flag with where it was
// found (a screening answer, or a message to scroll to) and why, and when the level rose.
import { h } from '../../dom.js';
import { t, formatClock } from '../../i18n.js';
import { spanText } from '../../evidence.js';
import { levelBadge, category, severity, categoryChips } from '../../labels.js';

export class RiskPanel {
  constructor(conv) {
    this.conv = conv;
    this.el = h('section', { class: 'side-risk' });
  }

  // Flags from the screening answers first, then from the messages in seq order.
  flags() {
    const { record, tab } = this.conv;
    const out = [];
    for (const a of record.answers || []) {
      for (const f of a.flags || []) out.push({ ...f, source: 'answer', answer: a });
    }
    for (const seq of [...tab.messages.keys()].sort((a, b) => a - b)) {
      const m = tab.messages.get(seq);
      for (const f of m.flags || []) out.push({ ...f, seq, source: 'message', message: m });
    }
    return out;
  }

  render() {
    const { record, tab, level } = this.conv;
    const flags = this.flags();
    const explained = new Set(flags.map((f) => f.category));
    const fromAnswers = [];
    for (const a of record.answers || []) for (const c of a.categories || []) if (!explained.has(c)) { explained.add(c); fromAnswers.push({ c, a }); }
    const unexplained = (record.categories || []).filter((c) => !explained.has(c));
    const chip = (c) => h('span', { class: `chip sev-${severity(c)}` }, category(c));
    this.el.replaceChildren(
      h('h3', {}, t('risk.title')),
      h('p', { class: 'risk-level' }, t('risk.level'), ' ', levelBadge(level), ' ', categoryChips(record.categories)),
      h('h4', {}, t('risk.how')),
      flags.length || fromAnswers.length || unexplained.length ? h('ol', { class: 'risk-path' },
        fromAnswers.map(({ c, a }) => h('li', { class: `sev-${severity(c)}`, dataset: { category: c } },
          chip(c), ' ', t('risk.from_answer', { question: a.question || a.question_id, answer: a.label || a.value }))),
        flags.map((f) => h('li', { class: `sev-${severity(f.category)}`, dataset: { category: f.category, seq: f.seq || '' } },
          chip(f.category), ' ',
          f.source === 'answer' ? t('risk.in_answer', { question: f.answer.question || f.answer.question_id })
            : h('button', { type: 'button', class: 'link', onclick: () => this.conv.scrollTo(f.seq) }, t('risk.in_message', { seq: f.seq })),
          ' ', t('flag.why', { text: f.message ? spanText(f.message.text, f) : (f.match || ''), rule: f.rule || f.match || '' }))),
        unexplained.map((c) => h('li', { class: `sev-${severity(c)}`, dataset: { category: c } }, chip(c), ' ', t('risk.from_screening'))))
        : h('p', { class: 'muted' }, t('risk.no_flags')),
      tab.levelHistory.length > 1 ? h('ul', { class: 'level-history' }, tab.levelHistory.slice(1).map((x) => h('li', {}, t('risk.rose', { level: t(`level.${x.level}`), time: formatClock(x.at) })))) : null);
  }
}
