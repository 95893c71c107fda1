// Administration: accounts and roles, opening hours, programme directory, content reload.
// Each part appears when logged_in.features lists its requests.
import { h, field, fill } from './dom.js';
import { t } from './i18n.js';
import { errorText, languageName, callerType } from './labels.js';
import { HoursEditor } from './hours.js';
import { DirectoryEditor } from './directory.js';

const ROLES = ['advisor', 'supervisor', 'admin'];
const CALLER_TYPES = ['own_behaviour', 'professional', 'friend_family', 'experiencing_abuse'];
const LANGUAGES = ['en', 'es', 'pl', 'ar']; // the widget's languages; others are typed in
const MIN_PASSWORD = 10; // the server's rule (docs/protocol.md, user_add)

function list(v) { return v.split(',').map((x) => x.trim()).filter(Boolean); }

export class AdminView {
  constructor(app) {
    this.app = app;
    this.users = null;
    this.root = h('section', { class: 'admin-panel', 'aria-labelledby': 'admin-title' });
    this.usersEl = h('section', { class: 'admin-users' });
    this.editing = null; // the account whose editor is open (its id)
    this.editEl = h('section', { class: 'user-edit', 'aria-labelledby': 'user-edit-title', hidden: true });
    this.hours = new HoursEditor(app);
    this.directory = new DirectoryEditor(app);
    this.hoursEl = this.hours.root;
    this.dirEl = this.directory.root;
    this.contentEl = h('section', { class: 'admin-content' });
    this.root.append(h('h2', { id: 'admin-title' }), this.usersEl, this.hoursEl, this.dirEl, this.contentEl);
    app.features.onChange(() => this.render());
    this.render();
  }

  onShow() {
    if (this.users === null && this.app.features.available('users')) this.loadUsers();
    if (!this.hours.model && this.app.features.available('hours_get')) this.hours.load();
    this.directory.ensureLoaded();
  }

  // A part whose requests this account may not use is not shown at all (logged_in.features).
  unavailable(el) {
    el.hidden = true;
    fill(el);
  }

  render() {
    this.root.querySelector('h2').textContent = t('admin.title');
    this.renderUsers();
    this.hours.render();
    this.directory.render();
    this.renderContent();
  }

  async loadUsers() {
    try { this.users = (await this.app.conn.request({ type: 'users' })).users || []; } catch (err) { this.app.error(err); }
    this.renderUsers();
  }

  renderUsers() {
    if (!this.app.features.available('users')) { this.unavailable(this.usersEl); return; }
    this.usersEl.hidden = false;
    const rows = (this.users || []).map((u) => {
      // One's own role and account cannot be given up here (the server refuses it too): the
      // helpline must never be left without an administrator.
      const self = this.app.me && this.app.me.id === u.id;
      const role = h('select', { 'aria-label': t('admin.role_for', { name: u.name }), disabled: self, title: self ? t('admin.not_yourself') : undefined }, ROLES.map((r) => h('option', { value: r, selected: r === u.role }, t(`role.${r}`))));
      role.addEventListener('change', () => this.updateUser({ username: u.id, role: role.value }));
      const disabled = h('input', { type: 'checkbox', class: 'user-disabled', checked: Boolean(u.disabled), disabled: self, title: self ? t('admin.not_yourself') : undefined });
      disabled.addEventListener('change', () => this.updateUser({ username: u.id, disabled: disabled.checked }));
      return h('tr', { dataset: { user: u.id } }, h('td', {}, u.id), h('td', {}, u.name), h('td', {}, role),
        h('td', { class: 'user-languages' }, (u.languages || []).map(languageName).join(', ')),
        h('td', { class: 'user-caller-types' }, (u.caller_types || []).map(callerType).join(', ')),
        h('td', { class: 'user-capacity' }, String(u.capacity ?? '')),
        h('td', {}, h('label', { class: 'inline' }, disabled, ' ', t('admin.disabled'))),
        h('td', {}, h('button', { type: 'button', class: 'user-edit-open', 'aria-label': t('admin.edit_user', { name: u.name }), onclick: () => this.openEditor(u.id) }, t('admin.edit'))));
    });
    const f = {
      username: h('input', { required: true, maxlength: '64', autocomplete: 'off' }),
      name: h('input', { required: true, maxlength: '100' }),
      role: h('select', {}, ROLES.map((r) => h('option', { value: r }, t(`role.${r}`)))),
      languages: h('input', { value: 'en' }),
      callerTypes: h('input', { value: CALLER_TYPES.join(',') }),
      capacity: h('input', { type: 'number', min: '1', max: '10', value: '2' }),
      password: h('input', { type: 'password', autocomplete: 'new-password', minlength: String(MIN_PASSWORD) }),
    };
    const result = h('p', { class: 'error user-add-error', role: 'alert' });
    const form = h('form', { class: 'user-add', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      if (!f.username.value.trim() || !f.name.value.trim() || f.password.value.length < MIN_PASSWORD || !list(f.languages.value).length) {
        result.textContent = t('admin.user_missing', { n: MIN_PASSWORD });
        return;
      }
      result.textContent = '';
      try {
        await this.app.conn.request({ type: 'user_add', username: f.username.value.trim(), name: f.name.value.trim(), role: f.role.value,
          languages: list(f.languages.value), caller_types: list(f.callerTypes.value), capacity: Number(f.capacity.value), password: f.password.value });
        this.addedUser = f.username.value.trim();
        this.app.announce(t('admin.user_added', { username: this.addedUser }));
        this.loadUsers();
      } catch (err) { result.textContent = err.code === 'conflict' ? t('admin.user_exists') : `${errorText(err)} ${err.message && err.code === 'bad_request' ? err.message : ''}`.trim(); }
    } },
    field(t('admin.username'), f.username), field(t('admin.name'), f.name), field(t('admin.role'), f.role),
    field(t('admin.languages'), f.languages, t('admin.list_hint')), field(t('admin.caller_types'), f.callerTypes, t('admin.list_hint')),
    field(t('admin.capacity'), f.capacity), field(t('admin.password'), f.password, t('admin.password_hint', { n: MIN_PASSWORD })),
    result,
    h('button', { type: 'submit' }, t('admin.add_user')));
    // The editor is kept across redraws: moving it must not lose the field the admin is in.
    const active = this.editEl.contains(document.activeElement) ? document.activeElement : null;
    fill(this.usersEl, h('h3', {}, t('admin.users')),
      h('table', { class: 'sup-table' }, h('thead', {}, h('tr', {}, ['admin.username', 'admin.name', 'admin.role', 'admin.languages', 'admin.caller_types', 'admin.capacity', 'admin.status', 'admin.actions'].map((k) => h('th', { scope: 'col' }, t(k))))), h('tbody', {}, rows)),
      this.editEl,
      this.addedUser ? h('p', { class: 'ok user-added', role: 'status' }, t('admin.user_added', { username: this.addedUser })) : null,
      h('details', {}, h('summary', {}, t('admin.add_user')), form));
    if (active && active.isConnected) active.focus();
  }

  // One account's languages, caller types and capacity, and a new password (user_update).
  openEditor(id) {
    this.editing = id;
    this.renderEditor();
    this.editEl.querySelector('h4').focus();
  }

  closeEditor() {
    const id = this.editing;
    this.editing = null;
    this.renderEditor();
    const button = this.usersEl.querySelector(`tr[data-user="${CSS.escape(id)}"] .user-edit-open`);
    if (button) button.focus();
  }

  renderEditor() {
    const u = this.editing && (this.users || []).find((x) => x.id === this.editing);
    this.editEl.hidden = !u;
    if (!u) { fill(this.editEl); return; }
    const checks = (name, values, chosen, label) => values.map((v) => h('label', { class: 'inline' },
      h('input', { type: 'checkbox', name, value: v, checked: chosen.includes(v) }), ' ', label(v)));
    const known = [...new Set([...LANGUAGES, ...(u.languages || [])])];
    const other = h('input', { class: 'user-other-languages', autocomplete: 'off' });
    const capacity = h('input', { type: 'number', min: '1', max: '10', value: String(u.capacity ?? 2), class: 'user-capacity-input' });
    const error = h('p', { class: 'error user-edit-error', role: 'alert' });
    const done = h('p', { class: 'ok user-edit-done', role: 'status' });
    const form = h('form', { class: 'user-edit-form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const picked = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((x) => x.value);
      const languages = [...new Set([...picked('languages'), ...list(other.value.toLowerCase())])];
      const callerTypes = picked('caller_types');
      const n = Number(capacity.value);
      const problem = !languages.length ? t('admin.need_language') : !callerTypes.length ? t('admin.need_caller_type')
        : !Number.isInteger(n) || n < 1 || n > 10 ? t('admin.capacity_range', { min: 1, max: 10 }) : '';
      error.textContent = problem;
      done.textContent = '';
      if (problem) return;
      if (await this.updateUser({ username: u.id, languages, caller_types: callerTypes, capacity: n }, error)) {
        this.renderEditor();
        this.editEl.querySelector('.user-edit-done').textContent = t('admin.user_saved', { name: u.name });
        this.editEl.querySelector('.user-edit-form button[type=submit]').focus();
      }
    } },
    h('fieldset', { class: 'user-edit-languages' }, h('legend', {}, t('admin.languages')),
      checks('languages', known, u.languages || [], languageName),
      field(t('admin.other_languages'), other, t('admin.other_languages_hint'))),
    h('fieldset', { class: 'user-edit-caller-types' }, h('legend', {}, t('admin.caller_types')),
      checks('caller_types', CALLER_TYPES, u.caller_types || [], callerType)),
    field(t('admin.capacity'), capacity, t('admin.capacity_hint')),
    error, done,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('admin.save')),
      h('button', { type: 'button', onclick: () => this.closeEditor() }, t('admin.close_editor'))));

    const password = h('input', { type: 'password', autocomplete: 'new-password', minlength: String(MIN_PASSWORD), class: 'user-new-password' });
    const pwError = h('p', { class: 'error user-password-error', role: 'alert' });
    const pwDone = h('p', { class: 'ok user-password-done', role: 'status' });
    const pwForm = h('form', { class: 'user-password-form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      pwDone.textContent = '';
      if (password.value.length < MIN_PASSWORD) { pwError.textContent = t('admin.password_short', { n: MIN_PASSWORD }); password.focus(); return; }
      pwError.textContent = '';
      if (await this.updateUser({ username: u.id, password: password.value }, pwError)) {
        password.value = '';
        this.editEl.querySelector('.user-password-done').textContent = t('admin.password_set', { name: u.name });
      }
    } },
    field(t('admin.new_password'), password, t('admin.password_hint', { n: MIN_PASSWORD })),
    pwError, pwDone,
    h('button', { type: 'submit' }, t('admin.set_password')));

    fill(this.editEl, h('h4', { id: 'user-edit-title', tabindex: '-1' }, t('admin.edit_title', { name: u.name, username: u.id })),
      form, h('h5', {}, t('admin.reset_password')), pwForm);
  }

  // Resolves to whether it was stored. `errorEl`: where a refusal is shown (else a notice).
  async updateUser(frame, errorEl = null) {
    try {
      const reply = await this.app.conn.request({ type: 'user_update', ...frame });
      if (reply.user && this.users) this.users = this.users.map((u) => (u.id === reply.user.id ? reply.user : u));
      if (!errorEl) this.app.announce(t('admin.saved'));
      this.renderUsers();
      return true;
    } catch (err) {
      if (errorEl) errorEl.textContent = `${errorText(err)} ${err.code === 'bad_request' && err.message ? err.message : ''}`.trim();
      else { this.app.error(err); this.loadUsers(); }
      return false;
    }
  }

  renderContent() {
    if (!this.app.features.available('content_reload')) { this.unavailable(this.contentEl); return; }
    this.contentEl.hidden = false;
    const result = h('p', { role: 'status', class: 'reload-result' });
    fill(this.contentEl, h('h3', {}, t('admin.content')), h('p', { class: 'muted' }, t('admin.content_help')),
      h('button', { type: 'button', class: 'content-reload', onclick: async (e) => {
        e.currentTarget.disabled = true;
        const button = e.currentTarget;
        result.textContent = t('admin.reloading');
        try {
          const reply = await this.app.conn.request({ type: 'content_reload', what: 'all' });
          result.className = 'reload-result ok';
          result.textContent = t('admin.reloaded_detail', { languages: (reply.languages || []).map(languageName).join(', '), programmes: reply.programmes ?? 0 });
          this.app.content.clear();
        } catch (err) {
          // bad_request names the file and line; the old content stays in use.
          result.className = 'reload-result error';
          result.textContent = `${errorText(err)} ${err.code === 'bad_request' && err.message ? err.message : ''}`.trim();
        }
        button.disabled = false;
      } }, t('admin.reload')), result);
  }
}
