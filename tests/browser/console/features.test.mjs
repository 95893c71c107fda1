// Console: what an account may use comes from logged_in.features alone (docs/protocol.md,
// "Features"). The server's list is edited in the page, by a WebSocket wrapper, so that what is
// tested is the console: it shows what the list names, hides what it leaves out, and never asks
// the server to find out.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { openConsole, assertNoConsoleErrors, stackWithUsers } from '../lib/console.mjs';

// Runs in the page before the console: logged_in.features edited by { add, remove }; the type of
// every frame the console sends kept in window.sentTypes.
function editFeatures({ add, remove }) {
  window.sentTypes = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    send(data) {
      try { window.sentTypes.push(JSON.parse(data).type); } catch { /* not a frame */ }
      super.send(data);
    }

    addEventListener(type, listener, options) {
      if (type !== 'message') return super.addEventListener(type, listener, options);
      return super.addEventListener(type, (ev) => {
        let { data } = ev;
        try {
          const frame = JSON.parse(data);
          if (frame.type === 'logged_in' && Array.isArray(frame.features)) {
            frame.features = [...frame.features.filter((f) => !remove.includes(f)), ...add];
            data = JSON.stringify(frame);
          }
        } catch { /* not a frame */ }
        listener.call(this, new MessageEvent('message', { data }));
      }, options);
    }
  };
}

const sentTypes = (page) => page.evaluate(() => window.sentTypes);

test('a supervisor whose logged_in.features leaves out stats and advisors is shown neither, and nothing is probed', async (t) => {
  const { stack, users: { sue } } = await stackWithUsers(t, { sue: { role: 'supervisor' } });
  const page = await openConsole(t, stack, sue, { initScript: [editFeatures, { add: [], remove: ['stats', 'advisors'] }] });

  await page.locator('.tab[data-tab="stats"]').click();
  await page.locator('.stats-panel .unavailable').waitFor();
  assert.equal(await page.locator('.stats-panel .stats-filter').count(), 0, 'no statistics form');
  await page.locator('.tab[data-tab="supervisor"]').click();
  await page.locator('.sup-advisors .unavailable').waitFor();
  assert.equal(await page.locator('.tab[data-tab="admin"]').count(), 0, 'no administration tab for a supervisor');

  const sent = await sentTypes(page);
  for (const type of ['stats', 'advisors', 'users', 'hours_get', 'programmes', 'plan_confirm', 'disclosure_record']) {
    assert.ok(!sent.includes(type), `the console sent ${type} (${sent.join(', ')})`);
  }
  assertNoConsoleErrors(page);
});

test('an advisor is given the administration tab exactly when logged_in.features names an administration request', async (t) => {
  const { stack, users: { sam } } = await stackWithUsers(t, { sam: {} });

  // As the server sends it: an advisor has no administration and no statistics.
  const plain = await openConsole(t, stack, sam, { initScript: [editFeatures, { add: [], remove: [] }] });
  await plain.locator('.tab[data-tab="callbacks"]').waitFor();
  assert.equal(await plain.locator('.tab[data-tab="admin"]').count(), 0, 'no administration tab');
  assert.equal(await plain.locator('.tab[data-tab="stats"]').count(), 0, 'no statistics tab');
  const sent = await sentTypes(plain);
  for (const type of ['users', 'hours_get', 'stats', 'programmes', 'plan_confirm', 'disclosure_record']) {
    assert.ok(!sent.includes(type), `the console sent ${type} (${sent.join(', ')})`);
  }

  // The same account with content_reload added to the list: the tab and that part appear, the
  // parts the list does not name stay hidden. (The server would still refuse the request.)
  const listed = await openConsole(t, stack, sam, { initScript: [editFeatures, { add: ['content_reload'], remove: [] }] });
  await listed.locator('.tab[data-tab="admin"]').click();
  await listed.locator('.admin-panel .admin-content button.content-reload').waitFor();
  assert.equal(await listed.locator('.admin-panel .admin-users').isHidden(), true, 'accounts hidden: users not listed');
  assert.ok(!(await sentTypes(listed)).includes('users'), 'users never requested');
  assertNoConsoleErrors(plain);
  assertNoConsoleErrors(listed);
});
