// The risk panel: the level, its categories, and how it got there: each flag with where it was
// found (a screening answer, or a message to scroll to) and why, and when the level rose.
import { h, fill } from '../../dom.js';
import { t, formatClock } from '../../i18n.js';
import { levelBadge, category, severity, categoryChips } from '../../labels.js';
import { flagWhy, flagChip, isModelFlag } from '../../flag_view.js';
import { tUser } from '../../user_text.js';

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
      for (const f of a.flags || []) out.push({ ...f, where: 'answer', answer: a });
    }
    for (const seq of [...tab.messages.keys()].sort((a, b) => a - b)) {
      const m = tab.messages.get(seq);
      for (const f of m.flags || []) out.push({ ...f, seq, where: 'message', message: m });
    }
    return out;
  }

  render() {
    const { record, tab, level } = this.conv;
    const all = this.flags();
    const flags = all.filter((f) => !isModelFlag(f));
    const judged = all.filter(isModelFlag);
    const explained = new Set(all.map((f) => f.category));
    const fromAnswers = [];
    for (const a of record.answers || []) for (const c of a.categories || []) if (!explained.has(c)) { explained.add(c); fromAnswers.push({ c, a }); }
    const unexplained = (record.categories || []).filter((c) => !explained.has(c));
    const chip = (c) => h('span', { class: `chip sev-${severity(c)}` }, category(c));
    fill(this.el, 
      h('h3', {}, t('risk.title')),
      h('p', { class: 'risk-level' }, t('risk.level'), ' ', levelBadge(level), ' ', categoryChips(record.categories)),
      h('h4', {}, t('risk.how')),
      flags.length || fromAnswers.length || unexplained.length ? h('ol', { class: 'risk-path' },
        fromAnswers.map(({ c, a }) => h('li', { class: `sev-${severity(c)}`, dataset: { category: c } },
          chip(c), ' ', tUser('risk.from_answer', { answer: a.label || a.value || '' }, { question: a.question || a.question_id }))),
        flags.map((f) => h('li', { class: `sev-${severity(f.category)}`, dataset: { category: f.category, seq: f.seq || '' } },
          flagChip(f), ' ',
          f.where === 'answer' ? t('risk.in_answer', { question: f.answer.question || f.answer.question_id })
            : h('button', { type: 'button', class: 'link', onclick: () => this.conv.scrollTo(f.seq) }, t('risk.in_message', { seq: f.seq })),
          ' ', flagWhy(f, f.message ? f.message.text : ''))),
        unexplained.map((c) => h('li', { class: `sev-${severity(c)}`, dataset: { category: c } }, chip(c), ' ', t('risk.from_screening'))))
        : h('p', { class: 'muted' }, t('risk.no_flags')),
      // The learned model's judgements, apart: similar to known disclosures, not matched words.
      judged.length ? h('h4', {}, t('risk.model_title')) : null,
      judged.length ? h('ul', { class: 'risk-model' }, judged.map((f) => h('li', { class: `model-flag sev-${severity(f.category)}`, dataset: { category: f.category, seq: f.seq || '' } },
        chip(f.category), ' ',
        f.where === 'answer' ? t('risk.in_answer', { question: f.answer.question || f.answer.question_id })
          : h('button', { type: 'button', class: 'link', onclick: () => this.conv.scrollTo(f.seq) }, t('risk.in_message', { seq: f.seq })),
        ' ', flagWhy(f, '')))) : null,
      tab.levelHistory.length > 1 ? h('ul', { class: 'level-history' }, tab.levelHistory.slice(1).map((x) => h('li', {}, t('risk.rose', { level: t(`level.${x.level}`), time: formatClock(x.at) })))) : null);
  }
}
