// Console administration of existing accounts: an admin changes an advisor's languages, caller
// types and capacity (the server stores them: a reload and the advisor's own login show them),
// and resets the password (the new one logs in, the old one no longer does).
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { assertNoAxeViolations } from '../lib/browser.mjs';
import { Advisor } from '../lib/advisor.mjs';
import { openConsole, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

async function openAccounts(page) {
  await page.locator('.tab[data-tab="admin"]').click();
  const users = page.locator('.admin-users');
  await users.locator('tr[data-user="nadia"]').waitFor();
  return users;
}

test("admin edits an advisor's languages, caller types and capacity; they are stored", async (t) => {
  const { stack, users } = await stackWithUsers(t, { ada: { role: 'admin' }, nadia: { languages: ['en'], capacity: 2 } });
  const ada = await openConsole(t, stack, users.ada);
  const accounts = await openAccounts(ada);
  // Ada cannot give up her own account or role here: the helpline must keep an administrator.
  const own = accounts.locator('tr[data-user="ada"]');
  assert.equal(await own.locator('input.user-disabled').isDisabled(), true, 'no disabling oneself');
  assert.equal(await own.locator('select').isDisabled(), true, 'no demoting oneself');
  assert.equal(await accounts.locator('tr[data-user="nadia"] input.user-disabled').isDisabled(), false);

  await accounts.getByRole('button', { name: 'Edit Nadia' }).click();
  const editor = accounts.locator('.user-edit');
  assert.equal(await ada.evaluate(() => document.activeElement.textContent), 'Edit Nadia (nadia)', 'the focus goes to the editor');
  const form = editor.locator('form.user-edit-form');
  const languages = form.getByRole('group', { name: 'Languages' });
  const callerTypes = form.getByRole('group', { name: 'Caller types' });
  assert.equal(await languages.getByLabel('English').isChecked(), true);
  await languages.getByLabel('Español').check();
  await languages.getByLabel('Polski').check();

  // No caller type at all is refused before anything is sent.
  for (const label of ['Own behaviour', 'Professional', 'Friend or family', 'Experiencing abuse']) await callerTypes.getByLabel(label).uncheck();
  await form.getByRole('button', { name: 'Save' }).click();
  await form.locator('.user-edit-error', { hasText: 'Choose at least one caller type' }).waitFor();

  await callerTypes.getByLabel('Own behaviour').check();
  await callerTypes.getByLabel('Friend or family').check();
  await form.getByLabel('Capacity').fill('4');
  await form.getByRole('button', { name: 'Save' }).click();
  await editor.locator('.user-edit-done', { hasText: 'Changes to Nadia saved.' }).waitFor();
  await assertNoAxeViolations(ada, 'the account editor');

  // A reload reads the accounts from the server again.
  await ada.reload();
  await ada.locator('#connection-state[data-state="logged_in"]').waitFor();
  const again = await openAccounts(ada);
  const row = again.locator('tr[data-user="nadia"]');
  assert.equal(await row.locator('.user-languages').textContent(), 'English, Español, Polski');
  assert.equal(await row.locator('.user-caller-types').textContent(), 'Own behaviour, Friend or family');
  assert.equal(await row.locator('.user-capacity').textContent(), '4');

  // What the server gives Nadia at login.
  const nadia = await Advisor.login(stack, users.nadia);
  t.cleanup(() => nadia.close());
  const { advisor } = nadia.info;
  assert.deepEqual([...advisor.languages].sort(), ['en', 'es', 'pl']);
  assert.deepEqual([...advisor.caller_types].sort(), ['friend_family', 'own_behaviour']);
  assert.equal(advisor.capacity, 4);
  assertNoConsoleErrors(ada);
});

test("admin resets an advisor's password: the new one logs in, the old one does not", async (t) => {
  const { stack, users } = await stackWithUsers(t, { ada: { role: 'admin' }, nadia: {} });
  const ada = await openConsole(t, stack, users.ada);
  const accounts = await openAccounts(ada);
  await accounts.getByRole('button', { name: 'Edit Nadia' }).click();
  const reset = accounts.locator('form.user-password-form');

  await reset.getByLabel('New password').fill('short');
  await reset.getByRole('button', { name: 'Set the new password' }).click();
  await reset.locator('.user-password-error', { hasText: 'at least 10 characters' }).waitFor();

  const fresh = 'a brand new passphrase';
  await reset.getByLabel('New password').fill(fresh);
  await reset.getByRole('button', { name: 'Set the new password' }).click();
  await reset.locator('.user-password-done', { hasText: 'New password set for Nadia.' }).waitFor();
  assert.equal(await reset.getByLabel('New password').inputValue(), '', 'the password does not stay in the field');

  const nadia = await openConsole(t, stack, { username: 'nadia', password: fresh });
  assert.match(await nadia.locator('#me-name').textContent(), /Nadia/);
  await assert.rejects(Advisor.login(stack, users.nadia), /bad_credentials/, 'the old password no longer logs in');
  assertNoConsoleErrors(ada);
});
