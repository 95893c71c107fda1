// Programme directory editor (admins) over HTTP (docs/protocol.md, "Programme directory over
// HTTP"): GET loads it, POST .../validate checks an edited copy, PUT replaces it on every node.
// Requests carry the console's session token as a bearer token and never cookies.
import { h, field, uid, fill } from './dom.js';
import { t, tn, has } from './i18n.js';
import { Connection } from './connection.js';
import { confirmDialog } from './dialog.js';
import { ProgrammeForm } from './programme_form.js';

const API = '/api/admin/directory';

// Server messages name the server's own path ("/srv/content/programmes/directory.json:151: ...");
// the admin needs the file name and the line.
export function shortenError(text) {
  return String(text).replace(/(?:[^\s:]*\/)?(directory\.json)(?:\.candidate-[0-9a-f]+)?:/g, '$1:');
}

async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${Connection.storedToken() || ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* the GET answer is the file itself; errors are JSON */ }
  return { status: res.status, text, json };
}

function typeLabel(type) { return has(`programme_type.${type}`) ? t(`programme_type.${type}`) : String(type ?? ''); }

export class DirectoryEditor {
  constructor(app) {
    this.app = app;
    this.loaded = false;
    this.result = null; // { kind: 'ok'|'error', text, items: [] }
    this.root = h('section', { class: 'admin-directory', 'aria-labelledby': uid('dir-title') });
    this.text = h('textarea', { rows: '14', class: 'code dir-json', spellcheck: 'false', autocomplete: 'off' });
    this.text.addEventListener('input', () => { clearTimeout(this.summaryTimer); this.summaryTimer = setTimeout(() => { this.renderSummary(); this.forms.renderResults(); }, 300); });
    this.file = h('input', { type: 'file', class: 'dir-file', accept: '.json,application/json' });
    this.file.addEventListener('change', () => this.readFile());
    this.summaryEl = h('div', { class: 'dir-summary' });
    this.resultEl = h('div', { class: 'dir-result', role: 'status' });
    this.forms = new ProgrammeForm(app, this);
  }

  ensureLoaded() {
    if (!this.loaded && !this.loading && this.app.features.available('directory')) this.load();
  }

  async load() {
    this.loading = true;
    this.busy(true);
    try {
      const res = await call('GET', API);
      if (res.status === 200) { this.text.value = res.text; this.loaded = true; this.result = null; } else this.result = this.httpError(res);
    } catch { this.result = { kind: 'error', text: t('dir.network') }; }
    this.loading = false;
    this.busy(false);
    this.render();
  }

  httpError(res) {
    if (res.status === 401) return { kind: 'error', text: t('dir.unauthorised') };
    if (res.status === 403) return { kind: 'error', text: t('error.forbidden') };
    if (res.json && Array.isArray(res.json.errors)) return { kind: 'error', text: tn('dir.problems_found', res.json.errors.length), items: res.json.errors.map(shortenError) };
    return { kind: 'error', text: t('dir.http_error', { status: res.status }) };
  }

  readFile() {
    const f = this.file.files[0];
    if (!f) return;
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      this.text.value = String(reader.result);
      this.result = { kind: 'ok', text: t('dir.file_loaded', { name: f.name }) };
      this.render();
    });
    reader.addEventListener('error', () => { this.result = { kind: 'error', text: t('dir.file_unreadable', { name: f.name }) }; this.render(); });
    reader.readAsText(f);
  }

  busy(on) {
    this.isBusy = on;
    for (const b of this.root.querySelectorAll('button')) b.disabled = on;
  }

  async validate() {
    this.busy(true);
    try {
      const res = await call('POST', `${API}/validate`, this.text.value);
      if (res.status === 200 && res.json && res.json.ok) {
        this.result = { kind: 'ok', text: tn('dir.valid_n', res.json.programmes), items: (res.json.warnings || []).map(shortenError), itemsTitle: t('dir.warnings') };
      } else if (res.status === 200 && res.json) {
        this.result = { kind: 'error', text: tn('dir.problems_found', (res.json.errors || []).length), items: (res.json.errors || []).map(shortenError) };
      } else this.result = this.httpError(res);
    } catch { this.result = { kind: 'error', text: t('dir.network') }; }
    this.busy(false);
    this.render();
  }

  async import() {
    const parsed = this.parsed();
    const question = parsed ? tn('dir.confirm_import_n', parsed.programmes.length) : t('dir.confirm_import', { n: '?' });
    if (!(await confirmDialog(question, t('dir.confirm_yes')))) return;
    this.busy(true);
    const res = await this.put(this.text.value);
    this.result = res.ok ? { kind: 'ok', text: res.text } : { kind: 'error', text: res.text, items: res.items };
    if (res.ok) this.app.announce(res.text);
    this.busy(false);
    this.render();
  }

  // Replaces the directory on every node (the import, and a programme saved from its form);
  // resolves to {ok, text, items}. What was stored becomes the editor's text.
  async put(text) {
    try {
      const res = await call('PUT', API, text);
      if (res.status === 200 && res.json && res.json.ok) {
        this.text.value = text;
        this.renderSummary();
        return { ok: true, text: tn('dir.imported_n', res.json.programmes), items: [] };
      }
      const r = this.httpError(res);
      return { ok: false, text: res.status === 422 ? `${t('dir.not_imported')} ${r.text}` : r.text, items: r.items || [] };
    } catch { return { ok: false, text: t('dir.network'), items: [] }; }
  }

  parsed() {
    try {
      const d = JSON.parse(this.text.value);
      return d && Array.isArray(d.programmes) ? d : null;
    } catch { return null; }
  }

  renderSummary() {
    if (!this.text.value.trim()) { fill(this.summaryEl); return; }
    const d = this.parsed();
    if (!d) { fill(this.summaryEl, h('p', { class: 'muted dir-count' }, t('dir.summary_unreadable'))); return; }
    const list = d.programmes.filter((p) => p && typeof p === 'object');
    const byType = new Map();
    for (const p of list) byType.set(p.type, (byType.get(p.type) || 0) + 1);
    const rows = list.slice().sort((a, b) => String(a.organisation).localeCompare(String(b.organisation)) || String(a.name).localeCompare(String(b.name)));
    fill(this.summaryEl, 
      h('p', { class: 'dir-count', dataset: { count: list.length } }, tn('dir.count_n', list.length)),
      h('ul', { class: 'chips dir-types' }, [...byType].map(([type, n]) => h('li', { class: 'chip', dataset: { type } }, t('dir.type_count', { type: typeLabel(type), n })))),
      h('details', { class: 'dir-list' }, h('summary', {}, t('dir.show_list')),
        h('table', { class: 'sup-table' },
          h('thead', {}, h('tr', {}, ['dir.col_organisation', 'dir.col_programme', 'dir.col_type'].map((k) => h('th', { scope: 'col' }, t(k))))),
          h('tbody', {}, rows.map((p) => h('tr', { dataset: { programme: p.id } }, h('td', {}, String(p.organisation ?? '')), h('td', {}, String(p.name ?? '')), h('td', {}, typeLabel(p.type))))))));
  }

  render() {
    const available = this.app.features.available('directory');
    this.root.hidden = !available;
    if (!available) { fill(this.root); return; }
    const r = this.result;
    fill(this.resultEl, ...(r ? [h('p', { class: r.kind === 'ok' ? 'ok' : 'error' }, r.text),
      r.items && r.items.length ? h('ul', { class: r.kind === 'ok' ? 'dir-warnings' : 'dir-errors', 'aria-label': r.itemsTitle || t('dir.errors') }, r.items.map((e) => h('li', {}, e))) : null] : []));
    this.resultEl.dataset.result = r ? r.kind : '';
    fill(this.root, h('h3', { id: this.root.getAttribute('aria-labelledby') }, t('admin.directory')),
      h('p', { class: 'muted' }, t('admin.directory_help')),
      this.forms.root,
      field(t('admin.directory_file'), this.file, t('dir.file_hint')),
      field(t('admin.directory_json'), this.text),
      this.summaryEl,
      h('div', { class: 'dir-actions' },
        h('button', { type: 'button', class: 'dir-validate', disabled: this.isBusy, onclick: () => this.validate() }, t('admin.validate')),
        h('button', { type: 'button', class: 'primary dir-import', disabled: this.isBusy, onclick: () => this.import() }, t('admin.import')),
        h('button', { type: 'button', class: 'dir-reload', disabled: this.isBusy, onclick: () => this.load() }, t('dir.reload'))),
      this.resultEl);
    this.renderSummary();
    this.forms.render();
  }
}
