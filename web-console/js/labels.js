// Shared bits of presentation: level badges, caller types, answers, error text.
import { h } from './dom.js';
import { t, has } from './i18n.js';
import { categoryLabel, categorySeverity, cueLabel } from './taxonomy.js';
import { userText } from './user_text.js';

export function levelBadge(level) {
  const l = level || 'none';
  return h('span', { class: `badge level-${l}`, dataset: { level: l } }, t(`level.${l}`));
}

// Whether the visitor is there: connected, away (left a moment ago: not offered, not counted in
// the queue), gone (away too long). Text, not only colour.
export function presenceChip(presence) {
  const p = ['connected', 'away', 'gone'].includes(presence) ? presence : 'connected';
  return h('span', { class: `chip visitor-presence presence-${p}`, dataset: { presence: p } }, t(`visitor_presence.${p}`));
}

export function callerType(ct) { return ct ? t(`caller_type.${ct}`) : t('common.unknown'); }
export function languageName(lang) { return has(`language.${lang}`) ? t(`language.${lang}`) : String(lang || '').toUpperCase(); }
export function category(cat) { return categoryLabel(cat); }
export function severity(cat) { return categorySeverity(cat); }
export function cueName(cue) { return cueLabel(cue); }

export function errorText(err) {
  const code = err && err.code ? err.code : 'internal';
  return has(`error.${code}`) ? t(`error.${code}`) : t('error.internal');
}

// Screening answers as a definition list (question text comes from content, in the visitor's language).
export function answersList(answers) {
  if (!answers || !answers.length) return h('p', { class: 'muted' }, t('answers.none'));
  return h('dl', { class: 'answers' },
    answers.map((a) => [
      h('dt', {}, a.question || a.question_id),
      h('dd', {}, userText(a.label || a.text || a.value || ''),
        (a.categories || []).length ? h('span', { class: 'answer-cats' }, ' ', a.categories.map((c) => h('span', { class: `chip sev-${severity(c)}` }, category(c)))) : null),
    ]));
}

export function categoryChips(categories) {
  return h('span', { class: 'chips' }, (categories || []).map((c) => h('span', { class: `chip sev-${severity(c)}`, dataset: { category: c } }, category(c))));
}

export function shortId(id) { return String(id || '').replace(/^c_/, '').slice(0, 6); }
