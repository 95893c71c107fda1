// Readable renderings of structured content: a programme card sent by an advisor, and the list
// of services shown at once to someone experiencing abuse.
import { t, tNodes, raw } from './i18n.js';
import { el, auto, link, phoneNumber, telHref } from './dom.js';

function line(list, node) {
  const li = el('li');
  li.append(node);
  list.append(li);
}

export function programmeCard(card) {
  const art = auto(el('article', 'card'));
  const type = card.programme_type || card.type || '';
  const label = raw(`ptype_${type}`) || card.type_label || t('programme');
  art.append(el('h3', '', card.organisation || card.name || label));
  art.append(el('p', 'kind', label));
  if (card.name && card.organisation) art.append(el('p', '', card.name));
  const facts = el('ul', 'facts');
  const c = card.contact || {};
  if (c.phone) line(facts, link(telHref(c.phone), tNodes('card_phone', { value: phoneNumber(c.phone) })));
  if (c.email) line(facts, link(`mailto:${c.email}`, t('card_email', { value: c.email })));
  if (c.url) line(facts, link(c.url, `${t('card_website')}: ${c.url}`));
  if (c.address) line(facts, el('span', '', t('card_address', { value: c.address })));
  if (card.length) line(facts, el('span', '', t('card_length', { value: card.length })));
  if (card.fees) line(facts, el('span', '', t('card_fees', { value: card.fees })));
  if (Number.isFinite(card.waiting_weeks)) line(facts, el('span', '', t('card_waiting', { weeks: card.waiting_weeks })));
  if (card.referral) line(facts, el('span', '', t('card_referral', { value: card.referral })));
  if (facts.childElementCount) art.append(facts);
  if (Array.isArray(card.reasons) && card.reasons.length) {
    art.append(el('h4', '', t('card_why')));
    const why = el('ul', 'why');
    for (const r of card.reasons) line(why, document.createTextNode(String(r)));
    art.append(why);
  }
  return art;
}

/** The services box; `services` from `started` (or the locale's list when the line is closed). */
export function servicesBox(services, withIntro = true) {
  const box = el('section', 'services');
  box.setAttribute('aria-label', t('services_heading'));
  box.append(el('h3', '', t('services_heading')));
  if (withIntro) box.append(el('p', '', t('services_intro')));
  const list = el('ul', 'service-list');
  for (const s of services) {
    const li = el('li', 'service');
    li.append(auto(el('p', 'name', s.name)));
    if (s.description) li.append(auto(el('p', '', s.description)));
    if (s.phone) li.append(link(telHref(s.phone), tNodes('call', { phone: phoneNumber(s.phone) })));
    if (s.url) {
      li.append(' ');
      li.append(link(s.url, t('website', { name: s.name })));
    }
    list.append(li);
  }
  box.append(list);
  return box;
}
