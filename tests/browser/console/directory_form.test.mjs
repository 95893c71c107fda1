// Console: the programme directory as forms (admins). With a private copy of the content folder:
// an admin finds a programme by searching, a bad phone number and an unknown postcode area are
// refused before anything is sent (counted as "2 problems", then "1 problem"), and the corrected
// programme is saved to the directory on the server. The repository's directory is untouched.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from '../lib/harness.mjs';
import { assertNoAxeViolations } from '../lib/browser.mjs';
import { privateContent, repoDirectoryPath } from '../lib/content.mjs';
import { openConsole, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

test('directory form: search, phone and area validated with correct plurals, saving stores it', async (t) => {
  const repoBefore = fs.readFileSync(repoDirectoryPath);
  const contentDir = privateContent(t);
  const privatePath = path.join(contentDir, 'programmes/directory.json');
  const original = JSON.parse(fs.readFileSync(privatePath, 'utf8'));
  const target = original.programmes.find((p) => p.id === 'leeds-dapp');
  const { stack, users } = await stackWithUsers(t, { ada: { role: 'admin' } }, { config: { content_dir: contentDir } });

  const ada = await openConsole(t, stack, users.ada);
  await ada.locator('.tab[data-tab="admin"]').click();
  const dir = ada.locator('.admin-directory');
  await dir.locator(`.dir-count[data-count="${original.programmes.length}"]`).waitFor();

  // Search by organisation: one match; by area: several, counted in words.
  const search = dir.getByLabel('Find a programme');
  await search.fill(target.organisation);
  const count = dir.locator('.dir-match-count');
  const matching = original.programmes.filter((p) => p.organisation === target.organisation).length;
  await count.filter({ hasText: matching === 1 ? '1 programme matches.' : `${matching} programmes match.` }).waitFor();
  await search.fill('LS');
  await count.filter({ hasText: /^\d+ programmes match\.$/ }).waitFor();
  await search.fill(target.name);
  await dir.locator(`.dir-matches li[data-programme="${target.id}"] button`).click();
  const form = dir.locator(`form.programme-edit[data-programme="${target.id}"]`);
  await form.waitFor();
  assert.equal(await form.getByLabel('Phone').inputValue(), target.contact.phone);

  // A bad phone number and an unknown area: both listed, nothing sent.
  await form.getByLabel('Phone').fill('call us');
  await form.getByLabel('Postcode areas and districts').fill('LS, QQ');
  await form.getByRole('button', { name: 'Save this programme' }).click();
  const summary = form.locator('.dir-form-summary');
  await summary.locator('p.error', { hasText: '2 problems: correct them and save again. Nothing was saved.' }).waitFor();
  assert.deepEqual(await summary.locator('li').allTextContents(), [
    'Phone “call us” is not a phone number: use 7 to 15 digits, with spaces, +, - or brackets if needed.',
    '“QQ” is not a known UK postcode area or district.',
  ]);
  assert.equal(await form.getByLabel('Phone').getAttribute('aria-invalid'), 'true');
  assert.equal(await ada.evaluate(() => document.activeElement.getAttribute('name')), 'phone', 'the focus goes to the first problem');
  await assertNoAxeViolations(ada, 'the programme form with problems');

  // One left: said in the singular.
  await form.getByLabel('Phone').fill('0113 496 0999');
  await form.getByRole('button', { name: 'Save this programme' }).click();
  await summary.locator('p.error', { hasText: '1 problem: correct it and save again. Nothing was saved.' }).waitFor();
  assert.deepEqual(await summary.locator('li').allTextContents(), ['“QQ” is not a known UK postcode area or district.']);
  assert.deepEqual(JSON.parse(fs.readFileSync(privatePath, 'utf8')), original, 'nothing was saved while the form had problems');

  await form.getByLabel('Postcode areas and districts').fill('LS, wf, BD1');
  await form.getByRole('button', { name: 'Save this programme' }).click();
  await form.locator('.dir-form-saved', { hasText: `Saved: ${target.organisation} – ${target.name}.` }).waitFor();
  assert.equal(await summary.textContent(), '');

  const stored = JSON.parse(fs.readFileSync(privatePath, 'utf8'));
  const saved = stored.programmes.find((p) => p.id === target.id);
  assert.equal(saved.contact.phone, '0113 496 0999');
  assert.deepEqual(saved.area.codes, ['LS', 'WF', 'BD1']);
  assert.deepEqual({ ...saved, contact: target.contact, area: target.area }, target, 'the other fields are unchanged');
  assert.equal(stored.programmes.length, original.programmes.length);
  assert.ok(fs.readFileSync(repoDirectoryPath).equals(repoBefore), "the repository's directory.json is untouched");
  assertNoConsoleErrors(ada);
});
