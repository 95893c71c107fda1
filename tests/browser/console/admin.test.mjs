// Console: administration. An admin adds an advisor account (the new advisor can log in), disables
// it (then logging in fails), reloads the content; advisors see no administration at all.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { openConsole, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

/** Tries to log in on a fresh context; returns the login error text (throws if it succeeded). */
async function failedLogin(t, stack, username, password) {
  const page = await (await t.context()).newPage();
  await page.goto(stack.url('/console/'));
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('#login-form button[type=submit]').click();
  const error = page.locator('#login-error');
  await error.waitFor({ state: 'visible' });
  assert.equal(await page.locator('#console-view').isVisible(), false);
  return error.textContent();
}

test('admin adds an account, the new advisor logs in, disabling it stops logins; content reload', async (t) => {
  const { stack, users } = await stackWithUsers(t, { ada: { role: 'admin' } });
  const ada = await openConsole(t, stack, users.ada);
  await ada.locator('.tab[data-tab="admin"]').click();
  const panel = ada.locator('.admin-panel');
  await panel.locator('.admin-users tr[data-user="ada"]').waitFor();

  // Add an advisor; a short password is refused by the form.
  await panel.locator('.admin-users summary', { hasText: 'Add an account' }).click();
  const form = panel.locator('form.user-add');
  const input = (label) => form.getByLabel(label, { exact: true });
  await input('User name').fill('nadia');
  await input('Name').fill('Nadia');
  await input('Role').selectOption('advisor');
  await input('Languages').fill('en, es');
  await input('Capacity').fill('3');
  await input('Initial password').fill('too short');
  await form.locator('button[type=submit]').click();
  await form.locator('.user-add-error', { hasText: 'at least 10 characters' }).waitFor();
  assert.equal(await panel.locator('.admin-users tr[data-user="nadia"]').count(), 0);

  const password = 'a long enough passphrase';
  await input('Initial password').fill(password);
  await form.locator('button[type=submit]').click();
  const row = panel.locator('.admin-users tr[data-user="nadia"]');
  await row.waitFor();
  assert.match(await row.textContent(), /nadia.*Nadia.*English, Español.*3/s);
  assert.equal(await row.locator('select').inputValue(), 'advisor');
  await panel.locator('.user-added', { hasText: 'Account nadia added.' }).waitFor();

  // Adding the same user name again is refused.
  await panel.locator('.admin-users summary', { hasText: 'Add an account' }).click();
  const again = panel.locator('form.user-add');
  await again.getByLabel('User name', { exact: true }).fill('nadia');
  await again.getByLabel('Name', { exact: true }).fill('Another Nadia');
  await again.getByLabel('Initial password', { exact: true }).fill(password);
  await again.locator('button[type=submit]').click();
  await again.locator('.user-add-error', { hasText: 'already taken' }).waitFor();

  // The new advisor logs in (own browser) and sees no supervision, statistics or administration.
  const nadia = await openConsole(t, stack, { username: 'nadia', password });
  assert.match(await nadia.locator('#me-name').textContent(), /Nadia \(advisor\)/);
  const tabs = await nadia.locator('#tabs .tab').evaluateAll((els) => els.map((e) => e.dataset.tab));
  assert.deepEqual(tabs, ['queue', 'callbacks']);
  assert.equal(await nadia.locator('.admin-panel, .stats-panel, .supervisor-panel').count(), 0);

  // Disable the account: a new login fails like a wrong password.
  await row.locator('input.user-disabled').check();
  await ada.locator('#status-region', { hasText: 'Saved.' }).waitFor();
  assert.equal(await panel.locator('.admin-users tr[data-user="nadia"] input.user-disabled').isChecked(), true);
  assert.match(await failedLogin(t, stack, 'nadia', password), /Wrong user name or password/);

  // Reload the content folder.
  await panel.locator('button.content-reload').click();
  const result = panel.locator('.reload-result.ok');
  await result.waitFor();
  assert.match(await result.textContent(), /^Content reloaded: languages English, Español, Polski; \d+ programmes in the directory\.$/);
  const programmes = Number((await result.textContent()).match(/(\d+) programmes/)[1]);
  assert.ok(programmes > 0, 'the sample directory has programmes');
  assertNoConsoleErrors(ada, 'Ada');
  assertNoConsoleErrors(nadia, 'Nadia');
});
