// How a risk flag reads to an advisor: the category and its level in words with the taxonomy's
// description, the visitor's words it rests on (quoted), the reason in words, and the content
// rule behind it folded away for an audit. A flag from the learned model is a judgement, not
// matched words, and says so (docs/screening.md, "The learned layer").
import { h } from './dom.js';
import { t } from './i18n.js';
import { spanText } from './evidence.js';
import { categoryLabel, categoryDescription, categorySeverity } from './taxonomy.js';
import { tUser } from './user_text.js';

export function isModelFlag(f) { return f.source === 'model'; }

// The spans of this message a flag rests on (its evidence here, or the flag's own span).
export function markedSpans(f) {
  if (isModelFlag(f)) return [];
  const here = (f.evidence || []).filter((e) => !e.message_back);
  return here.length ? here.map((e) => ({ ...e, category: f.category })) : [f];
}

// "Strangulation or choking, high risk" as a chip coloured by severity.
export function flagChip(f) {
  const sev = categorySeverity(f.category);
  return h('span', { class: `chip sev-${sev}`, title: categoryDescription(f.category) || null },
    t('flag.what', { category: categoryLabel(f.category), level: t(`flag.severity.${sev}`) }));
}

// The description, the quoted words, the reason and the rule (folded away).
export function flagWhy(f, text) {
  if (isModelFlag(f)) {
    return h('span', { class: 'why model' }, t('flag.model', { score: Math.round((f.score || 0) * 100) }));
  }
  const evidence = f.evidence && f.evidence.length ? f.evidence : [f];
  const quotes = evidence.map((e) => (e.message_back
    ? t('flag.earlier', { count: e.message_back })
    : tUser('flag.quote', { text: text ? spanText(text, e) : (e.match || '') })));
  const description = categoryDescription(f.category);
  return h('span', { class: 'why' },
    description ? h('span', { class: 'flag-description' }, description) : null,
    h('span', { class: 'flag-words' }, tUser('flag.words', { quotes: h('span', {}, quotes.map((q, i) => (i ? [' + ', q] : q))) })),
    // A reason that only repeats the category's name says nothing more.
    f.reason && f.reason.toLowerCase() !== categoryLabel(f.category).toLowerCase()
      ? h('span', { class: 'flag-reason' }, t('flag.reason', { reason: f.reason })) : null,
    f.rule ? h('details', { class: 'audit' }, h('summary', {}, t('flag.rule')), h('code', { class: 'rule' }, f.rule)) : null);
}
