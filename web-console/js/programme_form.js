// The programme directory as forms (admins): find a programme by organisation, name, town or
// postcode area, edit its main fields, and save. Before anything is sent the form checks what a
// person gets wrong by hand: a phone number that is not one, an area code that is not a UK
// postcode area or district (asked of the server's postcode table with a `programmes` search,
// which answers not_found for a place it does not know), a programme that serves nowhere. The
// whole directory is then replaced over HTTP like an import (DirectoryEditor.put).
import { h, field, fill, uid } from './dom.js';
import { t, tn, has } from './i18n.js';
import { errorText } from './labels.js';

const TYPES = ['early_response', 'dapp', 'one_to_one', 'high_risk_high_harm', 'womens_use_of_violence', 'same_sex_relationships'];
const SHOWN = 20; // search results listed at once

// The protocol's rule for a phone number (docs/protocol.md, callback_request).
export function validPhone(s) {
  const digits = (s.match(/\d/g) || []).length;
  return /^[0-9 +\-()]{7,20}$/.test(s) && digits >= 7 && digits <= 15;
}
// A postcode area (LS) or district (LS6, EC1A), as the directory's area codes are written.
const AREA_CODE = /^[A-Z]{1,2}[0-9][A-Z0-9]?$|^[A-Z]{1,2}$/;
const codes = (v) => v.split(',').map((x) => x.trim().toUpperCase()).filter(Boolean);
const words = (v) => v.split(',').map((x) => x.trim()).filter(Boolean);
const typeName = (type) => (has(`programme_type.${type}`) ? t(`programme_type.${type}`) : String(type ?? ''));

export class ProgrammeForm {
  constructor(app, directory) {
    this.app = app;
    this.directory = directory; // DirectoryEditor: parsed(), put(text)
    this.selected = null; // programme id
    this.known = new Map(); // area code -> whether the server's postcode table knows it
    this.root = h('section', { class: 'dir-forms', 'aria-labelledby': uid('dir-forms-title') });
    this.search = h('input', { type: 'search', class: 'dir-search', autocomplete: 'off' });
    this.search.addEventListener('input', () => this.renderResults());
    this.resultsEl = h('div', { class: 'dir-search-results' });
    this.formEl = h('div', { class: 'dir-form-holder' });
  }

  programmes() {
    const d = this.directory.parsed();
    return d ? d.programmes.filter((p) => p && typeof p === 'object') : null;
  }

  render() {
    fill(this.root, h('h4', { id: this.root.getAttribute('aria-labelledby') }, t('dir.forms_title')),
      field(t('dir.search'), this.search, t('dir.search_hint')), this.resultsEl, this.formEl);
    this.renderResults();
    this.renderForm();
  }

  renderResults() {
    const all = this.programmes();
    if (!this.directory.text.value.trim()) { fill(this.resultsEl); return; }
    if (!all) { fill(this.resultsEl, h('p', { class: 'muted' }, t('dir.summary_unreadable'))); return; }
    const q = this.search.value.trim().toLowerCase();
    if (!q) { fill(this.resultsEl); return; }
    const hay = (p) => [p.id, p.organisation, p.name, typeName(p.type), ...((p.area && p.area.codes) || []), p.area && typeof p.area.centre === 'string' ? p.area.centre : '']
      .map((x) => String(x ?? '').toLowerCase()).join(' ');
    const found = all.filter((p) => hay(p).includes(q));
    fill(this.resultsEl,
      h('p', { class: 'dir-match-count', dataset: { count: found.length } }, tn('dir.matches', found.length)),
      found.length ? h('ul', { class: 'dir-matches' }, found.slice(0, SHOWN).map((p) => h('li', { dataset: { programme: p.id } },
        h('button', { type: 'button', class: 'link', 'aria-current': p.id === this.selected ? 'true' : null, onclick: () => this.open(p.id) },
          [p.organisation, p.name].filter(Boolean).map(String).join(' – ')),
        ' ', h('span', { class: 'muted' }, [typeName(p.type), ...((p.area && p.area.codes) || [])].filter(Boolean).join(' · '))))) : null,
      found.length > SHOWN ? h('p', { class: 'muted' }, tn('dir.more_matches', found.length - SHOWN)) : null);
  }

  open(id) {
    this.selected = id;
    this.problems = [];
    this.saved = '';
    this.renderResults();
    this.renderForm();
    const first = this.formEl.querySelector('input');
    if (first) first.focus();
  }

  renderForm() {
    const p = this.selected && (this.programmes() || []).find((x) => x.id === this.selected);
    if (!p) { fill(this.formEl); return; }
    const area = p.area || {};
    const contact = p.contact || {};
    const f = {
      organisation: h('input', { value: String(p.organisation ?? ''), name: 'organisation' }),
      name: h('input', { value: String(p.name ?? ''), name: 'name' }),
      type: h('select', { name: 'type' }, [...new Set([...TYPES, p.type].filter(Boolean))].map((x) => h('option', { value: x, selected: x === p.type }, typeName(x)))),
      codes: h('input', { value: (area.codes || []).join(', '), name: 'codes', autocomplete: 'off' }),
      centre: h('input', { value: typeof area.centre === 'string' ? area.centre : '', name: 'centre', autocomplete: 'off' }),
      radius: h('input', { type: 'number', min: '0', step: '1', value: area.radius_km ?? '', name: 'radius' }),
      languages: h('input', { value: (p.languages || []).join(', '), name: 'languages', autocomplete: 'off' }),
      phone: h('input', { type: 'tel', value: String(contact.phone ?? ''), name: 'phone', autocomplete: 'off' }),
      email: h('input', { type: 'email', value: String(contact.email ?? ''), name: 'email', autocomplete: 'off' }),
      url: h('input', { type: 'url', value: String(contact.url ?? ''), name: 'url', autocomplete: 'off' }),
    };
    this.fields = f;
    const summary = h('div', { class: 'dir-form-summary', role: 'alert' });
    const done = h('p', { class: 'ok dir-form-saved', role: 'status' });
    const form = h('form', { class: 'programme-edit', novalidate: true, dataset: { programme: p.id }, onsubmit: (e) => { e.preventDefault(); this.save(p.id, summary, done); } },
      h('h5', {}, t('dir.editing', { name: [p.organisation, p.name].filter(Boolean).map(String).join(' – ') })),
      field(t('dir.col_organisation'), f.organisation), field(t('dir.col_programme'), f.name), field(t('dir.col_type'), f.type),
      h('fieldset', {}, h('legend', {}, t('dir.area')),
        field(t('dir.area_codes'), f.codes, t('dir.area_codes_hint')), field(t('dir.centre'), f.centre, t('dir.centre_hint')),
        field(t('dir.radius'), f.radius)),
      field(t('dir.languages'), f.languages, t('admin.list_hint')),
      h('fieldset', {}, h('legend', {}, t('dir.contact')),
        field(t('dir.phone'), f.phone), field(t('dir.email'), f.email), field(t('dir.website'), f.url)),
      summary, done,
      h('div', { class: 'dir-actions' }, h('button', { type: 'submit', class: 'primary dir-form-save' }, t('dir.save_programme')),
        h('button', { type: 'button', onclick: () => { this.selected = null; this.renderForm(); this.renderResults(); this.search.focus(); } }, t('admin.close_editor'))));
    fill(this.formEl, form);
  }

  // What is wrong with the form, as [{field, text}]; the area codes are asked of the server.
  async check() {
    const f = this.fields;
    const out = [];
    for (const k of ['organisation', 'name']) if (!f[k].value.trim()) out.push({ field: k, text: t('dir.err_required', { field: t(k === 'name' ? 'dir.col_programme' : 'dir.col_organisation') }) });
    const phone = f.phone.value.trim();
    if (phone && !validPhone(phone)) out.push({ field: 'phone', text: t('dir.err_phone', { value: phone }) });
    if (!phone && !f.email.value.trim() && !f.url.value.trim()) out.push({ field: 'phone', text: t('dir.err_contact') });
    const list = codes(f.codes.value);
    const centre = f.centre.value.trim().toUpperCase();
    const radius = f.radius.value.trim() === '' ? 0 : Number(f.radius.value);
    if (!Number.isFinite(radius) || radius < 0) out.push({ field: 'radius', text: t('dir.err_radius') });
    else if (radius > 0 && !centre) out.push({ field: 'centre', text: t('dir.err_radius_centre') });
    if (!list.length && !(radius > 0)) out.push({ field: 'codes', text: t('dir.err_nowhere') });
    const bad = list.filter((c) => !AREA_CODE.test(c));
    for (const c of bad) out.push({ field: 'codes', text: t('dir.err_area_format', { code: c }) });
    for (const c of await this.unknown(list.filter((x) => !bad.includes(x)))) out.push({ field: 'codes', text: t('dir.err_area_unknown', { code: c }) });
    if (centre && (await this.unknown([centre])).length) out.push({ field: 'centre', text: t('dir.err_centre_unknown', { code: centre }) });
    if (!words(f.languages.value).length) out.push({ field: 'languages', text: t('dir.err_languages') });
    return out;
  }

  // Codes the server's postcode table does not know (unchecked when this account cannot search).
  async unknown(list) {
    if (!this.app.features.available('programmes')) return [];
    const out = [];
    for (const code of list) {
      if (!this.known.has(code)) {
        try {
          await this.app.conn.request({ type: 'programmes', location: code });
          this.known.set(code, true);
        } catch (err) {
          if (err.code !== 'not_found') throw err;
          this.known.set(code, false);
        }
      }
      if (!this.known.get(code)) out.push(code);
    }
    return out;
  }

  showProblems(summary, problems, title) {
    for (const el of Object.values(this.fields)) { el.removeAttribute('aria-invalid'); el.removeAttribute('aria-errormessage'); }
    if (!problems.length) { fill(summary); return; }
    if (!summary.id) summary.id = uid('dir-form-errors');
    for (const p of problems) {
      const el = p.field && this.fields[p.field];
      if (el) { el.setAttribute('aria-invalid', 'true'); el.setAttribute('aria-errormessage', summary.id); }
    }
    fill(summary, h('p', { class: 'error' }, title), h('ul', { class: 'dir-errors' }, problems.map((p) => h('li', {}, p.text))));
  }

  async save(id, summary, done) {
    done.textContent = '';
    const button = this.formEl.querySelector('.dir-form-save');
    button.disabled = true;
    try {
      const problems = await this.check();
      if (problems.length) {
        this.showProblems(summary, problems, tn('dir.form_problems', problems.length));
        const first = problems.find((p) => this.fields[p.field]);
        if (first) this.fields[first.field].focus();
        return;
      }
      this.showProblems(summary, []);
      const d = this.directory.parsed();
      const p = d && d.programmes.find((x) => x && x.id === id);
      if (!p) { this.showProblems(summary, [{ text: t('dir.summary_unreadable') }], tn('dir.form_problems', 1)); return; }
      this.apply(p);
      const res = await this.directory.put(`${JSON.stringify(d, null, 2)}\n`);
      if (res.ok) {
        done.textContent = t('dir.programme_saved', { name: [p.organisation, p.name].filter(Boolean).join(' – ') });
        this.renderResults();
      } else {
        this.showProblems(summary, res.items.map((text) => ({ text })), `${t('dir.not_imported')} ${res.text}`);
      }
    } catch (err) {
      this.showProblems(summary, [{ text: err && err.code ? errorText(err) : t('dir.network') }], tn('dir.form_problems', 1));
    } finally {
      if (button.isConnected) button.disabled = false;
    }
  }

  // The form's values into the programme (fields the form does not show are kept).
  apply(p) {
    const f = this.fields;
    const put = (obj, key, value) => { if (value === '' || value === undefined) delete obj[key]; else obj[key] = value; };
    p.organisation = f.organisation.value.trim();
    p.name = f.name.value.trim();
    p.type = f.type.value;
    p.area = p.area || {};
    p.area.codes = codes(f.codes.value);
    // A centre given as {lat, lon} is not shown in the form: an empty field keeps it.
    if (typeof p.area.centre === 'string' || f.centre.value.trim()) put(p.area, 'centre', f.centre.value.trim().toUpperCase());
    put(p.area, 'radius_km', f.radius.value.trim() === '' || Number(f.radius.value) === 0 ? '' : Number(f.radius.value));
    p.languages = words(f.languages.value).map((x) => x.toLowerCase());
    p.contact = p.contact || {};
    put(p.contact, 'phone', f.phone.value.trim());
    put(p.contact, 'email', f.email.value.trim());
    put(p.contact, 'url', f.url.value.trim());
  }
}
