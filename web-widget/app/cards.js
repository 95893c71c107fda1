// Readable renderings of structured content: a programme card sent by an advisor, and the list
// of services shown at once to someone experiencing abuse.
import { t, tNodes, raw } from './i18n.js';
import { el, auto, link, phoneNumber, telHref } from './dom.js';

function line(list, node) {
  const li = el('li');
  li.append(node);
  list.append(li);
}

/**
 * A programme card as the visitor sees it: what the programme is, how long, how to get in touch,
 * cost, waiting time and how to join. Never why it was suggested: `reasons` are the advisors'
 * risk reasoning, and `type_label` is their wording, so neither is shown.
 */
export function programmeCard(card) {
  const art = auto(el('article', 'card'));
  const type = card.programme_type || card.type || '';
  const label = raw(`ptype_${type}`) || t('programme');
  const title = card.organisation || card.name || label;
  art.append(el('h3', '', title));
  art.append(el('p', 'kind', label));
  if (card.name && card.name !== title) art.append(el('p', 'name', card.name));
  const about = raw(`pdesc_${type}`);
  if (about) art.append(el('p', 'about', about));
  const facts = el('ul', 'facts');
  const text = (v) => (typeof v === 'string' ? v.trim() : '');
  const fact = (key, v) => text(v) && line(facts, el('span', '', t(key, { value: text(v) })));
  fact('card_length', card.length);
  const c = card.contact || {};
  if (text(c.phone)) line(facts, link(telHref(c.phone), tNodes('card_phone', { value: phoneNumber(text(c.phone)) })));
  if (text(c.email)) line(facts, link(`mailto:${text(c.email)}`, t('card_email', { value: text(c.email) })));
  if (text(c.url)) line(facts, link(text(c.url), `${t('card_website')}: ${text(c.url)}`));
  fact('card_address', c.address);
  fact('card_fees', card.fees);
  const weeks = card.waiting_weeks;
  if (Number.isFinite(weeks) && weeks >= 0) {
    const key = weeks < 0.5 ? 'card_no_wait' : Math.round(weeks) === 1 ? 'card_waiting_one' : 'card_waiting';
    line(facts, el('span', '', t(key, { weeks: Math.round(weeks) })));
  }
  fact('card_referral', card.referral);
  if (facts.childElementCount) art.append(facts);
  // Once in the chat, scroll its message to the top of the view, so the card is read from its start.
  requestAnimationFrame(() => {
    const box = art.closest('.scroll');
    if (!box) return;
    const top = (art.closest('li') || art).getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += top - 8;
  });
  return art;
}

function serviceList(services) {
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
  return list;
}

function servicesSection() {
  const box = el('section', 'services');
  box.setAttribute('aria-label', t('services_heading'));
  box.append(el('h3', '', t('services_heading')));
  return box;
}

/** The services box; `services` from `started` (or the locale's list for someone experiencing abuse). */
export function servicesBox(services, withIntro = true) {
  const box = servicesSection();
  if (withIntro) box.append(el('p', '', t('services_intro')));
  box.append(serviceList(services));
  return box;
}

/**
 * Services for a reader the widget does not know yet (the closed screen): for someone worried
 * about their own behaviour, and for someone experiencing abuse, each under its heading.
 */
export function servicesForAnyone() {
  const box = servicesSection();
  for (const [heading, list] of [['services_own_heading', raw('services_own')], ['services_victim_heading', raw('services')]]) {
    if (!Array.isArray(list) || !list.length) continue;
    box.append(el('h4', '', t(heading)));
    box.append(serviceList(list));
  }
  return box;
}
