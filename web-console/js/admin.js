// Administration: accounts and roles, opening hours, programme directory, content reload.
// Each part appears when logged_in.features lists its requests.
import { h, field, fill } from './dom.js';
import { t } from './i18n.js';
import { errorText, languageName } from './labels.js';
import { HoursEditor } from './hours.js';
import { DirectoryEditor } from './directory.js';

const ROLES = ['advisor', 'supervisor', 'admin'];
const CALLER_TYPES = ['own_behaviour', 'professional', 'friend_family', 'experiencing_abuse'];
const MIN_PASSWORD = 10; // the server's rule (docs/protocol.md, user_add)

function list(v) { return v.split(',').map((x) => x.trim()).filter(Boolean); }

export class AdminView {
  constructor(app) {
    this.app = app;
    this.users = null;
    this.root = h('section', { class: 'admin-panel', 'aria-labelledby': 'admin-title' });
    this.usersEl = h('section', { class: 'admin-users' });
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
      const role = h('select', { 'aria-label': t('admin.role_for', { name: u.name }) }, ROLES.map((r) => h('option', { value: r, selected: r === u.role }, t(`role.${r}`))));
      role.addEventListener('change', () => this.updateUser({ username: u.id, role: role.value }));
      const disabled = h('input', { type: 'checkbox', class: 'user-disabled', checked: Boolean(u.disabled) });
      disabled.addEventListener('change', () => this.updateUser({ username: u.id, disabled: disabled.checked }));
      return h('tr', { dataset: { user: u.id } }, h('td', {}, u.id), h('td', {}, u.name), h('td', {}, role),
        h('td', {}, (u.languages || []).map(languageName).join(', ')), h('td', {}, String(u.capacity ?? '')),
        h('td', {}, h('label', { class: 'inline' }, disabled, ' ', t('admin.disabled'))));
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
    fill(this.usersEl, h('h3', {}, t('admin.users')),
      h('table', { class: 'sup-table' }, h('thead', {}, h('tr', {}, ['admin.username', 'admin.name', 'admin.role', 'admin.languages', 'admin.capacity', 'admin.status'].map((k) => h('th', { scope: 'col' }, t(k))))), h('tbody', {}, rows)),
      this.addedUser ? h('p', { class: 'ok user-added', role: 'status' }, t('admin.user_added', { username: this.addedUser })) : null,
      h('details', {}, h('summary', {}, t('admin.add_user')), form));
  }

  async updateUser(frame) {
    try {
      const reply = await this.app.conn.request({ type: 'user_update', ...frame });
      if (reply.user && this.users) this.users = this.users.map((u) => (u.id === reply.user.id ? reply.user : u));
      this.app.announce(t('admin.saved'));
      this.renderUsers();
    } catch (err) { this.app.error(err); this.loadUsers(); }
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
