// How a risk flag reads to an advisor: why it was raised, in words, with the words it rests on,
// and the content rule behind it folded away for an audit. A flag from the learned model is a
// judgement, not matched words, and says so (docs/screening.md, "The learned layer").
import { h } from './dom.js';
import { t } from './i18n.js';
import { spanText } from './evidence.js';

export function isModelFlag(f) { return f.source === 'model'; }

// The spans of this message a flag rests on (its evidence here, or the flag's own span).
export function markedSpans(f) {
  if (isModelFlag(f)) return [];
  const here = (f.evidence || []).filter((e) => !e.message_back);
  return here.length ? here.map((e) => ({ ...e, category: f.category })) : [f];
}

// "a weapon + going to them or waiting: “knife” + “getting the last bus”" and the rule.
export function flagWhy(f, text) {
  if (isModelFlag(f)) {
    return h('span', { class: 'why model' }, t('flag.model', { score: Math.round((f.score || 0) * 100) }));
  }
  const evidence = f.evidence && f.evidence.length ? f.evidence : [f];
  const quotes = evidence.map((e) => (e.message_back
    ? t('flag.earlier', { count: e.message_back })
    : `“${text ? spanText(text, e) : (e.match || '')}”`));
  return h('span', { class: 'why' },
    f.reason ? `${f.reason}: ` : '', quotes.join(' + '), ' ',
    h('details', { class: 'audit' }, h('summary', {}, t('flag.rule')), h('code', { class: 'rule' }, f.rule || '')));
}
