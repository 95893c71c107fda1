// Console: log in, presence, token reconnect without the password, locale strings, no CSP errors.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { Advisor } from '../lib/advisor.mjs';
import { openConsole, goAvailable, assertNoConsoleErrors, stackWithUsers } from '../lib/console.mjs';

test('advisor logs in, sets presence, and a reload logs in again with the session token', async (t) => {
  const { stack, users: { sam, sue: sup } } = await stackWithUsers(t, { sam: {}, sue: { role: 'supervisor' } });

  // Wrong password: an error from the locale file, still on the login form.
  const ctx = await t.context();
  const page = await ctx.newPage();
  page.consoleErrors = [];
  page.on('pageerror', (e) => page.consoleErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') page.consoleErrors.push(`console: ${m.text()}`); });
  await page.goto(stack.url('/console/'));
  await page.locator('#login-username').fill('sam');
  await page.locator('#login-password').fill('wrong password');
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#login-error', { hasText: 'Wrong user name or password.' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'no token after a failed login');

  await page.locator('#login-password').fill(sam.password);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#connection-state[data-state="logged_in"]').waitFor();
  assert.match(await page.locator('#me-name').textContent(), /Sam/);
  assert.equal(await page.locator('#presence-select').inputValue(), 'away', 'a new login starts away');
  assert.ok(await page.evaluate(() => Object.keys(sessionStorage).some((k) => k.includes('token'))), 'token kept in sessionStorage');
  assert.equal(await page.evaluate(() => localStorage.getItem('helpline.console.token')), null, 'never in localStorage');

  // Presence is confirmed by the server: a supervisor's protocol view of the queue routing sees
  // Sam as available (advisors_available counts him).
  await goAvailable(page);
  const watcher = await Advisor.login(stack, sup);
  t.cleanup(() => watcher.close());
  await waitUntil(async () => {
    const q = await watcher.request({ type: 'queue' });
    return q.advisors_available >= 1;
  }, { what: 'Sam available on the server' });

  // Reload: logs in with the token, no password, and keeps the presence.
  await page.reload();
  await page.locator('#connection-state[data-state="logged_in"]').waitFor();
  assert.equal(await page.locator('#login-view').isHidden(), true);
  assert.equal(await page.locator('#presence-select').inputValue(), 'available', 'token login keeps presence');

  // Every string from the locale files: switch to Polish.
  await page.locator('#ui-language').selectOption('pl');
  await page.locator('.tab[data-tab="queue"]', { hasText: 'Kolejka' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'pl');
  assert.equal((await page.locator('#logout-button').textContent()).trim(), 'Wyloguj');
  await page.locator('#ui-language').selectOption('en');
  await page.locator('.tab[data-tab="queue"]', { hasText: 'Queue' }).waitFor();

  // Help panel lists the shortcuts.
  await page.locator('body').press('?');
  await page.locator('#help-dialog[open]').waitFor();
  assert.match(await page.locator('#help-list').textContent(), /Alt\+Shift\+A.*Accept/s);
  await page.keyboard.press('Escape');

  // Log out: token gone, login form back.
  await page.locator('#logout-button').click();
  await page.locator('#login-view').waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => sessionStorage.getItem('helpline.console.token')), null);
  assertNoConsoleErrors(page);
});

test('supervisor console shows the supervision, statistics and feature-gated panels', async (t) => {
  const { stack, users: { sue: sup } } = await stackWithUsers(t, { sue: { role: 'supervisor' } });
  const page = await openConsole(t, stack, sup);
  await page.locator('.tab[data-tab="supervisor"]').click();
  await page.locator('.supervisor-panel h3', { hasText: 'Live conversations' }).waitFor();
  await page.locator('.supervisor-panel .queue-by-level li[data-level="imminent"]').waitFor();
  // Statistics: either the charts form (server implements `stats`) or "not available" — never broken.
  await page.locator('.tab[data-tab="stats"]').click();
  await waitUntil(async () => (await page.locator('.stats-panel .stats-filter').count()) > 0
    || (await page.locator('.stats-panel .unavailable').count()) > 0, { what: 'the statistics panel to settle' });
  assertNoConsoleErrors(page);
});
