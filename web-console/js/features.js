// Feature detection for protocol requests the server may not implement yet (see
// /work/briefs/requests-console.md). A server that lists `features` in logged_in is trusted;
// otherwise side-effect-free probes are sent: `unknown_type` means "not implemented",
// `forbidden` means "not for this role", any other answer means it is there.

const PROBES = {
  advisor: [
    ['content', (lang) => ({ type: 'content', lang })],
    ['programmes', () => ({ type: 'programmes' })],
    ['plan_confirm', () => ({ type: 'plan_confirm' })],
    ['disclosure_record', () => ({ type: 'disclosure_record' })],
    ['advisors', () => ({ type: 'advisors' })],
  ],
  supervisor: [['stats', () => ({ type: 'stats' })]],
  admin: [
    ['users', () => ({ type: 'users' })],
    ['hours_get', () => ({ type: 'hours_get' })],
  ],
};

// Features that cannot be probed without side effects (an HTTP API, a write): known only from
// logged_in.features.
const LISTED_ONLY = ['directory', 'take_over'];

// Write requests whose availability follows a read request of the same suite.
const IMPLIED = {
  plan: 'plan_confirm', user_add: 'users', user_update: 'users', content_reload: 'users',
  hours_set: 'hours_get',
};

const RANK = { advisor: 0, supervisor: 1, admin: 2 };

export class Features {
  constructor() { this.state = {}; this.listeners = new Set(); }

  onChange(fn) { this.listeners.add(fn); }
  changed() { for (const fn of this.listeners) fn(); }

  // 'yes' | 'no' | 'forbidden' | 'unknown'
  status(name) {
    const base = IMPLIED[name] && this.state[name] === undefined ? IMPLIED[name] : name;
    return this.state[base] || 'unknown';
  }
  available(name) { return this.status(name) === 'yes'; }

  markUnavailable(name) { this.state[name] = 'no'; this.changed(); }

  async detect(conn, loggedIn) {
    const role = loggedIn.advisor.role;
    if (Array.isArray(loggedIn.features)) {
      const all = [...Object.values(PROBES).flat().map(([n]) => n), ...Object.keys(IMPLIED), ...LISTED_ONLY];
      for (const n of all) this.state[n] = loggedIn.features.includes(n) ? 'yes' : 'no';
      this.changed();
      return;
    }
    const jobs = [];
    for (const [tier, probes] of Object.entries(PROBES)) {
      if (RANK[role] < RANK[tier]) continue;
      for (const [name, make] of probes) {
        jobs.push(conn.request(make(loggedIn.uiLang || 'en')).then(
          () => { this.state[name] = 'yes'; },
          (err) => {
            if (err.code === 'unknown_type') this.state[name] = 'no';
            else if (err.code === 'forbidden') this.state[name] = 'forbidden';
            else if (err.code === 'disconnected' || err.code === 'timeout') this.state[name] = this.state[name] || 'unknown';
            else this.state[name] = 'yes';
          }));
      }
    }
    await Promise.all(jobs);
    this.changed();
  }
}

// Runs a request for a feature; on unknown_type marks it unavailable and rethrows.
export async function featureRequest(app, name, frame) {
  try {
    return await app.conn.request(frame);
  } catch (err) {
    if (err.code === 'unknown_type') app.features.markUnavailable(name);
    throw err;
  }
}
